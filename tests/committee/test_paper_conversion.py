"""Office papers converted to PDF with the real LibreOffice and appended to the meeting pack
like PDF papers: converted once (by the upload's task, or by the pack when the task has not
run), Thai drawn in the bundled Sarabun, and a paper that cannot be converted listed with
the reason — never left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committee.documents import PACK
from committee.models import AgendaItem, AgendaPaper, Meeting
from committee.services import meetings, papers
from osm.lib import office
from tests.committee.pdfs import blank_pdf
from tests.committee.test_documents import _flat, _pages, _render, _text
from tests.office_files import THAI_PAGES, corrupt_docx, docx, pdf_fonts, require_soffice, xlsx

pytestmark = pytest.mark.django_db
S = AgendaItem.Section
CONVERTED = AgendaPaper.Conversion
WORKBOOK_ROWS = [["โครงการ", "งบประมาณ (บาท)"], ["พัฒนาตลาดสินค้าเกษตรอินทรีย์ชายแดน", 1200000]]


@pytest.fixture(autouse=True)
def _soffice() -> None:
    require_soffice()


@pytest.fixture
def soffice_runs(monkeypatch: Any) -> list[list[str]]:
    """Every LibreOffice process started, by its command line."""
    runs: list[list[str]] = []
    real = office._run

    def counted(command: list[str], **kwargs: Any) -> Any:
        runs.append(command)
        return real(command, **kwargs)

    monkeypatch.setattr(office, "_run", counted)
    return runs


@pytest.fixture
def meeting(upcoming: Any) -> Meeting:
    meeting = upcoming()
    for title in ("การทบทวนแผนพัฒนากลุ่มจังหวัด", "การโอนเปลี่ยนแปลงงบประมาณ"):
        meetings.agenda_item_create(meeting=meeting, section=S.FOR_CONSIDERATION, title=title)
    return meeting


def _attach(meeting: Meeting, title: str, name: str, content: bytes, by: Any) -> AgendaPaper:
    item = meeting.items.get(title=title)
    return papers.paper_add(item=item, upload=SimpleUploadedFile(name, content), by=by)


@pytest.fixture
def office_papers(meeting: Meeting, osm_staff: Any) -> dict[str, AgendaPaper]:
    """A Thai Word letter (two pages) on the first item; a PDF and a workbook on the second.
    Saved in the test's transaction: their upload tasks never ran."""
    return {
        "docx": _attach(meeting, "การทบทวนแผนพัฒนากลุ่มจังหวัด", "หนังสือ.docx", docx(), osm_staff),
        "pdf": _attach(meeting, "การโอนเปลี่ยนแปลงงบประมาณ", "ตาราง.pdf", blank_pdf(), osm_staff),
        "xlsx": _attach(
            meeting, "การโอนเปลี่ยนแปลงงบประมาณ", "งบประมาณ.xlsx", xlsx(WORKBOOK_ROWS), osm_staff
        ),
    }


def _pages_with(path: Path, phrase: str) -> list[int]:
    return [p for p in range(1, _pages(path) + 1) if _flat(phrase) in _flat(_text(path, p))]


def test_office_papers_are_converted_by_the_pack_and_appended_in_agenda_order(
    office_papers: dict[str, AgendaPaper], meeting: Meeting, tmp_path: Path, soffice_runs: list
) -> None:
    pack = _render(PACK, meeting, tmp_path)

    for paper in office_papers.values():
        paper.refresh_from_db()
    assert office_papers["docx"].conversion == CONVERTED.DONE
    assert office_papers["docx"].pages == 2
    assert office_papers["xlsx"].conversion == CONVERTED.DONE
    assert office_papers["pdf"].conversion == ""  # a PDF needs none
    assert len(soffice_runs) == 2
    # The copy sits next to the paper, under its name.
    docx_paper = office_papers["docx"]
    assert Path(docx_paper.pdf.name) == Path(docx_paper.file.name).with_suffix(".pdf")

    total = _pages(pack)
    # The letter's two pages, then the PDF's page and the workbook's: the pack's last pages,
    # inside its page numbering.
    first, second = (_pages_with(pack, page[0]) for page in THAI_PAGES)
    assert first == [total - 3] and second == [total - 2]
    assert _pages_with(pack, WORKBOOK_ROWS[1][0]) == [total]
    for page in range(total - 3, total + 1):
        assert f"หน้า {page} / {total}" in _text(pack, page)
    assert "หนังสือ.docx" in _text(pack, total - 3)  # the placeholder's label
    # Every Thai paragraph of the letter is in the pack's text layer …
    text = _flat(_text(pack))
    for paragraph in (p for page in THAI_PAGES for p in page):
        assert _flat(paragraph) in text, paragraph
    # … and drawn in Sarabun, embedded by LibreOffice (the pack's own is "SarabunThai").
    for page in (total - 3, total):
        fonts = pdf_fonts(pack, page)
        converted = [row for row in fonts if row[0].endswith("+Sarabun-Regular")]
        assert converted and all(row[3] == "yes" for row in converted), fonts
    assert "(ไม่ได้รวมไว้" not in _text(pack)  # no note: nothing left out


