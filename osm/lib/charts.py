"""Server-side SVG charts, one source for web pages and PDF packs.

Each function returns a self-contained SVG string (no script, no external fonts) with a
``<title>`` and ``<desc>`` for screen readers. Pages put the same numbers in a data table next
to the chart (the chart is a picture of the table, never the only place the numbers are).
Labels are escaped; colours carry no meaning on their own (series also differ by dash and
marker shape).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal | None

PALETTE = ("#0a4fa8", "#c25100", "#1b7a3a", "#6b3fa0", "#8a1414", "#4f5862")
DASHES = ("", "6 4", "2 3", "8 3 2 3", "1 4", "10 5")
FONT = "Sarabun, 'Noto Sans Thai', Tahoma, sans-serif"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return float(top)
    return float(value)


def _fmt(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}"
    return f"{value:,.1f}"


def _visible_length(text: str) -> int:
    import unicodedata

    return sum(
        1
        for ch in text
        if not unicodedata.combining(ch)
        and ch
        not in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
    )


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    # Ids of their own (from what the chart says), so that a page or a PDF showing several
    # charts has each title and description once.
    key = hashlib.sha1(f"{title}\n{desc}".encode(), usedforsecurity=False).hexdigest()[:10]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-title-{key} chart-desc-{key}" '
        f'font-family="{FONT}" font-size="12">'
        f'<title id="chart-title-{key}">{escape(title)}</title>'
        f'<desc id="chart-desc-{key}">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every label is escaped


def _axes(
    labels: Sequence[str], top: float, width: int, height: int, pad: tuple[int, int, int, int]
) -> tuple[list[str], float, float]:
    left, right, upper, lower = pad
    plot_w = width - left - right
    plot_h = height - upper - lower
    body = []
    for i in range(5):
        y = upper + plot_h - plot_h * i / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d5da"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#343a40">'
            f"{_fmt(top * i / 4)}</text>"
        )
    return body, plot_w, plot_h


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Lines over `labels` (e.g. quarters); None leaves a gap."""
    pad = (64, 40, 16, 56)
    values = [float(v) for s in series for v in s.values if v is not None]
    top = _nice_max(max(values) if values else 0)
    body, plot_w, plot_h = _axes(labels, top, width, height, pad)
    left, _right, upper, _lower = pad
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)

    def xy(i: int, v: Number) -> tuple[float, float]:
        return left + step * i if n > 1 else left + plot_w / 2, upper + plot_h - plot_h * float(
            v or 0
        ) / top

    for i, label in enumerate(labels):
        x = xy(i, 0)[0]
        body.append(
            f'<text x="{x:.1f}" y="{height - 36}" text-anchor="middle" fill="#343a40">'
            f"{escape(label)}</text>"
        )
    for k, s in enumerate(series):
        colour, dash = PALETTE[k % len(PALETTE)], DASHES[k % len(DASHES)]
        segments: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                segments.append([])
                continue
            segments[-1].append(xy(i, v))
        for seg in segments:
            if len(seg) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
                body.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                    f'stroke-dasharray="{dash}" points="{points}"/>'
                )
            for x, y in seg:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
        lx = left + k * 170
        body.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{height - 12}" y2="{height - 12}" stroke="{colour}" '
            f'stroke-width="2.5" stroke-dasharray="{dash}"/>'
            f'<text x="{lx + 30}" y="{height - 8}" fill="#212529">{escape(s.name)}</text>'
        )
    desc = "; ".join(
        f"{s.name}: "
        + ", ".join(
            f"{label} {_fmt(float(v)) if v is not None else '—'}"
            for label, v in zip(labels, s.values, strict=False)
        )
        for s in series
    )
    return _frame(width, height, title, desc, body)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Number],
    *,
    title: str,
    width: int = 640,
    bar_height: int = 22,
    max_value: float | None = None,
    suffix: str = "",
) -> SafeString:
    """Horizontal bars, one per label (e.g. provinces), value printed at the bar's end."""
    # Room for the longest label (Thai marks take no width of their own).
    longest = max((_visible_length(str(label)) for label in labels), default=10)
    label_w = min(max(120, int(longest * 7.2) + 16), width // 2)
    height = 16 + len(labels) * (bar_height + 8)
    numbers = [float(v) for v in values if v is not None]
    top = max_value or _nice_max(max(numbers) if numbers else 0)
    plot_w = width - label_w - 70
    body = []
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        y = 8 + i * (bar_height + 8)
        body.append(
            f'<text x="{label_w - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'fill="#212529">{escape(label)}</text>'
        )
        if v is None:
            body.append(
                f'<text x="{label_w + 4}" y="{y + bar_height * 0.7:.1f}" fill="#4f5862">—</text>'
            )
            continue
        w = max(plot_w * float(v) / top, 1)
        body.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{PALETTE[0]}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_height * 0.7:.1f}" fill="#212529">'
            f"{_fmt(float(v))}{escape(suffix)}</text>"
        )
    desc = ", ".join(
        f"{label} {_fmt(float(v)) + suffix if v is not None else '—'}"
        for label, v in zip(labels, values, strict=True)
    )
    return _frame(width, height, title, desc, body)
