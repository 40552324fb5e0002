"""Benchmark the scorecard dashboards on the demo data and on national-scale data.

For each dashboard it prints the number of queries, the median server time (in-process
Django test client) and the requests per second under a concurrent load against
gunicorn (2 sync workers on a loopback port, a bounded thread-pool load generator),
relative to the minimal view /healthz measured in the same run. Then it checks:

- no dashboard's query count grows between the demo and the national-scale data;
- each dashboard's median server time on national-scale data is under 150 ms;
- each dashboard's throughput is at least 5% of /healthz's.

    .venv/bin/python bench/scorecard.py            # uses database osm_bench_scorecard
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/scorecard.py

The database named by BENCH_DATABASE_URL is dropped and rebuilt.
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/osm_bench_scorecard"
)
PORT = int(os.environ.get("BENCH_PORT", "8771"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "15"))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "4"))
LOAD_THREADS = int(os.environ.get("BENCH_THREADS", "6"))
MAX_MS = 150.0
MIN_SHARE = 0.05

ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    # Production settings: DEBUG off, hashed static files collected into a scratch folder.
    "DEBUG": "false",
    "STATIC_ROOT": os.environ.get("BENCH_STATIC_ROOT", "/tmp/osm-bench-static"),
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    # The shared cache (as in production): dashboard fragments and their generations.
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
    "PYTHONPATH": str(ROOT),
    "DJANGO_SETTINGS_MODULE": "osm.settings",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))


@dataclass
class Figure:
    queries: int = 0  # computing the page (fragment cache empty)
    cached_queries: int = 0  # serving it with the fragment cached
    median_ms: float = 0.0  # computing the page
    cached_ms: float = 0.0  # with the fragment cached
    rps: float = 0.0  # under load, cache shared by both workers
    uncached_rps: float = 0.0  # under load with the fragment cache off


@dataclass
class Phase:
    name: str
    figures: dict[str, Figure] = field(default_factory=dict)
    healthz_rps: float = 0.0


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


def ensure_demo_plan() -> None:
    """The scorecard demo hangs on the strategy demo plan; stand in for it when the strategy
    seeder is not there (a plan with three issues and four objectives)."""
    from osm.models import Province
    from scorecard.scale import _perspectives
    from strategy.models import Objective, Plan, StrategicIssue

    cluster = Province.objects.get(code="TH-50").cluster
    if Plan.objects.filter(cluster=cluster, status=Plan.Status.APPROVED).exists():
        return
    plan = Plan.objects.create(
        cluster=cluster,
        title_th=f"แผนพัฒนา{cluster.name_th} (พ.ศ. 2566–2570)",
        start_year=2566,
        end_year=2570,
        status=Plan.Status.APPROVED,
    )
    perspectives = _perspectives(cluster)
    for i in range(3):
        issue = StrategicIssue.objects.create(
            plan=plan, code=str(i + 1), name_th=f"ประเด็นการพัฒนาที่ {i + 1}", order=i
        )
        for j in range(2 if i < 2 else 1):
            Objective.objects.create(
                plan=plan,
                issue=issue,
                perspective=perspectives[(2 * i + j) % 4],
                code=f"{i + 1}.{j + 1}",
                name_th=f"เป้าประสงค์ที่ {i + 1}.{j + 1}",
                order=2 * i + j,
            )


def dashboards() -> dict[str, tuple[str, str]]:
    """name → (URL, username) for the demo cluster's pages and the national overview."""
    from osm.models import Province
    from scorecard.models import Indicator

    cluster = Province.objects.get(code="TH-50").cluster
    indicator = Indicator.objects.filter(cluster=cluster).order_by("pk").first()
    assert indicator is not None, "no demo indicator: the demo seeders did not run"
    period = "?year=2569&quarter=2"
    return {
        "cluster scorecard": (f"/scorecard/clusters/{cluster.pk}/{period}", "committee"),
        "province comparison": (
            f"/scorecard/clusters/{cluster.pk}/provinces/{period}",
            "committee",
        ),
        "timeliness": (f"/scorecard/clusters/{cluster.pk}/timeliness/?year=2569", "committee"),
        "indicator page": (f"/scorecard/indicators/{indicator.pk}/{period}", "committee"),
        "national overview": (f"/scorecard/national/{period}", "central"),
    }


