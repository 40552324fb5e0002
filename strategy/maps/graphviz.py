"""The map laid out by Graphviz ``dot``: positions and edge routes from ``dot -Tjson0``.

Each perspective is one rank (``rank=same``), kept in the plan's order by an invisible chain
of zero-size anchors. Boxes are fixed-size nodes sized for their wrapped names; edges are
written from the upper rank to the lower one (and reversed back on reading), so that dot sees
a top-to-bottom hierarchy whichever way the cause → effect arrow points. Dot orders the boxes
within a rank to cut crossings and routes every edge as a spline around the boxes, each edge
that spans ranks through a lane of its own. Two things are ours: where an edge meets a box
(the ends on one side of a box are spread evenly along it in the order they arrive, and meet
it at a right angle, so arrowheads stand side by side and never on top of each other), and the
box width (a few widths are tried; the one that prints largest on A4 landscape wins).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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
    print_scale,
)
from strategy.maps.untangle import untangle

DOT_TIMEOUT = 10.0  # seconds, per run
BOX_WIDTHS = (156.0, 126.0, 104.0, 88.0)  # widest first: tried until the map fits
NODESEP = 0.1  # inches: the least room between boxes and between edge lanes
RANKSEPS = (0.6, 0.9, 1.3)  # inches between the ranks, where edges turn: more if they tangle
EMPTY_BAND = 14.0  # half-height of a band without objectives


class DotFailed(RuntimeError):
    """dot is missing, timed out, or answered with something unreadable."""


def dot_layout(
    bands: Sequence[MapBand],
    objectives: Sequence[MapObjective],
    links: Sequence[tuple[int, int]],
    *,
    top: float,
) -> Layout:
    """Lay the map out with dot, trying box widths until it fits an A4 landscape page at its
    natural size (or keeping the width that prints largest)."""
    executable = shutil.which("dot")
    if executable is None:
        raise DotFailed("dot is not installed")
    # The width: a first pass per candidate (dot alone, cheap) estimates how large each
    # prints; the widest that fits the page is routed, and if routing makes it spill over,
    # the next one. When none fits, the one that prints largest.
    firsts: list[tuple[float, float, dict[str, Any], _Sizes]] = []
    routed: list[Layout] = []
    done: set[float] = set()
    for box_width in BOX_WIDTHS:
        sizes = _sizes(objectives, box_width)
        first = _dot(executable, _dot_source(bands, objectives, links, sizes.box, RANKSEPS[0]))
        _llx, _lly, urx, ury = (float(v) for v in first["bb"].split(","))
        scale = print_scale(GUTTER + 2 * PAD + urx, top + 2 * PAD + 2 * EMPTY_BAND + ury)
        firsts.append((scale, box_width, first, sizes))
        if scale >= 1.0:
            done.add(box_width)
            layout = _routes(executable, bands, objectives, links, sizes, first, top)
            if print_scale(layout.width, layout.height) >= 1.0:
                return layout
            routed.append(layout)
    # Nothing fits: route the candidates that promise to print larger than what is routed.
    for scale, box_width, first, sizes in sorted(firsts, key=lambda f: -f[0])[:3]:
        if box_width in done:
            continue
        if routed and scale <= max(print_scale(m.width, m.height) for m in routed):
            break
        # Too wide for the page anyway: height is free, so the roomiest ranks come first.
        wide = tuple(reversed(RANKSEPS))
        routed.append(_routes(executable, bands, objectives, links, sizes, first, top, wide))
    return max(routed, key=lambda m: (-m.conflicts, print_scale(m.width, m.height)))


def _routes(
    executable: str,
    bands: Sequence[MapBand],
    objectives: Sequence[MapObjective],
    links: Sequence[tuple[int, int]],
    sizes: _Sizes,
    first: dict[str, Any],
    top: float,
    rankseps: tuple[float, ...] = RANKSEPS,
) -> Layout:
    """The second pass, with more room between the ranks while edges still tangle."""
    best: Layout | None = None
    for ranksep in rankseps:
        if ranksep != RANKSEPS[0]:
            first = _dot(executable, _dot_source(bands, objectives, links, sizes.box, ranksep))
        layout = _second_pass(executable, bands, objectives, links, sizes, ranksep, first, top)
        if best is None or layout.conflicts < best.conflicts:
            best = layout
        if layout.conflicts == 0:
            break
    assert best is not None
    return best


@dataclass
class _Sizes:
    box: dict[int, tuple[float, float]]
    lines: dict[int, list[str]]
    rank_height: dict[int, float]


def _sizes(objectives: Sequence[MapObjective], box_width: float) -> _Sizes:
    """Each box `box_width` wide and as tall as the longest name of its rank needs."""
    lines = {o.key: name_lines(o.name, box_width) for o in objectives}
    rank_height: dict[int, float] = defaultdict(float)
    for o in objectives:
        rank_height[o.band] = max(rank_height[o.band], box_height(len(lines[o.key])))
    box = {o.key: (box_width, rank_height[o.band]) for o in objectives}
    return _Sizes(box, lines, rank_height)


def _dot_source(
    bands: Sequence[MapBand],
    objectives: Sequence[MapObjective],
    links: Sequence[tuple[int, int]],
    sizes: dict[int, tuple[float, float]],
    ranksep: float,
    ports: dict[tuple[int, int], tuple[str, str]] | None = None,
) -> str:
    """The graph for dot. With `ports` ((cause, effect) → (tail port, head port)), a box is
    a row of cells, one per edge end, so that each edge leaves and enters at a point of its
    own."""
    band_of = {o.key: o.band for o in objectives}
    fields: dict[int, int] = defaultdict(lambda: 1)
    for tail, head in (ports or {}).values():
        for port in (tail, head):
            parts = port.split(":")
            if len(parts) == 3:  # o<key>:p<field>:<side>
                key, field = int(parts[0][1:]), int(parts[1][1:])
                fields[key] = max(fields[key], field + 1)
    out = [
        "digraph map {",
        f"graph [rankdir=TB, newrank=true, splines=true, nodesep={NODESEP}, "
        f"ranksep={ranksep}, margin=0];",
        'node [shape=box, fixedsize=true, label=""];',
        "edge [dir=none];",
    ]
    for index in range(len(bands)):
        members = []
        for o in objectives:
            if o.band != index:
                continue
            w, h = sizes[o.key]
            label = ""
            if ports and fields[o.key] > 1:
                # An HTML-like table of equal cells, one port each (records cannot take flat
                # edges between neighbours).
                k = fields[o.key]
                cell = f'fixedsize="true" width="{int(w / k)}" height="{int(h)}"'
                cells = "".join(f'<td port="p{i}" {cell}></td>' for i in range(k))
                label = (
                    ', margin=0, label=<<table border="0" cellborder="0" cellspacing="0" '
                    f'cellpadding="0"><tr>{cells}</tr></table>>'
                )
            members.append(f"o{o.key} [width={w / 72:.4f}, height={h / 72:.4f}{label}];")
        out.append(f"{{rank=same; b{index} [shape=point, width=0, height=0]; {' '.join(members)}}}")
    for index in range(len(bands) - 1):
        out.append(f"b{index} -> b{index + 1} [style=invis];")
    for cause, effect in links:
        if cause not in band_of or effect not in band_of:
            continue
        upper, lower = (effect, cause) if band_of[cause] >= band_of[effect] else (cause, effect)
        tail, head = (ports or {}).get((cause, effect), (f"o{upper}", f"o{lower}"))
        out.append(f'{tail} -> {head} [id="{cause}_{effect}"];')
    out.append("}")
    return "\n".join(out)


def _assign_ports(
    objectives: Sequence[MapObjective],
    links: Sequence[tuple[int, int]],
    centre_x: dict[int, float],
) -> dict[tuple[int, int], tuple[str, str]]:
    """For each edge across ranks, a field of its own on the bottom of the upper box and on
    the top of the lower box, in the order of where the other ends lie (no crossing at the
    box), spread evenly over the box's width."""
    band_of = {o.key: o.band for o in objectives}
    sides: dict[tuple[int, str], list[tuple[float, float, tuple[int, int]]]] = defaultdict(list)
    for cause, effect in links:
        if cause not in centre_x or effect not in centre_x or band_of[cause] == band_of[effect]:
            continue
        upper, lower = (effect, cause) if band_of[cause] > band_of[effect] else (cause, effect)
        sides[(upper, "s")].append((centre_x[lower], -band_of[lower], (cause, effect)))
        sides[(lower, "n")].append((centre_x[upper], band_of[upper], (cause, effect)))
    count: dict[int, int] = defaultdict(lambda: 1)
    for (key, _side), ends in sides.items():
        count[key] = max(count[key], len(ends))
    chosen: dict[tuple[tuple[int, int], str], str] = {}
    for (key, side), ends in sides.items():
        ends.sort()
        k, n = count[key], len(ends)
        for i, (_x, _band, link) in enumerate(ends):
            field = min(k - 1, max(0, round((i + 0.5) * k / n - 0.5)))
            chosen[(link, side)] = f"o{key}:p{field}:{side}" if k > 1 else f"o{key}:{side}"
    return {
        link: (chosen[(link, "s")], chosen[(link, "n")]) for link, side in chosen if side == "s"
    }


