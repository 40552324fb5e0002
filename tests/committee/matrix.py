"""Every committee URL × every persona (see tests/test_permission_matrix.py).

The committee's records are read by the cluster's staff, committee and central users and
changed by its staff; province officers reach only the action items of their province
(Chiang Mai here) and add notes to them; the sibling province's officer, other clusters'
staff and people without a role get 404.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committee.models import ActionItem, AgendaItem, Meeting, Member, Minutes
from committee.services import committees, decisions, meetings, papers
from tests.committee.pdfs import blank_pdf
from tests.test_permission_matrix import Case, signed_in, u

S = AgendaItem.Section


PDF = blank_pdf()


def reader(**overrides: int) -> dict[str, int]:
    """The cluster's staff, committee and central read; officers and outsiders get 404."""
    expect = {"province_officer": 404, "other_officer": 404, "other_staff": 404, "no_role": 404}
    return signed_in(200, **(expect | overrides))


def editor(ok: int = 200, **overrides: int) -> dict[str, int]:
    """OSM staff of the cluster (and administrators); committee and central get 403."""
    expect = {
        "osm_staff": ok,
        "admin": ok,
        "province_officer": 404,
        "other_officer": 404,
        "other_staff": 404,
        "no_role": 404,
    }
    return signed_in(403, **(expect | overrides))


def follower(ok: int = 200, readers: int = 200) -> dict[str, int]:
    """An action item of Chiang Mai: its officer (and the dual persona, officer of Chiang
    Mai) follow it up; the sibling province's officer gets 404."""
    return signed_in(
        readers,
        osm_staff=ok,
        admin=ok,
        province_officer=ok,
        other_officer=404,
        other_staff=404,
        no_role=404,
    )


