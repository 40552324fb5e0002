"""Writes of the strategy app: plans, their structure, links, alignment tags and reviews."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from osm.models import Cluster
from strategy.models import (
    AlignmentLink,
    AlignmentTarget,
    Objective,
    ObjectiveLink,
    Perspective,
    Plan,
    Review,
    StrategicIssue,
)

NATIONAL_PLANS_CSV = Path(__file__).resolve().parent / "data" / "national_plans.csv"

# The public-sector Balanced Scorecard perspectives (PMQA practice), top band first.
DEFAULT_PERSPECTIVES = [
    (Perspective.Key.EFFECTIVENESS, "ด้านประสิทธิผล", "Effectiveness"),
    (Perspective.Key.SERVICE_QUALITY, "ด้านคุณภาพการให้บริการ", "Service quality"),
    (Perspective.Key.EFFICIENCY, "ด้านประสิทธิภาพ", "Efficiency"),
    (Perspective.Key.ORGANISATIONAL_DEVELOPMENT, "ด้านการพัฒนาองค์กร", "Organisational development"),
]


# --- Perspectives ---------------------------------------------------------------------------


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
    return perspective


# --- Plans ----------------------------------------------------------------------------------


def _check_years(start_year: int, end_year: int) -> None:
    if not 2500 <= start_year <= 2700 or not 2500 <= end_year <= 2700:
        raise ValidationError({"start_year": _("Give the years in the Buddhist Era (e.g. 2566).")})
    if end_year < start_year:
        raise ValidationError({"end_year": _("The last year must not come before the first.")})


@transaction.atomic
def plan_create(
    *,
    cluster: Cluster,
    title_th: str,
    start_year: int,
    end_year: int,
    title_en: str = "",
    vision_th: str = "",
    vision_en: str = "",
    by: Any = None,
) -> Plan:
    """A new draft plan (version 1 of its period, or the next version number)."""
    _check_years(start_year, end_year)
    perspectives_ensure(cluster=cluster)
    latest = Plan.objects.filter(
        cluster=cluster, start_year=start_year, end_year=end_year
    ).aggregate(v=Max("version"))["v"]
    return Plan.objects.create(
        cluster=cluster,
        title_th=title_th,
        title_en=title_en,
        start_year=start_year,
        end_year=end_year,
        vision_th=vision_th,
        vision_en=vision_en,
        version=(latest or 0) + 1,
        created_by=by if by is not None and by.is_authenticated else None,
    )


def plan_update(*, plan: Plan, **fields: Any) -> Plan:
    _check_years(fields.get("start_year", plan.start_year), fields.get("end_year", plan.end_year))
    if (
        Plan.objects.filter(
            cluster_id=plan.cluster_id,
            start_year=fields.get("start_year", plan.start_year),
            end_year=fields.get("end_year", plan.end_year),
            version=plan.version,
        )
        .exclude(pk=plan.pk)
        .exists()
    ):
        raise ValidationError(
            {"start_year": _("This cluster already has this version of a plan for these years.")}
        )
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save(update_fields=[*fields, "updated_at"])
    return plan


@transaction.atomic
def plan_approve(*, plan: Plan, decision_note: str = "", by: Any = None) -> Plan:
    """Approve a draft version; the approved version it replaces is archived."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft version can be approved."))
    if not plan.objectives.exists():
        raise ValidationError(_("A plan needs at least one objective before it is approved."))
    replaced = Plan.objects.filter(cluster_id=plan.cluster_id, status=Plan.Status.APPROVED).filter(
        Q(pk=plan.previous_id) | Q(start_year=plan.start_year, end_year=plan.end_year)
    )
    for old in replaced.select_for_update():
        old.status = Plan.Status.ARCHIVED
        old.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    plan.status = Plan.Status.APPROVED
    plan.approved_at = now
    plan.save(update_fields=["status", "approved_at", "updated_at"])
    review = Review.objects.filter(to_plan=plan).first()
    if review is not None:
        review.decision = Review.Decision.APPROVED
        review.decision_note = decision_note
        review.decided_at = now
        review.save(update_fields=["decision", "decision_note", "decided_at"])
    return plan


@transaction.atomic
def plan_reject(*, plan: Plan, decision_note: str = "", by: Any = None) -> Review:
    """Close a review without adopting its draft: the decision is recorded, the draft version
    is archived and the approved version stays in force."""
    review = Review.objects.select_for_update().filter(to_plan=plan).first()
    if review is None or review.decision != Review.Decision.PENDING:
        raise ValidationError(_("Only the draft of a review under way can be rejected."))
    if not decision_note.strip():
        raise ValidationError({"decision_note": _("Record the decision and its reason.")})
    review.decision = Review.Decision.REJECTED
    review.decision_note = decision_note
    review.decided_at = timezone.now()
    review.save(update_fields=["decision", "decision_note", "decided_at"])
    plan.status = Plan.Status.ARCHIVED
    plan.save(update_fields=["status", "updated_at"])
    return review


