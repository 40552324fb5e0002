"""Demo data (seed_demo, order 50): the demo cluster's committee with its members, a meeting
held six weeks ago (resolutions, action items — one overdue — and minutes waiting for
adoption) and one in two weeks with a full agenda: the previous minutes, the open action
items, the off-track indicators and projects behind plan pulled in, items of its own and
small real papers (PDF, a workbook, and a Word file typed in TH SarabunPSK, converted to PDF
for the pack). Its meeting pack is generated, so a committee member can download it at
once. Idempotent: a committee with meetings is left alone."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from committee.models import ActionItem, AgendaItem, Attendance, Meeting, Member, Minutes
from committee.services import committees, decisions, meetings, minutes, papers, pulls
from osm.lib.pdf import render_pdf
from osm.models import Agency

S = AgendaItem.Section
T = AgendaItem.Topic
PDF_TYPE = "application/pdf"


def seed(context: Any) -> None:
    if getattr(context, "key", ""):
        return  # the committee demo is the main cluster's only
    committee = committees.committee_for(context.cluster)
    if committee.meetings.exists():
        context.log.append(f"committee: {context.cluster} already has meetings.")
        return
    held, upcoming = _seed(context, committee)
    _generate_pack(upcoming, context.users.get("osm_staff"))
    context.log.append(
        f"committee: {committee.members.count()} members, {held.label} held, "
        f"{upcoming.label} on {upcoming.date} with {upcoming.items.count()} agenda items."
    )


def _members(context: Any, committee: Any) -> None:
    provinces = list(context.cluster.provinces.order_by("code"))
    lead = context.province
    start = dt.date(2024, 10, 1)
    rows = [
        ("นายวิชัย ศรีสวัสดิ์", f"ผู้ว่าราชการจังหวัด{lead.name_th} หัวหน้ากลุ่มจังหวัด", Member.Role.CHAIR, None),
        *[
            (name, f"ผู้ว่าราชการจังหวัด{p.name_th}", Member.Role.VICE_CHAIR if i == 0 else Member.Role.MEMBER, None)
            for i, (name, p) in enumerate(
                zip(["นายประยุทธ ทองดี", "นางสาวอรุณี แก้วใส", "นายธนพล วงศ์ใหญ่"], [p for p in provinces if p != lead], strict=False)
            )
        ],
        ("นางสมศรี มีสุข", "ประธานสภาอุตสาหกรรมจังหวัดเชียงใหม่", Member.Role.MEMBER, context.users.get("committee")),
        ("นายเกียรติศักดิ์ พาณิชย์กุล", "ประธานหอการค้าจังหวัดลำพูน", Member.Role.MEMBER, None),
        ("นายสมชาย ใจดี", "ผู้อำนวยการกลุ่มงานบริหารยุทธศาสตร์กลุ่มจังหวัด", Member.Role.SECRETARY, context.users.get("osm_staff")),
        ("นางสาวพิมพ์ชนก รักงาน", "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ", Member.Role.ASSISTANT_SECRETARY, None),
    ]  # fmt: skip
    for order, (name, position, role, user) in enumerate(rows, start=1):
        committees.member_create(
            committee=committee,
            user=user,
            name=name,
            position_title=position,
            role=role,
            term_start=start,
            order=order,
        )


def _paper(title: str, subtitle: str, paragraphs: list[str], **extra: Any) -> SimpleUploadedFile:
    content = render_pdf(
        "committee/pdf/demo_paper.html",
        {"title": title, "subtitle": subtitle, "paragraphs": paragraphs, **extra},
        language="th",
    )
    return SimpleUploadedFile(f"{title}.pdf", content, content_type=PDF_TYPE)


def _workbook() -> SimpleUploadedFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    # As an officer lays it out: TH SarabunPSK 16 pt, widths that fit, baht with separators.
    sheet.append(["โครงการ", "งบประมาณเดิม (บาท)", "ขอโอน (บาท)", "งบประมาณใหม่ (บาท)"])
    sheet.append(["พัฒนาเส้นทางท่องเที่ยวเชิงสร้างสรรค์", 18_500_000, -1_200_000, 17_300_000])
    sheet.append(["ส่งเสริมเกษตรปลอดภัย", 12_800_000, 1_200_000, 14_000_000])
    for cell in sheet[1]:
        cell.font = Font(name="TH SarabunPSK", size=16, bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.font = Font(name="TH SarabunPSK", size=16)
            if isinstance(cell.value, int):
                cell.number_format = "#,##0.00"
    for column, width in zip("ABCD", (46, 28, 22, 28), strict=True):
        sheet.column_dimensions[column].width = width
    for number in range(1, sheet.max_row + 1):
        sheet.row_dimensions[number].height = 24  # Excel stores the height 16 pt needs
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "รายละเอียดการโอนเปลี่ยนแปลงงบประมาณ.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _word_document(
    name: str, title: str, paragraphs: list[str], rows: list[list[str]]
) -> SimpleUploadedFile:
    """A Word file as a provincial office types it (TH SarabunPSK 16 pt, A4, Thai margins):
    the title in bold, the text, then a table on a second page. Minimal Office Open XML."""
    import zipfile
    from xml.sax.saxutils import escape

    def run(text: str, bold: bool = False) -> str:
        font = "TH SarabunPSK"
        weight = "<w:b/><w:bCs/>" if bold else ""
        return (
            f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>{weight}'
            '<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:bidi="th-TH"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        )

    def para(text: str, bold: bool = False, align: str = "thaiDistribute") -> str:
        return f'<w:p><w:pPr><w:jc w:val="{align}"/></w:pPr>{run(text, bold)}</w:p>'

    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(
        border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    cells = "".join(
        "<w:tr>"
        + "".join(f"<w:tc>{para(c, bold=r == 0, align='left')}</w:tc>" for c in row)
        + "</w:tr>"
        for r, row in enumerate(rows)
    )
    body = (
        para(title, bold=True, align="center")
        + "".join(para(text) for text in paragraphs)
        + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        + f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr>{cells}</w:tbl>'
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1418" w:right="1134" w:bottom="1134" w:left="1701" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>'
    )  # fmt: skip
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>',
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, xml in parts.items():
            archive.writestr(part, xml)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@transaction.atomic
def _seed(context: Any, committee: Any) -> tuple[Meeting, Meeting]:
    staff = context.users.get("osm_staff")
    today = timezone.localdate()
    _members(context, committee)
    held = meetings.meeting_create(
        committee=committee,
        date=today - dt.timedelta(days=42),
        start_time=dt.time(9, 30),
        venue=f"ห้องประชุมศาลากลางจังหวัด{context.province.name_th}",
        by=staff,
    )
    add = meetings.agenda_item_create
    add(meeting=held, section=S.ANNOUNCEMENTS, title="นโยบายการขับเคลื่อนการพัฒนากลุ่มจังหวัด",
        topic=T.GENERAL, presenter="ประธานกรรมการ",
        summary="ประธานแจ้งแนวทางการบูรณาการแผนงานโครงการของจังหวัดในกลุ่มจังหวัด")  # fmt: skip
    money = add(meeting=held, section=S.FOR_INFORMATION, title="ผลการเบิกจ่ายงบประมาณของกลุ่มจังหวัด",
                topic=T.PROJECTS, presenter="สำนักงานจังหวัดเชียงใหม่",
                summary="ผลการเบิกจ่ายภาพรวมต่ำกว่าเป้าหมายของรัฐบาล โครงการส่วนใหญ่อยู่ระหว่างจัดซื้อจัดจ้าง")  # fmt: skip
    review = add(meeting=held, section=S.FOR_CONSIDERATION, title="แนวทางการทบทวนแผนพัฒนากลุ่มจังหวัด",
                 topic=T.PLAN, presenter="ฝ่ายเลขานุการ",
                 summary="ฝ่ายเลขานุการเสนอกรอบและปฏิทินการทบทวนแผนพัฒนากลุ่มจังหวัด",
                 proposal="เพื่อโปรดพิจารณาให้ความเห็นชอบกรอบการทบทวนแผน")  # fmt: skip
    transfer = add(meeting=held, section=S.FOR_CONSIDERATION, title="การโอนเปลี่ยนแปลงงบประมาณโครงการ (กรณีไม่กระทบแผน)",
                   topic=T.PROJECTS, presenter="ฝ่ายเลขานุการ",
                   summary="จังหวัดขอโอนเปลี่ยนแปลงงบประมาณระหว่างโครงการภายใต้ประเด็นการพัฒนาเดียวกัน",
                   proposal="เพื่อโปรดพิจารณาอนุมัติการโอนเปลี่ยนแปลง")  # fmt: skip
    meetings.meeting_mark_held(meeting=held, lock_version=held.lock_version)
    record = decisions.resolution_record
    for item, kind, text in (
        (held.items.get(section=S.ANNOUNCEMENTS), "noted", "ที่ประชุมรับทราบ"),
        (money, "noted", "ที่ประชุมรับทราบ และมอบหมายให้จังหวัดเร่งรัดการเบิกจ่ายให้เป็นไปตามเป้าหมาย"),
        (review, "approved", "ที่ประชุมเห็นชอบกรอบการทบทวนแผนพัฒนากลุ่มจังหวัด และมอบหมายให้ฝ่ายเลขานุการจัดประชุมเชิงปฏิบัติการ"),
        (transfer, "approved_changes", "ที่ประชุมอนุมัติการโอนเปลี่ยนแปลง โดยให้จังหวัดปรับรายละเอียดตามข้อสังเกตของที่ประชุม"),
    ):  # fmt: skip
        record(item=item, by=staff, kind=kind, text=text)
    province = context.province
    agency = Agency.objects.filter(province=province).order_by("pk").first()
    money.refresh_from_db()
    review.refresh_from_db()
    transfer.refresh_from_db()
    overdue = decisions.action_item_create(
        resolution=money.resolution, by=staff,
        description="จัดทำแผนเร่งรัดการเบิกจ่ายและรายงานผลต่อฝ่ายเลขานุการ",
        owner_kind=ActionItem.Owner.PROVINCE, owner_province=province,
        due_date=today - dt.timedelta(days=7),
    )  # fmt: skip
    decisions.follow_up_add(item=overdue, by=context.users.get("province_officer"),
                            text="อยู่ระหว่างรวบรวมข้อมูลจากหน่วยงานเจ้าของโครงการ",
                            noted_on=today - dt.timedelta(days=20))  # fmt: skip
    decisions.action_item_create(
        resolution=review.resolution, by=staff,
        description="จัดประชุมเชิงปฏิบัติการทบทวนแผนพัฒนากลุ่มจังหวัดร่วมกับภาคีการพัฒนา",
        owner_kind=ActionItem.Owner.PERSON, owner_user=staff,
        due_date=today + dt.timedelta(days=30), status=ActionItem.Status.IN_PROGRESS,
    )  # fmt: skip
    if agency is not None:
        adjusted = decisions.action_item_create(
            resolution=transfer.resolution, by=staff,
            description="ปรับรายละเอียดโครงการตามข้อสังเกตของที่ประชุม และส่งให้ฝ่ายเลขานุการ",
            owner_kind=ActionItem.Owner.AGENCY, owner_agency=agency,
            due_date=today + dt.timedelta(days=10),
        )  # fmt: skip
        decisions.follow_up_add(item=adjusted, by=staff, text="ได้รับร่างรายละเอียดแล้ว อยู่ระหว่างตรวจสอบ")
    _minutes(held)
    upcoming = meetings.meeting_create(
        committee=committee,
        date=today + dt.timedelta(days=14),
        start_time=dt.time(13, 30),
        mode=Meeting.Mode.HYBRID,
        venue=f"ห้องประชุมศาลากลางจังหวัด{context.province.name_th}",
        online_link="https://meet.example.go.th/kbk",
        by=staff,
    )
    pulls.pull_all(meeting=upcoming)
    add(meeting=upcoming, section=S.ANNOUNCEMENTS, title="การตรวจราชการของผู้ตรวจราชการกระทรวงมหาดไทย",
        topic=T.GENERAL, presenter="ประธานกรรมการ",
        summary="ผู้ตรวจราชการมีกำหนดติดตามการขับเคลื่อนโครงการของกลุ่มจังหวัดในเดือนหน้า")  # fmt: skip
    plan_item = add(meeting=upcoming, section=S.FOR_CONSIDERATION,
                    title="(ร่าง) แผนพัฒนากลุ่มจังหวัด ฉบับทบทวน ประจำปีงบประมาณ พ.ศ. 2571",
                    topic=T.PLAN, presenter="ฝ่ายเลขานุการ",
                    summary="ฝ่ายเลขานุการได้จัดประชุมเชิงปฏิบัติการร่วมกับภาคีการพัฒนาและปรับปรุงประเด็นการพัฒนา เป้าประสงค์ และตัวชี้วัด",
                    proposal="เพื่อโปรดพิจารณาให้ความเห็นชอบ (ร่าง) แผนพัฒนากลุ่มจังหวัด ฉบับทบทวน")  # fmt: skip
    transfer_item = add(meeting=upcoming, section=S.FOR_CONSIDERATION,
                        title="การโอนเปลี่ยนแปลงงบประมาณโครงการ (กรณีกระทบแผน)",
                        topic=T.PROJECTS, presenter="สำนักงานจังหวัดลำพูน",
                        summary="จังหวัดขอโอนงบประมาณเหลือจ่ายไปดำเนินโครงการใหม่ที่สอดคล้องกับเป้าประสงค์",
                        proposal="เพื่อโปรดพิจารณาอนุมัติ")  # fmt: skip
    add(meeting=upcoming, section=S.OTHER, title="กำหนดการประชุมครั้งต่อไป", topic=T.GENERAL)
    papers.paper_add(
        item=plan_item, by=staff,
        upload=_paper("สรุปสาระสำคัญ (ร่าง) แผนพัฒนากลุ่มจังหวัด ฉบับทบทวน", committee.name, [
            "แผนพัฒนากลุ่มจังหวัดฉบับทบทวนนี้จัดทำขึ้นตามระเบียบว่าด้วยการบริหารงานเชิงพื้นที่แบบบูรณาการ โดยทบทวนสถานการณ์การพัฒนาและผลการดำเนินงานตามตัวชี้วัดของปีที่ผ่านมา",
            "ประเด็นการพัฒนาที่ ๑ ส่งเสริมการท่องเที่ยวเชิงสร้างสรรค์และวัฒนธรรมล้านนา ประเด็นการพัฒนาที่ ๒ ยกระดับเกษตรปลอดภัยและเพิ่มมูลค่าผลผลิต ประเด็นการพัฒนาที่ ๓ บริหารจัดการทรัพยากรธรรมชาติและแก้ไขปัญหาฝุ่นควัน",
            "ฝ่ายเลขานุการได้ปรับค่าเป้าหมายของตัวชี้วัดให้สอดคล้องกับข้อเสนอแนะของสำนักงานการตรวจเงินแผ่นดิน และเพิ่มตัวชี้วัดด้านการลดความเหลื่อมล้ำ",
        ]),
    )  # fmt: skip
    papers.paper_add(
        item=transfer_item, by=staff,
        upload=_paper("รายละเอียดการขอโอนเปลี่ยนแปลงงบประมาณ", "สำนักงานจังหวัดลำพูน", [
            "จังหวัดลำพูนขอโอนเปลี่ยนแปลงงบประมาณเหลือจ่ายจากการจัดซื้อจัดจ้าง เพื่อดำเนินโครงการพัฒนาตลาดสินค้าเกษตรอินทรีย์ชายแดน",
        ], headers=["รายการ", "จำนวนเงิน (บาท)"], rows=[["งบประมาณเหลือจ่าย", "1,200,000.00"], ["ขอโอนไปดำเนินโครงการใหม่", "1,200,000.00"]]),
    )  # fmt: skip
    papers.paper_add(item=transfer_item, by=staff, upload=_workbook())
    papers.paper_add(
        item=transfer_item, by=staff,
        upload=_word_document(
            "หนังสือจังหวัดลำพูน ขอโอนเปลี่ยนแปลงงบประมาณ.docx",
            "รายงานผลการดำเนินงานและเหตุผลความจำเป็นในการขอโอนเปลี่ยนแปลงงบประมาณ",
            [
                "ตามที่จังหวัดลำพูนได้รับจัดสรรงบประมาณของกลุ่มจังหวัดเพื่อดำเนินโครงการพัฒนาเส้นทางท่องเที่ยวเชิงสร้างสรรค์ บัดนี้การจัดซื้อจัดจ้างแล้วเสร็จ มีงบประมาณเหลือจ่ายจำนวน ๑,๒๐๐,๐๐๐ บาท",
                "จังหวัดพิจารณาแล้วเห็นว่าควรนำงบประมาณเหลือจ่ายดังกล่าวไปดำเนินโครงการพัฒนาตลาดสินค้าเกษตรอินทรีย์ชายแดน ซึ่งสอดคล้องกับประเด็นการพัฒนาที่ ๒ ยกระดับเกษตรปลอดภัยและเพิ่มมูลค่าผลผลิต และตอบตัวชี้วัดรายได้จากการจำหน่ายสินค้าเกษตรปลอดภัยของกลุ่มจังหวัด",
                "การโอนเปลี่ยนแปลงครั้งนี้เป็นกรณีที่กระทบแผนพัฒนากลุ่มจังหวัด จึงเสนอคณะกรรมการบริหารงานกลุ่มจังหวัดแบบบูรณาการพิจารณาอนุมัติก่อนดำเนินการต่อไป",
            ],
            [
                ["รายการ", "จำนวนเงิน (บาท)"],
                ["งบประมาณที่ได้รับจัดสรร", "18,500,000.00"],
                ["ผลการจัดซื้อจัดจ้าง", "17,300,000.00"],
                ["งบประมาณเหลือจ่ายที่ขอโอน", "1,200,000.00"],
            ],
        ),
    )  # fmt: skip
    return held, upcoming


def _minutes(held: Meeting) -> None:
    record = Minutes.objects.get(meeting=held)
    rows = list(record.attendance.order_by("order"))
    attendance = []
    for row in rows:
        data = {"id": row.pk, "status": Attendance.Status.PRESENT, "substitute": "", "note": ""}
        if row.member and row.member.role == Member.Role.VICE_CHAIR:
            data |= {
                "status": Attendance.Status.SUBSTITUTE,
                "substitute": "นายสุรชัย ดีมาก รองผู้ว่าราชการจังหวัด",
            }
        elif row.name.startswith("นายเกียรติศักดิ์"):
            data |= {"status": Attendance.Status.ABSENT, "note": "ติดภารกิจ"}
        attendance.append(data)
    minutes.minutes_update(
        minutes=record,
        lock_version=record.lock_version,
        attendance=attendance,
        started_at=dt.time(9, 30),
        ended_at=dt.time(12, 0),
        opening="ประธานกล่าวเปิดการประชุมและดำเนินการประชุมตามระเบียบวาระ",
        other_attendees="นางสาวกานดา ใจงาม หัวหน้าสำนักงานจังหวัดเชียงใหม่\nนายอนันต์ สุขใจ ผู้แทนสำนักงบประมาณ",
    )


def _generate_pack(meeting: Meeting, staff: Any) -> None:
    """Build the upcoming meeting's pack now (in the demo, no worker may be running)."""
    from committee.documents import PACK
    from osm.documents.services import document_render, document_request

    document = document_request(kind=PACK, subject=meeting, by=staff)
    document_render(document_id=document.pk)
