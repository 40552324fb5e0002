"""Early warning of the strategy app (the rule API: osm/alerts/rules.py): a cluster with no
approved development plan for a fiscal year that starts within the lead time (30 days
unless staff set another), or has started. Only clusters that keep plans here are checked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from osm.alerts.models import Audience, Severity
from osm.alerts.rules import AlertRule, Condition, RuleContext, Threshold, day, phrase
from osm.lib import dates
from strategy.models import Plan


def year_ahead(ctx: RuleContext, lead_days: int) -> tuple[int, dt.date]:
    """The fiscal year a cluster must have approved by now, and the day it starts."""
    year = dates.fiscal_year_of(ctx.today + dt.timedelta(days=lead_days))
    return year, dates.fiscal_year_bounds(year)[0]


def when(ctx: RuleContext, start: dt.date) -> dict[str, object]:
    if start <= ctx.today:
        return phrase(gettext_noop("The fiscal year started on %(start)s."), start=day(start))
    return phrase(gettext_noop("The fiscal year starts on %(start)s."), start=day(start))


def plan_unapproved(ctx: RuleContext) -> Iterator[Condition]:
    default = ctx.rule.threshold("lead_days").default
    lead = ctx.thresholds("lead_days")
    plans: dict[int, list[tuple[int, str, int, int]]] = defaultdict(list)
    for row in Plan.objects.values_list("cluster_id", "pk", "status", "start_year", "end_year"):
        plans[row[0]].append(row[1:])
    for cluster_id, rows in sorted(plans.items()):
        year, start = year_ahead(ctx, lead.get(cluster_id, default))
        covering = [r for r in rows if r[2] <= year <= r[3]]
        if any(status == Plan.Status.APPROVED for _pk, status, _s, _e in covering):
            continue
        drafts = [pk for pk, status, _s, _e in covering if status == Plan.Status.DRAFT]
        url = (
            reverse("strategy:plan-detail", args=[max(drafts)])
            if drafts
            else reverse("strategy:plan-list")
        )
        yield Condition(
            object_id=cluster_id,
            cluster_id=cluster_id,
            fiscal_year=year,
            severity=Severity.CRITICAL if start <= ctx.today else Severity.WARNING,
            params={"year": year, "when": when(ctx, start)},
            url=url,
        )


PLAN_UNAPPROVED = AlertRule(
    code="strategy.plan_unapproved",
    label=_("Development plan not approved for the fiscal year"),
    model="osm.cluster",
    evaluate=plan_unapproved,
    title=_("No approved cluster development plan covers fiscal year %(year)s"),
    body=_("%(when)s Have the committee approve the plan (or its review) and record it."),
    audience=(Audience.STAFF,),
    committee_digest=True,
    thresholds=(
        Threshold(
            "lead_days",
            _("Warn this many days before a fiscal year starts without an approved plan"),
            30,
            minimum=0,
            maximum=180,
        ),
    ),
    order=5,
)


def rules() -> list[AlertRule]:
    return [PLAN_UNAPPROVED]
