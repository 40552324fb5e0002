"""Creating and changing projects; moving them with their objectives when a plan is approved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext as _

from osm import events
from osm.lib.workflow import save_guarded
from osm.models import Cluster, Province
from projects.models import Project, ProjectProvince

CENT = Decimal("0.01")
YEAR_RANGE = (2500, 2700)
# Which status may follow which; anything may be cancelled before it is completed.
NEXT_STATUS: dict[str, frozenset[str]] = {
    Project.Status.PROPOSED: frozenset({Project.Status.APPROVED, Project.Status.CANCELLED}),
    Project.Status.APPROVED: frozenset(
        {Project.Status.IN_PROGRESS, Project.Status.PROPOSED, Project.Status.CANCELLED}
    ),
    Project.Status.IN_PROGRESS: frozenset({Project.Status.COMPLETED, Project.Status.CANCELLED}),
    Project.Status.COMPLETED: frozenset({Project.Status.IN_PROGRESS}),
    Project.Status.CANCELLED: frozenset({Project.Status.PROPOSED}),
}
EDITABLE_FIELDS = {
    "code",
    "name_th",
    "name_en",
    "rationale",
    "objective",
    "agency",
    "responsible_person",
    "owner",
    "source",
    "frame",
    "priority",
    "requested",
    "allocated",
    "after_transfers",
    "committed",
    "start_date",
    "end_date",
    "emenscr_id",
}


def money(value: Decimal | int | str | None) -> Decimal:
    """Baht to the satang; refuses what is not a sum of money."""
    if value is None:
        return Decimal("0.00")
    amount = Decimal(value)
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationError(_("An amount of money has at most two decimal places."))
    return amount.quantize(CENT)


def _check(cluster: Cluster, fiscal_year: int, fields: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if not YEAR_RANGE[0] <= fiscal_year <= YEAR_RANGE[1]:
        errors.setdefault("fiscal_year", []).append(
            _("Write the fiscal year in the Buddhist Era, e.g. 2570.")
        )
    objective = fields.get("objective")
    if objective is not None and objective.plan.cluster_id != cluster.pk:
        errors.setdefault("objective", []).append(
            _("The objective belongs to another cluster's plan.")
        )
    clean = dict(fields)
    for name in ("requested", "allocated", "committed", "after_transfers"):
        if name not in fields or (name == "after_transfers" and fields[name] is None):
            continue
        try:
            clean[name] = money(fields[name])
        except ValidationError as err:
            errors.setdefault(name, []).extend(err.messages)
            continue
        if clean[name] < 0:
            errors.setdefault(name, []).append(_("An amount cannot be negative."))
    budget = clean.get("after_transfers")
    if budget is None:
        budget = clean.get("allocated")
    committed = clean.get("committed")
    if budget is not None and committed is not None and committed > budget and budget > 0:
        errors.setdefault("committed", []).append(
            _("The committed amount is larger than the project's budget.")
        )
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", []).append(_("The project cannot end before it starts."))
    if errors:
        raise ValidationError(errors)
    return clean


def _check_code(cluster: Cluster, fiscal_year: int, code: str, exclude: int | None) -> None:
    taken = Project.objects.filter(cluster=cluster, fiscal_year=fiscal_year, code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(
            {
                "code": _("Project code %(code)s is already used in fiscal year %(year)s.")
                % {"code": code, "year": fiscal_year}
            }
        )


def _check_links(
    cluster: Cluster, provinces: Iterable[Province], indicators: Iterable[Any]
) -> None:
    errors: dict[str, str] = {}
    if any(p.cluster_id != cluster.pk for p in provinces):
        errors["provinces"] = _("A project runs only in provinces of its cluster.")
    if any(i.cluster_id != cluster.pk for i in indicators):
        errors["indicators"] = _("A project can move only its own cluster's indicators.")
    if errors:
        raise ValidationError(errors)


def _next_rank(cluster: Cluster, fiscal_year: int) -> int:
    last = (
        Project.objects.filter(cluster=cluster, fiscal_year=fiscal_year)
        .order_by("-rank")
        .values_list("rank", flat=True)
        .first()
    )
    return (last or 0) + 1


def _set_provinces(project: Project, provinces: Iterable[Province]) -> None:
    wanted = {p.pk for p in provinces}
    have = set(project.runs_in.values_list("province_id", flat=True))
    # Delete one by one so the audit history names each province removed.
    for row in project.runs_in.filter(province_id__in=have - wanted):
        row.delete()
    ProjectProvince.objects.bulk_create(
        [ProjectProvince(project=project, province_id=pk) for pk in sorted(wanted - have)]
    )


def _changed(project: Project) -> None:
    events.publish(events.PROJECT_CHANGED, cluster_id=project.cluster_id, project_id=project.pk)


@transaction.atomic
def project_create(
    *,
    cluster: Cluster,
    fiscal_year: int,
    code: str,
    name_th: str,
    objective: Any,
    provinces: Iterable[Province] = (),
    indicators: Iterable[Any] = (),
    alignment: Iterable[Any] | None = None,
    **fields: Any,
) -> Project:
    """Add a proposal (or a project) to the cluster's fiscal year, ranked last."""
    unknown = set(fields) - EDITABLE_FIELDS - {"status", "rank"}
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    provinces, indicators = list(provinces), list(indicators)
    clean = _check(cluster, fiscal_year, {"objective": objective, **fields})
    _check_code(cluster, fiscal_year, code, None)
    _check_links(cluster, provinces, indicators)
    clean.setdefault("rank", _next_rank(cluster, fiscal_year))
    project = Project.objects.create(
        cluster=cluster,
        fiscal_year=fiscal_year,
        code=code.strip(),
        name_th=name_th.strip(),
        **clean,
    )
    _set_provinces(project, provinces)
    project.indicators.set(indicators)
    if alignment is not None:
        from strategy.services import alignment_set

        alignment_set(element=project, targets=alignment)
    _changed(project)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    expected_version: int,
    provinces: Iterable[Province] | None = None,
    indicators: Iterable[Any] | None = None,
    alignment: Iterable[Any] | None = None,
    **fields: Any,
) -> Project:
    """Change a project, guarded by the version the person read (`StaleVersion` otherwise)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    current = {name: getattr(project, name) for name in EDITABLE_FIELDS}
    clean = _check(project.cluster, project.fiscal_year, {**current, **fields})
    clean = {name: clean[name] for name in fields}
    if "code" in clean:
        clean["code"] = clean["code"].strip()
        _check_code(project.cluster, project.fiscal_year, clean["code"], project.pk)
    if provinces is not None or indicators is not None:
        _check_links(project.cluster, list(provinces or []), list(indicators or []))
    save_guarded(project, expected_version=expected_version, fields=clean)  # type: ignore[type-var]
    if provinces is not None:
        _set_provinces(project, provinces)
    if indicators is not None:
        project.indicators.set(list(indicators))
    if alignment is not None:
        from strategy.services import alignment_set

        alignment_set(element=project, targets=alignment)
    _changed(project)
    return project


def project_set_status(*, project: Project, status: str, expected_version: int) -> Project:
    if status not in NEXT_STATUS.get(project.status, frozenset()):
        raise ValidationError(
            _("A %(old)s project cannot become %(new)s.")
            % {
                "old": Project.Status(project.status).label,
                "new": Project.Status(status).label,
            }
        )
    save_guarded(project, expected_version=expected_version, fields={"status": status})  # type: ignore[type-var]
    _changed(project)
    return project


def projects_follow_objectives(
    *,
    cluster_id: int | None = None,
    plan_id: int | None = None,
    successors: Mapping[Any, Any] | None = None,
    **_: Any,
) -> int:
    """Handler of PLAN_APPROVED (in the approval's transaction): projects on an old version's
    objectives move to their successors in one UPDATE; projects of objectives the review
    dropped move or stay as staff chose before the approval."""
    pairs = {int(old): int(new) for old, new in (successors or {}).items() if new is not None}
    changed = 0
    if pairs:
        changed += Project.objects.filter(objective_id__in=pairs).update(
            objective_id=Case(
                *[When(objective_id=old, then=Value(new)) for old, new in pairs.items()],
                output_field=IntegerField(),
            )
        )
    if plan_id is not None:
        planned = Project.objects.filter(planned_objective__plan_id=plan_id)
        changed += planned.update(objective_id=F("planned_objective_id"), planned_objective=None)
        Project.objects.filter(
            planned_retirement=True, objective__plan__cluster_id=cluster_id or 0
        ).update(planned_retirement=False)
    return changed


MOVE, RETIRE, CLEAR = "move", "retire", "clear"


def project_plan_fate(*, project: Project, action: str, objective: Any = None) -> Project:
    """Decide what happens to a project whose objective a plan review drops, once the new
    version is approved: move it to `objective` (of the cluster's draft version), keep it on
    the dropped objective as history, or undo the choice."""
    from strategy.models import Plan

    if action == MOVE:
        if objective is None:
            raise ValidationError({"objective": _("Choose the objective it moves to.")})
        if (
            objective.plan.cluster_id != project.cluster_id
            or objective.plan.status != Plan.Status.DRAFT
        ):
            raise ValidationError(
                {"objective": _("Choose an objective of the cluster's new draft version.")}
            )
        project.planned_objective, project.planned_retirement = objective, False
    elif action == RETIRE:
        project.planned_objective, project.planned_retirement = None, True
    elif action == CLEAR:
        project.planned_objective, project.planned_retirement = None, False
    else:
        raise ValidationError(_("Unknown action."))
    Project.objects.filter(pk=project.pk).update(
        planned_objective=project.planned_objective, planned_retirement=project.planned_retirement
    )
    return project
