"""The e-mail outbox: rows first, sent after commit or by the beat, each once."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from osm import outbox, tasks
from osm.models import OutboxEmail


def _enqueue(**overrides: Any) -> OutboxEmail:
    fields = {
        "recipients": ["officer@example.test"],
        "subject": "รอบรายงานเปิดแล้ว",
        "text": "โปรดส่งผลภายในวันที่ 30 ธ.ค. 2569",
        **overrides,
    }
    return outbox.email_enqueue(**fields)


def test_an_email_is_a_row_first_and_goes_out_after_commit(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _enqueue(html="<p>โปรดส่งผล</p>")
        assert mail.outbox == []
        assert OutboxEmail.objects.get().status == OutboxEmail.Status.PENDING
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "รอบรายงานเปิดแล้ว"
    assert message.to == ["officer@example.test"]
    assert message.alternatives[0][0] == "<p>โปรดส่งผล</p>"
    assert message.extra_headers["X-OSM-Outbox"] == str(email.pk)
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


def test_a_rolled_back_transaction_sends_nothing(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _enqueue()
                raise RuntimeError("the save failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not OutboxEmail.objects.exists()


def test_a_broker_that_is_away_does_not_fail_the_request_and_the_row_waits(
    db: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kombu.exceptions import OperationalError

    def broker_away(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_outbox_email, "apply_async", broker_away)
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING

    monkeypatch.undo()
    assert tasks.drain_outbox.delay().get() == 1
    assert len(mail.outbox) == 1
    assert tasks.drain_outbox.delay().get() == 0
    assert len(mail.outbox) == 1


def test_enqueue_reports_a_task_it_could_not_queue(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broker_away(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(tasks.heartbeat, "apply_async", broker_away)
    assert tasks.enqueue(tasks.heartbeat) is False
    assert "could not queue osm.heartbeat" in caplog.text


def test_the_same_dedupe_key_stores_one_email(db: Any) -> None:
    first = _enqueue(dedupe_key="notification:7")
    again = _enqueue(dedupe_key="notification:7", subject="ซ้ำ")
    assert again.pk == first.pk
    assert OutboxEmail.objects.count() == 1
    _enqueue()
    _enqueue()
    assert OutboxEmail.objects.count() == 3  # no key, no deduplication


def test_a_failed_send_is_retried_with_backoff_then_given_up(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = _enqueue()

    def smtp_down(self: Any, *args: Any, **kwargs: Any) -> int:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", smtp_down)
    assert outbox.outbox_send() == 0
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # Not due yet: the next run leaves it alone.
    assert outbox.outbox_send() == 0
    email.refresh_from_db()
    assert email.attempts == 1

    for _ in range(outbox.MAX_ATTEMPTS - 1):
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        outbox.outbox_send()
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert email.attempts == outbox.MAX_ATTEMPTS


def test_a_row_whose_lease_expired_is_sent_by_the_next_worker(db: Any) -> None:
    email = _enqueue()
    claimed = outbox._claim(None, 10)
    assert [row.pk for row, _ in claimed] == [email.pk]
    # A second worker finds nothing to send while the lease holds …
    assert outbox.outbox_send() == 0
    # … and sends the row once the first worker's lease has run out (it died).
    OutboxEmail.objects.filter(pk=email.pk).update(lease_until=timezone.now() - timedelta(1))
    assert outbox.outbox_send() == 1
    assert len(mail.outbox) == 1
    # The dead worker's claim no longer counts: it cannot mark or resend the row.
    _, stale_token = claimed[0]
    assert not OutboxEmail.objects.filter(pk=email.pk, claim_token=stale_token).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_locked_by_one_worker_is_skipped_by_another() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL")
    # Stored without the after-commit send (autocommit would send it at once here).
    email = OutboxEmail.objects.create(recipients=["a@example.test"], subject="s", text="t")
    locked = threading.Event()
    release = threading.Event()

    def first_worker() -> None:
        from django.db import connections

        try:
            with transaction.atomic():
                list(OutboxEmail.objects.select_for_update().filter(pk=email.pk))
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_worker)
    thread.start()
    assert locked.wait(10)
    started = time.monotonic()
    try:
        assert outbox.outbox_send() == 0  # skipped, not waited for
    finally:
        release.set()
        thread.join()
    assert time.monotonic() - started < 5
    assert outbox.outbox_send() == 1
    assert len(mail.outbox) == 1


def test_failed_emails_are_visible_in_the_admin_and_can_be_sent_again(
    client: Any, admin_user_: Any
) -> None:
    email = _enqueue(subject="อีเมลที่ส่งไม่ได้")
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.FAILED, attempts=8, last_error="SMTPServerDisconnected"
    )
    client.force_login(admin_user_)
    listing = client.get(
        reverse("admin:osm_outboxemail_changelist"), {"status__exact": "failed"}
    ).content.decode()
    assert "อีเมลที่ส่งไม่ได้" in listing
    assert "ส่งไม่สำเร็จ" in listing
    response = client.post(
        reverse("admin:osm_outboxemail_changelist"),
        {"action": "retry", "_selected_action": [email.pk]},
        follow=True,
    )
    assert "จะส่งอีเมลอีกครั้ง 1 ฉบับ" in response.content.decode()
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 0


def test_beat_drains_the_outbox_every_minute() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["drain-outbox"]
    assert entry["task"] == tasks.drain_outbox.name
    assert entry["schedule"] == 60.0