def paper(name: str = "วาระ.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def build_subjects(ns: SimpleNamespace) -> None:
    world = ns.world
    today = timezone.localdate()
    staff = ns.people["osm_staff"]
    ns.cm_committee = committees.committee_for(world.cluster)
    ns.cm_member = committees.member_create(
        committee=ns.cm_committee,
        name="นายประธาน",
        position_title="ผู้ว่าราชการจังหวัดเชียงใหม่",
        role=Member.Role.CHAIR,
        term_start=dt.date(2023, 1, 1),
    )
    ns.cm_held = meetings.meeting_create(
        committee=ns.cm_committee, date=today - dt.timedelta(days=20), venue="ศาลากลาง"
    )
    ns.cm_item = meetings.agenda_item_create(
        meeting=ns.cm_held, section=S.FOR_CONSIDERATION, title="เรื่องทดสอบสิทธิ์"
    )
    meetings.meeting_mark_held(meeting=ns.cm_held, lock_version=ns.cm_held.lock_version)
    ns.cm_resolution = decisions.resolution_record(
        item=ns.cm_item, by=staff, kind="approved", text="เห็นชอบ"
    )
    ns.cm_action = decisions.action_item_create(
        resolution=ns.cm_resolution,
        by=staff,
        description="จัดทำรายงาน",
        owner_kind=ActionItem.Owner.PROVINCE,
        owner_province=world.province,
        due_date=today + dt.timedelta(days=30),
    )
    ns.cm_planned = meetings.meeting_create(
        committee=ns.cm_committee, date=today + dt.timedelta(days=20), venue="ศาลากลาง"
    )
    ns.cm_paper = papers.paper_add(item=ns.cm_item, upload=paper(), by=staff)


def fresh_member(s: SimpleNamespace) -> int:
    return committees.member_create(
        committee=s.cm_committee,
        name="กรรมการชั่วคราว",
        position_title="ผู้แทนภาคเอกชน",
        term_start=dt.date(2023, 1, 1),
    ).pk


def fresh_item(s: SimpleNamespace) -> int:
    return meetings.agenda_item_create(meeting=s.cm_planned, section=S.OTHER, title="เรื่องที่จะลบ").pk


def fresh_paper(s: SimpleNamespace) -> int:
    item = AgendaItem.objects.get(pk=s.cm_item.pk)
    return papers.paper_add(item=item, upload=paper(), by=None).pk


def lock(model: type, pk: int) -> int:
    return model.objects.get(pk=pk).lock_version  # type: ignore[attr-defined]


C = lambda s: s.world.cluster.pk  # noqa: E731
H = lambda s: s.cm_held.pk  # noqa: E731
PL = lambda s: s.cm_planned.pk  # noqa: E731
I = lambda s: s.cm_item.pk  # noqa: E731, E741
R = lambda s: s.cm_resolution.pk  # noqa: E731
A = lambda s: s.cm_action.pk  # noqa: E731


def _meeting_data(s: SimpleNamespace) -> dict[str, object]:
    return {
        "date": (timezone.localdate() + dt.timedelta(days=40)).isoformat(),
        "mode": "in_person",
        "venue": "ห้องประชุม",
    }


def _action_data(s: SimpleNamespace) -> dict[str, object]:
    return {
        "description": "ติดตามผล",
        "owner_kind": "province",
        "owner_province": s.world.province.pk,
        "due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "status": "open",
    }


def _minutes_data(s: SimpleNamespace) -> dict[str, object]:
    record = Minutes.objects.get(meeting=s.cm_held)
    data: dict[str, object] = {
        "opening": "ประธานกล่าวเปิดการประชุม",
        "lock_version": record.lock_version,
    }
    for row in record.attendance.all():
        data[f"att-{row.pk}-status"] = "present"
    return data


CASES: dict[str, list[Case]] = {
    "committee:index": [
        Case(
            u("committee:index"),
            signed_in(302, central=200, admin=200, no_role=403),
        )
    ],
    "committee:detail": [Case(u("committee:detail", C), reader())],
    "committee:settings": [
        Case(u("committee:settings", C), editor()),
        Case(
            u("committee:settings", C),
            editor(302),
            method="post",
            data=lambda s: {
                "name_th": "คณะกรรมการบริหารงานกลุ่มจังหวัดแบบบูรณาการ",
                "short_name": "ก.บ.ก.",
                "recording": "summary",
                "checker_block": "on",
                "lock_version": lock(type(s.cm_committee), s.cm_committee.pk),
            },
        ),
    ],
    "committee:member-create": [
        Case(u("committee:member-create", C), editor()),
        Case(
            u("committee:member-create", C),
            editor(302),
            method="post",
            data=lambda s: {
                "name": "นายกรรมการ",
                "position_title": "ผู้แทนภาคเอกชน",
                "role": "member",
                "term_start": "2023-01-01",
            },
        ),
    ],
    "committee:member-edit": [
        Case(u("committee:member-edit", lambda s: s.cm_member.pk), editor()),
        Case(
            u("committee:member-edit", lambda s: s.cm_member.pk),
            editor(302),
            method="post",
            data=lambda s: {
                "name": "นายประธาน",
                "position_title": "ผู้ว่าราชการจังหวัดเชียงใหม่",
                "role": "chair",
                "term_start": "2023-01-01",
                "order": 1,
            },
        ),
    ],
    "committee:member-delete": [
        Case(u("committee:member-delete", lambda s: s.cm_member.pk), editor()),
        Case(u("committee:member-delete", fresh_member), editor(302), method="post"),
    ],
    "committee:meeting-create": [
        Case(u("committee:meeting-create", C), editor()),
        Case(u("committee:meeting-create", C), editor(302), method="post", data=_meeting_data),
    ],
    "committee:register": [
        Case(u("committee:register", C), reader()),
        Case(
            lambda s: f"/committee/clusters/{C(s)}/resolutions/?q=ok&year=2569&follow_up=open",
            reader(),
            headers={"HX-Request": "true"},
        ),
    ],
    "committee:meeting-detail": [
        Case(u("committee:meeting-detail", H), reader()),
        Case(u("committee:meeting-detail", PL), reader(), headers={"HX-Request": "true"}),
    ],
    "committee:meeting-edit": [
        Case(u("committee:meeting-edit", PL), editor()),
        Case(
            u("committee:meeting-edit", PL),
            editor(302),
            method="post",
            data=lambda s: {
                **_meeting_data(s),
                "number": s.cm_planned.number,
                "lock_version": lock(Meeting, s.cm_planned.pk),
            },
        ),
    ],
    "committee:meeting-status": [
        Case(u("committee:meeting-status", PL), signed_in(405)),
        # The planned meeting lies ahead: "held" is refused with a message, back to the page.
        Case(
            u("committee:meeting-status", PL),
            editor(302),
            method="post",
            data=lambda s: {"status": "held", "lock_version": lock(Meeting, s.cm_planned.pk)},
        ),
    ],
    "committee:meeting-pull": [
        Case(u("committee:meeting-pull", PL), signed_in(405)),
        Case(
            u("committee:meeting-pull", PL),
            editor(302),
            method="post",
            data=lambda s: {"matters_arising": "on"},
        ),
    ],
    "committee:item-create": [
        Case(u("committee:item-create", PL), editor()),
        Case(
            u("committee:item-create", PL),
            editor(302),
            method="post",
            data=lambda s: {"section": 5, "title": "เรื่องใหม่", "topic": "general"},
        ),
    ],
    "committee:minutes": [
        Case(u("committee:minutes", H), reader()),
        Case(u("committee:minutes", PL), reader()),
    ],
    "committee:minutes-edit": [
        Case(u("committee:minutes-edit", H), editor()),
        Case(
            u("committee:minutes-edit", H),
            editor(302),
            method="post",
            data=_minutes_data,
        ),
    ],
    "committee:item-edit": [
        Case(u("committee:item-edit", I), editor()),
        Case(
            u("committee:item-edit", I),
            editor(302),
            method="post",
            data=lambda s: {
                "section": 5,
                "title": "เรื่องทดสอบสิทธิ์",
                "topic": "general",
                "lock_version": lock(AgendaItem, s.cm_item.pk),
            },
        ),
    ],
    "committee:item-move": [
        Case(u("committee:item-move", I), signed_in(405)),
        Case(
            u("committee:item-move", I),
            editor(302),
            method="post",
            data=lambda s: {"direction": "up"},
        ),
    ],
    "committee:item-delete": [
        Case(u("committee:item-delete", I), editor()),
        Case(u("committee:item-delete", fresh_item), editor(302), method="post"),
    ],
    "committee:paper-upload": [
        Case(u("committee:paper-upload", I), signed_in(405)),
        Case(
            u("committee:paper-upload", I),
            editor(302),
            method="post",
            data=lambda s: {"file": paper()},
        ),
    ],
    "committee:resolution-edit": [
        Case(u("committee:resolution-edit", I), editor()),
        Case(
            u("committee:resolution-edit", I),
            editor(302),
            method="post",
            data=lambda s: {
                "kind": "approved",
                "text": "เห็นชอบตามที่เสนอ",
                "lock_version": s.cm_resolution.__class__.objects.get(
                    pk=s.cm_resolution.pk
                ).lock_version,
            },
        ),
    ],
    "committee:paper-download": [
        Case(u("committee:paper-download", lambda s: s.cm_paper.pk), reader())
    ],
    "committee:paper-delete": [
        Case(u("committee:paper-delete", lambda s: s.cm_paper.pk), editor()),
        Case(u("committee:paper-delete", fresh_paper), editor(302), method="post"),
    ],
    "committee:action-create": [
        Case(u("committee:action-create", R), editor()),
        Case(u("committee:action-create", R), editor(302), method="post", data=_action_data),
    ],
    "committee:action-list": [
        Case(u("committee:action-list"), signed_in(200)),
        Case(lambda s: f"/committee/action-items/?status=overdue&cluster={C(s)}", signed_in(200)),
    ],
    "committee:action-detail": [Case(u("committee:action-detail", A), follower())],
    "committee:action-note": [
        Case(u("committee:action-note", A), signed_in(405)),
        Case(
            u("committee:action-note", A),
            follower(302, readers=403),
            method="post",
            data=lambda s: {"noted_on": timezone.localdate().isoformat(), "text": "ดำเนินการแล้ว"},
        ),
    ],
    "committee:action-edit": [
        Case(u("committee:action-edit", A), editor(province_officer=403)),
        Case(
            u("committee:action-edit", A),
            editor(302, province_officer=403),
            method="post",
            data=lambda s: {
                **_action_data(s),
                "lock_version": lock(ActionItem, s.cm_action.pk),
            },
        ),
    ],
}
