"""The meeting pack and the minutes, measured on their text layer: Sarabun embedded, the
agenda's Thai titles given back by pdftotext, the contents' page numbers pointing at the
pages where items start, the appended papers present and counted in "หน้า n / N", and the
share of Thai words that come back exactly."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committee.documents import MINUTES, PACK
from committee.models import AgendaItem, Meeting
from committee.services import decisions, meetings, papers
from osm.documents.services import document_render, document_request
from osm.lib import thai_text

pytestmark = pytest.mark.django_db
S = AgendaItem.Section

ITEMS = [
    (S.ANNOUNCEMENTS, "นโยบายผู้ว่าราชการจังหวัด", "ประธานแจ้งแนวทางการขับเคลื่อนยุทธศาสตร์ของกลุ่มจังหวัด"),
    (S.FOR_INFORMATION, "ผลการเบิกจ่ายงบประมาณ", "หน่วยงานเบิกจ่ายล่าช้าเนื่องจากการก่อหนี้ผูกพันยังไม่แล้วเสร็จ"),
    (S.FOR_CONSIDERATION, "การทบทวนแผนพัฒนากลุ่มจังหวัด", "ฝ่ายเลขานุการเสนอประเด็นการพัฒนาด้านการท่องเที่ยวเชิงสร้างสรรค์และเกษตรปลอดภัย"),
    (S.FOR_CONSIDERATION, "การโอนเปลี่ยนแปลงงบประมาณ", "จังหวัดลำพูนขอโอนงบประมาณเหลือจ่ายเพื่อแก้ไขปัญหาฝุ่นควันและไฟป่า"),
    (S.OTHER, "กำหนดการประชุมครั้งต่อไป", "ที่ประชุมกำหนดวันประชุมครั้งต่อไปในเดือนหน้า"),
]  # fmt: skip
PAPER_PHRASE = "เอกสารประกอบการพิจารณาน้ำท่วมและภัยแล้ง"


def _paper(pages: int, landscape: bool = False) -> bytes:
    from django.template import engines

    template = engines["django"].from_string(
        '{% extends "osm/pdf/base.html" %}{% block page_size %}'
        "{% if landscape %}A4 landscape{% else %}A4{% endif %}{% endblock %}{% block content %}"
        '{% for n in pages %}<h1 style="break-before: page">{{ phrase }} {{ n }}</h1>{% endfor %}'
        "{% endblock %}"
    )
    html = template.render(
        {"pages": range(1, pages + 1), "phrase": PAPER_PHRASE, "landscape": landscape}
    )
    import weasyprint

    from osm.lib import pdf

    pdf._install_actualtext()
    return weasyprint.HTML(string=html, base_url=str(pdf.STATIC_ROOT_DIR) + "/").write_pdf()


@pytest.fixture
def pack_meeting(
    held: Meeting, upcoming: Any, osm_staff: Any, world: Any, today: dt.date
) -> Meeting:
    from committee.models import ActionItem

    # An open action item from the held meeting comes back under matters arising.
    item = meetings.agenda_item_create(
        meeting=held, section=S.FOR_CONSIDERATION, title="เร่งรัดการเบิกจ่าย"
    )
    resolution = decisions.resolution_record(
        item=item, by=osm_staff, kind="approved", text="ให้จังหวัดเร่งรัด"
    )
    decisions.action_item_create(
        resolution=resolution, by=osm_staff, description="จัดทำแผนเร่งรัดการเบิกจ่าย",
        owner_kind=ActionItem.Owner.PROVINCE, owner_province=world.province,
        due_date=today - dt.timedelta(days=3),
    )  # fmt: skip
    meeting = upcoming()
    for section, title, summary in ITEMS:
        meetings.agenda_item_create(meeting=meeting, section=section, title=title, summary=summary)
    consider = meeting.items.get(title="การทบทวนแผนพัฒนากลุ่มจังหวัด")
    papers.paper_add(
        item=consider, upload=SimpleUploadedFile("ร่างแผน.pdf", _paper(2)), by=osm_staff
    )
    transfer = meeting.items.get(title="การโอนเปลี่ยนแปลงงบประมาณ")
    papers.paper_add(
        item=transfer,
        upload=SimpleUploadedFile("ตาราง.pdf", _paper(1, landscape=True)),
        by=osm_staff,
    )
    return meeting


def _render(kind: str, meeting: Meeting, tmp_path: Path) -> Path:
    document = document_request(kind=kind, subject=meeting, by=None)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == "ready", document.error_text
    path = tmp_path / f"{kind}.pdf"
    with document.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return path


def _text(path: Path, page: int | None = None) -> str:
    args = ["pdftotext"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _thai_words(texts: list[str]) -> list[str]:
    words = []
    for text in texts:
        breaks = sorted({0, len(text), *thai_text.word_breaks(text)})
        for start, end in zip(breaks, breaks[1:], strict=False):
            word = text[start:end].strip()
            if re.search("[\u0e00-\u0e7f]", word):
                words.append(word)
    return words


def _exact_share(words: list[str], text: str) -> float:
    flat = _flat(text)
    return sum(_flat(w) in flat for w in words) / len(words)


@pytest.fixture
def pack(pack_meeting: Meeting, tmp_path: Path) -> Path:
    return _render(PACK, pack_meeting, tmp_path)


def test_the_pack_embeds_sarabun(pack: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(pack)], capture_output=True, text=True, check=True
    ).stdout
    sarabun = [line for line in fonts.splitlines() if "Sarabun" in line]
    assert any("SarabunThai" in line for line in sarabun), fonts
    assert all(" yes " in line for line in sarabun), fonts


def test_pdftotext_gives_the_agenda_titles(pack: Path, pack_meeting: Meeting) -> None:
    text = _flat(_text(pack))
    for item in pack_meeting.items.all():
        assert _flat(item.title) in text, item.title
    assert _flat("ระเบียบวาระที่ 3 เรื่องสืบเนื่องจากการประชุมครั้งที่แล้ว") in text
    assert _flat("จัดทำแผนเร่งรัดการเบิกจ่าย") in text  # the open action item, under matters arising


def test_the_contents_point_at_the_pages_where_items_start(pack: Path) -> None:
    contents = _text(pack, 2) + _text(pack, 3)
    for _section, title, summary in ITEMS:
        found = re.search(re.escape(title) + r"[ .\u2026]*?(\d+)\s*$", contents, re.MULTILINE)
        assert found, f"{title} not in the contents:\n{contents}"
        page = int(found[1])
        assert _flat(summary) in _flat(_text(pack, page)), f"{title}: not on page {page}"


def test_the_papers_are_appended_and_counted_in_the_page_numbers(pack: Path) -> None:
    total = _pages(pack)
    contents = _flat(_text(pack, 2) + _text(pack, 3))
    first = re.search(re.escape(_flat("ร่างแผน.pdf")) + r"\.*(\d+)", contents)
    assert first, contents
    start = int(first[1])
    # The two-page paper, then the one-page landscape paper: the pack's last three pages.
    assert start == total - 2
    for page in (start, start + 1, start + 2):
        text = _text(pack, page)
        assert PAPER_PHRASE in text, page
        assert f"หน้า {page} / {total}" in text
    assert "เอกสารประกอบวาระที่ 5.1" in _text(pack, start)
    from pypdf import PdfReader

    last = PdfReader(str(pack)).pages[-1]
    assert float(last.mediabox.width) > float(last.mediabox.height)  # the landscape paper


def test_every_thai_word_of_the_agenda_comes_back_exactly(
    pack: Path, pack_meeting: Meeting
) -> None:
    sources = [t for _s, title, summary in ITEMS for t in (title, summary)]
    sources += [str(label) for label in (
        "ระเบียบวาระการประชุม", "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "เรื่องเพื่อพิจารณา",
        "ผลการดำเนินงานตามตัวชี้วัด", "การติดตามผลการดำเนินงานตามมติ", pack_meeting.committee.name_th,
    )]  # fmt: skip
    words = _thai_words(sources)
    share = _exact_share(words, _text(pack))
    print(f"meeting pack: {share:.1%} of {len(words)} Thai words exact")
    assert share == 1.0


@pytest.fixture
def minutes_pdf(pack_meeting: Meeting, held: Meeting, tmp_path: Path) -> Path:
    return _render(MINUTES, held, tmp_path)


def test_the_minutes_end_with_the_signature_blocks(minutes_pdf: Path, held: Meeting) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(minutes_pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "SarabunThai" in fonts
    text = _text(minutes_pdf)
    for phrase in (
        "รายงานการประชุม",
        "ผู้มาประชุม",
        "ผู้ไม่มาประชุม",
        "เริ่มประชุมเวลา",
        "เลิกประชุมเวลา",
        "มติที่ประชุม",
    ):
        assert phrase in text, phrase
    assert "ให้จังหวัดเร่งรัด" in text  # a resolution
    last = _text(minutes_pdf, _pages(minutes_pdf))
    assert last.index("ผู้จดรายงานการประชุม") < last.index("ผู้ตรวจรายงานการประชุม")
    words = _thai_words(
        ["รายงานการประชุม", "ผู้มาประชุม", "เร่งรัดการเบิกจ่าย", "ให้จังหวัดเร่งรัด", held.committee.name_th]
    )
    share = _exact_share(words, text)
    print(f"minutes: {share:.1%} of {len(words)} Thai words exact")
    assert share == 1.0


def test_without_the_checker_block_the_minutes_end_with_the_minute_taker(
    held: Meeting, tmp_path: Path
) -> None:
    held.committee.checker_block = False
    held.committee.save(update_fields=["checker_block"])
    text = _text(_render(MINUTES, held, tmp_path))
    assert "ผู้จดรายงานการประชุม" in text and "ผู้ตรวจรายงานการประชุม" not in text


def test_minutes_of_a_planned_meeting_are_not_offered(upcoming: Any, osm_staff: Any) -> None:
    from osm import access, registry

    kind = registry.document_kind(MINUTES)
    assert not kind.allows_request(access.scope_for(osm_staff), upcoming())
