"""Meetings and their agenda: numbering per Buddhist-Era year, the status from planned to
held, items in the six standard sections and their order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committee.models import AgendaItem, Committee, Meeting
from osm.lib import dates
from osm.lib.locking import guarded_update

MEETING_FIELDS = ("number", "date", "start_time", "mode", "venue", "online_link")
ITEM_FIELDS = ("section", "title", "topic", "presenter", "summary", "proposal")
Section = AgendaItem.Section


def meeting_year(day: dt.date) -> int:
    """Meetings are numbered per Buddhist-Era calendar year, reset each January."""
    return dates.to_be(day.year)


def next_number(committee: Committee, year: int) -> int:
    found = Meeting.objects.filter(committee=committee, year=year).aggregate(n=Max("number"))["n"]
    return (found or 0) + 1


def _check_meeting(committee: Committee, fields: dict[str, Any], meeting: Meeting | None) -> None:
    mode = fields.get("mode", Meeting.Mode.IN_PERSON)
    if mode != Meeting.Mode.ONLINE and not (fields.get("venue") or "").strip():
        raise ValidationError({"venue": _("Give the venue of a meeting held in person.")})
    if mode != Meeting.Mode.IN_PERSON and not (fields.get("online_link") or "").strip():
        raise ValidationError({"online_link": _("Give the link of an online meeting.")})
    year = meeting_year(fields["date"])
    taken = Meeting.objects.filter(committee=committee, year=year, number=fields["number"])
    if meeting is not None:
        taken = taken.exclude(pk=meeting.pk)
    if taken.exists():
        raise ValidationError(
            {
                "number": _("Meeting no. %(number)s/%(year)s already exists.")
                % {"number": fields["number"], "year": year}
            }
        )


@transaction.atomic
def meeting_create(*, committee: Committee, by: Any = None, **fields: Any) -> Meeting:
    """Schedule a meeting: numbered next in its year unless a number is given; its agenda
    starts with the adoption of the previous meeting's minutes (section 2) and the open
    action items under matters arising (section 3)."""
    from committee.services import pulls

    clean = {k: v for k, v in fields.items() if k in MEETING_FIELDS}
    year = meeting_year(clean["date"])
    if not clean.get("number"):
        clean["number"] = next_number(committee, year)
    _check_meeting(committee, clean, None)
    meeting = Meeting.objects.create(committee=committee, year=year, created_by=by, **clean)
    previous_minutes_item(meeting)
    pulls.matters_arising_pull(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, lock_version: int | None, **fields: Any
) -> dict[str, tuple[Any, Any]]:
    clean = {k: v for k, v in fields.items() if k in MEETING_FIELDS}
    merged = {name: getattr(meeting, name) for name in MEETING_FIELDS} | clean
    _check_meeting(meeting.committee, merged, meeting)
    clean["year"] = meeting_year(merged["date"])
    if meeting.status != Meeting.Status.PLANNED and merged["date"] > timezone.localdate():
        raise ValidationError({"date": _("A meeting that was held cannot lie in the future.")})
    return guarded_update(meeting, expected=lock_version, fields=clean)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The committee's meeting before this one (by date, then number)."""
    return (
        Meeting.objects.filter(committee_id=meeting.committee_id, date__lte=meeting.date)
        .exclude(pk=meeting.pk)
        .exclude(date=meeting.date, number__gt=meeting.number)
        .order_by("-date", "-number")
        .first()
    )


def next_planned_meeting(committee_id: int, after: dt.date) -> Meeting | None:
    return (
        Meeting.objects.filter(
            committee_id=committee_id, status=Meeting.Status.PLANNED, date__gt=after
        )
        .order_by("date", "number")
        .first()
    )


