"""Services of the committee: numbering, the agenda, resolutions and the approvals they
record, action items coming back under matters arising, and the minutes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from committee.models import ActionItem, AgendaItem, Attendance, Meeting, Minutes, Resolution
from committee.services import decisions, meetings, minutes
from osm.lib.locking import StaleVersion
from osm.models import Agency
from strategy.models import Plan

pytestmark = pytest.mark.django_db
S = AgendaItem.Section


def _meeting(committee_: Any, day: dt.date, **extra: Any) -> Meeting:
    return meetings.meeting_create(committee=committee_, date=day, venue="ศาลากลาง", **extra)


def test_meetings_are_numbered_per_buddhist_era_year(committee_: Any) -> None:
    first = _meeting(committee_, dt.date(2026, 2, 10))
    second = _meeting(committee_, dt.date(2026, 6, 10))
    next_year = _meeting(committee_, dt.date(2027, 1, 15))
    assert (first.number, first.year) == (1, 2569)
    assert (second.number, second.year) == (2, 2569)
    assert (next_year.number, next_year.year) == (1, 2570)
    assert second.label == "Meeting no. 2/2569"


def test_a_taken_number_is_refused_next_to_the_field(committee_: Any) -> None:
    _meeting(committee_, dt.date(2026, 2, 10))
    with pytest.raises(ValidationError) as error:
        _meeting(committee_, dt.date(2026, 3, 10), number=1)
    assert "number" in error.value.message_dict


def test_in_person_needs_a_venue_and_online_a_link(committee_: Any) -> None:
    with pytest.raises(ValidationError) as error:
        meetings.meeting_create(committee=committee_, date=dt.date(2026, 2, 10), venue="")
    assert "venue" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        meetings.meeting_create(
            committee=committee_, date=dt.date(2026, 2, 10), mode=Meeting.Mode.ONLINE
        )
    assert "online_link" in error.value.message_dict


def test_the_next_meeting_adopts_the_previous_minutes_in_section_2(
    held: Meeting, upcoming: Any
) -> None:
    first_items = list(held.items.all())
    assert not [i for i in first_items if i.section == S.PREVIOUS_MINUTES]
    nxt = upcoming()
    adoption = nxt.items.get(section=S.PREVIOUS_MINUTES)
    assert adoption.minutes_of == held
    assert f"{held.number}/{held.year}" in adoption.title


def test_marking_held_drafts_the_minutes_with_the_members(held: Meeting) -> None:
    record = Minutes.objects.get(meeting=held)
    names = list(record.attendance.values_list("name", flat=True))
    assert names[0] == "นายประธาน ผู้ว่าราชการ"
    assert len(names) == 3
    # Nobody is assistant secretary: the secretary takes the minutes, and nobody else checks.
    assert record.recorder_position == "ผู้อำนวยการกลุ่มงานบริหารยุทธศาสตร์กลุ่มจังหวัด"
    assert record.checker_name == ""
    assert held.status == Meeting.Status.HELD


def test_members_entered_in_any_order_are_listed_chair_first_and_secretary_last(
    world: Any, today: dt.date
) -> None:
    """A new cluster adds its secretary before its chair: the list and the minutes still
    read chair, vice chair, members, secretary, assistant secretary; the order set by hand
    orders the members within a role."""
    from committee.models import Member
    from committee.services import committees

    c = committees.committee_for(world.cluster)
    start = today - dt.timedelta(days=60)
    R = Member.Role
    for name, role in (
        ("ผู้ช่วยเลขานุการ", R.ASSISTANT_SECRETARY),
        ("เลขานุการ", R.SECRETARY),
        ("กรรมการ ก", R.MEMBER),
        ("ประธาน", R.CHAIR),
        ("กรรมการ ข", R.MEMBER),
        ("รองประธาน", R.VICE_CHAIR),
    ):
        committees.member_create(
            committee=c, name=name, position_title="ตำแหน่ง", role=role, term_start=start
        )
    expected = ["ประธาน", "รองประธาน", "กรรมการ ก", "กรรมการ ข", "เลขานุการ", "ผู้ช่วยเลขานุการ"]
    assert [m.name for m in committees.members_serving(c, today)] == expected
    meeting = meetings.meeting_create(
        committee=c, date=today - dt.timedelta(days=1), venue="ศาลากลางจังหวัด"
    )
    meetings.meeting_mark_held(meeting=meeting, lock_version=meeting.lock_version)
    record = Minutes.objects.get(meeting=meeting)
    assert list(record.attendance.values_list("name", flat=True)) == expected
    # The order set by hand moves member ข before ก, and no one past the chair.
    Member.objects.filter(committee=c, name="กรรมการ ข").update(order=0)
    names = [m.name for m in committees.members_serving(c, today)]
    assert names[:4] == ["ประธาน", "รองประธาน", "กรรมการ ข", "กรรมการ ก"]


def test_a_meeting_is_not_held_before_its_date(upcoming: Any) -> None:
    meeting = upcoming()
    with pytest.raises(ValidationError):
        meetings.meeting_mark_held(meeting=meeting, lock_version=meeting.lock_version)
    assert not Minutes.objects.filter(meeting=meeting).exists()


def test_moving_an_item_swaps_it_with_its_neighbour(upcoming: Any) -> None:
    meeting = upcoming()
    a, b, c = (
        meetings.agenda_item_create(meeting=meeting, section=S.FOR_CONSIDERATION, title=t)
        for t in ("ก", "ข", "ค")
    )
    meetings.agenda_item_move(item=c, direction="up")
    order = list(
        meeting.items.filter(section=S.FOR_CONSIDERATION)
        .order_by("order")
        .values_list("title", flat=True)
    )
    assert order == ["ก", "ค", "ข"]
    meetings.agenda_item_move(item=a, direction="up")  # already first: nothing moves
    meetings.agenda_item_move(item=a, direction="down")
    order = list(
        meeting.items.filter(section=S.FOR_CONSIDERATION)
        .order_by("order")
        .values_list("title", flat=True)
    )
    assert order == ["ค", "ก", "ข"]
    assert b.pk  # the third item stays in the section


def test_no_resolution_before_the_meeting_is_held(upcoming: Any, osm_staff: Any) -> None:
    item = meetings.agenda_item_create(meeting=upcoming(), section=S.FOR_INFORMATION, title="x")
    with pytest.raises(ValidationError):
        decisions.resolution_record(item=item, by=osm_staff, kind="noted", text="รับทราบ")
    assert not Resolution.objects.exists()


@pytest.fixture
def draft_plan(world: Any) -> Plan:
    from tests.factories import ObjectiveFactory, PlanFactory

    plan = PlanFactory(
        cluster=world.cluster, status=Plan.Status.DRAFT, start_year=2571, end_year=2575
    )
    ObjectiveFactory(issue__plan=plan)
    return plan


def test_a_resolution_approving_a_plan_is_the_record_the_approval_points_at(
    held: Meeting, osm_staff: Any, draft_plan: Plan
) -> None:
    item = meetings.agenda_item_create(meeting=held, section=S.FOR_CONSIDERATION, title="แผน")
    resolution = decisions.resolution_record(
        item=item,
        by=osm_staff,
        kind=Resolution.Kind.APPROVED,
        text="ที่ประชุมมีมติเห็นชอบแผนพัฒนากลุ่มจังหวัด",
        approves_plan=draft_plan,
    )
    draft_plan.refresh_from_db()
    assert draft_plan.status == Plan.Status.APPROVED
    assert draft_plan.decision == resolution
    assert draft_plan.approved_on == held.date
    assert held.label.split()[-1] in draft_plan.resolution_meeting
    assert resolution.applied_at is not None


def test_a_failed_approval_saves_no_resolution(held: Meeting, osm_staff: Any, world: Any) -> None:
    from tests.factories import PlanFactory

    empty = PlanFactory(
        cluster=world.cluster, status=Plan.Status.DRAFT, start_year=2571, end_year=2575
    )
    item = meetings.agenda_item_create(meeting=held, section=S.FOR_CONSIDERATION, title="แผน")
    with pytest.raises(ValidationError):
        decisions.resolution_record(
            item=item, by=osm_staff, kind="approved", text="เห็นชอบ", approves_plan=empty
        )
    assert not Resolution.objects.filter(item=item).exists()
    empty.refresh_from_db()
    assert empty.status == Plan.Status.DRAFT


def test_an_applied_approval_keeps_its_kind_but_its_wording_can_be_corrected(
    held: Meeting, osm_staff: Any, draft_plan: Plan
) -> None:
    item = meetings.agenda_item_create(meeting=held, section=S.FOR_CONSIDERATION, title="แผน")
    resolution = decisions.resolution_record(
        item=item, by=osm_staff, kind="approved", text="เห็นชอบ", approves_plan=draft_plan
    )
    with pytest.raises(ValidationError):
        decisions.resolution_record(
            item=item,
            by=osm_staff,
            kind="deferred",
            text="เลื่อน",
            approves_plan=draft_plan,
            lock_version=resolution.lock_version,
        )
    corrected = decisions.resolution_record(
        item=item,
        by=osm_staff,
        kind="approved",
        text="เห็นชอบตามที่เสนอ",
        approves_plan=draft_plan,
        lock_version=resolution.lock_version,
    )
    assert corrected.text == "เห็นชอบตามที่เสนอ"


def test_a_plan_of_another_cluster_is_refused(held: Meeting, osm_staff: Any, world: Any) -> None:
    from tests.factories import PlanFactory

    other = PlanFactory(cluster=world.other_cluster, status=Plan.Status.DRAFT)
    item = meetings.agenda_item_create(meeting=held, section=S.FOR_CONSIDERATION, title="แผน")
    with pytest.raises(ValidationError) as error:
        decisions.resolution_record(
            item=item, by=osm_staff, kind="approved", text="ก", approves_plan=other
        )
    assert "approves_plan" in error.value.message_dict


def test_a_resolution_approving_the_action_plan_approves_its_projects(
    held: Meeting, osm_staff: Any, world: Any
) -> None:
    from projects.models import ActionPlan, Project
    from projects.services.action_plans import action_plan_for, action_plan_set_ceiling
    from projects.services.projects import project_create
    from tests.factories import ObjectiveFactory, PlanFactory

    objective = ObjectiveFactory(issue__plan=PlanFactory(cluster=world.cluster))
    project = project_create(
        cluster=world.cluster,
        fiscal_year=2570,
        code="A1",
        name_th="โครงการ",
        objective=objective,
        requested=Decimal(1000),
    )
    plan = action_plan_for(cluster=world.cluster, fiscal_year=2570)
    action_plan_set_ceiling(plan=plan, ceiling=Decimal(5000), expected_version=plan.version)
    item = meetings.agenda_item_create(
        meeting=held, section=S.FOR_CONSIDERATION, title="แผนปฏิบัติราชการ"
    )
    resolution = decisions.resolution_record(
        item=item, by=osm_staff, kind="approved", text="อนุมัติ", approves_action_plan=plan
    )
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.status == ActionPlan.Status.APPROVED
    assert plan.decision == resolution
    project.refresh_from_db()
    assert project.status == Project.Status.APPROVED


def test_adopting_the_minutes_at_the_next_meeting_approves_them(
    held: Meeting, upcoming: Any, osm_staff: Any, today: dt.date
) -> None:
    nxt = upcoming(days=0)
    meetings.meeting_mark_held(meeting=nxt, lock_version=nxt.lock_version)
    adoption = nxt.items.get(section=S.PREVIOUS_MINUTES)
    decisions.resolution_record(
        item=adoption, by=osm_staff, kind="approved", text="รับรองรายงานการประชุม"
    )
    held.refresh_from_db()
    assert held.status == Meeting.Status.MINUTES_APPROVED
    record = Minutes.objects.get(meeting=held)
    assert record.approved_at_meeting == nxt
    assert record.approved_on == today


def _action(resolution: Resolution, world: Any, **extra: Any) -> ActionItem:
    fields = {
        "description": "จัดทำแผนการตลาด",
        "owner_kind": ActionItem.Owner.PROVINCE,
        "owner_province": world.province,
        "due_date": dt.date.today() + dt.timedelta(days=10),
    } | extra
    return decisions.action_item_create(resolution=resolution, by=None, **fields)


def test_open_action_items_appear_by_themselves_under_matters_arising(
    decided: AgendaItem, upcoming: Any, world: Any
) -> None:
    nxt = upcoming()
    assert not nxt.items.filter(section=S.MATTERS_ARISING).exists()
    _action(decided.resolution, world)
    arising = nxt.items.get(section=S.MATTERS_ARISING)
    assert arising.follows == decided.resolution
    # A second action item of the same resolution joins the same item.
    _action(decided.resolution, world, description="ติดตามผล")
    assert nxt.items.filter(section=S.MATTERS_ARISING).count() == 1


def test_a_meeting_scheduled_later_pulls_the_open_items_in(
    decided: AgendaItem, upcoming: Any, world: Any
) -> None:
    done = _action(decided.resolution, world)
    decisions.action_item_update(
        item=done, lock_version=done.lock_version, **_fields(done, status="done")
    )
    assert not upcoming(days=10).items.filter(section=S.MATTERS_ARISING).exists()
    _action(decided.resolution, world)
    assert (
        upcoming(days=40)
        .items.filter(section=S.MATTERS_ARISING, follows=decided.resolution)
        .exists()
    )


def _fields(item: ActionItem, **changes: Any) -> dict[str, Any]:
    return {
        "description": item.description,
        "owner_kind": item.owner_kind,
        "owner_agency": item.owner_agency,
        "owner_province": item.owner_province,
        "owner_user": item.owner_user,
        "due_date": item.due_date,
        "status": item.status,
    } | changes


def test_done_records_the_day_and_reopening_clears_it(
    decided: AgendaItem, world: Any, today: dt.date
) -> None:
    item = _action(decided.resolution, world)
    decisions.action_item_update(
        item=item, lock_version=item.lock_version, **_fields(item, status="done")
    )
    assert item.completed_on == today
    decisions.action_item_update(
        item=item, lock_version=item.lock_version, **_fields(item, status="in_progress")
    )
    assert item.completed_on is None


def test_an_agency_owner_is_followed_up_by_its_province(decided: AgendaItem, world: Any) -> None:
    agency = Agency.objects.create(name_th="สำนักงานพาณิชย์จังหวัดเชียงใหม่", province=world.province)
    item = _action(
        decided.resolution,
        world,
        owner_kind=ActionItem.Owner.AGENCY,
        owner_agency=agency,
        owner_province=world.sibling,  # of another kind: dropped
    )
    assert item.province == world.province
    assert item.owner_province is None


def test_an_action_item_needs_its_owner(decided: AgendaItem, world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        _action(decided.resolution, world, owner_kind=ActionItem.Owner.PERSON)
    assert "owner_user" in error.value.message_dict


def test_a_stale_action_item_edit_is_refused(decided: AgendaItem, world: Any) -> None:
    item = _action(decided.resolution, world)
    stale = item.lock_version
    decisions.action_item_update(item=item, lock_version=stale, **_fields(item, description="ใหม่"))
    with pytest.raises(StaleVersion):
        decisions.action_item_update(
            item=item, lock_version=stale, **_fields(item, description="เก่า")
        )


def test_a_follow_up_note_cannot_lie_in_the_future(
    decided: AgendaItem, world: Any, today: dt.date
) -> None:
    item = _action(decided.resolution, world)
    with pytest.raises(ValidationError):
        decisions.follow_up_add(item=item, by=None, text="ก", noted_on=today + dt.timedelta(days=1))
    note = decisions.follow_up_add(item=item, by=None, text="ดำเนินการแล้ว 50%")
    assert note.noted_on == today


def test_minutes_save_attendance_and_discussion_under_one_version(decided: AgendaItem) -> None:
    record = Minutes.objects.get(meeting=decided.meeting)
    row = record.attendance.order_by("order").first()
    version = record.lock_version
    changed = minutes.minutes_update(
        minutes=record,
        lock_version=version,
        attendance=[
            {
                "id": row.pk,
                "status": Attendance.Status.SUBSTITUTE,
                "substitute": "นายแทน รองผู้ว่า",
                "note": "",
            }
        ],
        item_texts={decided.pk: "ที่ประชุมอภิปรายอย่างกว้างขวาง"},
    )
    assert set(changed) == {"attendance", "items"}
    assert record.lock_version == version + 1
    decided.refresh_from_db()
    assert decided.minutes_text == "ที่ประชุมอภิปรายอย่างกว้างขวาง"
    with pytest.raises(StaleVersion):
        minutes.minutes_update(minutes=record, lock_version=version, opening="ประธานกล่าวเปิด")


def test_a_substitute_must_be_named(decided: AgendaItem) -> None:
    record = Minutes.objects.get(meeting=decided.meeting)
    row = record.attendance.first()
    with pytest.raises(ValidationError):
        minutes.minutes_update(
            minutes=record,
            lock_version=record.lock_version,
            attendance=[{"id": row.pk, "status": "substitute", "substitute": ""}],
        )
