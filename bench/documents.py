"""Benchmark the documents below the committee: pages, seconds and peak memory per render.

The plan book and the indicator definition sheets of the demo cluster's plan are rendered on
the demo data, then again after ``seed_scale`` (every cluster's plan grows to national-scale
size: ~66 indicators with five years of cluster and province targets each), for the demo
cluster and for the national-scale cluster with the most indicators. The annual report of
the demo cluster is rendered too. Each render runs in a fresh process (as a worker renders
one document), so its peak resident memory is its own; the figure before rendering (Django
loaded) is printed beside it. Checks: every render is ready and under 60 seconds.

    .venv/bin/python bench/documents.py          # uses database osm_bench_documents
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/documents.py

The database named by BENCH_DATABASE_URL is dropped and rebuilt.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/osm_bench_documents"
)
MAX_SECONDS = 60.0
ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    # No broker: the render runs inline in this process (the embedded mode), timed alone.
    "REDIS_URL": "",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "PRIVATE_MEDIA_ROOT": os.environ.get(
        "BENCH_PRIVATE_ROOT", str(Path(tempfile.gettempdir()) / "osm-bench-documents")
    ),
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


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: its own, unlike ru_maxrss, which a child
    started by fork + exec inherits from its parent)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_one(kind: str, model: str, pk: int, params: str) -> None:
    """In a child process: render one document and print its figures as JSON."""
    import django

    django.setup()
    from django.apps import apps

    from osm.documents.services import document_request

    subject = apps.get_model(model).objects.get(pk=pk)
    before_mb = peak_mb()
    started = time.perf_counter()
    document = document_request(kind=kind, subject=subject, params=json.loads(params), by=None)
    seconds = time.perf_counter() - started
    document.refresh_from_db()
    print(
        json.dumps(
            {
                "status": document.status,
                "error": document.error_text,
                "pages": document.pages,
                "kb": (document.size or 0) // 1024,
                "seconds": seconds,
                "peak_mb": peak_mb(),
                "before_mb": before_mb,
            }
        )
    )


def measure(label: str, kind: str, model: str, pk: int, params: dict[str, object]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--render", kind, model, str(pk), json.dumps(params)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["label"] = label
    figures["kind"] = kind
    return figures


def subjects(national: bool) -> list[tuple[str, str, str, int, dict[str, object]]]:
    from django.db.models import Count

    from osm.lib import dates
    from osm.models import Province
    from strategy.models import Plan

    demo_cluster = Province.objects.get(code="TH-50").cluster
    plans = Plan.objects.filter(status=Plan.Status.APPROVED).annotate(
        n=Count("objectives__indicators")
    )
    demo_plan = plans.get(cluster=demo_cluster, start_year=2566)
    found = []
    scale = "national" if national else "demo"
    for kind in ("strategy.plan_book", "scorecard.indicator_sheets"):
        found.append(
            (f"{scale}: demo cluster ({demo_plan.n} ind.)", kind, "strategy.plan", demo_plan.pk, {})
        )
    if national:
        biggest = plans.exclude(pk=demo_plan.pk).order_by("-n", "pk").first()
        if biggest is not None:
            for kind in ("strategy.plan_book", "scorecard.indicator_sheets"):
                found.append(
                    (
                        f"national: cluster no. {biggest.cluster.number} ({biggest.n} ind.)",
                        kind,
                        "strategy.plan",
                        biggest.pk,
                        {},
                    )
                )
    year = dates.current_fiscal_year() - 1
    found.append(
        (
            f"{scale}: demo cluster FY {year}",
            "projects.annual_report",
            "osm.cluster",
            demo_cluster.pk,
            {"fiscal_year": year},
        )
    )
    return found


def main() -> int:
    reuse = os.environ.get("BENCH_REUSE") == "1"
    name = urlparse(DB_URL).path.lstrip("/")
    print(f"database {name} ({'reused' if reuse else 'rebuilt'})", flush=True)
    if not reuse:
        reset_database()
        manage("migrate", "-v0")
    import django

    django.setup()
    rows = []
    if not reuse:
        from osm.demo import demo_seed

        demo_seed()
        rows += [measure(*s) for s in subjects(national=False)]
        started = time.monotonic()
        manage("seed_scale")
        print(f"seed_scale took {time.monotonic() - started:.1f} s", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    rows += [measure(*s) for s in subjects(national=True)]
    header = (
        f"{'data':<42}{'document':<28}{'pages':>6}{'KB':>6}{'seconds':>9}"
        f"{'peak MB':>9}{'before MB':>11}"
    )
    print(header)
    print("-" * len(header))
    failures = []
    for row in rows:
        print(
            f"{row['label']:<42}{row['kind']:<28}{row['pages'] or 0:>6}{row['kb']:>6}"
            f"{row['seconds']:>9.1f}{row['peak_mb']:>9.0f}{row['before_mb']:>11.0f}"
        )
        if row["status"] != "ready":
            failures.append(f"{row['label']} {row['kind']}: {row['status']} {row['error']}")
        elif row["seconds"] >= MAX_SECONDS:
            failures.append(f"{row['label']} {row['kind']}: {row['seconds']:.0f} s")
    print("checks:", "all passed" if not failures else "FAILED")
    for failure in failures:
        print("  -", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--render"]:
        render_one(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        sys.exit(0)
    sys.exit(main())
