"""PDF rendering for every app: Thai fonts, page furniture, and an exact Thai text layer.

``render_pdf("app/pdf/thing.html", context)`` renders a Django template with WeasyPrint and
returns the PDF bytes (``render_pdf_pages`` also gives the page count). Templates extend
``osm/pdf/base.html``, which embeds Sarabun from ``static/vendor/sarabun`` (the government's
standard Thai face), sets the margins of an official Thai document and prints "หน้า n / N" —
in Thai digits when ``osm.lib.display.thai_digits_enabled`` is on (the document machinery
turns it on for clusters that prefer Thai digits; the ``digits``/``num``/``be_date`` filters
follow it too). Blocks: ``title``, ``running_head``, ``footer``, ``style``, ``content``;
classes ``cover`` (a page without furniture), ``landscape`` (an A4 landscape page),
``new-page``; ``{% include "osm/pdf/_toc.html" %}`` with ``toc`` = [{anchor, title, level}]
prints a table of contents whose page numbers come from the anchors' pages.

The text-layer fix. WeasyPrint 70 maps each glyph to text once per font, keyed by glyph id,
so Thai clusters that HarfBuzz draws as several glyphs (ำ, tone marks over lower vowels) come
back wrong from copy, search and screen readers although the page looks right (see
RECIPES.md). The cure is PDF's ``/ActualText``: each drawn line is wrapped in a marked-content
span that carries its real text, which text extractors use instead of the glyph map. It is a
small extension of WeasyPrint's ``draw_first_line``, pinned to the WeasyPrint version it was
written for; ``tests/osm/test_pdf.py`` measures the text layer so that an upgrade cannot break
it silently. It is written so it could be offered upstream as-is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

ACTUALTEXT_FOR_WEASYPRINT = ("70.",)
STATIC_ROOT_DIR = Path(settings.BASE_DIR) / "static"


@functools.cache
def _install_actualtext() -> bool:
    """Wrap WeasyPrint's line drawing in /Span <</ActualText …>> BDC … EMC (once)."""
    import pydyf
    import weasyprint
    from weasyprint.draw import text as draw_text_module

    if not weasyprint.__version__.startswith(ACTUALTEXT_FOR_WEASYPRINT):
        raise RuntimeError(
            f"osm.lib.pdf's ActualText extension was written for WeasyPrint "
            f"{ACTUALTEXT_FOR_WEASYPRINT}, not {weasyprint.__version__}: check "
            "weasyprint/draw/text.py and the text-layer test before upgrading."
        )
    original = draw_text_module.draw_first_line

    @functools.wraps(original)
    def draw_first_line(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
        text = getattr(textbox, "text", "") or ""
        if not text.strip():
            return original(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        try:
            return original(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw_text_module.draw_first_line = draw_first_line
    return True


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def render_pdf_pages(
    template: str, context: dict[str, Any] | None = None, *, language: str | None = None
) -> RenderedPdf:
    """Render `template` (which extends osm/pdf/base.html) to PDF bytes and its page count."""
    import weasyprint

    _install_actualtext()
    from osm.lib.display import thai_digits_enabled

    context = {"pdf_thai_digits": thai_digits_enabled.get(), **(context or {})}
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    document = weasyprint.HTML(string=html, base_url=str(STATIC_ROOT_DIR) + "/").render()
    return RenderedPdf(document.write_pdf(), len(document.pages))


def render_pdf(
    template: str, context: dict[str, Any] | None = None, *, language: str | None = None
) -> bytes:
    """Render `template` (which extends osm/pdf/base.html) to PDF bytes."""
    return render_pdf_pages(template, context, language=language).content