@transaction.atomic
def plan_review_start(*, plan: Plan, reason: str, fiscal_year: int, by: Any = None) -> Review:
    """ทบทวนยุทธศาสตร์: copy an approved plan, with its whole structure, into a new draft
    version and record why."""
    if plan.status != Plan.Status.APPROVED:
        raise ValidationError(_("Only the approved version of a plan can be reviewed."))
    if Review.objects.filter(from_plan=plan, decision=Review.Decision.PENDING).exists():
        raise ValidationError(_("A review of this version is already under way."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the review.")})
    draft = plan_copy(plan=plan, by=by)
    return Review.objects.create(
        from_plan=plan,
        to_plan=draft,
        fiscal_year=fiscal_year,
        reason=reason,
        started_by=by if by is not None and by.is_authenticated else None,
    )


@transaction.atomic
def plan_copy(*, plan: Plan, by: Any = None) -> Plan:
    """A new draft version holding a copy of `plan`'s issues, objectives, cause-and-effect
    links and alignment tags. Six queries whatever the plan's size."""
    latest = Plan.objects.filter(
        cluster_id=plan.cluster_id, start_year=plan.start_year, end_year=plan.end_year
    ).aggregate(v=Max("version"))["v"]
    draft = Plan.objects.create(
        cluster_id=plan.cluster_id,
        title_th=plan.title_th,
        title_en=plan.title_en,
        start_year=plan.start_year,
        end_year=plan.end_year,
        vision_th=plan.vision_th,
        vision_en=plan.vision_en,
        version=latest + 1,
        previous=plan,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    old_issues = list(plan.issues.all())
    new_issues = StrategicIssue.objects.bulk_create(
        [
            StrategicIssue(
                plan=draft,
                code=i.code,
                name_th=i.name_th,
                name_en=i.name_en,
                description=i.description,
                order=i.order,
            )
            for i in old_issues
        ]
    )
    issue_map = {old.pk: new for old, new in zip(old_issues, new_issues, strict=True)}
    old_objectives = list(plan.objectives.all())
    new_objectives = Objective.objects.bulk_create(
        [
            Objective(
                plan=draft,
                issue=issue_map[o.issue_id],
                perspective_id=o.perspective_id,
                code=o.code,
                name_th=o.name_th,
                name_en=o.name_en,
                description=o.description,
                order=o.order,
            )
            for o in old_objectives
        ]
    )
    objective_map = {old.pk: new for old, new in zip(old_objectives, new_objectives, strict=True)}
    ObjectiveLink.objects.bulk_create(
        [
            ObjectiveLink(
                plan=draft,
                cause=objective_map[link.cause_id],
                effect=objective_map[link.effect_id],
                note=link.note,
            )
            for link in plan.links.all()
        ]
    )
    issue_type = ContentType.objects.get_for_model(StrategicIssue)
    objective_type = ContentType.objects.get_for_model(Objective)
    tags = AlignmentLink.objects.filter(
        Q(content_type=issue_type, object_id__in=issue_map)
        | Q(content_type=objective_type, object_id__in=objective_map)
    )
    AlignmentLink.objects.bulk_create(
        [
            AlignmentLink(
                target_id=tag.target_id,
                content_type_id=tag.content_type_id,
                object_id=(
                    issue_map[tag.object_id].pk
                    if tag.content_type_id == issue_type.pk
                    else objective_map[tag.object_id].pk
                ),
            )
            for tag in tags
        ]
    )
    return draft


# --- Issues and objectives ------------------------------------------------------------------


def _check_code(model: type[models.Model], plan: Plan, code: str, exclude_pk: int | None) -> None:
    clash = model._default_manager.filter(plan=plan, code=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"code": _("Another item of this plan already uses this code.")})


def issue_create(
    *, plan: Plan, code: str, name_th: str, name_en: str = "", description: str = ""
) -> StrategicIssue:
    _check_code(StrategicIssue, plan, code, None)
    order = (plan.issues.aggregate(m=Max("order"))["m"] or 0) + 1
    return StrategicIssue.objects.create(
        plan=plan, code=code, name_th=name_th, name_en=name_en, description=description, order=order
    )


def issue_update(*, issue: StrategicIssue, **fields: Any) -> StrategicIssue:
    if "code" in fields:
        _check_code(StrategicIssue, issue.plan, fields["code"], issue.pk)
    for name, value in fields.items():
        setattr(issue, name, value)
    issue.save(update_fields=list(fields))
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
    _delete(issue)


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
) -> Objective:
    plan = issue.plan
    _check_objective_parts(plan, issue, perspective)
    _check_code(Objective, plan, code, None)
    order = (issue.objectives.aggregate(m=Max("order"))["m"] or 0) + 1
    return Objective.objects.create(
        plan=plan,
        issue=issue,
        perspective=perspective,
        code=code,
        name_th=name_th,
        name_en=name_en,
        description=description,
        order=order,
    )


def objective_update(*, objective: Objective, **fields: Any) -> Objective:
    plan = objective.plan
    _check_objective_parts(
        plan, fields.get("issue", objective.issue), fields.get("perspective", objective.perspective)
    )
    if "code" in fields:
        _check_code(Objective, plan, fields["code"], objective.pk)
    for name, value in fields.items():
        setattr(objective, name, value)
    objective.save(update_fields=list(fields))
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective) -> None:
    """Deletes the objective and its cause-and-effect links."""
    _delete(objective)


