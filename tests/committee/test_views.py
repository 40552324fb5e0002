"""Committee pages: the agenda's order with and without htmx, paper uploads, who sees what,
the register's filters and the query counts of the list pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committee.models import ActionItem, AgendaItem, AgendaPaper, FollowUpNote, Meeting, Resolution
from committee.services import decisions, meetings, papers
from tests.committee.pdfs import blank_pdf

pytestmark = pytest.mark.django_db
S = AgendaItem.Section


@pytest.fixture
def planned(upcoming: Any) -> Meeting:
    meeting = upcoming()
    for title in ("ก ท่องเที่ยว", "ข เกษตร", "ค ฝุ่นควัน"):
        meetings.agenda_item_create(meeting=meeting, section=S.FOR_CONSIDERATION, title=title)
    return meeting


def _titles(meeting: Meeting) -> list[str]:
    return list(
        meeting.items.filter(section=S.FOR_CONSIDERATION)
        .order_by("order", "pk")
        .values_list("title", flat=True)
    )


def test_moving_without_javascript_redirects_back_to_the_item(
    client: Any, osm_staff: Any, planned: Meeting
) -> None:
    client.force_login(osm_staff)
    last = planned.items.get(title="ค ฝุ่นควัน")
    response = client.post(reverse("committee:item-move", args=[last.pk]), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/committee/meetings/{planned.pk}/#item-{last.pk}")
    assert _titles(planned) == ["ก ท่องเที่ยว", "ค ฝุ่นควัน", "ข เกษตร"]


def test_moving_with_htmx_returns_the_agenda_fragment_in_the_new_order(
    client: Any, osm_staff: Any, planned: Meeting
) -> None:
    client.force_login(osm_staff)
    first = planned.items.get(title="ก ท่องเที่ยว")
    response = client.post(
        reverse("committee:item-move", args=[first.pk]),
        {"direction": "down"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="agenda"' in html
    assert html.index("ข เกษตร") < html.index("ก ท่องเที่ยว") < html.index("ค ฝุ่นควัน")
    assert _titles(planned) == ["ข เกษตร", "ก ท่องเที่ยว", "ค ฝุ่นควัน"]


def test_the_agenda_page_shows_move_buttons_as_plain_forms(
    client: Any, osm_staff: Any, planned: Meeting
) -> None:
    client.force_login(osm_staff)
    html = client.get(reverse("committee:meeting-detail", args=[planned.pk])).content.decode()
    item = planned.items.get(title="ข เกษตร")
    url = reverse("committee:item-move", args=[item.pk])
    assert f'<form method="post" action="{url}" hx-post="{url}"' in html


def test_the_committee_reads_the_agenda_without_edit_controls(
    client: Any, committee: Any, planned: Meeting
) -> None:
    client.force_login(committee)
    html = client.get(reverse("committee:meeting-detail", args=[planned.pk])).content.decode()
    assert "ข เกษตร" in html
    assert "item-move" not in html and "/move/" not in html


def test_moving_is_staff_only(client: Any, committee: Any, planned: Meeting) -> None:
    client.force_login(committee)
    item = planned.items.first()
    assert (
        client.post(reverse("committee:item-move", args=[item.pk]), {"direction": "up"}).status_code
        == 403
    )


def test_agenda_page_query_count_does_not_grow_with_items(
    client: Any, osm_staff: Any, planned: Meeting, django_assert_num_queries: Any
) -> None:
    client.force_login(osm_staff)
    url = reverse("committee:meeting-detail", args=[planned.pk])
    client.get(url)
    with django_assert_num_queries(13) as few:
        client.get(url)
    for n in range(6):
        item = meetings.agenda_item_create(meeting=planned, section=S.OTHER, title=f"เพิ่ม {n}")
        papers.paper_add(item=item, upload=SimpleUploadedFile("x.pdf", blank_pdf()), by=osm_staff)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


# --- Papers -----------------------------------------------------------------------------------


def _upload(client: Any, item: AgendaItem, name: str, content: bytes) -> Any:
    return client.post(
        reverse("committee:paper-upload", args=[item.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_a_pdf_paper_is_kept_privately_and_downloaded_through_the_scoped_view(
    client: Any,
    osm_staff: Any,
    committee: Any,
    province_officer: Any,
    planned: Meeting,
    settings: Any,
) -> None:
    item = planned.items.first()
    client.force_login(osm_staff)
    assert _upload(client, item, "เอกสาร.pdf", blank_pdf(2)).status_code == 302
    paper = AgendaPaper.objects.get(item=item)
    assert paper.pages == 2
    assert str(settings.PRIVATE_MEDIA_ROOT) in paper.file.path
    client.force_login(committee)
    response = client.get(reverse("committee:paper-download", args=[paper.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(province_officer)
    assert client.get(reverse("committee:paper-download", args=[paper.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("virus.exe", b"MZ\x90\x00", "Only PDF and office files"),
        ("renamed.pdf", b"MZ\x90\x00 not a pdf", "does not match its type"),
        ("renamed.docx", b"%PDF-1.4 pretending", "does not match its type"),
        ("zip.docx", b"PK\x03\x04 broken zip", "does not match its type"),
        ("broken.pdf", b"%PDF-1.4 no body", "cannot be read"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_bad_paper_is_refused_next_to_the_field_and_nothing_is_kept(
    client: Any, osm_staff: Any, planned: Meeting, name: str, content: bytes, error: str
) -> None:
    client.force_login(osm_staff)
    response = _upload(client, planned.items.first(), name, content)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not AgendaPaper.objects.exists()


def test_a_paper_over_the_size_limit_is_refused_before_it_is_read(
    client: Any, osm_staff: Any, planned: Meeting, monkeypatch: Any
) -> None:
    monkeypatch.setattr(papers, "PAPER_MAX_BYTES", 1000)
    client.force_login(osm_staff)
    response = _upload(client, planned.items.first(), "big.pdf", blank_pdf() + b" " * 2000)
    assert response.status_code == 400
    assert "at most 20 MB" in response.content.decode()
    assert not AgendaPaper.objects.exists()


def test_an_office_file_is_checked_inside_its_zip(
    client: Any, osm_staff: Any, planned: Meeting
) -> None:
    import io
    import zipfile

    def ooxml(folder: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(f"{folder}document.xml", "<x/>")
        return buffer.getvalue()

    client.force_login(osm_staff)
    item = planned.items.first()
    assert _upload(client, item, "ok.docx", ooxml("word/")).status_code == 302
    assert _upload(client, item, "wrong.xlsx", ooxml("word/")).status_code == 400
    assert list(AgendaPaper.objects.values_list("original_name", "pages")) == [("ok.docx", None)]


# --- Action items: who sees and follows them up -----------------------------------------------


@pytest.fixture
def actions(decided: AgendaItem, world: Any, today: dt.date) -> dict[str, ActionItem]:
    def make(province: Any, description: str) -> ActionItem:
        return decisions.action_item_create(
            resolution=decided.resolution, by=None, description=description,
            owner_kind=ActionItem.Owner.PROVINCE, owner_province=province,
            due_date=today + dt.timedelta(days=5),
        )  # fmt: skip

    return {
        "mine": make(world.province, "งานของเชียงใหม่"),
        "theirs": make(world.sibling, "งานของจังหวัดอื่น"),
    }


def test_a_province_officer_sees_only_the_action_items_of_their_province(
    client: Any, province_officer: Any, actions: dict[str, ActionItem], decided: AgendaItem
) -> None:
    client.force_login(province_officer)
    html = client.get(reverse("committee:action-list")).content.decode()
    assert "งานของเชียงใหม่" in html and "งานของจังหวัดอื่น" not in html
    assert client.get(actions["theirs"].get_absolute_url()).status_code == 404
    page = client.get(actions["mine"].get_absolute_url()).content.decode()
    assert "งานของเชียงใหม่" in page
    assert decided.resolution.text not in page  # nothing else of the committee
    assert (
        client.get(reverse("committee:meeting-detail", args=[decided.meeting_id])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("committee:detail", args=[decided.meeting.committee.cluster_id])
        ).status_code
        == 404
    )


def test_a_province_officer_adds_a_dated_note_to_their_province_only(
    client: Any, province_officer: Any, actions: dict[str, ActionItem], today: dt.date
) -> None:
    client.force_login(province_officer)
    data = {"noted_on": today.isoformat(), "text": "ดำเนินการแล้วร้อยละ 60"}
    assert (
        client.post(reverse("committee:action-note", args=[actions["mine"].pk]), data).status_code
        == 302
    )
    assert (
        client.post(reverse("committee:action-note", args=[actions["theirs"].pk]), data).status_code
        == 404
    )
    note = FollowUpNote.objects.get()
    assert (note.action_item, note.by, note.noted_on) == (actions["mine"], province_officer, today)


def test_a_note_dated_in_the_future_is_refused_next_to_the_field(
    client: Any, province_officer: Any, actions: dict[str, ActionItem], today: dt.date
) -> None:
    client.force_login(province_officer)
    response = client.post(
        reverse("committee:action-note", args=[actions["mine"].pk]),
        {"noted_on": (today + dt.timedelta(days=2)).isoformat(), "text": "ล่วงหน้า"},
    )
    assert response.status_code == 400
    assert "id_noted_on-errors" in response.content.decode()
    assert not FollowUpNote.objects.exists()


def test_the_committee_reads_an_action_item_but_adds_no_note(
    client: Any, committee: Any, actions: dict[str, ActionItem], today: dt.date
) -> None:
    client.force_login(committee)
    assert client.get(actions["theirs"].get_absolute_url()).status_code == 200
    response = client.post(
        reverse("committee:action-note", args=[actions["theirs"].pk]),
        {"noted_on": today.isoformat(), "text": "x"},
    )
    assert response.status_code == 403


def test_action_list_query_count_is_flat(
    client: Any,
    osm_staff: Any,
    actions: dict[str, ActionItem],
    decided: AgendaItem,
    world: Any,
    today: dt.date,
    django_assert_num_queries: Any,
) -> None:
    client.force_login(osm_staff)
    url = reverse("committee:action-list") + "?status=all"
    client.get(url)
    with django_assert_num_queries(6) as before:
        client.get(url)
    for n in range(5):
        decisions.action_item_create(
            resolution=decided.resolution, by=None, description=f"เพิ่ม {n}",
            owner_kind=ActionItem.Owner.PERSON, owner_user=osm_staff, due_date=today,
        )  # fmt: skip
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)


def test_a_stale_action_item_edit_shows_the_conflict(
    client: Any, osm_staff: Any, actions: dict[str, ActionItem], world: Any, today: dt.date
) -> None:
    item = actions["mine"]
    client.force_login(osm_staff)
    data = {
        "description": "แก้ไข", "owner_kind": "province", "owner_province": world.province.pk,
        "due_date": today.isoformat(), "status": "open", "lock_version": item.lock_version,
    }  # fmt: skip
    assert client.post(reverse("committee:action-edit", args=[item.pk]), data).status_code == 302
    response = client.post(
        reverse("committee:action-edit", args=[item.pk]), data | {"description": "ซ้อน"}
    )
    assert response.status_code == 409
    assert 'id="conflict"' in response.content.decode()
    item.refresh_from_db()
    assert item.description == "แก้ไข"


# --- The register of resolutions --------------------------------------------------------------


@pytest.fixture
def register_data(
    held: Meeting, osm_staff: Any, world: Any, today: dt.date
) -> dict[str, Resolution]:
    found = {}
    for key, title, topic in (
        ("plan", "ทบทวนแผนพัฒนากลุ่มจังหวัด", AgendaItem.Topic.PLAN),
        ("money", "เร่งรัดการเบิกจ่าย", AgendaItem.Topic.PROJECTS),
        ("quiet", "รับทราบผลการดำเนินงาน", AgendaItem.Topic.PERFORMANCE),
    ):
        item = meetings.agenda_item_create(
            meeting=held, section=S.FOR_CONSIDERATION, title=title, topic=topic
        )
        found[key] = decisions.resolution_record(
            item=item, by=osm_staff, kind="approved", text=f"มติเรื่อง{title}"
        )
    overdue = decisions.action_item_create(
        resolution=found["money"], by=None, description="ส่งแผนเร่งรัด", owner_kind="province",
        owner_province=world.province, due_date=today - dt.timedelta(days=1),
    )  # fmt: skip
    assert overdue.is_overdue_on(today)
    done = decisions.action_item_create(
        resolution=found["plan"], by=None, description="จัดประชุม", owner_kind="person",
        owner_user=osm_staff, due_date=today,
    )  # fmt: skip
    decisions.action_item_update(
        item=done, lock_version=done.lock_version, description=done.description, owner_kind="person",
        owner_user=osm_staff, due_date=today, status="done",
    )  # fmt: skip
    return found


def _register(client: Any, cluster: Any, **query: Any) -> str:
    url = reverse("committee:register", args=[cluster.pk])
    return client.get(url, query).content.decode()


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"q": "เบิกจ่าย"}, ["เร่งรัดการเบิกจ่าย"], ["ทบทวนแผน", "รับทราบผล"]),
        ({"topic": "plan"}, ["ทบทวนแผน"], ["เร่งรัดการเบิกจ่าย", "รับทราบผล"]),
        ({"follow_up": "overdue"}, ["เร่งรัดการเบิกจ่าย"], ["ทบทวนแผน", "รับทราบผล"]),
        ({"follow_up": "open"}, ["เร่งรัดการเบิกจ่าย"], ["ทบทวนแผน", "รับทราบผล"]),
        ({"follow_up": "done"}, ["ทบทวนแผน"], ["เร่งรัดการเบิกจ่าย", "รับทราบผล"]),
        ({"follow_up": "none"}, ["รับทราบผล"], ["ทบทวนแผน", "เร่งรัดการเบิกจ่าย"]),
    ],
)
def test_the_register_filters(
    client: Any,
    committee: Any,
    world: Any,
    register_data: Any,
    query: dict,
    shown: list,
    hidden: list,
) -> None:
    client.force_login(committee)
    html = _register(client, world.cluster, **query)
    for text in shown:
        assert text in html
    for text in hidden:
        assert text not in html


def test_the_register_filters_by_year(
    client: Any, committee: Any, osm_staff: Any, world: Any, register_data: Any, held: Meeting
) -> None:
    earlier = meetings.meeting_create(
        committee=held.committee, date=dt.date(2025, 3, 1), venue="ศาลากลาง"
    )
    meetings.meeting_mark_held(meeting=earlier, lock_version=earlier.lock_version)
    item = meetings.agenda_item_create(meeting=earlier, section=S.OTHER, title="เรื่องของปีก่อน")
    decisions.resolution_record(item=item, by=osm_staff, kind="noted", text="รับทราบ")
    client.force_login(committee)
    this_year = _register(client, world.cluster, year=held.year)
    assert "เร่งรัดการเบิกจ่าย" in this_year and "เรื่องของปีก่อน" not in this_year
    last_year = _register(client, world.cluster, year=earlier.year)
    assert "เร่งรัดการเบิกจ่าย" not in last_year and "เรื่องของปีก่อน" in last_year


def test_the_register_pages_and_its_query_count_is_pinned(
    client: Any,
    committee: Any,
    world: Any,
    register_data: Any,
    held: Meeting,
    osm_staff: Any,
    django_assert_num_queries: Any,
) -> None:
    client.force_login(committee)
    url = reverse("committee:register", args=[world.cluster.pk])
    client.get(url)
    # session, user, roles, cluster, committee, years, count, inbox badge, the page's rows
    with django_assert_num_queries(9):
        client.get(url)
    for n in range(30):
        item = meetings.agenda_item_create(meeting=held, section=S.OTHER, title=f"เรื่องอื่นที่ {n}")
        decisions.resolution_record(item=item, by=osm_staff, kind="noted", text=f"รับทราบ {n}")
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.context["page"].paginator.num_pages == 2
    assert len(response.context["page"].object_list) == 25
    assert "page=2" in response.content.decode()


def test_the_register_is_not_for_province_officers(
    client: Any, province_officer: Any, world: Any
) -> None:
    client.force_login(province_officer)
    assert client.get(reverse("committee:register", args=[world.cluster.pk])).status_code == 404


# --- Resolutions, minutes ----------------------------------------------------------------------


def test_recording_a_resolution_through_the_page(
    client: Any, osm_staff: Any, held: Meeting
) -> None:
    item = meetings.agenda_item_create(
        meeting=held, section=S.FOR_INFORMATION, title="รายงานผล", proposal="เพื่อทราบ"
    )
    client.force_login(osm_staff)
    url = reverse("committee:resolution-edit", args=[item.pk])
    assert "เพื่อทราบ" in client.get(url).content.decode()  # the proposal is the starting text
    response = client.post(url, {"kind": "noted", "text": "ที่ประชุมรับทราบ"})
    assert response.status_code == 302
    assert Resolution.objects.get(item=item).text == "ที่ประชุมรับทราบ"


def test_a_resolution_on_a_planned_meeting_is_refused_on_the_form(
    client: Any, osm_staff: Any, planned: Meeting
) -> None:
    client.force_login(osm_staff)
    item = planned.items.first()
    response = client.post(
        reverse("committee:resolution-edit", args=[item.pk]), {"kind": "noted", "text": "x"}
    )
    assert response.status_code == 400
    assert "marked as held" in response.content.decode()


def test_editing_the_minutes_records_a_substitute(
    client: Any, osm_staff: Any, held: Meeting
) -> None:
    from committee.models import Minutes

    record = Minutes.objects.get(meeting=held)
    row = record.attendance.order_by("order").first()
    client.force_login(osm_staff)
    url = reverse("committee:minutes-edit", args=[held.pk])
    data = {f"att-{r.pk}-status": "present" for r in record.attendance.all()}
    data |= {"lock_version": record.lock_version, f"att-{row.pk}-status": "substitute"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert f"id_att-{row.pk}-substitute-errors" in response.content.decode()
    data[f"att-{row.pk}-substitute"] = "นายแทน รองผู้ว่าราชการจังหวัด"
    data["started_at"] = "09:30"
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("committee:minutes", args=[held.pk])).content.decode()
    assert "นายแทน รองผู้ว่าราชการจังหวัด" in page


def test_the_approved_plan_links_to_the_resolution_for_the_committee_only(
    client: Any, osm_staff: Any, committee: Any, province_officer: Any, held: Meeting, world: Any
) -> None:
    from strategy.models import Plan
    from tests.factories import ObjectiveFactory, PlanFactory

    plan = PlanFactory(
        cluster=world.cluster, status=Plan.Status.DRAFT, start_year=2571, end_year=2575
    )
    ObjectiveFactory(issue__plan=plan)
    item = meetings.agenda_item_create(meeting=held, section=S.FOR_CONSIDERATION, title="แผน")
    decisions.resolution_record(
        item=item, by=osm_staff, kind="approved", text="เห็นชอบแผน", approves_plan=plan
    )
    client.force_login(committee)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="link-decision"' in html
    assert f"/committee/meetings/{held.pk}/#item-{item.pk}" in html
    client.force_login(province_officer)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    assert 'data-testid="link-decision"' not in response.content.decode()