def previous_minutes_item(meeting: Meeting) -> AgendaItem | None:
    """Section 2: the adoption of the minutes of the latest meeting held before this one
    whose minutes wait for adoption (none when there is no such meeting). Idempotent."""
    previous = (
        Meeting.objects.filter(
            committee_id=meeting.committee_id, status=Meeting.Status.HELD, date__lte=meeting.date
        )
        .exclude(pk=meeting.pk)
        .order_by("-date", "-number")
        .first()
    )
    if previous is None:
        return None
    source = f"minutes:{previous.pk}"
    found = AgendaItem.objects.filter(meeting=meeting, source=source).first()
    if found is not None:
        return found
    with translation.override("th"):
        title = _("Adoption of the minutes of meeting no. %(number)s/%(year)s of %(date)s") % {
            "number": previous.number,
            "year": previous.year,
            "date": dates.format_date(previous.date, style="long", language="th"),
        }
        proposal = _("For the meeting to adopt the minutes.")
    return AgendaItem.objects.create(
        meeting=meeting,
        section=Section.PREVIOUS_MINUTES,
        order=_next_order(meeting, Section.PREVIOUS_MINUTES),
        title=title[:400],
        topic=AgendaItem.Topic.MINUTES,
        proposal=proposal,
        source=source,
        minutes_of=previous,
    )


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, lock_version: int | None) -> Meeting:
    """The meeting took place: resolutions can be recorded and the minutes are drafted."""
    from committee.services.minutes import minutes_draft

    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be marked as held."))
    if meeting.date > timezone.localdate():
        raise ValidationError(_("A meeting cannot be marked as held before its date."))
    guarded_update(meeting, expected=lock_version, fields={"status": Meeting.Status.HELD})
    minutes_draft(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_mark_planned(*, meeting: Meeting, lock_version: int | None) -> Meeting:
    """Undo "held" (marked by mistake) while nothing was resolved at the meeting."""
    from committee.models import Resolution

    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Only a meeting marked as held can go back to planned."))
    if Resolution.objects.filter(item__meeting=meeting).exists():
        raise ValidationError(_("Resolutions were recorded at this meeting: it stays held."))
    guarded_update(meeting, expected=lock_version, fields={"status": Meeting.Status.PLANNED})
    return meeting


# --- Agenda items -------------------------------------------------------------------------


def _next_order(meeting: Meeting, section: int) -> int:
    found = AgendaItem.objects.filter(meeting=meeting, section=section).aggregate(n=Max("order"))
    return (found["n"] or 0) + 1


def _check_editable(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.MINUTES_APPROVED:
        raise ValidationError(_("The minutes of this meeting are approved: its agenda is closed."))


def _set_links(
    item: AgendaItem,
    plans: Iterable[Any] | None,
    indicators: Iterable[Any] | None,
    projects: Iterable[Any] | None,
) -> None:
    cluster_id = item.meeting.committee.cluster_id
    for label, objects in (
        ("plans", plans),
        ("indicators", indicators),
        ("projects", projects),
    ):
        if objects is None:
            continue
        objects = list(objects)
        if any(getattr(o, "cluster_id", cluster_id) != cluster_id for o in objects):
            raise ValidationError({label: _("Choose only what belongs to this cluster.")})
        getattr(item, label).set(objects)


@transaction.atomic
def agenda_item_create(
    *,
    meeting: Meeting,
    plans: Iterable[Any] | None = None,
    indicators: Iterable[Any] | None = None,
    projects: Iterable[Any] | None = None,
    **fields: Any,
) -> AgendaItem:
    _check_editable(meeting)
    clean = {k: v for k, v in fields.items() if k in ITEM_FIELDS}
    item = AgendaItem.objects.create(
        meeting=meeting, order=_next_order(meeting, clean["section"]), **clean
    )
    _set_links(item, plans, indicators, projects)
    return item


@transaction.atomic
def agenda_item_update(
    *,
    item: AgendaItem,
    lock_version: int | None,
    plans: Iterable[Any] | None = None,
    indicators: Iterable[Any] | None = None,
    projects: Iterable[Any] | None = None,
    **fields: Any,
) -> dict[str, tuple[Any, Any]]:
    _check_editable(item.meeting)
    clean = {k: v for k, v in fields.items() if k in ITEM_FIELDS}
    if "section" in clean and clean["section"] != item.section:
        if item.minutes_of_id or item.follows_id:
            raise ValidationError({"section": _("This item belongs in its section.")})
        clean["order"] = _next_order(item.meeting, clean["section"])
    changed = guarded_update(item, expected=lock_version, fields=clean)
    _set_links(item, plans, indicators, projects)
    return changed


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: str) -> AgendaItem:
    """Swap the item with its neighbour above ("up") or below ("down") in its section. The
    section's items are locked and renumbered 1…n first, so two people moving at once
    cannot leave two items on one place."""
    _check_editable(item.meeting)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move an item up or down."))
    rows = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id, section=item.section)
        .order_by("order", "pk")
    )
    index = next(i for i, row in enumerate(rows) if row.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    changed = []
    for position, row in enumerate(rows, start=1):
        if row.order != position:
            row.order = position
            changed.append(row)
    AgendaItem.objects.bulk_update(changed, ["order"])
    item.order = next(row.order for row in rows if row.pk == item.pk)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    """Take an item off the agenda with its papers. An item with a resolution stays: what
    the meeting resolved is a record."""
    from committee.services.papers import paper_delete

    _check_editable(item.meeting)
    if hasattr(item, "resolution"):
        raise ValidationError(_("The meeting resolved on this item: it cannot be deleted."))
    for paper in list(item.papers.all()):
        paper_delete(paper=paper)
    item.delete()
