"""Office files built in memory for the conversion tests (minimal Office Open XML written
with zipfile; workbooks with openpyxl), and the PDF tools the tests read them back with."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
# Two pages of what a provincial office writes, in the font it writes it in.
THAI_PAGES = [
    [
        "รายงานผลการดำเนินงานโครงการส่งเสริมเกษตรปลอดภัย",
        "จังหวัดลำพูนขอโอนงบประมาณเหลือจ่ายเพื่อแก้ไขปัญหาน้ำท่วมและภัยแล้ง",
    ],
    ["หน้าที่สองของหนังสือ ผู้ว่าราชการจังหวัดเห็นชอบแล้ว"],
]


def require_soffice() -> str:
    """The LibreOffice program; the test fails (never skips) when it is not installed."""
    from osm.lib.office import soffice_path

    program = soffice_path()
    if program is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed: office papers cannot be converted. "
            "Install it with `make system-deps` (scripts/system_deps.sh)."
        )
    return program


def docx(
    pages: Sequence[Sequence[str]] = THAI_PAGES,
    *,
    font: str = "TH SarabunPSK",
    linked_image: str = "",
) -> bytes:
    """A Word file: each page's paragraphs in `font` at 16 pt, a page break between pages;
    with `linked_image`, a picture linked to that URL (not embedded)."""

    def run(text: str) -> str:
        return (
            f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
            f'<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        )

    breaks = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    body = breaks.join("".join(f"<w:p>{run(p)}</w:p>" for p in page) for page in pages)
    rels = ""
    if linked_image:
        body += (
            '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
            '<wp:docPr id="1" name="picture"/><a:graphic><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            '<pic:nvPicPr><pic:cNvPr id="1" name="picture"/><pic:cNvPicPr/></pic:nvPicPr>'
            '<pic:blipFill><a:blip r:link="rIdImage"/><a:stretch><a:fillRect/></a:stretch>'
            '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" '
            'cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        )
        rels = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdImage" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/image" Target="{escape(linked_image)}" '
            'TargetMode="External"/></Relationships>'
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("word/document.xml", document)
        if rels:
            archive.writestr("word/_rels/document.xml.rels", rels)
    return buffer.getvalue()


def corrupt_docx() -> bytes:
    """Passes the upload check (a zip with its content types and a word/ folder) but is no
    Word document: LibreOffice cannot open it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml at all")
        archive.writestr("word/document.xml", "<<< damaged")
    return buffer.getvalue()


def xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_text(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(path: Path, page: int | None = None) -> list[list[str]]:
    """pdffonts' rows (name, type, encoding, emb, sub, uni, object, generation)."""
    args = ["pdffonts"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    # Names have no spaces; the type may ("TrueType (CID)"): read emb from the right.
    return [[row[0], " ".join(row[1:-6]), *row[-6:]] for row in rows]
