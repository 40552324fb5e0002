"""The demo meeting's pack, produced by a real Celery worker on a real Redis.

The worker takes the render from the `pdf` queue (tests/osm/test_documents_worker.py starts
it); the file it stores is read back as a committee member would download it and measured:
Sarabun embedded, every agenda item's Thai title given back by pdftotext, the contents'
page numbers pointing at the pages where the items start, the papers (PDF, and office
papers converted to PDF) appended and counted in "หน้า n / N", and the share of the agenda's
Thai words that come back exactly.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from committee.documents import PACK
from committee.models import AgendaItem, Meeting
from osm.documents.models import Document
from osm.documents.services import document_request
from tests.committee.test_documents import _exact_share, _flat, _pages, _text, _thai_words
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


def test_a_real_worker_produces_the_demo_meetings_pack(
    start_worker: Callable[[], Any],  # noqa: F811 (the imported fixture)
    private_root: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    from osm.demo import demo_seed

    demo = demo_seed()
    meeting = (
        Meeting.objects.filter(committee__cluster=demo.cluster, status=Meeting.Status.PLANNED)
        .order_by("date")
        .first()
    )
    assert meeting is not None
    items = list(meeting.items.order_by("section", "order"))
    assert len(items) >= 6
    start_worker()
    document = document_request(kind=PACK, subject=meeting, by=None)
    generation = document.generation
    document = _wait(
        lambda: Document.objects.filter(
            pk=document.pk, generation=generation, status__in=["ready", "failed"]
        ).first(),
        240,
        "the meeting pack",
    )
    assert document.status == Document.Status.READY, document.error_text
    assert document.task_id, "rendered by the worker, not in the test's process"
    path = tmp_path / "pack.pdf"
    with document.file.open("rb") as handle:
        path.write_bytes(handle.read())

    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    sarabun = [line for line in fonts.splitlines() if "Sarabun" in line]
    assert sarabun and all(" yes " in line for line in sarabun), fonts

    text = _text(path)
    for item in items:
        assert _flat(item.title) in _flat(text), item.title

    # The contents (the pages after the cover) name each item with the page it starts on.
    total = _pages(path)
    contents = "".join(_text(path, page) for page in range(2, min(total, 5) + 1))
    checked = 0
    for item in items:
        found = re.search(re.escape(item.title) + r"[ .\u2026]*?(\d+)\s*$", contents, re.MULTILINE)
        if found is None:
            continue
        page = int(found[1])
        assert _flat(item.title) in _flat(_text(path, page)), f"{item.title}: not on {page}"
        checked += 1
    assert checked >= len(items) // 2, contents

    # The papers are appended in agenda order, inside the pack's page numbering: the PDF
    # papers, and the Word and Excel papers through the PDF copies their upload's task made.
    papers = [p for item in items for p in item.papers.all()]
    assert {p.original_name[-5:] for p in papers if not p.is_pdf} == {".xlsx", ".docx"}
    assert all(p.pack_file for p in papers), [(p, p.conversion_error) for p in papers]
    appended = sum(p.pages or 0 for p in papers)
    assert appended >= len(papers)
    for paper in papers:
        assert _flat(paper.original_name) in _flat(text), paper.original_name
    assert _flat("ตามที่จังหวัดลำพูนได้รับจัดสรรงบประมาณของกลุ่มจังหวัด") in _flat(text)  # the letter
    # The papers are the pack's last pages, numbered with it.
    for page in range(total - appended + 1, total + 1):
        assert f"หน้า {page} / {total}" in _text(path, page), page

    sources = [t for item in items for t in (item.title, item.summary) if t]
    words = _thai_words(sources)
    share = _exact_share(words, text)
    print(f"demo meeting pack by the worker: {total} pages, {share:.1%} of {len(words)} words")
    assert share == 1.0
    assert AgendaItem.objects.filter(meeting=meeting).count() == len(items)
