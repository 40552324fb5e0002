"""The strategy map: objectives in perspective bands, cause → effect arrows, as SVG.

The layout is computed here rather than by Graphviz: tried first, ``dot`` spread a 40-objective
map to 2,000–2,900 pt wide (every arrow spanning several rows takes room of its own), which
printed at a third of its size on A4. Here each perspective is a band of fixed rows, boxes
are ordered within a band to cut crossings (barycentre sweeps), and arrows are curves from
box edge to box edge drawn beneath the boxes. Thai text is wrapped to the boxes between words
(osm.lib.thai_text, libthai's dictionary). The same string serves the web page, the
print view and PDF packs. ``render_map_svg`` is a pure function of plain data;
``strategy_map_svg(plan)`` loads a plan and calls it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from osm.lib.thai_text import wrap

if TYPE_CHECKING:
    from strategy.models import Objective, Plan

# Sizes in SVG user units: points when the map is printed at its natural size.
NODE_W = 150.0
NODE_H = 64.0
FONT_SIZE = 10.5
LINE_H = 13.0
CHARS_PER_LINE = 24  # display cells (Thai marks above and below take none)
MAX_LINES = 3
GUTTER = 124.0  # room on the left for the perspective names
PAD = 12.0
BAND_FILLS = ("#eef4fb", "#f3f8ee", "#fdf6e9", "#f5f0f8", "#eef6f6", "#f7f1ec")
BAND_STROKES = ("#9db8d9", "#a9c79a", "#e0c48f", "#c2afd6", "#9ccaca", "#d2b49c")


@dataclass(frozen=True)
class MapObjective:
    key: int
    code: str
    name: str
    band: int  # index of the perspective band, 0 at the top
    url: str = ""


@dataclass(frozen=True)
class MapBand:
    name: str


# --- Layout -----------------------------------------------------------------------------------


def per_row(count: int) -> int:
    """Boxes per row: 4 for a small plan, at most 6, so 40 objectives fit an A4 page."""
    return max(4, min(6, math.ceil(math.sqrt(max(count, 1)) + 0.5)))


def _order_bands(
    objectives: Sequence[MapObjective], bands: int, links: Sequence[tuple[int, int]]
) -> list[list[MapObjective]]:
    """Objectives per band, reordered to cut crossings: each box moves towards the mean
    position of the boxes it is linked to (the barycentre heuristic, a few sweeps)."""
    members = [[o for o in objectives if o.band == band] for band in range(bands)]
    neighbours: dict[int, list[int]] = {o.key: [] for o in objectives}
    for cause, effect in links:
        if cause in neighbours and effect in neighbours:
            neighbours[cause].append(effect)
            neighbours[effect].append(cause)
    for _sweep in range(4):
        position = {}
        for row in members:
            for i, o in enumerate(row):
                position[o.key] = (i + 0.5) / len(row)
        for band, row in enumerate(members):

            def key(o: MapObjective, position: dict[int, float] = position) -> float:
                linked = [position[k] for k in neighbours[o.key] if k in position]
                own = position[o.key]
                return (sum(linked) / len(linked) + own) / 2 if linked else own

            members[band] = sorted(row, key=key)
    return members


@dataclass
class _Box:
    objective: MapObjective
    x: float  # left
    y: float  # top


ROW_GAP = 30.0
BAND_GAP = 2 * PAD + 22.0
COL_GAP = 22.0


def _layout(
    objectives: Sequence[MapObjective], bands: int, links: Sequence[tuple[int, int]], top: float
) -> tuple[dict[int, _Box], list[tuple[float, float]], float]:
    """Boxes placed in rows inside their band; returns boxes, band extents and the width."""
    columns = per_row(len(objectives))
    inner = columns * NODE_W + (columns - 1) * COL_GAP
    boxes: dict[int, _Box] = {}
    extents: list[tuple[float, float]] = []
    y = top
    for row_members in _order_bands(objectives, bands, links):
        band_top = y
        y += PAD + 14  # room for arrows that arc between boxes of the top row
        rows = [row_members[s : s + columns] for s in range(0, len(row_members), columns)] or [[]]
        for row in rows:
            used = len(row) * NODE_W + max(len(row) - 1, 0) * COL_GAP
            x = GUTTER + PAD + (inner - used) / 2
            for o in row:
                boxes[o.key] = _Box(o, x, y)
                x += NODE_W + COL_GAP
            y += NODE_H + ROW_GAP
        y += PAD - ROW_GAP + 4
        extents.append((band_top, y))
    return boxes, extents, GUTTER + 2 * PAD + inner


def _ports(
    boxes: dict[int, _Box], links: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], tuple[tuple[float, float], tuple[float, float]]]:
    """Where each arrow leaves its cause and enters its effect: spread along the box's edge
    in the order of the other ends, so arrows sharing a box do not overlap."""
    sides: dict[tuple[int, str], list[tuple[float, tuple[int, int]]]] = {}
    plan: dict[tuple[int, int], tuple[str, str]] = {}
    for cause, effect in links:
        a, b = boxes.get(cause), boxes.get(effect)
        if a is None or b is None:
            continue
        if b.y < a.y:
            out_side, in_side = "top", "bottom"
        elif b.y > a.y:
            out_side, in_side = "bottom", "top"
        else:
            out_side = in_side = "top"
        plan[(cause, effect)] = (out_side, in_side)
        sides.setdefault((cause, out_side), []).append((b.x, (cause, effect)))
        sides.setdefault((effect, in_side), []).append((a.x, (cause, effect)))
    where: dict[tuple[tuple[int, int], int], tuple[float, float]] = {}
    for (key, side), entries in sides.items():
        box = boxes[key]
        entries.sort()
        for i, (_x, link) in enumerate(entries):
            x = box.x + NODE_W * (i + 1) / (len(entries) + 1)
            y = box.y if side == "top" else box.y + NODE_H
            where[(link, key)] = (x, y)
    return {link: (where[(link, link[0])], where[(link, link[1])]) for link in plan}


# --- Drawing ----------------------------------------------------------------------------------


def _f(value: float) -> str:
    return f"{value:.1f}"


def _blocked(x: float, top: float, bottom: float, boxes: Iterable[_Box]) -> bool:
    """Does the vertical line at `x` between `top` and `bottom` cross a box?"""
    margin = 4.0
    return any(
        b.x - margin <= x <= b.x + NODE_W + margin and b.y < bottom and b.y + NODE_H > top
        for b in boxes
    )


def _detour_x(
    start: tuple[float, float], end: tuple[float, float], boxes: Sequence[_Box]
) -> float | None:
    """For an arrow that would run through boxes between its ends, the x of a free lane
    (a gap between boxes) nearest its middle; None when the direct curve is clear."""
    (x1, y1), (x2, y2) = start, end
    top, bottom = min(y1, y2) + 1, max(y1, y2) - 1
    between = [b for b in boxes if b.y < bottom and b.y + NODE_H > top]
    if not between:
        return None
    if not any(_blocked(x, top, bottom, between) for x in (x1, (x1 + x2) / 2, x2)):
        return None
    lanes = {b.x - COL_GAP / 2 for b in boxes} | {b.x + NODE_W + COL_GAP / 2 for b in boxes}
    free = [x for x in lanes if not _blocked(x, top, bottom, between)]
    if not free:
        return None
    middle = (x1 + x2) / 2
    return min(free, key=lambda x: (abs(x - middle), x))


def _path(start: tuple[float, float], end: tuple[float, float], boxes: Sequence[_Box] = ()) -> str:
    (x1, y1), (x2, y2) = start, end
    lane = _detour_x(start, end, boxes) if abs(y1 - y2) >= 1 else None
    if lane is not None:
        # Leave the box, run down the free lane between the boxes, then enter the target.
        direction = -1 if y2 < y1 else 1
        end_y = y2 - direction * 6
        a, b = y1 + direction * 14, end_y - direction * 14
        return (
            f"M{_f(x1)},{_f(y1)} C{_f(x1)},{_f(a)} {_f(lane)},{_f(y1)} {_f(lane)},{_f(a)} "
            f"L{_f(lane)},{_f(b)} C{_f(lane)},{_f(end_y)} {_f(x2)},{_f(b)} {_f(x2)},{_f(end_y)}"
        )
    if abs(y1 - y2) < 1:  # same row: arc over the top
        lift = min(26.0, 14.0 + abs(x2 - x1) / 20)
        return (
            f"M{_f(x1)},{_f(y1)} C{_f(x1)},{_f(y1 - lift)} {_f(x2)},{_f(y2 - lift)} "
            f"{_f(x2)},{_f(y2 - 6)}"
        )
    direction = -1 if y2 < y1 else 1
    end_y = y2 - direction * 6  # leave room for the arrowhead
    bend = max(abs(y2 - y1) / 2, 24.0)
    return (
        f"M{_f(x1)},{_f(y1)} C{_f(x1)},{_f(y1 + direction * bend)} "
        f"{_f(x2)},{_f(end_y - direction * bend)} {_f(x2)},{_f(end_y)}"
    )


def render_map_svg(
    bands: Sequence[MapBand],
    objectives: Sequence[MapObjective],
    links: Sequence[tuple[int, int]],
    *,
    title: str = "",
    empty_text: str = "",
) -> str:
    """The strategy map as a standalone SVG document (a string).

    `bands` top to bottom; `objectives` in a preferred order (the layout may reorder boxes
    within a band to cut crossings); `links` as (cause key, effect key). Every objective
    with a `url` is a link. Pure: no database, no subprocess.
    """
    top = 30.0 if title else 4.0
    boxes, extents, width = _layout(objectives, len(bands), links, top)
    height = (extents[-1][1] if extents else top + NODE_H) + 4
    out: list[str] = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="strategy-map" role="img" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}pt" height="{_f(height)}pt" '
        'preserveAspectRatio="xMidYMid meet" '
        "font-family=\"Sarabun, 'Noto Sans Thai', Tahoma, sans-serif\">",
        f"<title>{escape(title)}</title>",
        '<defs><marker id="map-arrow" viewBox="0 0 10 10" refX="2" refY="5" '
        'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#33475b"/></marker></defs>',
    ]
    if title:
        out.append(
            f'<text x="{_f(width / 2)}" y="19" text-anchor="middle" font-size="14" '
            f'font-weight="600" fill="#183a5e">{escape(title)}</text>'
        )
    for index, band in enumerate(bands):
        y0, y1 = extents[index]
        fill = BAND_FILLS[index % len(BAND_FILLS)]
        stroke = BAND_STROKES[index % len(BAND_STROKES)]
        out.append(
            f'<g class="band" id="map-band-{index}"><rect x="2" y="{_f(y0)}" '
            f'width="{_f(width - 4)}" height="{_f(y1 - y0)}" fill="{fill}" stroke="{stroke}"/>'
        )
        label = wrap(band.name, 15, 4)
        start = (y0 + y1) / 2 - (len(label) - 1) * LINE_H / 2 + 4
        out.append(
            f'<text x="{_f(GUTTER / 2)}" text-anchor="middle" font-size="{FONT_SIZE + 0.5}" '
            'font-weight="600" fill="#1d2b3a">'
        )
        for n, line in enumerate(label):
            out.append(
                f'<tspan x="{_f(GUTTER / 2)}" y="{_f(start + n * LINE_H)}">{escape(line)}</tspan>'
            )
        out.append("</text></g>")
    if not objectives and empty_text:
        out.append(
            f'<text x="{_f(width / 2)}" y="{_f(height / 2)}" text-anchor="middle" '
            f'font-size="12" fill="#4f5862">{escape(empty_text)}</text>'
        )
    # Arrows first, so the boxes sit on top of any line that passes behind them.
    out.append('<g class="links" fill="none" stroke="#33475b" stroke-width="1.3">')
    all_boxes = list(boxes.values())
    for (cause, effect), (source, target) in _ports(boxes, links).items():
        out.append(
            f'<path class="link" data-cause="{cause}" data-effect="{effect}" '
            f'd="{_path(source, target, all_boxes)}" marker-end="url(#map-arrow)"/>'
        )
    out.append("</g>")
    for box in boxes.values():
        objective = box.objective
        cx = box.x + NODE_W / 2
        lines = wrap(objective.name, CHARS_PER_LINE, MAX_LINES)
        first = box.y + NODE_H / 2 - len(lines) * LINE_H / 2 + 4
        body = [
            f'<g class="objective" id="map-objective-{objective.key}">',
            f"<title>{escape(objective.code)} {escape(objective.name)}</title>",
            f'<rect x="{_f(box.x)}" y="{_f(box.y)}" width="{_f(NODE_W)}" height="{_f(NODE_H)}" '
            'rx="7" fill="#ffffff" stroke="#183a5e" stroke-width="1.2"/>',
            f'<text x="{_f(cx)}" text-anchor="middle" font-size="{FONT_SIZE}" fill="#111">',
            f'<tspan x="{_f(cx)}" y="{_f(first)}" font-weight="700" fill="#183a5e">'
            f"{escape(objective.code)}</tspan>",
        ]
        for n, line in enumerate(lines, start=1):
            body.append(f'<tspan x="{_f(cx)}" y="{_f(first + n * LINE_H)}">{escape(line)}</tspan>')
        body.append("</text></g>")
        if objective.url:
            out.append(f"<a href={quoteattr(objective.url)}>{''.join(body)}</a>")
        else:
            out.append("".join(body))
    out.append("</svg>")
    return "\n".join(out)


def strategy_map_svg(plan: Plan, *, url_for: Callable[[Objective], str] | None = None) -> str:
    """The map of `plan` (a strategy.Plan). Three queries: perspectives, objectives, links.

    `url_for(objective)` gives each box's link; by default the objective's own page.
    """
    from django.utils.translation import gettext as _

    from strategy.models import Objective, ObjectiveLink, Perspective

    perspectives = list(Perspective.objects.filter(cluster_id=plan.cluster_id).order_by("order"))
    band_of = {p.pk: i for i, p in enumerate(perspectives)}
    objectives = list(
        Objective.objects.filter(plan=plan)
        .select_related("issue")
        .order_by("issue__order", "issue__code", "order", "code")
    )
    link = url_for or (lambda o: o.get_absolute_url())
    items = [
        MapObjective(o.pk, o.code, o.name, band_of[o.perspective_id], link(o))
        for o in objectives
        if o.perspective_id in band_of
    ]
    links = list(ObjectiveLink.objects.filter(plan=plan).values_list("cause_id", "effect_id"))
    return render_map_svg(
        [MapBand(p.name) for p in perspectives],
        items,
        links,
        title=plan.title,
        empty_text=_("No objectives yet."),
    )
