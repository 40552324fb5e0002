"""The three document kinds below the committee, rendered for real: Sarabun embedded, and the
share of the Thai words that `pdftotext` gives back exactly (measured per kind, printed, and
asserted at 100% — the core PDF module's text-layer fix).

The words are those of the HTML each kind renders (its visible text, split into words with
libthai, the dictionary Pango breaks Thai lines with). A word counts as given back exactly as
often as it occurs in the PDF's text with whitespace removed, at most as often as in the HTML.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from osm.documents.models import Document
from osm.documents.services import document_render, document_request
from osm.lib import pdf
from osm.lib.thai_text import word_breaks
from projects.models import Project
from projects.services.projects import project_create
from tests.factories import (
    IndicatorFactory,
    IssueFactory,
    ObjectiveFactory,
    PlanFactory,
    perspectives_for,
    targets_for,
)
from tests.osm.test_pdf import WORDS

YEAR = 2570


class _Visible(HTMLParser):
    """The text a reader sees: no <style>, no <title> (the SVG map's title is not drawn)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("style", "title", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def thai_words(html: str) -> Counter[str]:
    parser = _Visible()
    parser.feed(html)
    words: Counter[str] = Counter()
    for run in re.findall(r"[\u0e01-\u0e5b]+", " ".join(parser.parts)):
        cuts = [0, *sorted(word_breaks(run)), len(run)]
        words.update(run[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if run[a:b])
    return words


def exact_share(html: str, pdf_path: Path) -> tuple[int, int, list[str]]:
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    words = thai_words(html)
    exact = {w: min(n, flat.count(w)) for w, n in words.items()}
    wrong = sorted(w for w, n in exact.items() if n < words[w])
    return sum(exact.values()), sum(words.values()), wrong


@pytest.fixture
def rich_plan(world: Any) -> Any:
    """A plan whose names carry the hard Thai words (ำ, stacked marks, ฤ, ๆ)."""
    plan = PlanFactory(
        cluster=world.cluster,
        title_th="แผนพัฒนากลุ่มจังหวัดภาคเหนือตอนบน ๑ ฉบับทดสอบ",
        vision_th="ศูนย์กลางการท่องเที่ยวเชิงสร้างสรรค์ น้ำใสไร้ฝุ่นควัน เศรษฐกิจมั่นคง ลดความเหลื่อมล้ำ",
    )
    perspectives = perspectives_for(world.cluster)
    provinces = list(world.cluster.provinces.order_by("code"))
    chunks = [WORDS[i : i + 6] for i in range(0, len(WORDS), 6)]
    for n, chunk in enumerate(chunks[:4], start=1):
        issue = IssueFactory(plan=plan, code=str(n), name_th="การ" + "".join(chunk[:3]))
        for m, words in enumerate((chunk[3:], chunk[:2]), start=1):
            objective = ObjectiveFactory(
                issue=issue,
                code=f"{n}.{m}",
                name_th=" ".join(words) or "ผลสัมฤทธิ์",
                perspective=perspectives[(n + m) % 4],
            )
            indicator = IndicatorFactory(
                objective=objective,
                code=f"{n}.{m}.1",
                name_th="ร้อยละของ" + "".join(words[:2]),
                unit="ลูกบาศก์เมตร" if m == 1 else "ร้อยละ",
                definition=" ".join(chunks[(n + 4) % len(chunks)]),
                formula="(ผลการดำเนินงาน ÷ ค่าเป้าหมาย) × ๑๐๐",
                data_source="สำนักงานสถิติจังหวัด ข้อมูลฤดูกาลต่างๆ",
                owner_person="ผู้ว่าราชการจังหวัด",
                baseline=Decimal(10),
                baseline_year=2565,
            )
            for year in (2566, YEAR):
                targets_for(indicator, year, Decimal(40), dict.fromkeys(provinces, Decimal(10)))
    for i, words in enumerate(chunks[4:8]):
        project_create(
            cluster=world.cluster,
            fiscal_year=YEAR,
            code=f"P{i}",
            name_th="โครงการ" + "".join(words),
            objective=plan.objectives.order_by("code").first(),
            provinces=provinces[:2],
            requested=Decimal(1_000_000),
            allocated=Decimal(900_000),
            status=Project.Status.APPROVED,
        )
    return plan


@pytest.fixture
def captured_html(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    pages: list[str] = []
    original = pdf.render_to_string

    def capture(*args: Any, **kwargs: Any) -> str:
        html = original(*args, **kwargs)
        pages.append(html)
        return html

    monkeypatch.setattr(pdf, "render_to_string", capture)
    yield pages


def _render(kind: str, subject: Any, params: dict[str, Any] | None = None) -> Document:
    document = document_request(kind=kind, subject=subject, params=params, by=None)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.READY, document.error_text
    return document


KINDS = [
    ("strategy.plan_book", None),
    ("scorecard.indicator_sheets", None),
    ("projects.annual_report", {"fiscal_year": YEAR}),
]


@pytest.mark.parametrize(("kind", "params"), KINDS, ids=[k for k, _p in KINDS])
def test_each_kind_embeds_sarabun_and_gives_back_every_thai_word(
    kind: str,
    params: dict[str, Any] | None,
    rich_plan: Any,
    world: Any,
    captured_html: list[str],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    subject = world.cluster if kind == "projects.annual_report" else rich_plan
    document = _render(kind, subject, params)
    path = Path(document.file.path)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    sarabun = [line for line in fonts.splitlines() if "Sarabun" in line]
    assert sarabun and all(" yes " in line for line in sarabun), fonts
    assert not [line for line in fonts.splitlines()[2:] if "Sarabun" not in line], fonts
    [html] = captured_html
    exact, total, wrong = exact_share(html, path)
    print(
        f"\nTEXT LAYER {kind}: {exact}/{total} Thai words exact ({exact / total:.1%}), "
        f"{document.pages} pages"
    )
    assert total > 150
    assert exact == total, f"{exact}/{total}; wrong: {wrong[:20]}"
    assert document.pages and document.pages >= 2


def test_the_measure_can_fail_without_the_text_layer_fix(
    rich_plan: Any,
    captured_html: list[str],
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from weasyprint.draw import text as draw_text_module

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    pdf._install_actualtext()
    original = draw_text_module.draw_first_line.__wrapped__
    monkeypatch.setattr(draw_text_module, "draw_first_line", original)
    document = _render("strategy.plan_book", rich_plan)
    exact, total, _wrong = exact_share(captured_html[0], Path(document.file.path))
    print(f"\nTEXT LAYER without the fix, plan book: {exact}/{total} ({exact / total:.1%})")
    assert exact < total


def test_thai_digits_when_the_cluster_prefers_them(
    rich_plan: Any, world: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    world.cluster.thai_digits = True
    world.cluster.save(update_fields=["thai_digits"])
    document = _render("scorecard.indicator_sheets", rich_plan)
    text = subprocess.run(
        ["pdftotext", document.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "หน้า ๑ / " in text and "๒๕๖๖" in text and "๔๐.๐๐" in text
    assert "2566" not in text
