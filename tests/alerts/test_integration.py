"""Early warnings end to end: a real Redis (the test's own), a real Celery worker with its
beat, the demo data, e-mails to files.

Beat ticks the alert rules every few seconds (ALERT_RULES_EVERY_SECONDS) instead of every
morning; the first tick raises the demo's alerts and e-mails the people who chose e-mail at
once, each in their language; later ticks raise and send nothing again. The daily digest is
then sent as beat sends it (by task name) and reaches the person who chose it, once.
"""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from osm.celery import app as celery_app
from osm.models import Alert, AlertDelivery, AlertPreference, OutboxEmail
from tests.conftest import database_url_for_subprocesses
from tests.redis_server import RedisServer

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]
SEPARATOR = "-" * 79


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder, persistent=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(tmp_path: Path, redis_server: RedisServer) -> Iterator[Path]:
    """A worker with its beat on the test's database and Redis, e-mails to files."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database: PostgreSQL only")
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocesses(),
        "REDIS_URL": redis_server.url,
        "DEBUG": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "OUTBOX_DRAIN_SECONDS": "2",
        "ALERT_RULES_EVERY_SECONDS": "4",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "osm",
            "worker",
            "--beat",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--concurrency=1",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
            "-n",
            f"alerts-{os.getpid()}@%h",
            "--logfile",
            str(tmp_path / "worker.log"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield mail_dir
    finally:
        process.terminate()
        process.wait(timeout=30)


def _messages(mail_dir: Path) -> list[dict[str, Any]]:
    """Every e-mail the worker wrote: recipients, decoded subject, text and outbox row."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text(encoding="utf-8", errors="replace").split(SEPARATOR):
            if "X-OSM-Outbox" not in chunk:
                continue
            message = email.message_from_bytes(chunk.strip().encode(), policy=email.policy.default)
            text = ""
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    text = part.get_content()
            found.append(
                {
                    "to": message["To"],
                    "subject": str(message["Subject"]),
                    "outbox": int(message["X-OSM-Outbox"]),
                    "text": text,
                    "html": any(p.get_content_type() == "text/html" for p in message.walk()),
                }
            )
    return found


def _wait(check: Any, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(1)
    raise AssertionError("timed out waiting")


def _settled() -> bool:
    """The first run is over: the count of alerts holds for longer than a tick, and the
    outbox is empty."""
    before = Alert.objects.count()
    time.sleep(6)
    return (
        Alert.objects.count() == before and not OutboxEmail.objects.exclude(status="sent").exists()
    )


def _alert_messages(mail_dir: Path) -> list[dict[str, Any]]:
    """The e-mails of alerts and digests (not the demo's own notices)."""
    ours = set(
        OutboxEmail.objects.filter(dedupe_key__regex=r"^(alert|digest)").values_list(
            "pk", flat=True
        )
    )
    return [m for m in _messages(mail_dir) if m["outbox"] in ours]


def test_beat_raises_the_demos_alerts_and_emails_each_person_once_in_their_language(
    worker: Path, redis_server: RedisServer
) -> None:
    from osm.demo import demo_seed
    from tests.factories import UserFactory

    # Two demo people as they set themselves up before the demo (the demo keeps them): the
    # staff member reads English; the officer takes missed deadlines in the daily digest.
    staff = UserFactory(username="osm_staff", email="osm_staff@demo.osm.localhost", language="en")
    officer = UserFactory(username="province_officer", email="officer@demo.osm.localhost")
    AlertPreference.objects.create(user=officer, kind="scorecard.deadlines_missed", channel="daily")
    committee = demo_seed().users["committee"]

    _wait(lambda: Alert.objects.exists())
    _wait(_settled)
    # Two or three more ticks of beat: nothing is raised or sent twice.
    raised = Alert.objects.count()
    time.sleep(10)
    assert Alert.objects.count() == raised
    _wait(lambda: not OutboxEmail.objects.exclude(status="sent").exists())

    sent = _alert_messages(worker)
    assert sent, "the worker sent no e-mail"
    emailed = AlertDelivery.objects.filter(channel="email")
    assert len(sent) == emailed.count()
    assert max(Counter(m["outbox"] for m in sent).values()) == 1
    assert max(Counter(emailed.values_list("alert_id", "user_id")).values()) == 1

    to_staff = [m for m in sent if m["to"] == staff.email]
    to_officer = [m for m in sent if m["to"] == officer.email]
    assert to_staff and to_officer
    assert all(m["html"] for m in sent)
    # English for the staff member who chose it, Thai for the officer.
    assert any("provinces are late for" in m["subject"] for m in to_staff)
    assert all("Open it in OSM" in m["text"] for m in to_staff)
    assert any("ส่งผลล่าช้า" in m["subject"] for m in to_officer)
    assert all("เปิดดูในระบบ OSM" in m["text"] for m in to_officer)
    # The officer chose the daily digest for missed deadlines: none of those at once.
    assert not any("ไม่ทันกำหนด" in m["subject"] for m in to_officer)
    # The committee hears weekly, not at once.
    assert not [m for m in sent if m["to"] == committee.email]

    # The daily digest, sent as beat sends it (by name): one e-mail to the officer, once.
    before = len(sent)
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = redis_server.url, False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        celery_app.send_task("osm.send_daily_alert_digests")
        _wait(lambda: len(_alert_messages(worker)) > before)
        celery_app.send_task("osm.send_daily_alert_digests")
        time.sleep(6)
    finally:
        conf.broker_url, conf.task_always_eager = saved
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
    digests = [m for m in _alert_messages(worker)[before:] if m["to"] == officer.email]
    assert len(digests) == 1
    assert "สรุปประจำวัน" in digests[0]["subject"]
    assert "ไม่ทันกำหนด" in digests[0]["text"]