class QueryCounter:
    """Counts the queries the connection runs (independent of DEBUG's query log)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def _timed(client, url: str, *, cold: bool) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.core.cache import cache
    from django.db import connection

    if cold:
        cache.clear()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, url
    return elapsed, counter.count


def measure_in_process(pages: dict[str, tuple[str, str]], phase: Phase) -> dict[str, str]:
    from django.test import Client

    from osm.models import User

    cookies: dict[str, str] = {}
    for name, (url, username) in pages.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[username] = client.cookies["sessionid"].value
        for _ in range(2):
            _timed(client, url, cold=True)
        cold = [_timed(client, url, cold=True) for _ in range(SAMPLES)]
        warm = [_timed(client, url, cold=False) for _ in range(SAMPLES)]
        phase.figures[name] = Figure(
            queries=max(q for _t, q in cold),
            cached_queries=max(q for _t, q in warm),
            median_ms=statistics.median(t for t, _q in cold),
            cached_ms=statistics.median(t for t, _q in warm),
        )
    return cookies


def _load(path: str, cookie: str | None, seconds: float) -> float:
    """Requests per second for `path` with LOAD_THREADS keep-alive clients."""
    stop = time.monotonic() + seconds
    counts = [0] * LOAD_THREADS
    errors = []

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        while time.monotonic() < stop:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
                return
            counts[index] += 1
        conn.close()

    started = time.monotonic()
    with ThreadPoolExecutor(LOAD_THREADS) as pool:
        list(pool.map(worker, range(LOAD_THREADS)))
    elapsed = time.monotonic() - started
    if errors:
        raise RuntimeError(f"{path} answered {errors[0]} under load")
    return sum(counts) / elapsed


def measure_load(
    pages: dict[str, tuple[str, str]],
    cookies: dict[str, str],
    phase: Phase,
    *,
    cached: bool = True,
) -> None:
    env = ENV if cached else {**ENV, "SCORECARD_FRAGMENT_TTL": "0"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "osm.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        _load("/healthz", None, 1)  # warm up both workers
        if cached:
            phase.healthz_rps = _load("/healthz", None, LOAD_SECONDS)
        for name, (url, username) in pages.items():
            _load(url, cookies[username], 1)
            rps = _load(url, cookies[username], LOAD_SECONDS)
            if cached:
                phase.figures[name].rps = rps
            else:
                phase.figures[name].uncached_rps = rps
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_phase(name: str) -> Phase:
    import django

    django.setup()
    phase = Phase(name)
    pages = dashboards()
    cookies = measure_in_process(pages, phase)
    measure_load(pages, cookies, phase)
    measure_load(pages, cookies, phase, cached=False)
    return phase


def main() -> int:
    print(
        f"database {urlparse(DB_URL).path.lstrip('/')} (rebuilt), gunicorn 2 workers, "
        f"{LOAD_THREADS} load threads × {LOAD_SECONDS:.0f} s per page, "
        f"median of {SAMPLES} in-process requests",
        flush=True,
    )
    reset_database()
    import redis

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()
    manage("migrate", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    import django

    django.setup()
    from osm.demo import demo_seed

    demo_seed()  # users and the strategy demo plan when that seeder is installed
    ensure_demo_plan()
    demo_seed()  # the scorecard seeder now finds the plan
    demo = run_phase("demo")
    started = time.monotonic()
    manage("seed_scale")
    print(f"seed_scale took {time.monotonic() - started:.1f} s", flush=True)
    scale = run_phase("national scale")

    from scorecard.models import Indicator, Result

    print(
        f"national scale: {Indicator.objects.count()} indicators, {Result.objects.count()} results"
    )
    print(
        "queries and median ms: computing the page (fragment cache emptied before each "
        "request) | serving it with its fragment cached; req/s under load with the shared "
        "fragment cache (checked) and with it turned off (for information)"
    )
    header = (
        f"{'dashboard':<22}{'phase':<16}{'queries':>8}{'median ms':>11}"
        f"{'cached q':>10}{'cached ms':>11}{'req/s':>9}{'% healthz':>11}"
        f"{'uncached req/s':>16}{'%':>7}"
    )
    print(header)
    print("-" * len(header))
    failures = []
    for phase in (demo, scale):
        print(
            f"{'/healthz':<22}{phase.name:<16}{'':>8}{'':>11}{'':>10}{'':>11}"
            f"{phase.healthz_rps:>9.0f}{100:>10.1f}%"
        )
        for name, fig in phase.figures.items():
            share = fig.rps / phase.healthz_rps if phase.healthz_rps else 0
            raw = fig.uncached_rps / phase.healthz_rps if phase.healthz_rps else 0
            print(
                f"{name:<22}{phase.name:<16}{fig.queries:>8}{fig.median_ms:>11.1f}"
                f"{fig.cached_queries:>10}{fig.cached_ms:>11.1f}"
                f"{fig.rps:>9.1f}{share * 100:>10.1f}%"
                f"{fig.uncached_rps:>16.1f}{raw * 100:>6.1f}%"
            )
            if share < MIN_SHARE:
                failures.append(f"{name} ({phase.name}): {share:.1%} of /healthz")
    for name, fig in scale.figures.items():
        if fig.queries > demo.figures[name].queries:
            failures.append(f"{name}: queries grew {demo.figures[name].queries} → {fig.queries}")
        if fig.cached_queries > demo.figures[name].cached_queries:
            failures.append(f"{name}: cached queries grew")
        if fig.median_ms >= MAX_MS:
            failures.append(f"{name}: median {fig.median_ms:.0f} ms at national scale")
    print("checks:", "all passed" if not failures else "FAILED")
    for failure in failures:
        print("  -", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
