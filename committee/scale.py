"""National-scale committee data for load and benchmark runs (``manage.py seed_scale``).

For every cluster: its committee with twelve members; four meetings a year over the scale
years that lie in the past (their agendas in the six sections, a resolution per item, action
items — some open, some overdue — with follow-up notes, minutes approved at the next
meeting); and one meeting two weeks ahead with a full agenda: the previous minutes, the open
action items, the off-track indicators and the projects behind plan pulled in, items of its
own and three PDF papers. Built in bulk; clusters that have it are skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from committee.models import (
    ActionItem,
    AgendaItem,
    AgendaPaper,
    Committee,
    FollowUpNote,
    Meeting,
    Member,
    Resolution,
)
from osm.lib import dates
from osm.models import Cluster

S = AgendaItem.Section
MARK = "ห้องประชุมจำลองระดับประเทศ"  # the venue of scale meetings: how a rerun knows them
ITEMS = [
    (S.ANNOUNCEMENTS, "เรื่องที่ประธานแจ้ง", AgendaItem.Topic.GENERAL, "noted"),
    (S.MATTERS_ARISING, "ติดตามผลการดำเนินงานตามมติ", AgendaItem.Topic.FOLLOW_UP, "noted"),
    (S.FOR_INFORMATION, "ผลการดำเนินงานตามตัวชี้วัด", AgendaItem.Topic.PERFORMANCE, "noted"),
    (S.FOR_INFORMATION, "ผลการเบิกจ่ายงบประมาณ", AgendaItem.Topic.PROJECTS, "noted"),
    (S.FOR_INFORMATION, "ความก้าวหน้าโครงการสำคัญ", AgendaItem.Topic.PROJECTS, "noted"),
    (S.FOR_CONSIDERATION, "การโอนเปลี่ยนแปลงงบประมาณ", AgendaItem.Topic.PROJECTS, "approved"),
    (S.FOR_CONSIDERATION, "การทบทวนค่าเป้าหมายตัวชี้วัด", AgendaItem.Topic.PERFORMANCE, "approved_changes"),
    (S.FOR_CONSIDERATION, "แนวทางการจัดทำคำของบประมาณ", AgendaItem.Topic.PLAN, "approved"),
    (S.OTHER, "กำหนดการประชุมครั้งต่อไป", AgendaItem.Topic.GENERAL, "noted"),
]  # fmt: skip
TEXT = (
    "ฝ่ายเลขานุการได้รวบรวมข้อมูลผลการดำเนินงานของจังหวัดในกลุ่มจังหวัด พบว่าการเบิกจ่ายงบประมาณ"
    "ต่ำกว่าเป้าหมายของรัฐบาล เนื่องจากการจัดซื้อจัดจ้างล่าช้า และผลการดำเนินงานตามตัวชี้วัดบางตัว"
    "ต่ำกว่าค่าเป้าหมาย จึงเสนอให้ที่ประชุมพิจารณาแนวทางการเร่งรัดและการปรับแผน"
)


def _meeting_days(years: range, today: dt.date) -> list[dt.date]:
    """Four meetings a fiscal year (mid-December, March, June, September), past ones only."""
    found = []
    for year in years:
        q1 = dates.FiscalQuarter(year, 1).start
        for month_offset in (2, 5, 8, 11):
            month = (q1.month - 1 + month_offset) % 12 + 1
            day = dt.date(q1.year + (q1.month - 1 + month_offset) // 12, month, 15)
            if day < today - dt.timedelta(days=7):
                found.append(day)
    return found


def scale_seed(years: range, clusters: int | None = None, *, seed: int = 2570) -> str:
    from committee.services.committees import committee_for

    started = time.monotonic()
    rng = random.Random(seed)
    paper = _paper_pdf()
    made = 0
    for cluster in Cluster.objects.order_by("number")[:clusters]:
        committee = committee_for(cluster)
        if Meeting.objects.filter(committee=committee, venue=MARK).exists():
            continue
        with transaction.atomic():
            made += _seed_cluster(committee, years, rng)
            _upcoming(committee, paper)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE committee_meeting, committee_agendaitem, committee_resolution, "
                "committee_actionitem, committee_followupnote"
            )
    return f"committee: {made} meetings in {time.monotonic() - started:.1f} s"


def _members(committee: Committee) -> None:
    provinces = list(committee.cluster.provinces.order_by("code"))
    rows = [(f"ผู้ว่าราชการจังหวัด{p.name_th}", Member.Role.MEMBER) for p in provinces]
    rows[0] = (rows[0][0], Member.Role.CHAIR)
    rows += [(f"ผู้แทนภาคเอกชนคนที่ {n}", Member.Role.MEMBER) for n in range(1, 12 - len(rows))]
    rows += [
        ("ผู้อำนวยการกลุ่มงานบริหารยุทธศาสตร์กลุ่มจังหวัด", Member.Role.SECRETARY),
        ("นักวิเคราะห์นโยบายและแผน", Member.Role.ASSISTANT_SECRETARY),
    ]
    Member.objects.bulk_create(
        Member(
            committee=committee,
            name=f"กรรมการจำลอง {i}",
            position_title=position,
            role=role,
            term_start=dt.date(2022, 10, 1),
            order=i,
        )
        for i, (position, role) in enumerate(rows, start=1)
    )


def _seed_cluster(committee: Committee, years: range, rng: random.Random) -> int:
    today = timezone.localdate()
    _members(committee)
    days = _meeting_days(years, today)
    # Numbers continue after meetings the committee already has (the demo's, say).
    numbers: dict[int, int] = dict(
        Meeting.objects.filter(committee=committee)
        .values("year")
        .annotate(n=Max("number"))
        .values_list("year", "n")
    )
    meetings = []
    for day in days:
        year = dates.to_be(day.year)
        numbers[year] = numbers.get(year, 0) + 1
        meetings.append(
            Meeting(
                committee=committee,
                number=numbers[year],
                year=year,
                date=day,
                start_time=dt.time(9, 30),
                venue=MARK,
                status=Meeting.Status.MINUTES_APPROVED,
            )
        )
    if meetings:
        meetings[-1].status = Meeting.Status.HELD
    meetings = Meeting.objects.bulk_create(meetings)
    items = []
    for meeting in meetings:
        for order, (section, title, topic, _kind) in enumerate(ITEMS, start=1):
            items.append(
                AgendaItem(
                    meeting=meeting, section=section, order=order, title=f"{title} {meeting}",
                    topic=topic, summary=TEXT, proposal="เพื่อโปรดพิจารณา", minutes_text=TEXT,
                )
            )  # fmt: skip
    items = AgendaItem.objects.bulk_create(items)
    kinds = {title: kind for _s, title, _t, kind in ITEMS}
    resolutions = Resolution.objects.bulk_create(
        Resolution(
            item=item,
            kind=kinds[item.title.rsplit(" ", 1)[0]],
            text="ที่ประชุมมีมติเห็นชอบตามที่ฝ่ายเลขานุการเสนอ และมอบหมายให้หน่วยงานที่เกี่ยวข้องดำเนินการ",
        )
        for item in items
    )
    provinces = list(committee.cluster.provinces.order_by("code"))
    actions = []
    for resolution, item in zip(resolutions, items, strict=True):
        if item.section != S.FOR_CONSIDERATION:
            continue
        meeting_day = next(m.date for m in meetings if m.pk == item.meeting_id)
        due = meeting_day + dt.timedelta(days=rng.choice([30, 45, 60, 90]))
        late = due < today
        status = rng.choices(
            [ActionItem.Status.DONE, ActionItem.Status.IN_PROGRESS, ActionItem.Status.OPEN],
            weights=[80, 12, 8] if late else [10, 50, 40],
        )[0]
        province = rng.choice(provinces)
        actions.append(
            ActionItem(
                resolution=resolution, cluster_id=committee.cluster_id,
                description=f"ดำเนินการตามมติ{item.title}", owner_kind=ActionItem.Owner.PROVINCE,
                owner_province=province, province=province, due_date=due, status=status,
                completed_on=min(due, today) if status == ActionItem.Status.DONE else None,
            )
        )  # fmt: skip
    actions = ActionItem.objects.bulk_create(actions)
    FollowUpNote.objects.bulk_create(
        FollowUpNote(
            action_item=a,
            noted_on=min(a.due_date, today),
            text="หน่วยงานรายงานความก้าวหน้าการดำเนินงาน",
        )
        for a in actions
        if a.status != ActionItem.Status.OPEN
    )
    return len(meetings)


def _paper_pdf() -> bytes:
    from osm.lib.pdf import render_pdf

    return render_pdf(
        "committee/pdf/demo_paper.html",
        {
            "title": "เอกสารประกอบการพิจารณา",
            "subtitle": "ข้อมูลจำลองระดับประเทศ",
            "paragraphs": [TEXT] * 12,
            "headers": ["รายการ", "จำนวนเงิน (บาท)"],
            "rows": [[f"รายการที่ {n}", f"{n * 125_000:,.2f}"] for n in range(1, 40)],
        },
        language="th",
    )


def _upcoming(committee: Committee, paper: bytes) -> Meeting:
    """The next meeting, its agenda brought up to date and three papers attached."""
    from pypdf import PdfReader

    from committee.services import meetings, pulls

    meeting = meetings.meeting_create(
        committee=committee,
        date=timezone.localdate() + dt.timedelta(days=14),
        start_time=dt.time(9, 30),
        venue=MARK,
    )
    pulls.pull_all(meeting=meeting)
    pages = len(PdfReader(ContentFile(paper)).pages)
    for n, (section, title, topic, _kind) in enumerate(ITEMS[5:8], start=1):
        item = meetings.agenda_item_create(
            meeting=meeting, section=section, title=f"{title} (ครั้งหน้า)", topic=topic,
            summary=TEXT, proposal="เพื่อโปรดพิจารณา",
        )  # fmt: skip
        record = AgendaPaper(
            item=item,
            original_name=f"เอกสารประกอบวาระ {n}.pdf",
            content_type="application/pdf",
            size=len(paper),
            pages=pages,
            sha256=hashlib.sha256(paper).hexdigest(),
            order=1,
        )
        record.file.save(f"scale-{n}.pdf", ContentFile(paper), save=False)
        record.save()
    return meeting


def scale_meeting(cluster: Cluster) -> Any:
    """The scale data's upcoming meeting of `cluster` (for the pack benchmark)."""
    return (
        Meeting.objects.filter(
            committee__cluster=cluster, venue=MARK, status=Meeting.Status.PLANNED
        )
        .order_by("-date")
        .first()
    )
