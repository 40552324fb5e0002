"""Core tasks. Tasks take primitive arguments and call one service (STYLE.md §29)."""

from __future__ import annotations

import logging
import socket
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "osm:celery:heartbeat"
log = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Queue `task` now; never raise into the request when the broker is away.

    No publish retries (the broker's connect timeout is short, see settings), so a request
    waits at most that long. Returns False when the task could not be queued: callers whose
    work must not be lost keep it in the database (the e-mail outbox) for a beat task.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception as exc:  # kombu OperationalError, redis ConnectionError, timeouts …
        log.warning("could not queue %s: %s", getattr(task, "name", task), exc)
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """`enqueue` once the current transaction commits (STYLE.md §14)."""
    from django.db import transaction

    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


@shared_task(name="osm.heartbeat", ignore_result=False)  # type: ignore[untyped-decorator]
def heartbeat() -> dict[str, str]:
    """Beat sends this every minute; the time it stores shows that workers are alive."""
    beat = {"at": timezone.now().isoformat(), "worker": socket.gethostname()}
    cache.set(HEARTBEAT_KEY, beat, timeout=None)
    return beat


@shared_task(name="osm.send_outbox_email", ignore_result=True)  # type: ignore[untyped-decorator]
def send_outbox_email(pk: int) -> int:
    """Send one stored e-mail right after it was written (the outbox retries failures)."""
    from osm.outbox import outbox_send

    return outbox_send(ids=[pk])


@shared_task(name="osm.drain_outbox", ignore_result=True)  # type: ignore[untyped-decorator]
def drain_outbox() -> int:
    """Beat runs this every minute: send the e-mails still waiting (broker was away, SMTP
    failed, a worker died)."""
    from osm.outbox import outbox_drain

    return outbox_drain()


@shared_task(name="osm.run_alert_rules")  # type: ignore[untyped-decorator]
def run_alert_rules() -> int:
    """Beat runs this every morning: deadlines, late results, off-track indicators …"""
    from osm.notifications import alert_rules_run

    return alert_rules_run()


@shared_task(
    bind=True,
    name="osm.render_document",
    ignore_result=True,
    # Acknowledged only when done; a worker that dies mid-render hands the task back
    # (the broker redelivers it after CELERY_VISIBILITY_TIMEOUT, beat's sweep sooner).
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # the document's kind caps attempts (DocumentKind.max_attempts)
    # The soft limit leaves the task time to record "took too long" before the hard one.
    soft_time_limit=max(
        settings.DOCUMENT_RENDER_SECONDS - 30, settings.DOCUMENT_RENDER_SECONDS * 0.9
    ),
    time_limit=settings.DOCUMENT_RENDER_SECONDS,
)  # type: ignore[untyped-decorator]
def render_document(self: Any, document_id: int) -> str:
    """Build one document (routed to the `pdf` queue). Idempotent: see document_render."""
    from osm.documents.services import Outcome, document_render, retry_countdown

    outcome = document_render(document_id=document_id, task_id=self.request.id or "")
    while outcome == Outcome.RETRY and self.request.is_eager:  # the embedded demo: no waiting
        outcome = document_render(document_id=document_id, task_id=self.request.id or "")
    if outcome == Outcome.RETRY:
        from osm.models import Document

        attempts = Document.objects.filter(pk=document_id).values_list("attempts", flat=True)
        raise self.retry(countdown=retry_countdown(attempts.first() or 1))
    return str(outcome)


@shared_task(name="osm.sweep_documents", ignore_result=True)  # type: ignore[untyped-decorator]
def sweep_documents() -> int:
    """Beat runs this every minute: send again the documents whose task was lost."""
    from osm.documents.services import documents_sweep

    return documents_sweep()


@shared_task(name="osm.send_daily_alert_digests", ignore_result=True)  # type: ignore[untyped-decorator]
def send_daily_alert_digests() -> int:
    """Beat runs this every morning after the rules: each person's daily digest."""
    from osm.alerts.digests import daily_digests_send

    return daily_digests_send()


@shared_task(name="osm.send_weekly_alert_digests", ignore_result=True)  # type: ignore[untyped-decorator]
def send_weekly_alert_digests() -> int:
    """Beat runs this on Monday mornings: the committee's and the national digests."""
    from osm.alerts.digests import national_digests_send, weekly_digests_send

    return weekly_digests_send() + national_digests_send()
