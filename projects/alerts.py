"""Early warnings for projects, run every morning by the core's alert rules (beat).

- Behind plan: a project whose money disbursed to date, or whose physical progress, lags
  its plan by more than the cluster's threshold (percentage points; ``ProjectSettings``,
  10 when the cluster set none). The money plan is the quarterly disbursement plan up to
  the last quarter that has ended; the physical plan is the weight of the milestones due
  by today.
- Contract unsigned: after the end of the second quarter, a project whose "contract
  signed" milestone has no actual date.

Both reach the project's responsible officer and the cluster's OSM staff, once per project
and quarter (the key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from osm.lib import dates
from osm.models import Notification, RoleAssignment
from osm.notifications import Alert
from projects.figures import BUDGET, MONEY_FIELD, zero
from projects.models import DisbursementPlan, Milestone, Project

DEFAULT_LAG = Decimal(10)
PCT: DecimalField[Any, Any] = DecimalField(max_digits=9, decimal_places=2)
ACTIVE = [Project.Status.APPROVED, Project.Status.IN_PROGRESS]


def _staff(cluster_ids: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = RoleAssignment.objects.filter(
        role=RoleAssignment.Role.OSM_STAFF, cluster_id__in=cluster_ids
    ).values_list("cluster_id", "user_id")
    for cluster_id, user_id in rows:
        found.setdefault(cluster_id, []).append(user_id)
    return found


def _recipients(project: Any, staff: dict[int, list[int]]) -> set[int]:
    people = set(staff.get(project.cluster_id, []))
    if project.owner_id:
        people.add(project.owner_id)
    return people


def _last_ended_quarter(today: dt.date) -> tuple[int, int]:
    """(fiscal year, quarter) of the last quarter that has ended by `today`."""
    previous = dates.fiscal_quarter_of(today).previous()
    return previous.year, previous.quarter


def behind_plan(today: dt.date | None = None) -> list[Alert]:
    """Projects behind their money or physical plan by more than the cluster's threshold."""
    today = today or timezone.localdate()
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
        .only("pk", "code", "name_th", "cluster_id", "owner_id")
    )
    projects = list(rows)
    staff = _staff({p.cluster_id for p in projects})
    alerts = []
    with translation.override("th"):
        for p in projects:
            parts = []
            if p.money_lag > p.money_limit:
                parts.append(
                    _("disbursement %(lag)s points behind plan") % {"lag": f"{p.money_lag:.1f}"}
                )
            if p.work_lag > p.work_limit:
                parts.append(
                    _("physical progress %(lag)s points behind plan") % {"lag": f"{p.work_lag:.1f}"}
                )
            title = _("Project behind plan: %(code)s %(name)s") % {
                "code": p.code,
                "name": p.name_th,
            }
            body = _("At the end of quarter %(q)s/%(year)s: %(what)s.") % {
                "q": quarter,
                "year": year,
                "what": "; ".join(parts),
            }
            for user_id in _recipients(p, staff):
                alerts.append(
                    Alert(
                        user_id=user_id,
                        key=f"projects:behind:{p.pk}:{year}q{quarter}",
                        title=title,
                        body=body,
                        url=p.get_absolute_url(),
                        level=Notification.Level.WARNING,
                    )
                )
    return alerts


def _nonzero(expression: Any) -> Any:
    from django.db.models.functions import NullIf

    return NullIf(expression, Value(Decimal(0), output_field=MONEY_FIELD))


def contract_unsigned(today: dt.date | None = None) -> list[Alert]:
    """After the end of Q2: projects of the year whose contract is not signed yet."""
    today = today or timezone.localdate()
    year = dates.fiscal_year_of(today)
    if today <= dates.FiscalQuarter(year, 2).end:
        return []
    unsigned = Milestone.objects.filter(
        project_id=OuterRef("pk"), kind=Milestone.Kind.CONTRACT_SIGNED, actual_date__isnull=True
    )
    projects = list(
        Project.objects.filter(status__in=ACTIVE, fiscal_year=year)
        .filter(Exists(unsigned))
        .only("pk", "code", "name_th", "cluster_id", "owner_id")
    )
    staff = _staff({p.cluster_id for p in projects})
    alerts = []
    with translation.override("th"):
        for p in projects:
            title = _("Contract still unsigned after quarter 2: %(code)s %(name)s") % {
                "code": p.code,
                "name": p.name_th,
            }
            for user_id in _recipients(p, staff):
                alerts.append(
                    Alert(
                        user_id=user_id,
                        key=f"projects:unsigned:{p.pk}:{year}",
                        title=title,
                        body=_("The budget may have to be returned if no contract is signed."),
                        url=p.get_absolute_url(),
                        level=Notification.Level.WARNING,
                    )
                )
    return alerts


def daily_rules() -> list[Callable[[], list[Alert]]]:
    return [behind_plan, contract_unsigned]
