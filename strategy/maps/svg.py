"""Drawing a laid-out map as SVG in the house style (whichever engine placed the boxes)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from strategy.maps.geometry import (
    FONT_SIZE,
    GUTTER,
    HEAD_HALF_WIDTH,
    HEAD_LENGTH,
    LINE_H,
    Layout,
    MapBand,
    band_label_lines,
)

BAND_FILLS = ("#eef4fb", "#f3f8ee", "#fdf6e9", "#f5f0f8", "#eef6f6", "#f7f1ec")
BAND_STROKES = ("#9db8d9", "#a9c79a", "#e0c48f", "#c2afd6", "#9ccaca", "#d2b49c")


def _f(value: float) -> str:
    return f"{value:.1f}"


def draw(
    layout: Layout, bands: list[MapBand], *, title: str, empty_text: str, id_prefix: str = "map"
) -> str:
    width, height = layout.width, layout.height
    out: list[str] = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="strategy-map" role="img" '
        f'data-engine="{layout.engine}" viewBox="0 0 {_f(width)} {_f(height)}" '
        f'width="{_f(width)}pt" height="{_f(height)}pt" preserveAspectRatio="xMidYMin meet" '
        "font-family=\"Sarabun, 'Noto Sans Thai', Tahoma, sans-serif\">",
        f"<title>{escape(title)}</title>",
        f'<defs><marker id="{id_prefix}-arrow" viewBox="0 0 {HEAD_LENGTH} {2 * HEAD_HALF_WIDTH}" '
        f'refX="{HEAD_LENGTH}" refY="{HEAD_HALF_WIDTH}" markerUnits="userSpaceOnUse" '
        f'markerWidth="{HEAD_LENGTH}" markerHeight="{2 * HEAD_HALF_WIDTH}" orient="auto">'
        f'<path d="M0,0 L{HEAD_LENGTH},{HEAD_HALF_WIDTH} L0,{2 * HEAD_HALF_WIDTH} z" '
        'fill="#33475b"/></marker></defs>',
    ]
    if title:
        out.append(
            f'<text x="{_f(width / 2)}" y="20" text-anchor="middle" font-size="15" '
            f'font-weight="600" fill="#183a5e">{escape(title)}</text>'
        )
    for index, band in enumerate(bands):
        y0, y1 = layout.bands[index]
        fill = BAND_FILLS[index % len(BAND_FILLS)]
        stroke = BAND_STROKES[index % len(BAND_STROKES)]
        out.append(
            f'<g class="band" id="{id_prefix}-band-{index}"><rect x="2" y="{_f(y0)}" '
            f'width="{_f(width - 4)}" height="{_f(y1 - y0)}" fill="{fill}" stroke="{stroke}"/>'
        )
        label = band_label_lines(band.name)
        start = (y0 + y1) / 2 - (len(label) - 1) * LINE_H / 2 + FONT_SIZE / 3
        out.append(
            f'<text x="{_f(GUTTER / 2 + 2)}" text-anchor="middle" font-size="{FONT_SIZE}" '
            'font-weight="700" fill="#1d2b3a">'
        )
        for n, line in enumerate(label):
            out.append(
                f'<tspan x="{_f(GUTTER / 2 + 2)}" y="{_f(start + n * LINE_H)}">'
                f"{escape(line)}</tspan>"
            )
        out.append("</text></g>")
    if not layout.boxes and empty_text:
        out.append(
            f'<text x="{_f(width / 2)}" y="{_f(height / 2)}" text-anchor="middle" '
            f'font-size="{FONT_SIZE}" fill="#4f5862">{escape(empty_text)}</text>'
        )
    # Arrows first, so the boxes sit on top of any line that passes behind them.
    out.append('<g class="links" fill="none" stroke="#33475b" stroke-width="1.3">')
    for edge in layout.edges:
        out.append(
            f'<path class="link" data-cause="{edge.cause}" data-effect="{edge.effect}" '
            f'd="{edge.d}" marker-end="url(#{id_prefix}-arrow)"/>'
        )
    out.append("</g>")
    for box in layout.boxes.values():
        objective = box.objective
        cx = box.x + box.w / 2
        first = box.y + (box.h - (len(box.lines) + 1) * LINE_H) / 2 + LINE_H * 0.72
        body = [
            f'<g class="objective" id="{id_prefix}-objective-{objective.key}">',
            f"<title>{escape(objective.code)} {escape(objective.name)}</title>",
            f'<rect x="{_f(box.x)}" y="{_f(box.y)}" width="{_f(box.w)}" height="{_f(box.h)}" '
            'rx="6" fill="#ffffff" stroke="#183a5e" stroke-width="1.2"/>',
            f'<text x="{_f(cx)}" text-anchor="middle" font-size="{FONT_SIZE}" fill="#111">',
            f'<tspan x="{_f(cx)}" y="{_f(first)}" font-weight="700" fill="#183a5e">'
            f"{escape(objective.code)}</tspan>",
        ]
        for n, line in enumerate(box.lines, start=1):
            body.append(
                f'<tspan x="{_f(cx)}" y="{_f(first + n * LINE_H)}" class="name">'
                f"{escape(line)}</tspan>"
            )
        body.append("</text></g>")
        if objective.url:
            out.append(f"<a href={quoteattr(objective.url)}>{''.join(body)}</a>")
        else:
            out.append("".join(body))
    out.append("</svg>")
    return "\n".join(out)
