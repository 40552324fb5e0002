"""A plan's structure: perspectives, strategic issues and objectives."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from osm import events
from osm.lib.dates import arabic_digits
from osm.lib.locking import guarded_update
from osm.models import Cluster
from strategy.models import (
    Objective,
    Perspective,
    Plan,
    StrategicIssue,
)

# The public-sector Balanced Scorecard perspectives (PMQA practice), top band first.
DEFAULT_PERSPECTIVES = [
    (Perspective.Key.EFFECTIVENESS, "ด้านประสิทธิผล", "Effectiveness"),
    (Perspective.Key.SERVICE_QUALITY, "ด้านคุณภาพการให้บริการ", "Service quality"),
    (Perspective.Key.EFFICIENCY, "ด้านประสิทธิภาพ", "Efficiency"),
    (Perspective.Key.ORGANISATIONAL_DEVELOPMENT, "ด้านการพัฒนาองค์กร", "Organisational development"),
]


def _objective_changed(objective: Objective) -> None:
    events.publish(
        events.OBJECTIVE_CHANGED,
        cluster_id=objective.plan.cluster_id,
        objective_id=objective.pk,
    )


def _plan_changed(plan_id: int, cluster_id: int) -> None:
    events.publish(events.PLAN_CHANGED, cluster_id=cluster_id, plan_id=plan_id)


def perspectives_ensure(*, cluster: Cluster) -> list[Perspective]:
    """The cluster's perspectives, creating the four defaults it lacks (names it chose stay)."""
    existing = {p.key: p for p in Perspective.objects.filter(cluster=cluster)}
    for order, (key, name_th, name_en) in enumerate(DEFAULT_PERSPECTIVES):
        if key not in existing:
            existing[key] = Perspective.objects.create(
                cluster=cluster, key=key, name_th=name_th, name_en=name_en, order=order
            )
    return sorted(existing.values(), key=lambda p: p.order)


def perspective_rename(*, perspective: Perspective, name_th: str, name_en: str = "") -> Perspective:
    perspective.name_th = name_th
    perspective.name_en = name_en
    perspective.save(update_fields=["name_th", "name_en"])
    # Perspective names head the cluster's plans and dashboards.
    for plan_id in Plan.objects.filter(cluster_id=perspective.cluster_id).values_list(
        "pk", flat=True
    ):
        _plan_changed(plan_id, perspective.cluster_id)
    return perspective


def clean_code(code: str) -> str:
    """A code as it is stored: trimmed, with Arabic digits (๑.๒ → 1.2), however it was typed
    or imported, so that forms, imports and exports agree on it."""
    return arabic_digits(code.strip())


def _check_code(model: type[models.Model], plan: Plan, code: str, exclude_pk: int | None) -> None:
    clash = model._default_manager.filter(plan=plan, code=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"code": _("Another item of this plan already uses this code.")})


def issue_create(
    *,
    plan: Plan,
    code: str,
    name_th: str,
    name_en: str = "",
    description: str = "",
    order: int | None = None,
) -> StrategicIssue:
    """A new issue, last in its plan unless `order` is given."""
    code = clean_code(code)
    _check_code(StrategicIssue, plan, code, None)
    if order is None:
        order = (plan.issues.aggregate(m=Max("order"))["m"] or 0) + 1
    issue = StrategicIssue.objects.create(
        plan=plan, code=code, name_th=name_th, name_en=name_en, description=description, order=order
    )
    _plan_changed(plan.pk, plan.cluster_id)
    return issue


def issue_update(
    *, issue: StrategicIssue, lock_version: int | None = None, **fields: Any
) -> StrategicIssue:
    """Change an issue; `lock_version` is the version the person read (a stale form raises
    StaleVersion with the newer issue)."""
    if "code" in fields:
        fields["code"] = clean_code(fields["code"])
        _check_code(StrategicIssue, issue.plan, fields["code"], issue.pk)
    if guarded_update(issue, expected=lock_version, fields=fields):
        _plan_changed(issue.plan_id, issue.plan.cluster_id)
    return issue