def test_the_upload_task_converts_and_the_pack_does_not_convert_again(
    meeting: Meeting,
    osm_staff: Any,
    tmp_path: Path,
    soffice_runs: list,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        paper = _attach(meeting, "การทบทวนแผนพัฒนากลุ่มจังหวัด", "หนังสือ.docx", docx(), osm_staff)
    assert len(callbacks) == 1  # the conversion task, queued after commit (run eagerly here)
    paper.refresh_from_db()
    assert paper.conversion == CONVERTED.DONE and paper.pages == 2
    assert len(soffice_runs) == 1

    pack = _render(PACK, meeting, tmp_path)
    assert len(soffice_runs) == 1
    assert _pages_with(pack, THAI_PAGES[1][0]) == [_pages(pack)]

    # A second pack reuses the copy too.
    _render(PACK, meeting, tmp_path)
    assert len(soffice_runs) == 1


def test_a_paper_that_cannot_be_converted_is_listed_with_the_reason(
    meeting: Meeting, osm_staff: Any, tmp_path: Path, soffice_runs: list, client: Any
) -> None:
    bad = _attach(meeting, "การโอนเปลี่ยนแปลงงบประมาณ", "เสียหาย.docx", corrupt_docx(), osm_staff)

    pack = _render(PACK, meeting, tmp_path)  # the pack is still made

    bad.refresh_from_db()
    assert bad.conversion == CONVERTED.FAILED
    assert bad.conversion_error == AgendaPaper.ConversionError.UNREADABLE
    assert not bad.pdf
    text = _flat(_text(pack))
    assert _flat("เสียหาย.docx (ไม่ได้รวมไว้ในเอกสารประกอบการประชุมฉบับนี้") in text
    assert _flat("อาจเสียหายหรือมีการตั้งรหัสผ่าน") in text  # the reason, in Thai
    # Not tried again by the next pack: the file will not change.
    _render(PACK, meeting, tmp_path)
    assert len(soffice_runs) == 1
    # The meeting page says so next to the paper.
    client.force_login(osm_staff)
    html = client.get(reverse("committee:meeting-detail", args=[meeting.pk])).content.decode()
    assert 'data-state="failed">Could not be converted to PDF' in html


def test_without_libreoffice_the_paper_is_listed_and_converted_once_it_is_installed(
    meeting: Meeting, osm_staff: Any, tmp_path: Path, settings: Any
) -> None:
    settings.SOFFICE_PATH = "/nonexistent/soffice"
    paper = _attach(meeting, "การทบทวนแผนพัฒนากลุ่มจังหวัด", "หนังสือ.docx", docx(), osm_staff)
    pack = _render(PACK, meeting, tmp_path)
    paper.refresh_from_db()
    assert paper.conversion_error == AgendaPaper.ConversionError.NO_CONVERTER
    assert _flat("หนังสือ.docx (ไม่ได้รวมไว้ในเอกสารประกอบการประชุมฉบับนี้") in _flat(_text(pack))
    assert not _pages_with(pack, THAI_PAGES[0][0])

    settings.SOFFICE_PATH = "soffice"
    pack = _render(PACK, meeting, tmp_path)
    paper.refresh_from_db()
    assert paper.conversion == CONVERTED.DONE
    assert _pages_with(pack, THAI_PAGES[0][0]) == [_pages(pack) - 1]


def test_a_conversion_longer_than_a_paper_may_be_is_refused(
    meeting: Meeting, osm_staff: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(papers, "PAPER_MAX_PAGES", 1)
    paper = _attach(meeting, "การทบทวนแผนพัฒนากลุ่มจังหวัด", "หนังสือ.docx", docx(), osm_staff)
    papers.paper_convert(paper_id=paper.pk)
    paper.refresh_from_db()
    assert paper.conversion == CONVERTED.FAILED
    assert paper.conversion_error == AgendaPaper.ConversionError.TOO_LONG
    assert not paper.pdf and paper.pages is None


def test_a_conversion_that_takes_too_long_is_recorded(
    meeting: Meeting, osm_staff: Any, settings: Any
) -> None:
    settings.OFFICE_CONVERT_SECONDS = 0.2
    paper = _attach(meeting, "การทบทวนแผนพัฒนากลุ่มจังหวัด", "หนังสือ.docx", docx(), osm_staff)
    papers.paper_convert(paper_id=paper.pk)
    paper.refresh_from_db()
    assert paper.conversion == CONVERTED.FAILED
    assert paper.conversion_error == AgendaPaper.ConversionError.TIMEOUT


def test_a_pdf_paper_queues_no_conversion(
    meeting: Meeting, osm_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        paper = _attach(meeting, "การทบทวนแผนพัฒนากลุ่มจังหวัด", "ก.pdf", blank_pdf(), osm_staff)
    assert callbacks == []
    assert paper.conversion == "" and not paper.needs_conversion


def test_the_conversion_task_runs_on_the_pdf_queue() -> None:
    from committee import tasks
    from osm.celery import app

    route = app.amqp.router.route({}, tasks.convert_paper.name)
    assert route["queue"].name == "pdf"


def test_removing_a_converted_paper_removes_its_pdf_copy(
    meeting: Meeting, osm_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    paper = _attach(meeting, "การทบทวนแผนพัฒนากลุ่มจังหวัด", "หนังสือ.docx", docx(), osm_staff)
    paper = papers.paper_convert(paper_id=paper.pk)
    assert paper is not None
    files = [Path(paper.file.path), Path(paper.pdf.path)]
    assert all(f.exists() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        papers.paper_delete(paper=paper)
    assert not any(f.exists() for f in files)


def test_the_meeting_page_shows_each_papers_conversion(
    client: Any, osm_staff: Any, meeting: Meeting
) -> None:
    # The states are set directly: this is about the page, not LibreOffice.
    item = meeting.items.get(title="การทบทวนแผนพัฒนากลุ่มจังหวัด")
    made = {
        name: _attach(meeting, item.title, name, content, osm_staff)
        for name, content in (
            ("แผน.pdf", blank_pdf()),
            ("รอ.docx", docx()),
            ("เสร็จ.docx", docx()),
            ("เสีย.docx", corrupt_docx()),
        )
    }
    AgendaPaper.objects.filter(pk=made["เสร็จ.docx"].pk).update(conversion=CONVERTED.DONE, pages=2)
    AgendaPaper.objects.filter(pk=made["เสีย.docx"].pk).update(
        conversion=CONVERTED.FAILED, conversion_error=AgendaPaper.ConversionError.UNREADABLE
    )
    client.force_login(osm_staff)
    html = client.get(reverse("committee:meeting-detail", args=[meeting.pk])).content.decode()

    def state_after(name: str) -> str:
        rest = html[html.index(f">{name}</a>") :]
        return rest[: rest.index("</li>")]

    assert "paper-conversion" not in state_after("แผน.pdf")
    assert 'data-state="pending"' in state_after("รอ.docx")
    assert "Being converted to PDF" in state_after("รอ.docx")
    assert "Converted to PDF" in state_after("เสร็จ.docx") and "2 pages" in state_after("เสร็จ.docx")
    failed = state_after("เสีย.docx")
    assert "Could not be converted to PDF" in failed
    assert "it may be damaged or protected by a password" in failed
