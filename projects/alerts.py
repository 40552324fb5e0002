"""Early warnings for projects (the rule API: osm/alerts/rules.py), run every morning.

- Behind plan: a project whose money disbursed to date, or whose physical progress, lags
  its plan by more than the cluster's threshold (percentage points; ``ProjectSettings``,
  10 when the cluster set none). The money plan is the quarterly disbursement plan up to
  the last quarter that has ended; the physical plan is the weight of the milestones due
  by today. One alert per project and quarter.
- Contract unsigned: after the end of the second quarter, a project whose "contract
  signed" milestone has no actual date. One per project and fiscal year.
- Annual action plan not approved: a cluster that plans its projects here has no approved
  action plan for a fiscal year that starts within the lead time (30 days unless staff set
  another), or has started.

Behind plan and contract unsigned reach the project's responsible officer and the
cluster's OSM staff; the action plan, the staff (and the committee's weekly digest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from osm.alerts.models import Audience, Severity
from osm.alerts.rules import AlertRule, Condition, RuleContext, Threshold, names, phrase
from osm.lib import dates
from projects.figures import BUDGET, MONEY_FIELD, zero
from projects.models import ActionPlan, DisbursementPlan, Milestone, Project

DEFAULT_LAG = Decimal(10)
PCT: DecimalField[Any, Any] = DecimalField(max_digits=9, decimal_places=2)
ACTIVE = [Project.Status.APPROVED, Project.Status.IN_PROGRESS]
FIELDS = ("pk", "code", "name_th", "name_en", "cluster_id", "owner_id")


def _last_ended_quarter(today: dt.date) -> tuple[int, int]:
    """(fiscal year, quarter) of the last quarter that has ended by `today`."""
    previous = dates.fiscal_quarter_of(today).previous()
    return previous.year, previous.quarter


def behind_plan(ctx: RuleContext) -> Iterator[Condition]:
    """Projects behind their money or physical plan by more than the cluster's threshold."""
    today = ctx.today
    year, quarter = _last_ended_quarter(today)
    planned = Subquery(
        DisbursementPlan.objects.filter(project_id=OuterRef("pk"), quarter__lte=quarter)
        .values("project_id")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=MONEY_FIELD,
    )
    weight_due = Subquery(
        Milestone.objects.filter(project_id=OuterRef("pk"), planned_date__lte=today)
        .values("project_id")
        .annotate(total=Sum("weight"))
        .values("total")[:1],
        output_field=PCT,
    )
    zero_pct = Value(Decimal(0), output_field=PCT)
    rows = (
        Project.objects.filter(status__in=ACTIVE, fiscal_year=year)
        .annotate(
            budget_sum=BUDGET,
            money_lag=Coalesce(
                (Coalesce(planned, zero()) - F("disbursed")) * 100 / _nonzero(BUDGET),
                zero_pct,
                output_field=PCT,
            ),
            work_lag=Coalesce(weight_due, zero_pct) - F("physical_pct"),
            money_limit=Coalesce(
                F("cluster__project_settings__disbursement_lag_pct"),
                Value(DEFAULT_LAG, output_field=PCT),
            ),
            work_limit=Coalesce(
                F("cluster__project_settings__progress_lag_pct"),
                Value(DEFAULT_LAG, output_field=PCT),
            ),
        )
        .filter(Q(money_lag__gt=F("money_limit")) | Q(work_lag__gt=F("work_limit")))
        .only(*FIELDS)
    )
    for p in rows:
        parts = []
        if p.money_lag > p.money_limit:
            parts.append(
                phrase(
                    gettext_noop("disbursement %(lag)s points behind plan"),
                    lag=f"{p.money_lag:.1f}",
                )
            )
        if p.work_lag > p.work_limit:
            parts.append(
                phrase(
                    gettext_noop("physical progress %(lag)s points behind plan"),
                    lag=f"{p.work_lag:.1f}",
                )
            )
        yield Condition(
            object_id=p.pk,
            cluster_id=p.cluster_id,
            fiscal_year=year,
            quarter=quarter,
            params={
                "code": p.code,
                "name": names(p),
                "q": quarter,
                "year": year,
                "what": parts,
            },
            url=p.get_absolute_url(),
            owner_id=p.owner_id,
        )