def _delete(obj: models.Model) -> None:
    """Delete, or explain what still uses the object (indicators and projects point at
    objectives with PROTECT)."""
    try:
        obj.delete()
    except models.ProtectedError as exc:
        users = ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])
        raise ValidationError(
            _("%(item)s cannot be deleted while it is in use: %(users)s.")
            % {"item": str(obj), "users": users}
        ) from exc


@transaction.atomic
def issue_delete(*, issue: StrategicIssue) -> None:
    """Deletes the issue with its objectives and their links."""
    plan_id, cluster_id = issue.plan_id, issue.plan.cluster_id
    _delete(issue)
    _plan_changed(plan_id, cluster_id)


def _move(siblings: models.QuerySet[Any], item: Any, direction: str) -> None:
    """Move `item` one place up or down among `siblings`, renumbering them 1…n."""
    items = list(siblings.order_by("order", "code", "pk"))
    index = next(i for i, s in enumerate(items) if s.pk == item.pk)
    swap = index - 1 if direction == "up" else index + 1
    if 0 <= swap < len(items):
        items[index], items[swap] = items[swap], items[index]
    changed = []
    for position, sibling in enumerate(items, start=1):
        if sibling.order != position:
            sibling.order = position
            changed.append(sibling)
    for sibling in changed:
        sibling.save(update_fields=["order"])  # one by one, so the audit records each move


@transaction.atomic
def issue_move(*, issue: StrategicIssue, direction: str) -> StrategicIssue:
    _move(StrategicIssue.objects.filter(plan_id=issue.plan_id), issue, direction)
    _plan_changed(issue.plan_id, issue.plan.cluster_id)
    return issue


def _check_objective_parts(plan: Plan, issue: StrategicIssue, perspective: Perspective) -> None:
    if issue.plan_id != plan.pk:
        raise ValidationError({"issue": _("The issue belongs to another plan.")})
    if perspective.cluster_id != plan.cluster_id:
        raise ValidationError({"perspective": _("The perspective belongs to another cluster.")})


def objective_create(
    *,
    issue: StrategicIssue,
    perspective: Perspective,
    code: str,
    name_th: str,
    name_en: str = "",
    description: str = "",
    order: int | None = None,
) -> Objective:
    """A new objective, last in its issue unless `order` is given."""
    code = clean_code(code)
    plan = issue.plan
    _check_objective_parts(plan, issue, perspective)
    _check_code(Objective, plan, code, None)
    if order is None:
        order = (issue.objectives.aggregate(m=Max("order"))["m"] or 0) + 1
    objective = Objective.objects.create(
        plan=plan,
        issue=issue,
        perspective=perspective,
        code=code,
        name_th=name_th,
        name_en=name_en,
        description=description,
        order=order,
    )
    _objective_changed(objective)
    return objective


def objective_update(
    *, objective: Objective, lock_version: int | None = None, **fields: Any
) -> Objective:
    """Change an objective; `lock_version` is the version the person read (a stale form
    raises StaleVersion with the newer objective)."""
    plan = objective.plan
    _check_objective_parts(
        plan, fields.get("issue", objective.issue), fields.get("perspective", objective.perspective)
    )
    if "code" in fields:
        fields["code"] = clean_code(fields["code"])
        _check_code(Objective, plan, fields["code"], objective.pk)
    if guarded_update(objective, expected=lock_version, fields=fields):
        _objective_changed(objective)
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective) -> None:
    """Deletes the objective and its cause-and-effect links."""
    pk = objective.pk
    _delete(objective)
    objective.pk = pk
    _objective_changed(objective)


@transaction.atomic
def objective_move(*, objective: Objective, direction: str) -> Objective:
    _move(Objective.objects.filter(issue_id=objective.issue_id), objective, direction)
    _objective_changed(objective)
    return objective
