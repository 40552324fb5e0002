"""Papers attached to agenda items: checked by name, size and content before anything is
saved, kept in private storage, served only by the scoped download view."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from committee.models import AgendaItem, AgendaPaper, Meeting

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
    return AgendaPaper.objects.create(
        item=item,
        file=upload,
        original_name=Path(upload.name or "paper").name[:255],
        content_type=content_type,
        size=upload.size or 0,
        pages=pages,
        sha256=_checksum(upload),
        order=order,
        uploaded_by=by,
    )


def paper_delete(*, paper: AgendaPaper) -> None:
    """Remove the paper; its file goes once the transaction commits (a rollback keeps it).
    The papers of a meeting whose minutes are approved stay."""
    if paper.item.meeting.status == Meeting.Status.MINUTES_APPROVED:
        raise ValidationError(_("The minutes of this meeting are approved: its agenda is closed."))
    storage, name = paper.file.storage, paper.file.name
    paper.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
