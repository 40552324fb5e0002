"""The minutes of a meeting: drafted from the agenda, the members and the resolutions,
edited by the secretariat, approved at the next meeting (agenda section 2)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from committee.models import AgendaItem, Attendance, Meeting, Member, Minutes
from committee.services.committees import members_serving
from osm.lib.locking import StaleVersion, guarded_update

MINUTES_FIELDS = (
    "started_at",
    "ended_at",
    "opening",
    "other_attendees",
    "recorder_name",
    "recorder_position",
    "checker_name",
    "checker_position",
)


def _signer(members: list[Member], role: str) -> Member | None:
    return next((m for m in members if m.role == role), None)


@transaction.atomic
def minutes_draft(*, meeting: Meeting) -> Minutes:
    """Start the minutes (once): every member serving on the day listed as present, the
    assistant secretary as minute-taker and the secretary as checker, each item's
    discussion drafted from its summary. Idempotent."""
    found = Minutes.objects.filter(meeting=meeting).first()
    if found is not None:
        return found
    members = members_serving(meeting.committee, meeting.date)
    recorder = _signer(members, Member.Role.ASSISTANT_SECRETARY) or _signer(
        members, Member.Role.SECRETARY
    )
    checker = _signer(members, Member.Role.SECRETARY)
    minutes = Minutes.objects.create(
        meeting=meeting,
        started_at=meeting.start_time,
        recorder_name=recorder.name if recorder else "",
        recorder_position=recorder.position_title if recorder else "",
        checker_name=checker.name if checker and checker != recorder else "",
        checker_position=checker.position_title if checker and checker != recorder else "",
    )
    Attendance.objects.bulk_create(
        Attendance(
            minutes=minutes,
            member=m,
            name=m.name,
            position_title=m.position_title,
            order=i,
        )
        for i, m in enumerate(members, start=1)
    )
    items = list(AgendaItem.objects.filter(meeting=meeting, minutes_text=""))
    for item in items:
        item.minutes_text = item.summary
    AgendaItem.objects.bulk_update([i for i in items if i.minutes_text], ["minutes_text"])
    return minutes


def _check_times(fields: Mapping[str, Any], minutes: Minutes) -> None:
    start = fields.get("started_at", minutes.started_at)
    end = fields.get("ended_at", minutes.ended_at)
    if start and end and end <= start:
        raise ValidationError({"ended_at": _("The meeting must end after it started.")})


@transaction.atomic
def minutes_update(
    *,
    minutes: Minutes,
    lock_version: int | None,
    attendance: Iterable[Mapping[str, Any]] = (),
    item_texts: Mapping[int, str] | None = None,
    **fields: Any,
) -> dict[str, tuple[Any, Any]]:
    """Save the edited minutes as a whole: the header fields (guarded by the minutes'
    version), each attendance row ({"id", "status", "substitute", "note"}) and each item's
    discussion ({item id: text}). Approved minutes are not edited."""
    if minutes.is_approved:
        raise ValidationError(_("These minutes are approved; they are no longer edited."))
    # The whole of the minutes is guarded by their version: rows and texts included.
    current = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if lock_version is not None and current.lock_version != lock_version:
        raise StaleVersion(current)
    clean = {k: v for k, v in fields.items() if k in MINUTES_FIELDS}
    _check_times(clean, minutes)
    rows = {row.pk: row for row in minutes.attendance.all()}
    changed_rows = []
    for data in attendance:
        row = rows.get(int(data["id"]))
        if row is None:
            continue
        status = data.get("status", row.status)
        if status not in Attendance.Status.values:
            raise ValidationError(_("Choose how each member attended."))
        substitute = (data.get("substitute") or "").strip()
        if status == Attendance.Status.SUBSTITUTE and not substitute:
            raise ValidationError(_("Name the substitute of %(name)s.") % {"name": row.name})
        new = (status, substitute, (data.get("note") or "").strip())
        if (row.status, row.substitute, row.note) != new:
            row.status, row.substitute, row.note = new
            changed_rows.append(row)
    texts = {int(k): v.strip() for k, v in (item_texts or {}).items()}
    items = list(AgendaItem.objects.filter(meeting=minutes.meeting, pk__in=texts))
    changed_items = [i for i in items if i.minutes_text != texts[i.pk]]
    for item in changed_items:
        item.minutes_text = texts[item.pk]
    changed = guarded_update(minutes, expected=None, fields=clean)
    if (changed_rows or changed_items) and not changed:
        # The version moves on whenever anything of the minutes changed, so a second editor
        # who read them before cannot overwrite the rows or texts either.
        Minutes.objects.filter(pk=minutes.pk).update(lock_version=F("lock_version") + 1)
        minutes.lock_version += 1
    Attendance.objects.bulk_update(changed_rows, ["status", "substitute", "note"])
    AgendaItem.objects.bulk_update(changed_items, ["minutes_text"])
    if changed_rows:
        changed["attendance"] = (len(changed_rows), len(changed_rows))
    if changed_items:
        changed["items"] = (len(changed_items), len(changed_items))
    return changed


@transaction.atomic
def minutes_approve(*, meeting: Meeting, at: Meeting) -> Minutes:
    """The minutes of `meeting` were adopted at the meeting `at` (its section 2)."""
    minutes = minutes_draft(meeting=meeting)
    if minutes.is_approved:
        return minutes
    if meeting.status == Meeting.Status.PLANNED:
        raise ValidationError(_("A meeting that was not held has no minutes to adopt."))
    minutes.approved_at_meeting = at
    minutes.approved_on = at.date
    minutes.save(update_fields=["approved_at_meeting", "approved_on", "updated_at"])
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.MINUTES_APPROVED, lock_version=F("lock_version") + 1
    )
    meeting.status = Meeting.Status.MINUTES_APPROVED
    return minutes
