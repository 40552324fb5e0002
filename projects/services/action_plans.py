"""The annual action plan: ranking proposals, the budget ceiling, and the committee's approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from osm import events
from osm.lib.approvals import decision_fields
from osm.lib.workflow import save_guarded
from osm.models import Cluster
from projects.models import ActionPlan, Project


def action_plan_for(*, cluster: Cluster, fiscal_year: int) -> ActionPlan:
    """The cluster's action plan of the year (a draft is started when there is none)."""
    plan, _created = ActionPlan.objects.get_or_create(cluster=cluster, fiscal_year=fiscal_year)
    return plan


def proposals(plan: ActionPlan) -> Any:
    """The plan's ranked list: every project of the year that is not cancelled."""
    return (
        Project.objects.filter(cluster_id=plan.cluster_id, fiscal_year=plan.fiscal_year)
        .exclude(status=Project.Status.CANCELLED)
        .order_by("rank", "code")
    )


def _renumber(plan: ActionPlan) -> list[Project]:
    rows = list(proposals(plan))
    changed = []
    for position, project in enumerate(rows, start=1):
        if project.rank != position:
            project.rank = position
            changed.append(project)
    Project.objects.bulk_update(changed, ["rank"])
    return rows


def _check_draft(plan: ActionPlan) -> None:
    if plan.is_approved:
        raise ValidationError(
            _("The action plan is approved; its ranking and ceiling no longer change.")
        )


@transaction.atomic
def action_plan_move(*, plan: ActionPlan, project: Project, direction: str) -> list[Project]:
    """Move a proposal one place up or down the ranking."""
    _check_draft(plan)
    rows = _renumber(plan)
    index = next((i for i, p in enumerate(rows) if p.pk == project.pk), None)
    if index is None:
        raise ValidationError(_("The project is not on this action plan."))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        a, b = rows[index], rows[other]
        a.rank, b.rank = b.rank, a.rank
        Project.objects.bulk_update([a, b], ["rank"])
        rows[index], rows[other] = b, a
    _frame(plan, rows)
    return rows


def _frame(plan: ActionPlan, rows: list[Project]) -> None:
    """Within the ceiling while the running total of requests fits; over it after that."""
    if plan.ceiling is None:
        return
    running = Decimal(0)
    changed = []
    for project in rows:
        running += project.requested
        frame = Project.Frame.WITHIN if running <= plan.ceiling else Project.Frame.OVER
        if project.frame != frame:
            project.frame = frame
            changed.append(project)
    Project.objects.bulk_update(changed, ["frame"])


@transaction.atomic
def action_plan_set_ceiling(
    *, plan: ActionPlan, ceiling: Decimal | None, expected_version: int
) -> ActionPlan:
    """Record the ceiling notified for the year and mark each proposal within or over it."""
    _check_draft(plan)
    if ceiling is not None and ceiling < 0:
        raise ValidationError({"ceiling": _("An amount cannot be negative.")})
    save_guarded(plan, expected_version=expected_version, fields={"ceiling": ceiling})  # type: ignore[type-var]
    _frame(plan, _renumber(plan))
    events.publish(events.PROJECT_CHANGED, cluster_id=plan.cluster_id, project_id=None)
    return plan


@transaction.atomic
def action_plan_approve(
    *,
    plan: ActionPlan,
    by: Any,
    expected_version: int,
    approved_on: dt.date,
    resolution_text: str,
    resolution_meeting: str,
    decision: Any = None,
) -> list[Project]:
    """The committee approved the plan: proposals within the ceiling become the year's
    approved projects (allocated what they requested, unless an allocation is recorded);
    those over it stay proposed, as the reserve list. `decision` is the committee's record
    of the resolution (a committee.Resolution) when it has one: the approval points at it."""
    _check_draft(plan)
    rows = _renumber(plan)
    chosen = [
        p for p in rows if p.status == Project.Status.PROPOSED and p.frame == Project.Frame.WITHIN
    ]
    if not chosen:
        raise ValidationError(_("No proposal within the budget ceiling is waiting for approval."))
    if not resolution_text.strip() or not resolution_meeting.strip():
        raise ValidationError(_("Record the committee's resolution and its meeting."))
    save_guarded(  # type: ignore[type-var]
        plan,
        expected_version=expected_version,
        fields={
            "status": ActionPlan.Status.APPROVED,
            "approved_by": by,
            "approved_on": approved_on,
            "resolution_text": resolution_text.strip(),
            "resolution_meeting": resolution_meeting.strip(),
            **decision_fields(decision),
        },
    )
    for project in chosen:
        project.status = Project.Status.APPROVED
        if project.allocated == 0:
            project.allocated = project.requested
        project.version += 1
    # One UPDATE per project keeps the audit trail per row; a plan holds tens of projects.
    Project.objects.bulk_update(chosen, ["status", "allocated", "version"])
    for project in chosen:
        events.publish(events.PROJECT_CHANGED, cluster_id=plan.cluster_id, project_id=project.pk)
    return chosen
