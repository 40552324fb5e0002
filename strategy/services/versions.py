"""A plan version's end of life as a draft: approval (with the committee's approval record,
and what hangs on the old version's objectives moved to their successors) or deletion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osm import events, registry
from osm.lib.approvals import decision_fields
from strategy import selectors
from strategy.models import AlignmentLink, Objective, Plan, Review, StrategicIssue
from strategy.services.plans import plan_changed


def unresolved_dependents(
    succession: selectors.Succession,
) -> tuple[dict[int, list[registry.Dependent]], list[registry.Dependent]]:
    """What hangs on the objectives the new version drops (per objective id), and those
    items whose fate is not yet decided: neither retired nor moved to an objective of the
    new version."""
    dependents = registry.objective_dependents(o.pk for o in succession.dropped)
    new_ids = {o.pk for o in succession.objectives}
    open_items = [
        item
        for items in dependents.values()
        for item in items
        if not (item.retires or item.moves_to in new_ids)
    ]
    return dependents, open_items


@transaction.atomic
def plan_approve(
    *,
    plan: Plan,
    by: Any = None,
    approved_on: dt.date | None = None,
    resolution_text: str = "",
    resolution_meeting: str = "",
    decision_note: str = "",
    decision: Any = None,
) -> Plan:
    """Approve a draft version as the committee did on `approved_on` (today when not given;
    it may lie in the past, never in the future). The approved version it replaces is
    archived, and in the same transaction `PLAN_APPROVED` tells the other apps to move what
    hangs on the old objectives to their successors. Refused while anything hangs on an
    objective the new version drops without being moved or retired. `decision` is the
    committee's record of the resolution (a committee.Resolution) when it has one: the
    approval points at it (osm.lib.approvals)."""
    plan = Plan.objects.select_for_update().select_related("cluster").get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft version can be approved."))
    if not plan.objectives.exists():
        raise ValidationError(_("A plan needs at least one objective before it is approved."))
    today = timezone.localdate()
    approved_on = approved_on or today
    if approved_on > today:
        raise ValidationError({"approved_on": _("The approval date cannot lie in the future.")})
    succession = selectors.plan_succession(plan)
    _dependents, open_items = unresolved_dependents(succession)
    if open_items:
        raise ValidationError(
            ngettext(
                "%(n)s item still hangs on an objective this version drops: move it to an "
                "objective of this version or retire it before approving.",
                "%(n)s items still hang on objectives this version drops: move each to an "
                "objective of this version or retire it before approving.",
                len(open_items),
            )
            % {"n": len(open_items)}
        )
    for old in Plan.objects.select_for_update().filter(pk__in=[p.pk for p in succession.replaced]):
        old.status = Plan.Status.ARCHIVED
        old.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    plan.status = Plan.Status.APPROVED
    plan.approved_at = now
    plan.approved_on = approved_on
    plan.approved_by = by if by is not None and by.is_authenticated else None
    plan.resolution_text = resolution_text
    plan.resolution_meeting = resolution_meeting
    pointer = decision_fields(decision)
    for name, value in pointer.items():
        setattr(plan, name, value)
    plan.save(
        update_fields=[
            "status",
            "approved_at",
            "approved_on",
            "approved_by",
            "resolution_text",
            "resolution_meeting",
            *pointer,
            "updated_at",
        ]
    )
    review = Review.objects.filter(to_plan=plan).first()
    if review is not None:
        review.decision = Review.Decision.APPROVED
        review.decision_note = decision_note
        review.decided_at = now
        review.save(update_fields=["decision", "decision_note", "decided_at"])
    previous_id = plan.previous_id or (succession.replaced[0].pk if succession.replaced else None)
    events.publish(
        events.PLAN_APPROVED,
        cluster_id=plan.cluster_id,
        plan_id=plan.pk,
        previous_plan_id=previous_id,
        successors=dict(succession.successors),
    )
    for old in succession.replaced:
        plan_changed(old)
    plan_changed(plan)
    return plan


def draft_dependents(plan: Plan) -> list[tuple[Objective, list[registry.Dependent]]]:
    """What other apps hang on the draft's objectives (which keeps it from being deleted)."""
    objectives = {o.pk: o for o in plan.objectives.order_by("code")}
    found = registry.objective_dependents(objectives)
    return [(objectives[pk], found[pk]) for pk in objectives if pk in found]


@transaction.atomic
def plan_delete(*, plan: Plan, by: Any = None) -> None:
    """Delete a mistaken draft — a new plan or the draft version of a review (the review
    record goes with it; the approved version stays in force). Approved and archived
    versions are never deleted; a draft on whose objectives something hangs (indicators,
    projects) is kept until those are dealt with."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft version can be deleted."))
    in_use = draft_dependents(plan)
    if in_use:
        labels = [f"{item.kind} {item.label}" for _objective, items in in_use for item in items]
        raise ValidationError(
            _("This draft cannot be deleted while something hangs on its objectives: %(items)s.")
            % {"items": ", ".join(labels[:5]) + (" …" if len(labels) > 5 else "")}
        )
    # Alignment tags point at issues and objectives generically: no cascade removes them.
    AlignmentLink.objects.filter(
        Q(
            content_type=ContentType.objects.get_for_model(StrategicIssue),
            object_id__in=plan.issues.values("pk"),
        )
        | Q(
            content_type=ContentType.objects.get_for_model(Objective),
            object_id__in=plan.objectives.values("pk"),
        )
    ).delete()
    cluster_id, plan_id = plan.cluster_id, plan.pk
    plan.links.all().delete()
    plan.objectives.all().delete()
    plan.issues.all().delete()
    plan.delete()  # its review, if any, goes with it (Review.to_plan cascades)
    events.publish(events.PLAN_DELETED, cluster_id=cluster_id, plan_id=plan_id)
