"""Documents with a real Redis (the test's own) and a real Celery worker with its beat.

- A plan book is produced by the worker from the `pdf` queue.
- Redis stopped: the generate button says the work could not be queued and keeps the
  record; once Redis is back, beat's sweep sends it and the document ends ready.
- The fault test: the worker is killed (SIGKILL) in the middle of a render, 20 times; each
  time a new worker finishes the document, once — one record, one file, the same checksum.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from osm.documents.models import Document
from osm.documents.services import document_request
from tests.conftest import database_url_for_subprocesses
from tests.factories import IndicatorFactory, ObjectiveFactory, PlanFactory, UserFactory, assign
from tests.osm.document_kinds import SAMPLE, sample_kind, sample_pdf
from tests.redis_server import RedisServer
from tests.test_fault_redis import _celery_on

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]
KILLS = 20


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = root
    return root


@pytest.fixture
def start_worker(
    tmp_path: Path, redis_server: RedisServer, private_root: Path
) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start a worker on both queues (with beat: the sweep every second, unless `beat` is
    false); each is stopped at the end."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database: PostgreSQL only")
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocesses(),
        "REDIS_URL": redis_server.url,
        "DEBUG": "true",
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "DOCUMENT_SWEEP_SECONDS": "1",
        "DOCUMENT_RENDER_SECONDS": "60",
        "CELERY_VISIBILITY_TIMEOUT": "70",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    started: list[subprocess.Popen[bytes]] = []

    def start(*, beat: bool = True, **overrides: str) -> subprocess.Popen[bytes]:
        n = len(started)
        schedule = ["--beat", "--schedule", str(tmp_path / f"beat-{n}")] if beat else []
        process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests" / "osm" / "document_worker.py"),
                "worker",
                *schedule,
                "-Q",
                "celery,pdf",
                "--pool=solo",
                "--without-mingle",
                "--without-gossip",
                "--concurrency=1",
                "--loglevel=WARNING",
                "-n",
                f"documents-{os.getpid()}-{n}@%h",
                "--logfile",
                str(tmp_path / f"worker-{n}.log"),
            ],
            cwd=ROOT,
            env={**env, **overrides},
            # A session of its own: killing the group kills the worker with its beat process,
            # as a machine or container going down does (no orphaned beat keeps sweeping).
            start_new_session=True,
        )
        started.append(process)
        return process

    with _celery_on(redis_server.url):
        yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
        _kill_group(process, signal.SIGKILL)


def _kill_group(process: subprocess.Popen[bytes], sig: int) -> None:
    """Send `sig` to the worker's whole process group (the worker and its beat)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _wait(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _in(pk: int, generation: int, *statuses: str) -> Callable[[], Document | None]:
    """A check for `_wait`: the document's generation in one of `statuses`."""
    return lambda: Document.objects.filter(
        pk=pk, generation=generation, status__in=statuses
    ).first()


