"""The committee's early warning (the rule API: osm/alerts/rules.py), run every morning.

Overdue action item: an action item not done (nor cancelled) whose due date has passed by
more than the cluster's threshold ("days", 0 unless OSM staff set another) — with 0, the day
after the due date, not on it. One alert per item and fiscal year of its due date: it
resolves by itself when the item is done or cancelled, or when its due date moves ahead.

It reaches who owns the item — the person (`Audience.OWNER`), or the officers of the owning
province / of the owning agency's province (`Audience.OFFICERS`: the item's ``province``,
which the service sets for both) — and the cluster's OSM staff; the committee reads it in
its weekly digest.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from committee.models import ActionItem
from osm.alerts.models import Audience, Severity
from osm.alerts.rules import AlertRule, Condition, RuleContext, Threshold, day, phrase
from osm.lib import dates

DESCRIPTION_CHARS = 120


def _due_before(ctx: RuleContext) -> Q:
    """Items due before today minus the cluster's threshold: one condition per distinct
    threshold, so the query does not grow with the clusters."""
    default = ctx.rule.threshold("days").default
    by_days: dict[int, list[int]] = defaultdict(list)
    for cluster_id, days in ctx.thresholds("days").items():
        if days != default:
            by_days[days].append(cluster_id)
    special = [cluster_id for ids in by_days.values() for cluster_id in ids]
    due = Q(due_date__lt=ctx.today - dt.timedelta(days=default))
    if special:
        due &= ~Q(cluster_id__in=special)
    for days, cluster_ids in sorted(by_days.items()):
        due |= Q(cluster_id__in=cluster_ids, due_date__lt=ctx.today - dt.timedelta(days=days))
    return due


def overdue(ctx: RuleContext) -> Iterator[Condition]:
    """Open action items past their due date (plus the cluster's days): one query."""
    rows = (
        ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES)
        .filter(_due_before(ctx))
        .order_by("due_date", "pk")
        .values(
            "pk",
            "cluster_id",
            "province_id",
            "owner_user_id",
            "description",
            "due_date",
            "resolution__item__title",
            "resolution__item__meeting__number",
            "resolution__item__meeting__year",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        yield Condition(
            object_id=row["pk"],
            cluster_id=row["cluster_id"],
            province_id=row["province_id"],
            fiscal_year=dates.fiscal_year_of(row["due_date"]),
            params={
                "date": day(row["due_date"]),
                "what": row["description"][:DESCRIPTION_CHARS],
                "meeting": phrase(
                    gettext_noop("Meeting no. %(number)s/%(year)s"),
                    number=row["resolution__item__meeting__number"],
                    year=row["resolution__item__meeting__year"],
                ),
                "item": row["resolution__item__title"],
            },
            url=reverse("committee:action-detail", args=[row["pk"]]),
            owner_id=row["owner_user_id"],
        )


OVERDUE = AlertRule(
    code="committee.action_overdue",
    label=_("Overdue action items"),
    model="committee.actionitem",
    evaluate=overdue,
    title=_("Action item overdue since %(date)s: %(what)s"),
    body=_("From the resolution of %(meeting)s on “%(item)s”."),
    severity=Severity.WARNING,
    audience=(Audience.OWNER, Audience.OFFICERS, Audience.STAFF),
    committee_digest=True,
    thresholds=(
        Threshold(
            "days",
            _("Warn this many days after an action item's due date (0: the day after)"),
            0,
            minimum=0,
            maximum=90,
        ),
    ),
    order=50,
)


def rules() -> list[AlertRule]:
    return [OVERDUE]
