"""Benchmark the meeting pack: pages, seconds and peak memory for the demo meeting's pack and
for a national-scale cluster's pack (every indicator and every project of the cluster's
year, its committee's national-scale meetings and three appended papers).

Each pack is rendered through the core document machinery (``document_render``, as the
Celery worker does) in a fresh process, so its peak memory is its own. It checks:

- the national-scale pack renders in under 60 seconds on this machine.

    .venv/bin/python bench/committee.py            # uses database osm_bench_committee
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/committee.py
    BENCH_REUSE=1 .venv/bin/python bench/committee.py   # measure an existing database again

The database named by BENCH_DATABASE_URL is dropped and rebuilt.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/osm_bench_committee"
)
MAX_SECONDS = 60.0

ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_ROOT": os.environ.get("BENCH_STATIC_ROOT", "/tmp/osm-bench-static"),
    "PRIVATE_MEDIA_ROOT": os.environ.get("BENCH_PRIVATE_MEDIA_ROOT", "/tmp/osm-bench-private"),
    # No broker: requests do not queue, the benchmark renders in-process as a worker would.
    "REDIS_URL": "",
    "PYTHONPATH": str(ROOT),
    "DJANGO_SETTINGS_MODULE": "osm.settings",
}


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


def _high_water_kb() -> int:
    """The process's peak resident memory (VmHWM; ru_maxrss can carry the parent's peak
    across fork and exec)."""
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def render(which: str) -> dict[str, float]:
    """Render one pack in a fresh process; its figures as a dict."""
    done = subprocess.run(
        [sys.executable, __file__, "--render", which],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"rendering the {which} pack failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child(which: str) -> None:
    """In the child: find the meeting, request its pack and render it as the worker does."""
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from osm.celery import app

    app.conf.task_always_eager = False  # the request queues (in memory); we render below
    from committee.documents import PACK
    from committee.models import Meeting
    from committee.scale import MARK
    from osm.documents.services import document_render, document_request
    from osm.models import Document, Province

    cluster = Province.objects.get(code="TH-50").cluster
    meetings = Meeting.objects.filter(committee__cluster=cluster, status=Meeting.Status.PLANNED)
    if which == "demo":
        meeting = meetings.exclude(venue=MARK).order_by("date").first()
    else:
        meeting = meetings.filter(venue=MARK).order_by("-date").first()
    assert meeting is not None, f"no {which} meeting"
    before = _high_water_kb()
    document = document_request(kind=PACK, subject=meeting, by=None)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.QUEUED, attempts=0)
    started = time.perf_counter()
    outcome = document_render(document_id=document.pk)
    seconds = time.perf_counter() - started
    document.refresh_from_db()
    assert document.status == Document.Status.READY, (outcome, document.error_message)
    peak = _high_water_kb()
    items = meeting.items.count()
    from committee.pack import meeting_pack_data

    data = meeting_pack_data(meeting)
    print(
        json.dumps(
            {
                "pages": document.pages,
                "seconds": round(seconds, 2),
                "peak_mb": round(peak / 1024, 1),
                "growth_mb": round((peak - before) / 1024, 1),
                "size_kb": round(document.size / 1024, 1),
                "items": items,
                "indicators": data["total"],
                "projects": len(data["all_projects"]),
                "papers": len(data["papers"]),
            }
        )
    )


def line(name: str, f: dict[str, float]) -> str:
    return (
        f"{name:<24} {f['pages']:>5} pages  {f['seconds']:>6.1f} s  peak {f['peak_mb']:>6.1f} MB "
        f"(+{f['growth_mb']:.1f} MB rendering)  {f['size_kb']:.0f} KB · {f['items']} items, "
        f"{f['indicators']} indicators, {f['projects']} projects, {f['papers']} papers"
    )


def main() -> int:
    reuse = os.environ.get("BENCH_REUSE") == "1"
    clusters = os.environ.get("BENCH_CLUSTERS", "")
    name = urlparse(DB_URL).path.lstrip("/")
    print(f"database {name} ({'reused' if reuse else 'rebuilt'})", flush=True)
    if not reuse:
        reset_database()
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")  # production settings serve hashed names
    if not reuse:
        manage("seed_demo", "--force")
    demo = render("demo")
    print(line("demo pack", demo), flush=True)
    if not reuse:
        started = time.monotonic()
        args = ["seed_scale"] + (["--clusters", clusters] if clusters else [])
        manage(*args)
        print(f"national-scale data seeded in {time.monotonic() - started:.0f} s", flush=True)
    national = render("national")
    print(line("national-scale pack", national), flush=True)
    ok = national["seconds"] < MAX_SECONDS
    print(f"national-scale pack under {MAX_SECONDS:.0f} s: {'yes' if ok else 'NO'}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--render":
        _child(sys.argv[2])
    else:
        sys.exit(main())