@transaction.atomic
def objective_move(*, objective: Objective, direction: str) -> Objective:
    _move(Objective.objects.filter(issue_id=objective.issue_id), objective, direction)
    return objective


# --- Cause-and-effect links -----------------------------------------------------------------


def reaches(edges: Iterable[tuple[Any, Any]], start: Any, goal: Any) -> bool:
    """Whether `goal` can be reached from `start` along `edges` (cause, effect)."""
    following: dict[Any, list[Any]] = defaultdict(list)
    for cause, effect in edges:
        following[cause].append(effect)
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in following[node]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def find_cycle_link(edges: list[tuple[Any, Any]]) -> tuple[Any, Any] | None:
    """The first edge, in order, that closes a cycle with the edges before it."""
    accepted: list[tuple[Any, Any]] = []
    for cause, effect in edges:
        if cause == effect or reaches(accepted, effect, cause):
            return cause, effect
        accepted.append((cause, effect))
    return None


@transaction.atomic
def link_create(*, cause: Objective, effect: Objective, note: str = "") -> ObjectiveLink:
    """A cause → effect link; refused when it would close a cycle."""
    if cause.plan_id != effect.plan_id:
        raise ValidationError({"effect": _("Both objectives must belong to the same plan.")})
    if cause.pk == effect.pk:
        raise ValidationError({"effect": _("An objective cannot cause itself.")})
    # Lock the plan row so two concurrent links cannot close a cycle together.
    Plan.objects.select_for_update().filter(pk=cause.plan_id).first()
    edges = list(
        ObjectiveLink.objects.filter(plan_id=cause.plan_id).values_list("cause_id", "effect_id")
    )
    if (cause.pk, effect.pk) in edges:
        raise ValidationError({"effect": _("These objectives are already linked.")})
    if reaches(edges, effect.pk, cause.pk):
        raise ValidationError(
            {
                "effect": _(
                    "This link would make a cycle: %(effect)s already leads, through other "
                    "links, to %(cause)s. Cause and effect must run one way."
                )
                % {"effect": effect.code, "cause": cause.code}
            }
        )
    return ObjectiveLink.objects.create(
        plan_id=cause.plan_id, cause=cause, effect=effect, note=note
    )


def link_delete(*, link: ObjectiveLink) -> None:
    link.delete()


# --- Alignment --------------------------------------------------------------------------------


@transaction.atomic
def alignment_set(
    *, element: models.Model, targets: Iterable[AlignmentTarget]
) -> list[AlignmentTarget]:
    """Make `element`'s tags exactly `targets` (adds and removes only the difference, so the
    audit history shows what changed)."""
    content_type = ContentType.objects.get_for_model(element)
    wanted = {t.pk for t in targets}
    current = AlignmentLink.objects.filter(content_type=content_type, object_id=element.pk)
    have = set(current.values_list("target_id", flat=True))
    for link in current.filter(target_id__in=have - wanted):
        link.delete()
    for target_id in sorted(wanted - have):
        AlignmentLink.objects.create(
            target_id=target_id, content_type=content_type, object_id=element.pk
        )
    return list(AlignmentTarget.objects.filter(pk__in=wanted))


@dataclass
class TargetLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def alignment_targets_load(
    *, path: Path = NATIONAL_PLANS_CSV, target_model: Any = AlignmentTarget, overwrite: bool = False
) -> TargetLoadReport:
    """Load the national planning layers from the shipped CSV. Idempotent: rows are matched by
    code; names an administrator corrected in the app are kept unless `overwrite`."""
    report = TargetLoadReport()
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {t.code: t for t in target_model.objects.all()}
    for order, row in enumerate(rows, start=1):
        fields = {
            "layer": row["layer"],
            "name_th": row["name_th"],
            "name_en": row["name_en"],
            "source": row.get("source", ""),
        }
        target = by_code.get(row["code"])
        if target is None:
            target = target_model.objects.create(code=row["code"], order=order, **fields)
            by_code[target.code] = target
            report.created += 1
        elif overwrite and any(getattr(target, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(target, k, v)
            target.save()
            report.updated += 1
        else:
            report.unchanged += 1
    for row in rows:
        target = by_code[row["code"]]
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        if target.parent_id is None and parent is not None:
            target.parent = parent
            target.save(update_fields=["parent"])
    return report
