"""Plans and their versions: create, edit, review (copy into a new draft), reject. Approval
and deletion of a version are in `strategy.services.versions`."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from osm import events
from osm.lib.locking import guarded_update
from osm.models import Cluster
from strategy.models import (
    AlignmentLink,
    Objective,
    ObjectiveLink,
    Plan,
    Review,
    StrategicIssue,
)
from strategy.services.structure import perspectives_ensure


def plan_changed(plan: Plan) -> None:
    events.publish(events.PLAN_CHANGED, cluster_id=plan.cluster_id, plan_id=plan.pk)


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
    plan = Plan.objects.create(
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
    plan_changed(plan)
    return plan


def plan_update(*, plan: Plan, lock_version: int | None = None, **fields: Any) -> Plan:
    """Change a plan's title, years or vision; `lock_version` is the version the person read
    (a stale form raises StaleVersion with the newer plan)."""
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
    if guarded_update(plan, expected=lock_version, fields=fields):
        plan_changed(plan)
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
    plan_changed(plan)
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
    plan_changed(draft)
    return Review.objects.create(
        from_plan=plan,
        to_plan=draft,
        fiscal_year=fiscal_year,
        reason=reason,
        started_by=by if by is not None and by.is_authenticated else None,
    )


@transaction.atomic
def plan_copy(*, plan: Plan, by: Any = None) -> Plan:
    """A new draft version holding a copy of `plan`'s issues, objectives (each keeping its
    lasting identity, `lineage`), cause-and-effect links and alignment tags. Six queries
    whatever the plan's size."""
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
                lineage=o.lineage,
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
