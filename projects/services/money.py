"""Money over time and the settings around it: a project's quarterly disbursement plan and
milestones, the government's disbursement targets, a cluster's warning thresholds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from osm import events
from osm.models import Cluster
from projects.models import (
    DisbursementPlan,
    GovernmentDisbursementTarget,
    Milestone,
    Project,
    ProjectSettings,
)
from projects.services.projects import money

HUNDRED = Decimal(100)


@transaction.atomic
def disbursement_plan_set(*, project: Project, amounts: Mapping[int, Decimal | None]) -> None:
    """Make the project's plan exactly `amounts` per quarter (an empty quarter plans nothing).
    The plan may not spend more than the project's budget."""
    clean: dict[int, Decimal] = {}
    errors: dict[str, list[str]] = {}
    for quarter, value in amounts.items():
        if quarter not in (1, 2, 3, 4):
            raise ValidationError(_("A fiscal year has quarters 1 to 4."))
        if value is None:
            continue
        try:
            amount = money(value)
        except ValidationError as err:
            errors.setdefault(f"q{quarter}", []).extend(err.messages)
            continue
        if amount < 0:
            errors.setdefault(f"q{quarter}", []).append(_("An amount cannot be negative."))
        clean[quarter] = amount
    if errors:
        raise ValidationError(errors)
    budget = project.budget or project.requested or Decimal(0)
    total = sum(clean.values(), Decimal(0))
    if total > budget:
        raise ValidationError(
            _("The plan disburses %(total)s baht, more than the budget of %(budget)s baht.")
            % {"total": f"{total:,.2f}", "budget": f"{budget:,.2f}"}
        )
    existing = {p.quarter: p for p in project.disbursement_plans.all()}
    for quarter in (1, 2, 3, 4):
        row, wanted = existing.get(quarter), clean.get(quarter)
        if wanted is None and row is not None:
            row.delete()
        elif wanted is not None and row is None:
            DisbursementPlan.objects.create(project=project, quarter=quarter, amount=wanted)
        elif wanted is not None and row is not None and row.amount != wanted:
            row.amount = wanted
            row.save(update_fields=["amount"])
    events.publish(events.PROJECT_CHANGED, cluster_id=project.cluster_id, project_id=project.pk)


@transaction.atomic
def government_targets_set(
    *,
    fiscal_year: int,
    category: str,
    pcts: Mapping[int, Decimal | None],
    source: str = "",
    approved_on: dt.date | None = None,
) -> list[GovernmentDisbursementTarget]:
    """The government's cumulative disbursement targets of a year: they never fall from one
    quarter to the next and never pass 100%."""
    if not 2500 <= fiscal_year <= 2700:
        raise ValidationError(_("Write the fiscal year in the Buddhist Era, e.g. 2570."))
    previous = Decimal(0)
    errors: dict[str, str] = {}
    for quarter in (1, 2, 3, 4):
        value = pcts.get(quarter)
        if value is None:
            continue
        if not 0 <= value <= HUNDRED:
            errors[f"q{quarter}"] = _("A percentage lies between 0 and 100.")
        elif value < previous:
            errors[f"q{quarter}"] = _(
                "A cumulative target cannot be lower than the quarter before."
            )
        previous = max(previous, value)
    if errors:
        raise ValidationError(errors)
    saved = []
    for quarter in (1, 2, 3, 4):
        value = pcts.get(quarter)
        current = GovernmentDisbursementTarget.objects.filter(
            fiscal_year=fiscal_year, quarter=quarter, category=category
        ).first()
        if value is None:
            if current is not None:
                current.delete()
            continue
        target, _created = GovernmentDisbursementTarget.objects.update_or_create(
            fiscal_year=fiscal_year,
            quarter=quarter,
            category=category,
            defaults={"pct": value, "source": source.strip(), "approved_on": approved_on},
        )
        saved.append(target)
    events.publish(events.PROJECT_CHANGED, cluster_id=None, project_id=None)
    return saved


def settings_for(cluster: Cluster) -> ProjectSettings:
    found, _created = ProjectSettings.objects.get_or_create(cluster=cluster)
    return found


def settings_update(
    *, cluster: Cluster, disbursement_lag_pct: Decimal, progress_lag_pct: Decimal
) -> ProjectSettings:
    errors = {
        name: _("A percentage lies between 0 and 100.")
        for name, value in (
            ("disbursement_lag_pct", disbursement_lag_pct),
            ("progress_lag_pct", progress_lag_pct),
        )
        if not 0 <= value <= HUNDRED
    }
    if errors:
        raise ValidationError(errors)
    found = settings_for(cluster)
    found.disbursement_lag_pct = disbursement_lag_pct
    found.progress_lag_pct = progress_lag_pct
    found.save(update_fields=["disbursement_lag_pct", "progress_lag_pct"])
    return found


@transaction.atomic
def milestones_set(*, project: Project, rows: Sequence[Mapping[str, Any]]) -> list[Milestone]:
    """Make the project's milestones exactly `rows` (each: id or None, name, kind, weight,
    planned_date, actual_date). Weights add up to at most 100."""
    total = sum((Decimal(r.get("weight") or 0) for r in rows), Decimal(0))
    if total > HUNDRED:
        raise ValidationError(
            _("The milestones' weights add up to %(total)s%%, more than 100%%.")
            % {"total": f"{total:g}"}
        )
    existing = {m.pk: m for m in project.milestones.all()}
    kept: list[Milestone] = []
    for order, row in enumerate(rows):
        actual, planned = row.get("actual_date"), row["planned_date"]
        fields = {
            "name": row["name"].strip(),
            "kind": row.get("kind") or Milestone.Kind.WORK,
            "weight": Decimal(row.get("weight") or 0),
            "planned_date": planned,
            "actual_date": actual,
            "order": order,
        }
        milestone = existing.pop(row["id"], None) if row.get("id") else None
        if milestone is None:
            milestone = Milestone.objects.create(project=project, **fields)
        elif any(getattr(milestone, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(milestone, key, value)
            milestone.save()
        kept.append(milestone)
    for leftover in existing.values():
        leftover.delete()
    events.publish(events.PROJECT_CHANGED, cluster_id=project.cluster_id, project_id=project.pk)
    return kept
