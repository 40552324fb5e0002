"""Notifications, for every app.

Apps call ``notify(...)`` when something happens to a person (a submission returned). What
must be checked every day (deadlines near, results late, indicators off track, budgets
lagging) is an alert rule: see osm/alerts/rules.py for the rule API (alerts as records).
Rules of the older form — callables returning the ``Alert`` rows below, one notification per
person and idempotency ``key`` — are still run by ``alert_rules_run``.

Each person reads their notifications, and the e-mails that carry them, in their own
language (``User.language``), as alerts are delivered (osm/alerts/delivery.py). So a title or
body that is translated is given as a function that builds it, not as a finished string::

    notify(user=officer, key=..., title=lambda: _("Returned for correction: %(code)s") % {...})

The function is called under ``translation.override(<the recipient's language>)``, once per
language among the recipients; a plain string (a reviewer's reason) is stored as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from osm.models import Notification, User

# A text as it is (not translated), or a function that builds it in the active language.
Text = str | Callable[[], str]


@dataclass(frozen=True)
class Alert:
    user_id: int
    key: str
    title: Text
    body: Text = ""
    url: str = ""
    level: str = Notification.Level.WARNING


def language_of(user: Any) -> str:
    """The language a person reads notifications and e-mails in."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def notify(
    *,
    user: User,
    key: str,
    title: Text,
    body: Text = "",
    url: str = "",
    level: str = Notification.Level.INFO,
) -> Notification | None:
    """Create the notification, in the person's language, unless they already have one with
    `key`; its e-mail goes into the outbox in the same transaction and is sent after commit.
    Returns the new notification, or None when it existed."""
    with translation.override(language_of(user)):
        alert = Alert(user.pk, key, _built(title), _built(body), url, level)
    created = notify_many([alert])
    return created[0] if created else None


def _built(text: Text) -> str:
    return text() if callable(text) else text


def _languages(user_ids: set[int]) -> dict[int, str]:
    """Each person's language, in one query (none when nothing needs translating)."""
    if not user_ids:
        return {}
    rows = User.objects.filter(pk__in=user_ids).values_list("pk", "language")
    return {pk: language or settings.LANGUAGE_CODE for pk, language in rows}


@transaction.atomic
def notify_many(alerts: Iterable[Alert]) -> list[Notification]:
    """Create many notifications at once, skipping those that exist (by user and key).
    Texts given as functions are built in each recipient's language: once per language,
    whatever the number of recipients; the languages are read in one query."""
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
    languages = _languages(
        {a.user_id for a in fresh.values() if callable(a.title) or callable(a.body)}
    )
    # Recipients share the same function: build its text once per (function, language).
    built: dict[tuple[int, str], str] = {}

    def text(value: Text, user_id: int) -> str:
        if not callable(value):
            return value
        language = languages.get(user_id, settings.LANGUAGE_CODE)
        if (id(value), language) not in built:
            with translation.override(language):
                built[(id(value), language)] = value()
        return built[(id(value), language)]

    rows = [
        Notification(
            user_id=a.user_id,
            key=a.key,
            title=text(a.title, a.user_id)[:300],
            body=text(a.body, a.user_id),
            url=a.url,
            level=a.level,
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
    an address, in the person's language (in the same transaction as the notification; one
    statement for all of them). Idempotent: `emailed_at` records the hand-over and the
    outbox's dedupe key is the notification."""
    from osm.outbox import emails_enqueue_many

    emails, queued = [], []
    pending = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related(
        "user"
    )
    for notification in pending:
        if not notification.user.email:
            continue
        language = language_of(notification.user)
        with translation.override(language):
            body = render_to_string(
                "emails/notification.txt", {"n": notification, "site_url": settings.SITE_URL}
            )
        emails.append(
            {
                "recipients": [notification.user.email],
                "subject": f"[OSM] {notification.title}",
                "text": body,
                "language": language,
                "dedupe_key": f"notification:{notification.pk}",
            }
        )
        queued.append(notification.pk)
    if queued:
        emails_enqueue_many(emails)
        Notification.objects.filter(pk__in=queued).update(emailed_at=timezone.now())
    return len(queued)


def alert_rules_run() -> int:
    """Run every registered alert rule (osm/alerts/engine.py); returns how many alerts were
    raised plus how many notifications rules of the older form created."""
    from osm.alerts.engine import alerts_run

    report = alerts_run()
    return report.raised + report.legacy_notifications
