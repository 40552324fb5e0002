"""Resolutions, the approvals they record, action items and their follow-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committee.models import ActionItem, AgendaItem, FollowUpNote, Meeting, Resolution
from committee.services.pulls import follow_up_in_next_meeting
from osm.lib import dates
from osm.lib.locking import guarded_update

ACTION_FIELDS = (
    "description",
    "owner_kind",
    "owner_agency",
    "owner_province",
    "owner_user",
    "due_date",
    "status",
)


def meeting_reference(meeting: Meeting) -> str:
    """How an approval names its meeting: "ครั้งที่ 3/2569 เมื่อวันที่ 12 มีนาคม 2569"."""
    with translation.override("th"):
        return _("%(meeting)s of %(date)s") % {
            "meeting": meeting.label,
            "date": dates.format_date(meeting.date, style="long", language="th"),
        }


def _check_target(item: AgendaItem, plan: Any, action_plan: Any) -> None:
    from projects.models import ActionPlan
    from strategy.models import Plan

    cluster_id = item.meeting.committee.cluster_id
    if plan is not None and action_plan is not None:
        raise ValidationError(_("A resolution approves one plan at most."))
    if plan is not None and (plan.cluster_id != cluster_id or plan.status != Plan.Status.DRAFT):
        raise ValidationError({"approves_plan": _("Choose a draft plan of this cluster.")})
    if action_plan is not None and (
        action_plan.cluster_id != cluster_id or action_plan.status != ActionPlan.Status.DRAFT
    ):
        raise ValidationError(
            {"approves_action_plan": _("Choose a draft annual action plan of this cluster.")}
        )


def _apply(resolution: Resolution, by: Any) -> None:
    """Carry out what an approving resolution approves, through the approval service of the
    app that owns it; the approval then points at this resolution."""
    from projects.models import ActionPlan
    from projects.services.action_plans import action_plan_approve
    from strategy.services.versions import plan_approve

    item = resolution.item
    meeting = item.meeting
    reference = meeting_reference(meeting)
    if resolution.approves_plan is not None:
        plan_approve(
            plan=resolution.approves_plan,
            by=by,
            approved_on=meeting.date,
            resolution_text=resolution.text,
            resolution_meeting=reference,
            decision=resolution,
        )
    elif resolution.approves_action_plan_id:
        plan = ActionPlan.objects.get(pk=resolution.approves_action_plan_id)
        action_plan_approve(
            plan=plan,
            by=by,
            expected_version=plan.version,
            approved_on=meeting.date,
            resolution_text=resolution.text,
            resolution_meeting=reference,
            decision=resolution,
        )
    elif item.minutes_of is not None:
        from committee.services.minutes import minutes_approve

        minutes_approve(meeting=item.minutes_of, at=meeting)
    else:
        return
    resolution.applied_at = timezone.now()
    resolution.save(update_fields=["applied_at", "updated_at"])


@transaction.atomic
def resolution_record(
    *,
    item: AgendaItem,
    by: Any,
    kind: str,
    text: str,
    approves_plan: Any = None,
    approves_action_plan: Any = None,
    lock_version: int | None = None,
) -> Resolution:
    """Record (or correct) what the meeting resolved on `item`. When it approves a plan, a
    plan review, the annual action plan or the previous minutes, that approval is carried
    out in the same transaction, once; a failed approval saves nothing."""
    meeting = item.meeting
    if meeting.status == Meeting.Status.PLANNED:
        raise ValidationError(_("Resolutions are recorded once the meeting is marked as held."))
    if not text.strip():
        raise ValidationError({"text": _("Write the resolution.")})
    existing = Resolution.objects.select_for_update().filter(item=item).first()
    applied = existing is not None and existing.applied_at is not None
    if applied:
        assert existing is not None
        if (
            kind not in Resolution.APPROVING
            or approves_plan != existing.approves_plan
            or approves_action_plan != existing.approves_action_plan
        ):
            raise ValidationError(
                _(
                    "The approval this resolution recorded has been carried out: only its "
                    "wording can be corrected."
                )
            )
    else:
        _check_target(item, approves_plan, approves_action_plan)
    fields = {
        "kind": kind,
        "text": text.strip(),
        "approves_plan": approves_plan,
        "approves_action_plan": approves_action_plan,
    }
    if existing is None:
        resolution = Resolution.objects.create(item=item, recorded_by=by, **fields)
    else:
        resolution = existing
        guarded_update(resolution, expected=lock_version, fields=fields)
    resolution.item = item
    if not applied and resolution.approves:
        _apply(resolution, by)
    return resolution


# --- Action items ----------------------------------------------------------------------------


def _owner_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Keep only the owner of the chosen kind, and derive the province that follows it up."""
    kind = fields.get("owner_kind")
    owners = {
        ActionItem.Owner.AGENCY: "owner_agency",
        ActionItem.Owner.PROVINCE: "owner_province",
        ActionItem.Owner.PERSON: "owner_user",
    }
    if kind not in owners:
        raise ValidationError({"owner_kind": _("Choose who is responsible.")})
    chosen = owners[kind]
    if fields.get(chosen) is None:
        raise ValidationError(
            {
                chosen: _("Choose the responsible %(kind)s.")
                % {"kind": ActionItem.Owner(kind).label.lower()}
            }
        )
    for name in owners.values():
        if name != chosen:
            fields[name] = None
    if kind == ActionItem.Owner.PROVINCE:
        fields["province"] = fields["owner_province"]
    elif kind == ActionItem.Owner.AGENCY:
        fields["province"] = fields["owner_agency"].province
    else:
        fields["province"] = None
    return fields


