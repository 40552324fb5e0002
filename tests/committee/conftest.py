"""Committee fixtures: the demo cluster's committee with members, a held meeting with a
resolution, and a planned meeting after it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from committee.models import AgendaItem, Committee, Meeting, Member
from committee.services import committees, decisions, meetings
from tests.conftest import World


@pytest.fixture(autouse=True)
def _english(client: Any) -> Any:
    """Assertions read English messages; pages and services speak English here."""
    from django.conf import settings
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def committee_(world: World, committee: Any, osm_staff: Any) -> Committee:
    """The demo cluster's committee: a chair without an account, the committee persona as a
    member, the staff persona as secretary."""
    c = committees.committee_for(world.cluster)
    start = dt.date(2023, 1, 1)
    committees.member_create(
        committee=c,
        name="นายประธาน ผู้ว่าราชการ",
        position_title="ผู้ว่าราชการจังหวัดเชียงใหม่",
        role=Member.Role.CHAIR,
        term_start=start,
    )
    committees.member_create(
        committee=c,
        user=committee,
        name="",
        position_title="รองผู้ว่าราชการจังหวัดลำพูน",
        role=Member.Role.MEMBER,
        term_start=start,
    )
    committees.member_create(
        committee=c,
        user=osm_staff,
        name="",
        position_title="ผู้อำนวยการกลุ่มงานบริหารยุทธศาสตร์กลุ่มจังหวัด",
        role=Member.Role.SECRETARY,
        term_start=start,
    )
    return c


@pytest.fixture
def held(committee_: Committee, today: dt.date) -> Meeting:
    """A meeting held a month ago."""
    meeting = meetings.meeting_create(
        committee=committee_,
        date=today - dt.timedelta(days=30),
        venue="ห้องประชุมศาลากลางจังหวัดเชียงใหม่",
        mode=Meeting.Mode.IN_PERSON,
    )
    meetings.meeting_mark_held(meeting=meeting, lock_version=meeting.lock_version)
    return meeting


@pytest.fixture
def decided(held: Meeting, osm_staff: Any) -> AgendaItem:
    """An item of the held meeting with a resolution."""
    item = meetings.agenda_item_create(
        meeting=held,
        section=AgendaItem.Section.FOR_CONSIDERATION,
        title="การขับเคลื่อนการท่องเที่ยวเชิงสร้างสรรค์",
        summary="ฝ่ายเลขานุการเสนอแนวทาง",
        proposal="เพื่อโปรดพิจารณา",
    )
    decisions.resolution_record(
        item=item, by=osm_staff, kind="approved", text="ที่ประชุมเห็นชอบ ให้จังหวัดดำเนินการ"
    )
    item.refresh_from_db()
    return item


@pytest.fixture
def upcoming(committee_: Committee, today: dt.date) -> Any:
    def make(days: int = 20) -> Meeting:
        return meetings.meeting_create(
            committee=committee_,
            date=today + dt.timedelta(days=days),
            mode=Meeting.Mode.ONLINE,
            online_link="https://meet.example.test/kbk",
        )

    return make
