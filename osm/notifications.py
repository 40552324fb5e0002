"""Notifications, for every app.

Apps call ``notify(...)`` when something happens to a person (a submission returned). What
must be checked every day (deadlines near, results late, indicators off track, budgets
lagging) is an alert rule: see osm/alerts/rules.py for the rule API (alerts as records).
Rules of the older form — callables returning the ``Alert`` rows below, one notification per
person and idempotency ``key`` — are still run by ``alert_rules_run``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from osm.models import Notification, User


@dataclass(frozen=True)
class Alert:
    user_id: int
    key: str
    title: str
    body: str = ""
    url: str = ""
    level: str = Notification.Level.WARNING


def notify(
    *,
    user: User,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    level: str = Notification.Level.INFO,
) -> Notification | None:
    """Create the notification unless this person already has one with `key`; its e-mail
    goes into the outbox in the same transaction and is sent after commit. Returns the new
    notification, or None when it existed."""
    created = notify_many([Alert(user.pk, key, title, body, url, level)])
    return created[0] if created else None


@transaction.atomic
def notify_many(alerts: Iterable[Alert]) -> list[Notification]:
    """Create many notifications at once, skipping those that exist (by user and key)."""
    alerts = list(alerts)
    if not alerts:
        return []
    existing = set(
        Notification.objects.filter(
            user_id__in={a.user_id for a in alerts}, key__in={a.key for a in alerts}
        ).values_list("user_id", "key")
    )
    fresh = {}
    for alert in alerts:
        if (alert.user_id, alert.key) not in existing:
            fresh[(alert.user_id, alert.key)] = alert
    rows = [
        Notification(
            user_id=a.user_id, key=a.key, title=a.title[:300], body=a.body, url=a.url, level=a.level
        )
        for a in fresh.values()
    ]
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
    except IntegrityError:
        # Another process created some of them between our read and write: go one by one.
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save()
                created.append(row)
            except IntegrityError:
                continue
    ids = [n.pk for n in created]
    if ids:
        email_notifications_send(ids=ids)
    return created


def email_notifications_send(*, ids: list[int]) -> int:
    """Put an e-mail in the outbox for each notification not yet e-mailed to a person with
    an address (in the same transaction as the notification). Idempotent: `emailed_at`
    records the hand-over and the outbox's dedupe key is the notification."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    from osm.outbox import email_enqueue

    queued = []
    pending = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related(
        "user"
    )
    for notification in pending:
        if not notification.user.email:
            continue
        language = settings.LANGUAGE_CODE
        with translation.override(language):
            body = render_to_string(
                "emails/notification.txt", {"n": notification, "site_url": settings.SITE_URL}
            )
        email_enqueue(
            recipients=[notification.user.email],
            subject=f"[OSM] {notification.title}",
            text=body,
            language=language,
            dedupe_key=f"notification:{notification.pk}",
        )
        queued.append(notification.pk)
    if queued:
        Notification.objects.filter(pk__in=queued).update(emailed_at=timezone.now())
    return len(queued)


def alert_rules_run() -> int:
    """Run every registered alert rule (osm/alerts/engine.py); returns how many alerts were
    raised plus how many notifications rules of the older form created."""
    from osm.alerts.engine import alerts_run

    report = alerts_run()
    return report.raised + report.legacy_notifications
