"""The hand-written layout, used when Graphviz is missing or fails.

Each perspective is a band of rows of at most six boxes, ordered within the band to cut
crossings (barycentre sweeps); arrows are curves from box edge to box edge, sent down a free
lane between boxes when a straight curve would cross one. It needs no external program; the
dot layout (strategy.maps.graphviz) reads better and is the one normally used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from strategy.maps.geometry import (
    GUTTER,
    PAD,
    Box,
    Edge,
    Layout,
    MapBand,
    MapObjective,
    Point,
    box_height,
    name_lines,
)

NODE_W = 150.0
ROW_GAP = 30.0
COL_GAP = 22.0


def per_row(count: int) -> int:
    """Boxes per row: 4 for a small plan, at most 6."""
    return max(4, min(6, math.ceil(math.sqrt(max(count, 1)) + 0.5)))


def _order_bands(
    objectives: Sequence[MapObjective], bands: int, links: Sequence[tuple[int, int]]
) -> list[list[MapObjective]]:
    """Objectives per band, each moved towards the mean position of its linked boxes."""
    members = [[o for o in objectives if o.band == band] for band in range(bands)]
    neighbours: dict[int, list[int]] = {o.key: [] for o in objectives}
    for cause, effect in links:
        if cause in neighbours and effect in neighbours:
            neighbours[cause].append(effect)
            neighbours[effect].append(cause)
    for _sweep in range(4):
        position = {o.key: (i + 0.5) / len(row) for row in members for i, o in enumerate(row)}
        for band, row in enumerate(members):

            def key(o: MapObjective, position: dict[int, float] = position) -> float:
                linked = [position[k] for k in neighbours[o.key] if k in position]
                own = position[o.key]
                return (sum(linked) / len(linked) + own) / 2 if linked else own

            members[band] = sorted(row, key=key)
    return members


def _blocked(x: float, top: float, bottom: float, boxes: Sequence[Box]) -> bool:
    return any(b.x - 4 <= x <= b.right + 4 and b.y < bottom and b.bottom > top for b in boxes)


def _lane(start: Point, end: Point, boxes: Sequence[Box]) -> float | None:
    """The x of a free lane for an arrow that would cross boxes between its ends."""
    (x1, y1), (x2, y2) = start, end
    top, bottom = min(y1, y2) + 1, max(y1, y2) - 1
    between = [b for b in boxes if b.y < bottom and b.bottom > top]
    if not between or not any(_blocked(x, top, bottom, between) for x in (x1, (x1 + x2) / 2, x2)):
        return None
    lanes = {b.x - COL_GAP / 2 for b in boxes} | {b.right + COL_GAP / 2 for b in boxes}
    free = [x for x in lanes if not _blocked(x, top, bottom, between)]
    middle = (x1 + x2) / 2
    return min(free, key=lambda x: (abs(x - middle), x)) if free else None


def _route(start: Point, end: Point, boxes: Sequence[Box]) -> list[tuple[str, list[Point]]]:
    (x1, y1), (x2, y2) = start, end
    if abs(y1 - y2) < 1:  # same row: arc over the top
        lift = min(26.0, 14.0 + abs(x2 - x1) / 20)
        return [("M", [start]), ("C", [(x1, y1 - lift), (x2, y2 - lift), end])]
    direction = -1 if y2 < y1 else 1
    lane = _lane(start, end, boxes)
    if lane is not None:
        a, b = y1 + direction * 14, y2 - direction * 14
        return [
            ("M", [start]),
            ("C", [(x1, a), (lane, y1), (lane, a)]),
            ("L", [(lane, b)]),
            ("C", [(lane, y2), (x2, b), end]),
        ]
    bend = max(abs(y2 - y1) / 2, 24.0)
    return [("M", [start]), ("C", [(x1, y1 + direction * bend), (x2, y2 - direction * bend), end])]


def fallback_layout(
    bands: Sequence[MapBand],
    objectives: Sequence[MapObjective],
    links: Sequence[tuple[int, int]],
    *,
    top: float,
) -> Layout:
    columns = per_row(len(objectives))
    inner = columns * NODE_W + (columns - 1) * COL_GAP
    lines = {o.key: name_lines(o.name, NODE_W) for o in objectives}
    node_h = box_height(max((len(v) for v in lines.values()), default=1))
    boxes: dict[int, Box] = {}
    extents: list[tuple[float, float]] = []
    y = top
    for members in _order_bands(objectives, len(bands), links):
        band_top = y
        y += PAD + 14
        rows = [members[s : s + columns] for s in range(0, len(members), columns)] or [[]]
        for row in rows:
            x = GUTTER + PAD + (inner - len(row) * NODE_W - max(len(row) - 1, 0) * COL_GAP) / 2
            for o in row:
                boxes[o.key] = Box(o, x, y, NODE_W, node_h, lines[o.key])
                x += NODE_W + COL_GAP
            y += node_h + ROW_GAP
        y += PAD - ROW_GAP + 4
        extents.append((band_top, y))
    edges = []
    every = list(boxes.values())
    for cause, effect in links:
        a, b = boxes.get(cause), boxes.get(effect)
        if a is None or b is None:
            continue
        if b.y < a.y:
            start, end = (a.x + a.w / 2, a.y), (b.x + b.w / 2, b.bottom)
        elif b.y > a.y:
            start, end = (a.x + a.w / 2, a.bottom), (b.x + b.w / 2, b.y)
        else:
            start, end = (a.x + a.w / 2, a.y), (b.x + b.w / 2, b.y)
        edges.append(Edge(cause, effect, _route(start, end, every)))
    height = (extents[-1][1] if extents else top + node_h) + 4
    return Layout("fallback", GUTTER + 2 * PAD + inner, height, boxes, edges, extents)
