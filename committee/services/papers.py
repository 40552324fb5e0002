"""Papers attached to agenda items: checked by name, size and content before anything is
saved, kept in private storage, served only by the scoped download view. Office papers are
converted to PDF once, in the worker, for the meeting pack to append."""

from __future__ import annotations

import hashlib
import io
import logging
import time
import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from committee.models import AgendaItem, AgendaPaper, Meeting
from osm.lib import office

log = logging.getLogger(__name__)

PAPER_MAX_BYTES = 20 * 1024 * 1024
PAPER_MAX_PAGES = 500
PAPERS_PER_ITEM = 20

OOXML_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# The folder each Office Open XML kind keeps its main part in.
OOXML_PARTS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
LEGACY_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
PAPER_TYPES = {".pdf": "application/pdf", **OOXML_TYPES, **LEGACY_TYPES}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Office 97–2003


def _wrong_content() -> ValidationError:
    return ValidationError({"file": _("The file's content does not match its type.")})


def _pdf_pages(upload: UploadedFile) -> int:
    """The pages of a PDF that the pack can append: readable, not encrypted."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(
                {"file": _("The PDF is password-protected: save it without a password first.")}
            )
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise ValidationError({"file": _("The PDF cannot be read; it may be damaged.")}) from None
    finally:
        upload.seek(0)
    if pages < 1:
        raise ValidationError({"file": _("The PDF has no pages.")})
    if pages > PAPER_MAX_PAGES:
        raise ValidationError(
            {"file": _("A paper may have at most %(n)s pages.") % {"n": PAPER_MAX_PAGES}}
        )
    return pages


def _check_ooxml(upload: UploadedFile, suffix: str) -> None:
    """An Office Open XML file is a zip with its content types and its main folder. Only the
    zip's directory is read: nothing is unpacked."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _wrong_content() from None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or not any(
        n.startswith(OOXML_PARTS[suffix]) for n in names
    ):
        raise _wrong_content()


def paper_check(upload: UploadedFile) -> tuple[str, int | None]:
    """(content type, pages for a PDF) of an acceptable paper; ValidationError otherwise.
    The name, then the size, then the content are checked, before anything is stored."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in PAPER_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Only PDF and office files are accepted: .pdf, .docx, .xlsx, .pptx, .doc, "
                    ".xls or .ppt."
                )
            }
        )
    if upload.size is None or upload.size > PAPER_MAX_BYTES:
        raise ValidationError({"file": _("A paper may be at most 20 MB.")})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix == ".pdf":
        if not head.startswith(b"%PDF-"):
            raise _wrong_content()
        return PAPER_TYPES[suffix], _pdf_pages(upload)
    if suffix in OOXML_TYPES:
        if not head.startswith(b"PK\x03\x04"):
            raise _wrong_content()
        _check_ooxml(upload, suffix)
        return PAPER_TYPES[suffix], None
    if not head.startswith(OLE2_MAGIC):
        raise _wrong_content()
    return PAPER_TYPES[suffix], None


def _checksum(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def paper_add(*, item: AgendaItem, upload: UploadedFile, by: Any) -> AgendaPaper:
    """Attach a paper to an item (checked first; nothing is stored when it fails)."""
    if item.meeting.status == Meeting.Status.MINUTES_APPROVED:
        raise ValidationError(_("The minutes of this meeting are approved: its agenda is closed."))
    content_type, pages = paper_check(upload)
    if item.papers.count() >= PAPERS_PER_ITEM:
        raise ValidationError(
            {"file": _("An item may have at most %(n)s papers.") % {"n": PAPERS_PER_ITEM}}
        )
    order = (item.papers.aggregate(n=Max("order"))["n"] or 0) + 1
    office_file = content_type != PAPER_TYPES[".pdf"]
    paper = AgendaPaper.objects.create(
        item=item,
        file=upload,
        original_name=Path(upload.name or "paper").name[:255],
        content_type=content_type,
        size=upload.size or 0,
        pages=pages,
        sha256=_checksum(upload),
        order=order,
        uploaded_by=by,
        conversion=AgendaPaper.Conversion.PENDING if office_file else "",
    )
    if office_file:
        # Converted by the worker once the paper is saved. With the broker away the paper
        # stays pending, and the next meeting pack converts it.
        from committee import tasks
        from osm.tasks import enqueue_on_commit

        enqueue_on_commit(tasks.convert_paper, paper.pk)
    return paper


def paper_delete(*, paper: AgendaPaper) -> None:
    """Remove the paper; its file (and PDF copy) go once the transaction commits (a rollback
    keeps them). The papers of a meeting whose minutes are approved stay."""
    if paper.item.meeting.status == Meeting.Status.MINUTES_APPROVED:
        raise ValidationError(_("The minutes of this meeting are approved: its agenda is closed."))
    storage = paper.file.storage
    names = [f.name for f in (paper.file, paper.pdf) if f.name]
    paper.delete()
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


# --- Conversion of office papers to PDF ---------------------------------------------------

_REASONS = {
    office.Failure.MISSING: AgendaPaper.ConversionError.NO_CONVERTER,
    office.Failure.TIMEOUT: AgendaPaper.ConversionError.TIMEOUT,
    office.Failure.FAILED: AgendaPaper.ConversionError.UNREADABLE,
}


class _NotConverted(Exception):
    def __init__(self, reason: AgendaPaper.ConversionError) -> None:
        super().__init__(reason)
        self.reason = reason


def _converted(paper: AgendaPaper) -> tuple[bytes, int]:
    """The paper as PDF and its pages; _NotConverted with the reason otherwise."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with paper.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        log.warning("paper %s: its file %s is missing", paper.pk, paper.file.name)
        raise _NotConverted(AgendaPaper.ConversionError.UNREADABLE) from None
    try:
        pdf = office.office_to_pdf(content, suffix=Path(paper.file.name).suffix)
    except office.OfficeConversionError as error:
        log.warning("paper %s not converted: %s", paper.pk, error)
        raise _NotConverted(_REASONS[error.failure]) from None
    try:
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise _NotConverted(AgendaPaper.ConversionError.UNREADABLE) from None
    if pages < 1:
        raise _NotConverted(AgendaPaper.ConversionError.UNREADABLE)
    if pages > PAPER_MAX_PAGES:
        raise _NotConverted(AgendaPaper.ConversionError.TOO_LONG)
    return pdf, pages


