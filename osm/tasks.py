"""Core tasks. Tasks take primitive arguments and call one service (STYLE.md §29)."""

from __future__ import annotations

import socket

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "osm:celery:heartbeat"


@shared_task(name="osm.heartbeat", ignore_result=False)  # type: ignore[untyped-decorator]
def heartbeat() -> dict[str, str]:
    """Beat sends this every minute; the time it stores shows that workers are alive."""
    beat = {"at": timezone.now().isoformat(), "worker": socket.gethostname()}
    cache.set(HEARTBEAT_KEY, beat, timeout=None)
    return beat


_RETRY_ON_MAIL_ERRORS = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="osm.email_notifications", **_RETRY_ON_MAIL_ERRORS)  # type: ignore[untyped-decorator]
def email_notifications(ids: list[int]) -> int:
    from osm.notifications import email_notifications_send

    return email_notifications_send(ids=ids)


@shared_task(name="osm.run_alert_rules")  # type: ignore[untyped-decorator]
def run_alert_rules() -> int:
    """Beat runs this every morning: deadlines, late results, off-track indicators …"""
    from osm.notifications import alert_rules_run

    return alert_rules_run()


@shared_task(name="osm.email_invitation", **_RETRY_ON_MAIL_ERRORS)  # type: ignore[untyped-decorator]
def email_invitation(invitation_id: int) -> bool:
    from osm.people.invitations import invitation_email_deliver

    return invitation_email_deliver(invitation_id=invitation_id)
