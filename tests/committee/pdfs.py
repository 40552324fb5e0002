"""Small PDFs for the committee's tests."""

from __future__ import annotations

from io import BytesIO


def blank_pdf(pages: int = 1) -> bytes:
    """A small valid PDF of blank A4 pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _n in range(pages):
        writer.add_blank_page(595, 842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