def _check_owner(cluster_id: int, fields: dict[str, Any]) -> None:
    province = fields.get("owner_province")
    if province is not None and province.cluster_id != cluster_id:
        raise ValidationError({"owner_province": _("Choose a province of this cluster.")})
    agency = fields.get("owner_agency")
    if agency is not None and not agency.is_active:
        raise ValidationError({"owner_agency": _("This agency is no longer active.")})


@transaction.atomic
def action_item_create(*, resolution: Resolution, by: Any, **fields: Any) -> ActionItem:
    """Ask somebody to act on a resolution by a date. The item appears under matters
    arising of the committee's next planned meeting."""
    clean = _owner_fields({k: v for k, v in fields.items() if k in ACTION_FIELDS})
    cluster_id = resolution.item.meeting.committee.cluster_id
    _check_owner(cluster_id, clean)
    clean.setdefault("status", ActionItem.Status.OPEN)
    if clean["status"] == ActionItem.Status.DONE:
        clean["completed_on"] = timezone.localdate()
    item = ActionItem.objects.create(
        resolution=resolution, cluster_id=cluster_id, created_by=by, **clean
    )
    if item.is_open:
        follow_up_in_next_meeting(resolution)
    return item


@transaction.atomic
def action_item_update(
    *, item: ActionItem, lock_version: int | None, **fields: Any
) -> dict[str, tuple[Any, Any]]:
    """Change an action item (staff); done records the day it was completed, reopening
    brings it back under matters arising of the next meeting."""
    clean = _owner_fields({k: v for k, v in fields.items() if k in ACTION_FIELDS})
    _check_owner(item.cluster_id, clean)
    was_open = item.is_open
    status = clean.get("status", item.status)
    if status == ActionItem.Status.DONE and item.status != ActionItem.Status.DONE:
        clean["completed_on"] = timezone.localdate()
    elif status != ActionItem.Status.DONE:
        clean["completed_on"] = None
    changed = guarded_update(item, expected=lock_version, fields=clean)
    if item.is_open and not was_open:
        follow_up_in_next_meeting(item.resolution)
    return changed


def follow_up_add(
    *, item: ActionItem, by: Any, text: str, noted_on: dt.date | None = None
) -> FollowUpNote:
    """A dated note on the progress of an action item."""
    noted_on = noted_on or timezone.localdate()
    if noted_on > timezone.localdate():
        raise ValidationError({"noted_on": _("The date cannot lie in the future.")})
    if not text.strip():
        raise ValidationError({"text": _("Write what has been done.")})
    return FollowUpNote.objects.create(
        action_item=item, by=by, noted_on=noted_on, text=text.strip()
    )
