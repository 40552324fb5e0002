"""Celery against a real Redis broker and a real worker process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from osm import tasks
from osm.celery import app as celery_app

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[None]:
    assert settings.REDIS_URL, "the integration tests need REDIS_URL (make test sets it)"
    env = {**os.environ, "REDIS_URL": settings.REDIS_URL}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "osm",
            "worker",
            "-Q",
            "celery,pdf",
            "--concurrency=1",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
            "-n",
            f"test-{os.getpid()}@%h",
            "--logfile",
            str(tmp_path / "worker.log"),
        ],
        cwd=ROOT,
        env=env,
    )
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = True
        process.terminate()
        process.wait(timeout=20)


def test_a_real_worker_runs_the_heartbeat_through_redis(worker: None) -> None:
    result = tasks.heartbeat.delay()
    beat = result.get(timeout=60)
    assert result.successful()
    assert set(beat) == {"at", "worker"}
    # The worker stored it in the Redis cache, where monitoring reads it.
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    assert any(tasks.HEARTBEAT_KEY in key.decode() for key in client.keys("*heartbeat*"))


def test_beat_schedules_the_heartbeat() -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["heartbeat"]["task"] == tasks.heartbeat.name