def _nonzero(expression: Any) -> Any:
    from django.db.models.functions import NullIf

    return NullIf(expression, Value(Decimal(0), output_field=MONEY_FIELD))


def contract_unsigned(ctx: RuleContext) -> Iterator[Condition]:
    """After the end of Q2: projects of the year whose contract is not signed yet."""
    today = ctx.today
    year = dates.fiscal_year_of(today)
    if today <= dates.FiscalQuarter(year, 2).end:
        return
    unsigned = Milestone.objects.filter(
        project_id=OuterRef("pk"), kind=Milestone.Kind.CONTRACT_SIGNED, actual_date__isnull=True
    )
    for p in (
        Project.objects.filter(status__in=ACTIVE, fiscal_year=year)
        .filter(Exists(unsigned))
        .only(*FIELDS)
    ):
        yield Condition(
            object_id=p.pk,
            cluster_id=p.cluster_id,
            fiscal_year=year,
            params={"code": p.code, "name": names(p)},
            url=p.get_absolute_url(),
            owner_id=p.owner_id,
        )


def action_plan_unapproved(ctx: RuleContext) -> Iterator[Condition]:
    """Clusters that plan projects here (an action plan or a project of any year) with no
    approved action plan for the fiscal year ahead (or started)."""
    from strategy.alerts import when, year_ahead

    default = ctx.rule.threshold("lead_days").default
    lead = ctx.thresholds("lead_days")
    using = set(ActionPlan.objects.values_list("cluster_id", flat=True).distinct()) | set(
        Project.objects.values_list("cluster_id", flat=True).distinct()
    )
    approved = set(
        ActionPlan.objects.filter(status=ActionPlan.Status.APPROVED).values_list(
            "cluster_id", "fiscal_year"
        )
    )
    for cluster_id in sorted(using):
        year, start = year_ahead(ctx, lead.get(cluster_id, default))
        if (cluster_id, year) in approved:
            continue
        yield Condition(
            object_id=cluster_id,
            cluster_id=cluster_id,
            fiscal_year=year,
            severity=Severity.CRITICAL if start <= ctx.today else Severity.WARNING,
            params={"year": year, "when": when(ctx, start)},
            url=reverse("projects:action-plan", args=[cluster_id]) + f"?year={year}",
        )


BEHIND_PLAN = AlertRule(
    code="projects.behind_plan",
    label=_("Project behind plan"),
    model="projects.project",
    evaluate=behind_plan,
    title=_("Project behind plan: %(code)s %(name)s"),
    body=_("At the end of quarter %(q)s/%(year)s: %(what)s."),
    audience=(Audience.OWNER, Audience.STAFF),
    order=30,
)
CONTRACT_UNSIGNED = AlertRule(
    code="projects.contract_unsigned",
    label=_("Contract unsigned after quarter 2"),
    model="projects.project",
    evaluate=contract_unsigned,
    title=_("Contract still unsigned after quarter 2: %(code)s %(name)s"),
    body=_("The budget may have to be returned if no contract is signed."),
    audience=(Audience.OWNER, Audience.STAFF),
    order=31,
)
ACTION_PLAN_UNAPPROVED = AlertRule(
    code="projects.action_plan_unapproved",
    label=_("Annual action plan not approved"),
    model="osm.cluster",
    evaluate=action_plan_unapproved,
    title=_("The annual action plan for fiscal year %(year)s is not approved yet"),
    body=_("%(when)s Have the committee approve the action plan and record its resolution."),
    audience=(Audience.STAFF,),
    committee_digest=True,
    thresholds=(
        Threshold(
            "lead_days",
            _("Warn this many days before a fiscal year starts without an approved action plan"),
            30,
            minimum=0,
            maximum=180,
        ),
    ),
    order=32,
)


def rules() -> list[AlertRule]:
    return [BEHIND_PLAN, CONTRACT_UNSIGNED, ACTION_PLAN_UNAPPROVED]
