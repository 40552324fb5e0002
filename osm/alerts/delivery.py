"""Telling people: each new alert reaches the people who should act on it, once per person
and channel (`AlertDelivery`).

- Province officers hear about their province, OSM staff about their cluster, the person
  responsible (a project's officer) about their own object — as the rule's audience says.
- Each person has the alert in the app (a notification in their inbox), and per kind
  chooses whether it is also e-mailed at once, gathered in the daily digest, or not
  e-mailed (osm/alerts/digests.py sends the digests).
- E-mails are in the person's language (`User.language`), HTML and plain text, written to
  the outbox in the same transaction and sent after commit.

Everything is set-based: the number of queries does not depend on how many alerts or
people there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from osm.alerts.models import Alert, AlertDelivery, AlertPreference, Audience, Channel
from osm.alerts.rules import AlertRule, render, rules
from osm.models import Notification, RoleAssignment, User


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def officers_by_province(province_ids: Iterable[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    rows = RoleAssignment.objects.filter(
        role=RoleAssignment.Role.PROVINCE_OFFICER,
        province_id__in=set(province_ids),
        user__is_active=True,
    ).values_list("province_id", "user_id")
    for province_id, user_id in rows:
        found[province_id].add(user_id)
    return found


def people_by_cluster(cluster_ids: Iterable[int], role: str) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    rows = RoleAssignment.objects.filter(
        role=role, cluster_id__in=set(cluster_ids), user__is_active=True
    ).values_list("cluster_id", "user_id")
    for cluster_id, user_id in rows:
        found[cluster_id].add(user_id)
    return found


def recipients(alerts: list[Alert]) -> dict[int, set[int]]:
    """Alert id → the people who should hear of it (scoped by the alert's audience)."""
    officers = officers_by_province(
        a.province_id for a in alerts if a.province_id and Audience.OFFICERS in a.audience
    )
    staff = people_by_cluster(
        (a.cluster_id for a in alerts if a.cluster_id and Audience.STAFF in a.audience),
        RoleAssignment.Role.OSM_STAFF,
    )
    found: dict[int, set[int]] = {}
    for alert in alerts:
        people: set[int] = set()
        if Audience.OFFICERS in alert.audience and alert.province_id:
            people |= officers.get(alert.province_id, set())
        if Audience.STAFF in alert.audience and alert.cluster_id:
            people |= staff.get(alert.cluster_id, set())
        if Audience.OWNER in alert.audience and alert.owner_id:
            people.add(alert.owner_id)
        found[alert.pk] = people
    return found


def preferences_for(user_ids: Iterable[int], kinds: Iterable[str]) -> dict[tuple[int, str], str]:
    rows = AlertPreference.objects.filter(
        user_id__in=set(user_ids), kind__in=set(kinds)
    ).values_list("user_id", "kind", "channel")
    return {(user_id, kind): channel for user_id, kind, channel in rows}


def channel_for(rule: AlertRule | None, chosen: str | None) -> str:
    if chosen in (Channel.APP, Channel.EMAIL, Channel.DAILY):
        return chosen
    return rule.default_channel if rule else Channel.APP


def alert_message(rule: AlertRule | None, alert: Alert, language: str) -> tuple[str, str, Message]:
    """(title, body, e-mail) of one alert in `language`."""
    with translation.override(language):
        title, body = render(rule, alert)
        context = {
            "title": title,
            "body": body,
            "kind": rule.label if rule else "",
            "severity": alert.get_severity_display(),
            "link": settings.SITE_URL + alert.url if alert.url else "",
            "site_url": settings.SITE_URL,
            "preferences": settings.SITE_URL + reverse("alerts:preferences"),
        }
        subject = f"[OSM] {title}"
        message = Message(
            subject,
            render_to_string("emails/alert.txt", context),
            render_to_string("emails/alert.html", context),
        )
    return title, body, message


@transaction.atomic
def alerts_deliver(*, alert_ids: Iterable[int]) -> int:
    """Tell the audience of each alert, once per person and channel. Returns the number of
    deliveries recorded. Safe to call again: what was delivered is skipped."""
    alerts = list(Alert.objects.filter(pk__in=list(alert_ids), resolved_at__isnull=True))
    if not alerts:
        return 0
    told = recipients(alerts)
    user_ids = set().union(*told.values())
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=user_ids, is_active=True).only(
            "pk", "email", "language"
        )
    }
    chosen = preferences_for(users, {a.rule for a in alerts})
    done = set(
        AlertDelivery.objects.filter(alert__in=alerts).values_list("alert_id", "user_id", "channel")
    )
    now = timezone.now()
    by_code = {r.code: r for r in rules()}
    rendered: dict[tuple[int, str], tuple[str, str, Message]] = {}
    notifications: list[Notification] = []
    deliveries: list[AlertDelivery] = []
    emails: list[dict[str, Any]] = []
    for alert in alerts:
        rule = by_code.get(alert.rule)
        for user_id in sorted(told[alert.pk]):
            user = users.get(user_id)
            if user is None:
                continue
            language = user.language or settings.LANGUAGE_CODE
            if (alert.pk, language) not in rendered:
                rendered[(alert.pk, language)] = alert_message(rule, alert, language)
            title, body, message = rendered[(alert.pk, language)]
            channel = channel_for(rule, chosen.get((user_id, alert.rule)))
            emailed = channel == Channel.EMAIL and bool(user.email)
            if (alert.pk, user_id, Channel.APP) not in done:
                notifications.append(
                    Notification(
                        user_id=user_id,
                        key=f"alert:{alert.pk}",
                        title=title,
                        body=body,
                        url=alert.url,
                        level=alert.severity,
                        alert_id=alert.pk,
                        kind=alert.rule,
                        emailed_at=now if emailed else None,
                    )
                )
                deliveries.append(
                    AlertDelivery(alert=alert, user_id=user_id, channel=Channel.APP, sent_at=now)
                )
            if channel == Channel.APP or (alert.pk, user_id, channel) in done:
                continue
            if channel == Channel.EMAIL:
                if not emailed:
                    continue
                emails.append(
                    {
                        "recipients": [user.email],
                        "subject": message.subject,
                        "text": message.text,
                        "html": message.html,
                        "language": language,
                        "dedupe_key": f"alert:{alert.pk}:{user_id}",
                    }
                )
                deliveries.append(
                    AlertDelivery(alert=alert, user_id=user_id, channel=channel, sent_at=now)
                )
            else:  # the daily digest picks it up
                deliveries.append(
                    AlertDelivery(
                        alert=alert,
                        user_id=user_id,
                        channel=channel,
                        state=AlertDelivery.State.PENDING,
                    )
                )
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    AlertDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    from osm.outbox import emails_enqueue_many

    emails_enqueue_many(emails)
    return len(deliveries)