def _files(root: Path, document: Document) -> list[Path]:
    folder = root / "documents" / str(document.cluster_id) / str(document.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_real_worker_produces_the_plan_book(
    start_worker: Callable[[], Any], private_root: Path, world: Any
) -> None:
    plan = PlanFactory(cluster=world.cluster, title_th="แผนพัฒนากลุ่มจังหวัดทดสอบระบบคิว")
    objective = ObjectiveFactory(issue__plan=plan, name_th="น้ำสะอาดทั่วถึงทุกครัวเรือน")
    IndicatorFactory(objective=objective, name_th="ร้อยละของครัวเรือนที่มีน้ำประปาใช้")
    start_worker()
    document = document_request(kind="strategy.plan_book", subject=plan, by=None)
    document = _wait(
        lambda: Document.objects.filter(pk=document.pk, status__in=["ready", "failed"]).first(),
        180,
        "the plan book",
    )
    assert document.status == Document.Status.READY, document.error_text
    assert document.task_id and document.attempts == 1
    [path] = _files(private_root, document)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == document.checksum
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Sarabun" in fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    for words in ("ทดสอบระบบคิว", "น้ำสะอาดทั่วถึงทุกครัวเรือน", "ร้อยละของครัวเรือนที่มีน้ำประปาใช้"):
        assert words in text.replace("\n", "")


def test_with_redis_stopped_the_button_says_so_and_the_document_is_made_when_it_is_back(
    start_worker: Callable[[], Any], redis_server: RedisServer, world: Any
) -> None:
    staff = assign(UserFactory(username="docs_staff"), "osm_staff", cluster=world.cluster)
    client = Client()
    client.force_login(staff)
    start_worker()
    with sample_kind():
        redis_server.stop()
        started = time.monotonic()
        response = client.post(
            reverse("osm:document-generate", args=[SAMPLE, world.cluster.pk]),
            {"n": "7"},
            headers={"HX-Request": "true"},
        )
        took = time.monotonic() - started
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="document-not-queued"' in html
        assert "ขณะนี้ยังส่งงานจัดทำเอกสารเข้าคิวไม่ได้" in html  # the flash message
        document = Document.objects.get()
        assert document.status == Document.Status.QUEUED and document.enqueued_at is None
        redis_server.start()
        document = _wait(
            lambda: Document.objects.filter(pk=document.pk, status="ready").first(),
            120,
            "the sweep to send the kept request",
        )
    print(f"\nREDIS DOWN: the button answered in {took:.2f} s; made after Redis came back")
    assert took < 5.0
    assert document.enqueued_at is not None and document.attempts == 1


def test_a_worker_killed_mid_render_20_times_leaves_each_document_ready_once(
    start_worker: Callable[[], Any], private_root: Path, tmp_path: Path, world: Any
) -> None:
    log = tmp_path / "renders.log"
    params = {"sleep": 2, "log": str(log)}
    expected = hashlib.sha256(sample_pdf("sample ")).hexdigest()
    worker = start_worker()
    recovered: Counter[str] = Counter()
    seconds: list[float] = []
    with sample_kind():
        for round_ in range(1, KILLS + 1):
            document = document_request(kind=SAMPLE, subject=world.cluster, params=params, by=None)
            _wait(_in(document.pk, round_, "rendering"), 120, f"round {round_} to start rendering")
            killed_task = Document.objects.get(pk=document.pk).task_id
            time.sleep(0.5)  # well inside the 2 s render
            _kill_group(worker, signal.SIGKILL)
            worker.wait(timeout=30)
            killed_at = time.monotonic()
            assert Document.objects.get(pk=document.pk).status == Document.Status.RENDERING
            worker = start_worker()
            done = _wait(_in(document.pk, round_, "ready", "failed"), 180, f"round {round_} to end")
            seconds.append(time.monotonic() - killed_at)
            recovered["redelivered" if done.task_id == killed_task else "sent again by beat"] += 1
            assert done.status == Document.Status.READY, done.error_text
            assert Document.objects.count() == 1
            assert done.checksum == expected and done.attempts >= 2
            [path] = _files(private_root, done)
            assert hashlib.sha256(path.read_bytes()).hexdigest() == expected
        time.sleep(3)  # three more sweeps: nothing may render again
    finished = Counter(log.read_text(encoding="utf-8").split())
    print(
        f"\nFAULT TEST (worker SIGKILLed mid-render, {KILLS} times)\n"
        f"  documents ready: {len(finished)} generations of 1 record; "
        f"renders run to the end per generation: {sorted(set(finished.values()))}\n"
        f"  recovered: {dict(recovered)}\n"
        f"  seconds from kill to ready: median {sorted(seconds)[len(seconds) // 2]:.1f}, "
        f"max {max(seconds):.1f} (new worker start + sweep + 2 s render)\n"
        f"  files: {len(_files(private_root, done))}, checksum {expected[:12]}… every time"
    )
    assert len(finished) == KILLS
    assert set(finished.values()) == {1}
    assert Document.objects.get().generation == KILLS


def test_without_beat_redis_hands_a_dead_workers_render_to_the_next_worker(
    start_worker: Callable[..., Any], private_root: Path, tmp_path: Path, world: Any
) -> None:
    """Late acknowledgement alone: the task a killed worker took stays unacknowledged in
    Redis and is delivered again once the visibility timeout passes (here 10 s; the worker
    looks for such tasks every 2 s instead of kombu's 100 s)."""
    short = {
        "DOCUMENT_RENDER_SECONDS": "8",
        "CELERY_VISIBILITY_TIMEOUT": "10",
        "CELERY_UNACKED_RESTORE_INTERVAL": "2",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    worker = start_worker(beat=False, **short)
    with sample_kind():
        document = document_request(
            kind=SAMPLE, subject=world.cluster, params={"sleep": 3}, by=None
        )
        _wait(
            lambda: Document.objects.filter(pk=document.pk, status="rendering").exists(),
            120,
            "the render to start",
        )
        killed_task = Document.objects.get(pk=document.pk).task_id
        time.sleep(0.5)
        _kill_group(worker, signal.SIGKILL)
        worker.wait(timeout=30)
        killed_at = time.monotonic()
        start_worker(beat=False, **short)
        done = _wait(
            lambda: Document.objects.filter(pk=document.pk, status="ready").first(),
            120,
            "the redelivered task",
        )
    print(f"\nREDELIVERY: ready {time.monotonic() - killed_at:.1f} s after the kill")
    assert done.task_id == killed_task  # the same message, delivered again
    assert done.attempts == 2 and len(_files(private_root, done)) == 1
