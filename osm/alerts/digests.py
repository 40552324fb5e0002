"""The digests, sent by Celery beat (osm/tasks.py):

- daily: each person's alerts of the kinds they chose to hear about in the daily digest,
  gathered in one e-mail (those resolved before the digest are left out);
- weekly, committee members: what is new in their cluster among the kinds the committee
  follows (off-track items, overdue actions …), with how many earlier ones are still open;
- weekly, central users: the national picture — open alerts per cluster, how many need
  action now, how many are new since their last digest.

Each alert goes into each person's digest of a kind once (`AlertDelivery`). A person may
take a role's digest in the app only (`AlertPreference` of kind "digest.weekly" or
"digest.national"): then it is a notification and no e-mail.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osm.alerts.delivery import people_by_cluster
from osm.alerts.models import Alert, AlertDelivery, AlertPreference, Channel, Severity
from osm.alerts.rules import names, render, rules
from osm.models import Cluster, Notification, RoleAssignment, User

WEEKLY_KIND = "digest.weekly"
NATIONAL_KIND = "digest.national"
ITEMS_LISTED = 50  # an e-mail lists at most this many; the rest are counted


def _preferences(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    return dict(
        AlertPreference.objects.filter(user_id__in=set(user_ids), kind=kind).values_list(
            "user_id", "channel"
        )
    )


def _render(template: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    with translation.override(language):
        context = {
            **context,
            "site_url": settings.SITE_URL,
            "preferences": settings.SITE_URL + reverse("alerts:preferences"),
        }
        return (
            render_to_string(f"emails/{template}.txt", context),
            render_to_string(f"emails/{template}.html", context),
        )


def _items(alerts: list[Alert]) -> list[dict[str, str]]:
    """Alerts as lines of a digest (in the active language), most severe first."""
    by_code = {r.code: r for r in rules()}
    order: dict[str, int] = {"critical": 0, "warning": 1, "reminder": 2, "info": 3}
    items = []
    for alert in sorted(alerts, key=lambda a: (order.get(a.severity, 9), a.raised_at)):
        rule = by_code.get(alert.rule)
        title, _body = render(rule, alert)
        items.append(
            {
                "title": title,
                "kind": str(rule.label) if rule else alert.rule,
                "link": settings.SITE_URL + alert.url if alert.url else "",
            }
        )
    return items


def _send(
    *,
    user: User,
    channel: str,
    dedupe_key: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    url: str,
    emails: list[dict[str, Any]],
    notifications: list[Notification],
) -> None:
    """A digest in the app, and by e-mail unless the person chose the app only."""
    language = user.language or settings.LANGUAGE_CODE
    notifications.append(
        Notification(
            user_id=user.pk,
            key=dedupe_key,
            title=subject[:300],
            url=url,
            level=Notification.Level.INFO,
            kind=dedupe_key.rsplit(":", 2)[0],
            emailed_at=timezone.now() if channel == Channel.EMAIL and user.email else None,
        )
    )
    if channel != Channel.EMAIL or not user.email:
        return
    text, html = _render(template, language, {**context, "subject": subject})
    emails.append(
        {
            "recipients": [user.email],
            "subject": f"[OSM] {subject}",
            "text": text,
            "html": html,
            "language": language,
            "dedupe_key": dedupe_key,
        }
    )


def _store(emails: list[dict[str, Any]], notifications: list[Notification]) -> None:
    from osm.outbox import emails_enqueue_many

    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    emails_enqueue_many(emails)


@transaction.atomic
def daily_digests_send(*, now: dt.datetime | None = None) -> int:
    """One e-mail per person with the alerts waiting for their daily digest."""
    now = now or timezone.now()
    pending = list(
        AlertDelivery.objects.filter(
            channel=Channel.DAILY, state=AlertDelivery.State.PENDING
        ).select_related("alert", "user")
    )
    by_user: dict[int, list[AlertDelivery]] = defaultdict(list)
    for delivery in pending:
        by_user[delivery.user_id].append(delivery)
    sent: list[int] = []
    skipped: list[int] = []
    emails: list[dict[str, Any]] = []
    for rows in by_user.values():
        user = rows[0].user
        still_open = [d for d in rows if d.alert.resolved_at is None]
        skipped += [d.pk for d in rows if d.alert.resolved_at is not None]
        if not still_open or not user.email or not user.is_active:
            skipped += [d.pk for d in still_open]
            continue
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            items = _items([d.alert for d in still_open])
            count = len(items)
            subject = ngettext(
                "Daily digest: %(n)s early warning", "Daily digest: %(n)s early warnings", count
            ) % {"n": count}
            context = {
                "items": items,
                "more": "",
                "link": settings.SITE_URL + reverse("osm:notification-list"),
            }
        text, html = _render("alert_digest", language, {**context, "subject": subject})
        emails.append(
            {
                "recipients": [user.email],
                "subject": f"[OSM] {subject}",
                "text": text,
                "html": html,
                "language": language,
                "dedupe_key": f"digest:daily:{user.pk}:{max(d.pk for d in still_open)}",
            }
        )
        sent += [d.pk for d in still_open]
    AlertDelivery.objects.filter(pk__in=sent).update(state=AlertDelivery.State.SENT, sent_at=now)
    AlertDelivery.objects.filter(pk__in=skipped).update(
        state=AlertDelivery.State.SKIPPED, sent_at=now
    )
    from osm.outbox import emails_enqueue_many

    emails_enqueue_many(emails)
    return len(emails)


def committee_kinds() -> list[str]:
    return [r.code for r in rules() if r.committee_digest]


@transaction.atomic
def weekly_digests_send(*, now: dt.datetime | None = None) -> int:
    """Committee members: what is new in their cluster among the kinds the committee
    follows. Returns the number of people told."""
    now = now or timezone.now()
    members = people_by_cluster(
        Cluster.objects.values_list("pk", flat=True), RoleAssignment.Role.COMMITTEE
    )
    user_ids = set().union(*members.values()) if members else set()
    if not user_ids:
        return 0
    alerts_by_cluster: dict[int, list[Alert]] = defaultdict(list)
    for alert in Alert.objects.filter(
        resolved_at__isnull=True, rule__in=committee_kinds(), cluster_id__in=list(members)
    ):
        alerts_by_cluster[alert.cluster_id].append(alert)  # type: ignore[index]
    told_before = set(
        AlertDelivery.objects.filter(
            channel=Channel.WEEKLY,
            user_id__in=user_ids,
            alert__resolved_at__isnull=True,
        ).values_list("alert_id", "user_id")
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids, is_active=True)}
    chosen = _preferences(users, WEEKLY_KIND)
    emails: list[dict[str, Any]] = []
    notifications: list[Notification] = []
    deliveries: list[AlertDelivery] = []
    for cluster_id, people in members.items():
        alerts = alerts_by_cluster.get(cluster_id, [])
        for user_id in sorted(people):
            user = users.get(user_id)
            new = [a for a in alerts if (a.pk, user_id) not in told_before]
            if user is None or not new:
                continue
            earlier = len(alerts) - len(new)
            language = user.language or settings.LANGUAGE_CODE
            with translation.override(language):
                items = _items(new)
                subject = ngettext(
                    "Weekly committee digest: %(n)s new item to follow",
                    "Weekly committee digest: %(n)s new items to follow",
                    len(new),
                ) % {"n": len(new)}
                more = (
                    ngettext(
                        "%(n)s earlier item is still open.",
                        "%(n)s earlier items are still open.",
                        earlier,
                    )
                    % {"n": earlier}
                    if earlier
                    else ""
                )
                if len(items) > ITEMS_LISTED:
                    more = f"{_('And %(n)s more.') % {'n': len(items) - ITEMS_LISTED}} {more}"
            url = reverse("alerts:cluster", args=[cluster_id])
            _send(
                user=user,
                channel=chosen.get(user_id, Channel.EMAIL),
                dedupe_key=f"digest.weekly:{user_id}:{max(a.pk for a in new)}",
                subject=subject,
                template="alert_digest",
                context={
                    "items": items[:ITEMS_LISTED],
                    "more": more,
                    "link": settings.SITE_URL + url,
                },
                url=url,
                emails=emails,
                notifications=notifications,
            )
            deliveries += [
                AlertDelivery(alert=a, user_id=user_id, channel=Channel.WEEKLY, sent_at=now)
                for a in new
            ]
    AlertDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    _store(emails, notifications)
    return len(notifications)


@transaction.atomic
def national_digests_send(*, now: dt.datetime | None = None) -> int:
    """Central users: open alerts per cluster, those needing action now, and those new
    since their last national digest. Returns the number of people told."""
    now = now or timezone.now()
    user_ids = set(
        RoleAssignment.objects.filter(
            role__in=[RoleAssignment.Role.CENTRAL, RoleAssignment.Role.CENTRAL_ADMIN],
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )
    if not user_ids:
        return 0
    open_alerts = list(
        Alert.objects.filter(resolved_at__isnull=True).values_list("pk", "cluster_id", "severity")
    )
    told_before = set(
        AlertDelivery.objects.filter(
            channel=Channel.NATIONAL, user_id__in=user_ids, alert__resolved_at__isnull=True
        ).values_list("alert_id", "user_id")
    )
    clusters = list(Cluster.objects.order_by("number"))
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    chosen = _preferences(users, NATIONAL_KIND)
    emails: list[dict[str, Any]] = []
    notifications: list[Notification] = []
    deliveries: list[AlertDelivery] = []
    url = reverse("alerts:index")
    for user_id, user in sorted(users.items()):
        counts: dict[int | None, dict[str, int]] = defaultdict(
            lambda: {"open": 0, "critical": 0, "new": 0}
        )
        new_ids = []
        for pk, cluster_id, severity in open_alerts:
            row = counts[cluster_id]
            row["open"] += 1
            row["critical"] += severity == Severity.CRITICAL
            if (pk, user_id) not in told_before:
                row["new"] += 1
                new_ids.append(pk)
        if not new_ids:
            continue
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            rows = [
                {"name": names(c)["en" if language == "en" else "th"], **counts[c.pk]}
                for c in clusters
                if counts[c.pk]["open"]
            ]
            subject = ngettext(
                "National early-warning digest: %(n)s new",
                "National early-warning digest: %(n)s new",
                len(new_ids),
            ) % {"n": len(new_ids)}
        _send(
            user=user,
            channel=chosen.get(user_id, Channel.EMAIL),
            dedupe_key=f"digest.national:{user_id}:{max(new_ids)}",
            subject=subject,
            template="national_digest",
            context={"rows": rows, "link": settings.SITE_URL + url},
            url=url,
            emails=emails,
            notifications=notifications,
        )
        deliveries += [
            AlertDelivery(alert_id=pk, user_id=user_id, channel=Channel.NATIONAL, sent_at=now)
            for pk in new_ids
        ]
    AlertDelivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=5000)
    _store(emails, notifications)
    return len(notifications)
