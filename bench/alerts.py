"""Benchmark one full run of every alert rule (osm/alerts/engine.py) on the demo data and on
national-scale data, with the deliveries (notifications, e-mails in the outbox, digests
waiting) that a run makes.

For each data set it prints, per rule, the seconds and the number of queries of a first
run from no alerts at all (which raises and tells everything: the worst case) and of a
second run on the same day (which must raise nothing), then the totals. The data sets: the demo (3 clusters), then, in a database of its own,
``seed_scale --clusters 6``, then the whole country (``seed_scale``: 18 clusters, 76 provinces, ~1,200 indicators,
~100,000 results, ~20,000 projects, and people for each cluster and province). Checks:

- the first full run at national scale takes under 60 s;
- the second run raises nothing;
- each rule's query count is the same on 6 clusters and on 18: it does not grow with the
  provinces or the indicators.

    .venv/bin/python bench/alerts.py            # uses database osm_bench_alerts
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/alerts.py

The database named by BENCH_DATABASE_URL is dropped and rebuilt.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/osm_bench_alerts")
LIMIT_SECONDS = 60.0
ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    # No broker: the run's e-mails wait in the outbox (the drain task is not measured).
    "REDIS_URL": "",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "PYTHONPATH": str(ROOT),
    "DJANGO_SETTINGS_MODULE": "osm.settings",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def reset_database() -> None:
    import psycopg

    url = urlparse(DB_URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class QueryCounter:
    """Counts the queries of the rule being run (the runner names it in `current`)."""

    def __init__(self) -> None:
        self.current = "setup"
        self.counts: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.counts[self.current] = self.counts.get(self.current, 0) + 1
        return execute(sql, params, many, context)


def run_once() -> tuple[dict[str, tuple[float, int]], int, int, float]:
    """One full run: {rule: (seconds, queries)}, with "deliver" for the telling and
    "(runner)" for the settings read once; the alerts raised, the deliveries, the seconds."""
    from dataclasses import replace

    from django.db import connection

    from osm.alerts import engine

    counter = QueryCounter()

    def named(rule):  # type: ignore[no-untyped-def]
        def evaluate(ctx):  # type: ignore[no-untyped-def]
            counter.current = rule.code  # its upsert runs right after, under the same name
            return rule.evaluate(ctx)

        return replace(rule, evaluate=evaluate)

    original_rules, original_deliver = engine.rules, engine._deliver
    deliver_seconds = 0.0

    def deliver(raised):  # type: ignore[no-untyped-def]
        nonlocal deliver_seconds
        counter.current = "deliver"
        started = time.perf_counter()
        try:
            return original_deliver(raised)
        finally:
            deliver_seconds = time.perf_counter() - started

    engine.rules = lambda: [named(r) for r in original_rules()]  # type: ignore[assignment]
    engine._deliver = deliver
    started = time.perf_counter()
    try:
        with connection.execute_wrapper(counter):
            report = engine.alerts_run()
    finally:
        total = time.perf_counter() - started
        engine.rules, engine._deliver = original_rules, original_deliver  # type: ignore[assignment]
    figures = {r.code: (r.seconds, counter.counts.get(r.code, 0)) for r in report.rules}
    figures["deliver"] = (deliver_seconds, counter.counts.get("deliver", 0))
    figures["(runner)"] = (0.0, counter.counts.get("setup", 0))
    return figures, report.raised, report.deliveries, total


def measure(label: str) -> dict[str, dict[str, tuple[float, int]]]:
    from osm.models import Alert, Cluster, Notification, OutboxEmail, Province
    from projects.models import Project
    from scorecard.models import Indicator, Result

    print(
        f"\n== {label}: {Cluster.objects.filter(indicators__isnull=False).distinct().count()} "
        f"clusters with indicators, {Province.objects.count()} provinces, "
        f"{Indicator.objects.count()} indicators, {Result.objects.count()} results, "
        f"{Project.objects.count()} projects",
        flush=True,
    )
    first, raised, told, seconds = run_once()
    second, raised_again, _told, seconds_again = run_once()
    header = f"{'rule':<34}{'1st s':>8}{'1st q':>7}{'2nd s':>8}{'2nd q':>7}"
    print(header)
    print("-" * len(header))
    for name in first:
        s1, q1 = first[name]
        s2, q2 = second.get(name, (0.0, 0))
        print(f"{name:<34}{s1:>8.2f}{q1:>7}{s2:>8.2f}{q2:>7}")
    print(
        f"{'total':<34}{seconds:>8.2f}{sum(q for _s, q in first.values()):>7}"
        f"{seconds_again:>8.2f}{sum(q for _s, q in second.values()):>7}"
    )
    print(
        f"first run raised {raised} alerts and made {told} deliveries; the second raised "
        f"{raised_again}. Open alerts {Alert.objects.filter(resolved_at__isnull=True).count()}, "
        f"notifications {Notification.objects.count()}, e-mails in the outbox "
        f"{OutboxEmail.objects.count()}",
        flush=True,
    )
    return {"first": first, "second": second, "totals": {"seconds": (seconds, raised_again)}}


def quiet_celery() -> None:
    """Tasks go to the in-memory broker and nobody runs them: the run's e-mails wait in the
    outbox, as they would for the worker (sending them is not part of the run)."""
    from osm.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"


def clear_alerts() -> None:
    """Start from no alerts, so that the first run raises everything (the worst case)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE osm_alertdelivery, osm_notification, osm_outboxemail, osm_alert")


def main() -> int:
    name = urlparse(DB_URL).path.lstrip("/")
    print(f"database {name} (rebuilt for the demo, then for national scale)", flush=True)
    reset_database()
    manage("migrate", "-v0")
    import django

    django.setup()
    quiet_celery()
    from django.db import connections

    from osm.demo import demo_seed

    demo_seed()
    clear_alerts()
    measure("demo")
    # National scale on its own (without the demo's rounds), first 6 clusters, then all 18:
    # the same calendar of rounds, three times the provinces, indicators and projects.
    connections.close_all()
    reset_database()
    manage("migrate", "-v0")
    started = time.monotonic()
    manage("seed_scale", "--clusters", "6")
    print(f"seed_scale --clusters 6 took {time.monotonic() - started:.1f} s", flush=True)
    clear_alerts()
    part = measure("national scale, 6 clusters")
    started = time.monotonic()
    manage("seed_scale")
    print(f"seed_scale (all) took {time.monotonic() - started:.1f} s", flush=True)
    clear_alerts()
    whole = measure("national scale, 18 clusters")
    failures = []
    seconds, _raised = whole["totals"]["seconds"]
    if seconds >= LIMIT_SECONDS:
        failures.append(f"the first national run took {seconds:.1f} s")
    for label, data in (("6 clusters", part), ("18 clusters", whole)):
        if data["totals"]["seconds"][1]:
            failures.append(f"the second run on {label} raised {data['totals']['seconds'][1]}")
    for run in ("first", "second"):
        for rule, (_s, queries) in whole[run].items():
            before = part[run].get(rule, (0.0, 0))[1]
            if queries != before:
                failures.append(
                    f"{rule} ({run} run): {before} queries on 6 clusters, {queries} on 18"
                )
    print("\nchecks:", "all passed" if not failures else "FAILED")
    for failure in failures:
        print("  -", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