def _points(pos: str) -> list[Point]:
    return [
        (float(x), float(y))
        for x, y in (p.split(",")[-2:] for p in pos.split() if not p.startswith(("e,", "s,")))
    ]


def _second_pass(
    executable: str,
    bands: Sequence[MapBand],
    objectives: Sequence[MapObjective],
    links: Sequence[tuple[int, int]],
    sizes: _Sizes,
    ranksep: float,
    first: dict[str, Any],
    top: float,
) -> Layout:
    """The graph again, now with a port per edge end ordered by where the first pass put the
    boxes; then its positions and routes, read in SVG coordinates."""
    centre_x = {
        int(node["name"][1:]): _points(node["pos"])[0][0]
        for node in first.get("objects", [])
        if node.get("name", "").startswith("o") and "pos" in node
    }
    ports = _assign_ports(objectives, links, centre_x)
    graph = _dot(executable, _dot_source(bands, objectives, links, sizes.box, ranksep, ports))
    lines, rank_height = sizes.lines, sizes.rank_height

    llx, lly, urx, ury = (float(v) for v in graph["bb"].split(","))
    x0, y0 = GUTTER + PAD - llx, top + PAD + EMPTY_BAND

    def at(point: Point) -> Point:
        return (point[0] + x0, ury - point[1] + y0)

    by_key = {o.key: o for o in objectives}
    boxes: dict[int, Box] = {}
    centres: dict[int, float] = {}
    for node in graph.get("objects", []):
        name, pos = node.get("name", ""), node.get("pos")
        if pos is None:
            continue
        cx, cy = at(_points(pos)[0])
        if name.startswith("b"):
            centres[int(name[1:])] = cy
        elif name.startswith("o") and int(name[1:]) in by_key:
            o = by_key[int(name[1:])]
            w, h = sizes.box[o.key]
            boxes[o.key] = Box(o, cx - w / 2, cy - h / 2, w, h, lines[o.key])
            centres[o.band] = cy
    edges = []
    for edge in graph.get("edges", []):
        if "id" not in edge:  # the invisible chain that orders the ranks
            continue
        cause, effect = (int(v) for v in edge["id"].split("_"))
        points = [at(p) for p in _points(edge["pos"])]
        if by_key[cause].band >= by_key[effect].band:  # drawn from the effect: turn it round
            points.reverse()
        edges.append((cause, effect, points))
    conflicts = untangle(edges, boxes)

    half = {i: rank_height[i] / 2 if rank_height[i] else EMPTY_BAND for i in range(len(bands))}
    extents: list[tuple[float, float]] = []
    for i in range(len(bands)):
        upper = centres[i] - half[i] - PAD if i == 0 else extents[-1][1]
        if i + 1 < len(bands):
            lower = (centres[i] + half[i] + centres[i + 1] - half[i + 1]) / 2
        else:
            lower = centres[i] + half[i] + PAD
        extents.append((upper, lower))
    width = x0 + urx + PAD
    height = max(extents[-1][1] if extents else y0, y0 + ury - lly) + 4
    return Layout(
        engine="dot",
        width=width,
        height=height,
        boxes=boxes,
        edges=[Edge(c, e, _commands(p)) for c, e, p in edges],
        bands=extents,
        conflicts=conflicts,
    )


def _dot(executable: str, source: str) -> dict[str, Any]:
    try:
        result = subprocess.run(
            [executable, "-Tjson0"],
            input=source.encode(),
            capture_output=True,
            timeout=DOT_TIMEOUT,
            check=True,
        )
        graph: dict[str, Any] = json.loads(result.stdout)
    except subprocess.CalledProcessError as error:
        raise DotFailed(f"{error}: {error.stderr.decode(errors='replace')[:300]}") from error
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        raise DotFailed(str(error)) from error
    return graph


def _commands(points: list[Point]) -> list[tuple[str, list[Point]]]:
    commands: list[tuple[str, list[Point]]] = [("M", [points[0]])]
    for i in range(1, len(points) - 2, 3):
        commands.append(("C", points[i : i + 3]))
    return commands