def paper_convert(*, paper_id: int) -> AgendaPaper | None:
    """Convert an office paper to the PDF the meeting pack appends, once: a paper converted
    (or that could not be) is left alone, except one that failed only because the server
    had no converter. The body of the upload's task, and of the pack for papers whose task
    has not run. Runs LibreOffice (seconds): call it in the worker.

    The paper's row stays locked while LibreOffice runs, so a second worker asked for the
    same paper waits and then finds it converted. Returns the paper (None if it is gone)."""
    with transaction.atomic():
        paper = AgendaPaper.objects.select_for_update().filter(pk=paper_id).first()
        if paper is None or not paper.needs_conversion:
            return paper
        started = time.monotonic()
        try:
            pdf, pages = _converted(paper)
        except _NotConverted as failure:
            paper.conversion = AgendaPaper.Conversion.FAILED
            paper.conversion_error = failure.reason
            paper.save(update_fields=["conversion", "conversion_error"])
            return paper
        paper.pdf.save("paper.pdf", ContentFile(pdf), save=False)  # named after the paper
        paper.pages = pages
        paper.conversion = AgendaPaper.Conversion.DONE
        paper.conversion_error = ""
        paper.save(update_fields=["pdf", "pages", "conversion", "conversion_error"])
        log.info(
            "paper %s converted to PDF: %s pages in %.1f s",
            paper.pk,
            pages,
            time.monotonic() - started,
        )
        return paper


def meeting_papers_convert(*, meeting: Meeting) -> int:
    """Convert the meeting's office papers that still need it (the pack calls this in the
    worker before it reads the papers). Returns how many were tried."""
    office_papers = AgendaPaper.objects.filter(item__meeting=meeting).exclude(
        content_type=PAPER_TYPES[".pdf"]
    )
    waiting = [paper.pk for paper in office_papers if paper.needs_conversion]
    for paper_id in waiting:
        paper_convert(paper_id=paper_id)
    return len(waiting)
