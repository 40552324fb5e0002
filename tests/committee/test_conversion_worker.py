"""An uploaded Word paper converted by a real Celery worker from the `pdf` queue (not in the
web process): the upload only queues the task after commit; the worker runs LibreOffice,
stores the PDF copy next to the paper and records its pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committee.models import AgendaItem, AgendaPaper
from committee.services import meetings, papers
from osm.lib import office
from tests.office_files import docx, require_soffice
from tests.osm.test_documents_worker import (  # noqa: F401 (fixtures)
    _wait,
    private_root,
    redis_server,
    start_worker,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_real_worker_converts_an_uploaded_word_paper(
    start_worker: Callable[..., Any],  # noqa: F811 (the imported fixture)
    private_root: Path,  # noqa: F811
    upcoming: Any,
    osm_staff: Any,
    monkeypatch: Any,
) -> None:
    require_soffice()

    def not_here(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("LibreOffice ran in the web process")

    monkeypatch.setattr(office, "_run", not_here)
    meeting = upcoming()
    item = meetings.agenda_item_create(
        meeting=meeting, section=AgendaItem.Section.FOR_CONSIDERATION, title="การโอนงบประมาณ"
    )
    paper = papers.paper_add(
        item=item, upload=SimpleUploadedFile("หนังสือ.docx", docx()), by=osm_staff
    )
    assert paper.conversion == AgendaPaper.Conversion.PENDING
    start_worker(beat=False)

    paper = _wait(
        lambda: AgendaPaper.objects.filter(pk=paper.pk).exclude(conversion="pending").first(),
        120,
        "the paper's conversion",
    )
    assert paper.conversion == AgendaPaper.Conversion.DONE, paper.conversion_error
    assert paper.pages == 2
    copy = private_root / paper.pdf.name
    assert copy.parent == (private_root / paper.file.name).parent
    assert copy.read_bytes().startswith(b"%PDF-")
