"""Benchmark the projects' integration views on the demo data and on national-scale data.

For each view it prints the number of queries and the median server time (in-process Django
test client, production settings) on the demo data, then again after ``seed_scale`` (the
scorecard's national data set plus ~20,000 projects with disbursement plans, milestones and
progress reports). Then it checks:

- no view's query count differs between the demo and the national-scale data;
- each view's median server time on national-scale data is under 150 ms.

    .venv/bin/python bench/projects.py          # uses database osm_bench_projects
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/projects.py

The database named by BENCH_DATABASE_URL is dropped and rebuilt.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/osm_bench_projects"
)
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "15"))
MAX_MS = 150.0
# The integration views the time limit applies to; the list and the action plan are printed
# for information (their query counts are checked too).
INTEGRATION = {"budget", "disbursement", "gaps", "people"}

ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_ROOT": os.environ.get("BENCH_STATIC_ROOT", "/tmp/osm-bench-static"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
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


def pages() -> dict[str, str]:
    """name → URL of the demo cluster's integration views for the current fiscal year."""
    from django.urls import reverse

    from osm.lib import dates
    from osm.models import Province

    cluster = Province.objects.get(code="TH-50").cluster
    year = dates.current_fiscal_year()

    def url(name: str, query: str) -> str:
        return f"{reverse(f'projects:{name}', args=[cluster.pk])}?year={year}{query}"

    return {
        "budget": url("budget", ""),
        "disbursement": url("disbursement", "&quarter=2"),
        "gaps": url("gaps", ""),
        "people": url("people", ""),
        "project list": url("list", ""),
        "action plan": url("action-plan", ""),
    }


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def healthz_ms() -> float:
    """The median server time of /healthz: the machine's floor, for reading the figures."""
    from django.test import Client

    client = Client()
    timings = []
    for _ in range(SAMPLES):
        start = time.perf_counter()
        client.get("/healthz")
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def measure() -> dict[str, tuple[int, float]]:
    from django.db import connection
    from django.test import Client

    from osm.models import User

    client = Client()
    client.force_login(User.objects.get(username="committee"))
    figures = {}
    for name, url in pages().items():
        timings, counts = [], []
        for i in range(SAMPLES + 2):
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                start = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if i >= 2:  # two warm-up requests
                timings.append(elapsed)
                counts.append(counter.count)
        figures[name] = (max(counts), statistics.median(timings))
    return figures


def main() -> int:
    """BENCH_REUSE=1 measures an existing national-scale database again (no demo phase)."""
    reuse = os.environ.get("BENCH_REUSE") == "1"
    name = urlparse(DB_URL).path.lstrip("/")
    print(f"database {name} ({'reused' if reuse else 'rebuilt'}), median of {SAMPLES}", flush=True)
    if not reuse:
        reset_database()
        manage("migrate", "-v0")
    manage("collectstatic", "--noinput", "-v0")  # production settings serve hashed names
    import django

    django.setup()
    demo: dict[str, tuple[int, float]] = {}
    if not reuse:
        from osm.demo import demo_seed

        demo_seed()
        demo = measure()
        started = time.monotonic()
        manage("seed_scale")
        print(f"seed_scale took {time.monotonic() - started:.1f} s", flush=True)
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"/healthz median {healthz_ms():.1f} ms",
        flush=True,
    )
    national = measure()
    from osm.lib import dates
    from osm.models import Province
    from projects.models import ProgressReport, Project

    cluster = Province.objects.get(code="TH-50").cluster
    year = dates.current_fiscal_year()
    print(
        f"national scale: {Project.objects.count()} projects, "
        f"{ProgressReport.objects.count()} progress reports; the demo cluster has "
        f"{Project.objects.filter(cluster=cluster, fiscal_year=year).count()} in {year}"
    )
    header = f"{'view':<16}{'demo q':>8}{'national q':>12}{'demo ms':>10}{'national ms':>13}"
    print(header)
    print("-" * len(header))
    failures = []
    for name, (queries, ms) in national.items():
        demo_q, demo_ms = demo.get(name, (queries, float("nan")))
        print(f"{name:<16}{demo_q:>8}{queries:>12}{demo_ms:>10.1f}{ms:>13.1f}")
        if queries != demo_q:
            failures.append(f"{name}: queries {demo_q} on demo, {queries} on national data")
        if name in INTEGRATION and ms >= MAX_MS:
            failures.append(f"{name}: median {ms:.0f} ms at national scale")
    print("checks:", "all passed" if not failures else "FAILED")
    for failure in failures:
        print("  -", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
