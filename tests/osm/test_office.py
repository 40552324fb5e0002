"""Office files to PDF with the real LibreOffice (osm/lib/office.py): Thai drawn in the
bundled Sarabun (embedded), the failures named, a slow conversion stopped with nothing left
running, nothing fetched from the network, and the fonts kept in step with the vendored
Sarabun."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from osm.lib import office
from tests.office_files import THAI_PAGES, corrupt_docx, docx, pdf_fonts, pdf_text, require_soffice


@pytest.fixture(autouse=True)
def _soffice() -> None:
    require_soffice()


def _flat(text: str) -> str:
    return "".join(text.split())


def test_a_thai_word_file_becomes_a_pdf_in_the_bundled_sarabun(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(office.office_to_pdf(docx(), suffix=".docx"))

    text = _flat(pdf_text(path))
    for paragraph in (p for page in THAI_PAGES for p in page):
        assert _flat(paragraph) in text, paragraph
    fonts = pdf_fonts(path)
    # "TH SarabunPSK" is answered with Sarabun, embedded: the page shows Thai, not boxes.
    assert fonts and all("Sarabun" in row[0] and row[3] == "yes" for row in fonts), fonts


def test_without_the_font_mapping_thai_falls_to_a_font_without_thai(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """What the mapping prevents (and what pdftotext alone would not see)."""
    bare = tmp_path / "fonts.conf"
    bare.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        '<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include></fontconfig>'
    )
    monkeypatch.setattr(office, "FONTCONFIG_FILE", bare)
    path = tmp_path / "paper.pdf"
    path.write_bytes(office.office_to_pdf(docx(), suffix=".docx"))
    assert _flat(THAI_PAGES[0][0]) in _flat(pdf_text(path))
    assert not any("Sarabun" in row[0] for row in pdf_fonts(path))


def test_a_file_libreoffice_cannot_open_fails_as_such() -> None:
    with pytest.raises(office.OfficeConversionError) as raised:
        office.office_to_pdf(corrupt_docx(), suffix=".docx")
    assert raised.value.failure == office.Failure.FAILED


def test_without_libreoffice_the_conversion_says_so(settings: Any) -> None:
    settings.SOFFICE_PATH = "/nonexistent/soffice"
    with pytest.raises(office.OfficeConversionError) as raised:
        office.office_to_pdf(docx(), suffix=".docx")
    assert raised.value.failure == office.Failure.MISSING


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline:
            found.append(cmdline)
    return found


def test_a_slow_conversion_is_stopped_with_nothing_left_running(
    tmp_path: Path, monkeypatch: Any
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(office.OfficeConversionError) as raised:
        office.office_to_pdf(docx(), suffix=".docx", timeout=0.3)
    assert raised.value.failure == office.Failure.TIMEOUT
    # soffice starts soffice.bin as a child: the whole process group went.
    assert _processes_mentioning(str(tmp_path)) == []


@pytest.fixture
def web_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on loopback that records what is asked of it."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_OPTIONS = do_PROPFIND = do_GET  # noqa: N815

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()
    server.server_close()


def test_a_picture_linked_from_the_web_is_not_fetched(
    web_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    # LibreOffice with its default profile asks for it (OPTIONS, then GET twice).
    url, asked = web_server
    content = office.office_to_pdf(docx(linked_image=f"{url}/tracker.png"), suffix=".docx")
    assert content.startswith(b"%PDF-")
    assert asked == []


def test_the_bundled_fonts_are_the_vendored_sarabun() -> None:
    """osm/data/fonts/*.ttf join the vendored subsets (scripts/office_fonts.py): after
    re-vendoring Sarabun, run that script."""
    from fontTools.ttLib import TTFont

    from scripts import office_fonts

    for weight, name in office_fonts.WEIGHTS.items():
        expected: set[int] = set()
        for subset in ("thai", "latin"):
            woff = TTFont(office_fonts.VENDORED / f"sarabun-{subset}-{weight}-normal.woff")
            expected |= set(woff.getBestCmap())
        bundled = TTFont(office.FONTS_DIR / name)
        assert set(bundled.getBestCmap()) == expected, name
        assert bundled["name"].getDebugName(1) == "Sarabun"
        # TH SarabunPSK's line height, so converted papers keep their page breaks.
        for table, values in office_fonts.LINE_METRICS.items():
            for attribute, value in values.items():
                assert getattr(bundled[table], attribute) == value, (name, attribute)
        assert ord("ก") in expected and ord("A") in expected
