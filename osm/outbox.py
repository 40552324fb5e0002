"""The e-mail outbox: every e-mail is a database row first, then sent by a worker.

`email_enqueue(...)` writes the row in the caller's transaction and, after commit, asks
Celery to send it. When the broker is away the request is not held up: the error is logged
and the row waits for the beat's drain task (`osm.drain_outbox`, every minute).

Sending claims rows with `SELECT … FOR UPDATE SKIP LOCKED` and a lease, so two workers never
send one row; a sent row is marked with its claim token, so a worker whose lease expired
cannot mark another's send. Each row goes out once, unless a worker dies between the mail
server accepting the message and the database recording it (then the lease expires and the
row is sent again: at least once, never lost).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from osm.models import OutboxEmail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)
BATCH = 50


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the n-th failure, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def email_enqueue(
    *,
    recipients: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    language: str = "",
    dedupe_key: str | None = None,
) -> OutboxEmail:
    """Store an e-mail to send after commit. With `dedupe_key`, an e-mail already stored
    under that key is returned instead of storing a second one."""
    fields = {
        "recipients": [r for r in recipients if r],
        "subject": " ".join(subject.split())[:300],
        "text": text,
        "html": html,
        "language": language or settings.LANGUAGE_CODE,
    }
    if dedupe_key:
        try:
            with transaction.atomic():
                email = OutboxEmail.objects.create(dedupe_key=dedupe_key, **fields)
        except IntegrityError:
            return OutboxEmail.objects.get(dedupe_key=dedupe_key)
    else:
        email = OutboxEmail.objects.create(**fields)
    pk = email.pk
    transaction.on_commit(lambda: _queue(pk))
    return email


def emails_enqueue_many(emails: Sequence[dict[str, Any]]) -> int:
    """Store many e-mails in one statement (each a dict of `email_enqueue`'s arguments,
    `dedupe_key` required); those whose key is stored already are skipped. One drain task
    sends them after commit (or the beat's, when the broker is away)."""
    rows = [
        OutboxEmail(
            recipients=[r for r in e["recipients"] if r],
            subject=" ".join(e["subject"].split())[:300],
            text=e["text"],
            html=e.get("html", ""),
            language=e.get("language") or settings.LANGUAGE_CODE,
            dedupe_key=e["dedupe_key"],
        )
        for e in emails
    ]
    if not rows:
        return 0
    OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(_queue_drain)
    return len(rows)


def _queue_drain() -> None:
    from osm.tasks import drain_outbox, enqueue

    enqueue(drain_outbox)


def _queue(pk: int) -> None:
    from osm.tasks import enqueue, send_outbox_email

    enqueue(send_outbox_email, pk)


def _claim(ids: Sequence[int] | None, limit: int) -> list[tuple[OutboxEmail, str]]:
    now = timezone.now()
    due = Q(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxEmail.Status.SENDING, lease_until__lt=now
    )
    token = uuid.uuid4().hex
    with transaction.atomic():
        queryset = OutboxEmail.objects.select_for_update(skip_locked=True).filter(due)
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
        rows = list(queryset.order_by("next_attempt_at", "pk")[:limit])
        if rows:
            OutboxEmail.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=OutboxEmail.Status.SENDING,
                claim_token=token,
                lease_until=now + LEASE,
                attempts=F("attempts") + 1,
            )
    return [(row, token) for row in rows]


def _send(email: OutboxEmail) -> None:
    message = EmailMultiAlternatives(
        email.subject,
        email.text,
        None,
        list(email.recipients),
        headers={"X-OSM-Outbox": str(email.pk)},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    message.send()


def outbox_send(*, ids: Sequence[int] | None = None, limit: int = BATCH) -> int:
    """Send the due e-mails (only `ids` when given); returns how many went out."""
    sent = 0
    for email, token in _claim(ids, limit):
        mine = OutboxEmail.objects.filter(pk=email.pk, claim_token=token)
        attempts = email.attempts + 1
        if not email.recipients:
            mine.update(status=OutboxEmail.Status.FAILED, last_error="no recipients")
            continue
        try:
            _send(email)
        except Exception as exc:  # SMTP, DNS, TLS …: keep the row and retry later
            log.warning("outbox e-mail %s failed (attempt %s): %s", email.pk, attempts, exc)
            gave_up = attempts >= MAX_ATTEMPTS
            mine.update(
                status=OutboxEmail.Status.FAILED if gave_up else OutboxEmail.Status.PENDING,
                last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
                next_attempt_at=timezone.now() + _backoff(attempts),
                lease_until=None,
            )
            continue
        mine.update(status=OutboxEmail.Status.SENT, sent_at=timezone.now(), lease_until=None)
        sent += 1
    return sent


def outbox_drain() -> int:
    """Send everything due, batch after batch (the beat runs this every minute)."""
    total = 0
    while True:
        sent = outbox_send()
        total += sent
        if sent < BATCH:
            return total


def outbox_retry(*, ids: Sequence[int]) -> int:
    """Put failed e-mails back in the queue (the admin's action)."""
    return OutboxEmail.objects.filter(pk__in=ids, status=OutboxEmail.Status.FAILED).update(
        status=OutboxEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
