"""Geometric checks of a drawn map, read back from its SVG: do two arrows share a stretch of
path, does an arrow cross a box, does an arrow run into another arrow's head, is a name cut?

Used by the tests and the benchmark; it reads what is drawn, not the layout's own data.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field

from strategy.maps.geometry import HEAD_HALF_WIDTH, HEAD_LENGTH

SVG = "{http://www.w3.org/2000/svg}"
Point = tuple[float, float]
TOLERANCE = 1.0  # centres closer than this: the 1.3-pt strokes overlap
SHARED_RUN = 12.0  # ... over a longer stretch: a shared lane (crossings are shorter)
MERGE_RUN = 30.0  # ... a crossing this long at a shallow angle reads as a merge
STEP = 3.0  # sampling distance along a path


@dataclass
class MapCheck:
    boxes: int = 0
    edges: int = 0
    shared: list[tuple[str, str, float]] = field(default_factory=list)
    through_box: list[tuple[str, str]] = field(default_factory=list)
    through_head: list[tuple[str, str]] = field(default_factory=list)
    cut_names: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.shared or self.through_box or self.through_head or self.cut_names)

    def summary(self) -> str:
        return (
            f"{self.boxes} boxes, {self.edges} arrows: {len(self.shared)} shared stretches, "
            f"{len(self.through_box)} through a box, {len(self.through_head)} into a head, "
            f"{len(self.cut_names)} names cut"
        )


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, step: float = STEP) -> list[Point]:
    length = math.dist(p0, p1) + math.dist(p1, p2) + math.dist(p2, p3)
    steps = max(4, int(length / step))
    out = []
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        out.append(
            (
                u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
            )
        )
    return out


def path_points(d: str, step: float = STEP) -> tuple[list[Point], Point]:
    """Points along an "M … C … L …" path and the direction its end points in."""
    samples: list[Point] = []
    before_end: Point = (0.0, 0.0)
    for command, numbers in re.findall(r"([MCL])([^MCL]*)", d):
        values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", numbers)]
        points = list(zip(values[::2], values[1::2], strict=True))
        if command == "M":
            samples.append(points[0])
        elif command == "C":
            for i in range(0, len(points), 3):
                before_end = points[i + 1]
                p1, p2, p3 = points[i : i + 3]
                samples += _bezier(samples[-1], p1, p2, p3, step)
        else:
            for point in points:
                start = samples[-1]
                before_end = start
                steps = max(1, int(math.dist(start, point) / step))
                samples += [
                    (
                        start[0] + (point[0] - start[0]) * k / steps,
                        start[1] + (point[1] - start[1]) * k / steps,
                    )
                    for k in range(1, steps + 1)
                ]
    end = samples[-1]
    if math.dist(before_end, end) < 0.5:
        before_end = samples[-3] if len(samples) > 2 else samples[0]
    length = math.dist(before_end, end) or 1.0
    return samples, ((end[0] - before_end[0]) / length, (end[1] - before_end[1]) / length)


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    span = dx * dx + dy * dy
    t = 0.0 if span == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / span))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def _in_triangle(p: Point, a: Point, b: Point, c: Point) -> bool:
    def cross(o: Point, u: Point, v: Point) -> float:
        return (u[0] - o[0]) * (v[1] - o[1]) - (u[1] - o[1]) * (v[0] - o[0])

    d1, d2, d3 = cross(a, b, p), cross(b, c, p), cross(c, a, p)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


@dataclass
class Conflict:
    kind: str  # "shared" | "box" | "head"
    edge: int  # the edge to move
    other: int  # the other edge (-1 for a box)
    at: Point  # where
    length: float = 0.0


def find_conflicts(
    paths: list[tuple[list[Point], Point]],
    rects: list[tuple[float, float, float, float]],
    *,
    margin: float = 0.0,
) -> list[Conflict]:
    """Shared stretches, crossings of boxes and of arrowheads among `paths` (each its points
    and its end direction); `rects` as (left, top, right, bottom). A `margin` makes every
    test stricter by that many points (the layout keeps clear of what the tests measure)."""
    edge = 1.0
    tolerance = TOLERANCE
    found: list[Conflict] = []
    grid: dict[tuple[int, int], list[tuple[int, Point, Point]]] = defaultdict(list)
    cell = 8.0
    for index, (samples, _dir) in enumerate(paths):
        for a, b in zip(samples, samples[1:], strict=False):
            for gx in range(int(min(a[0], b[0]) // cell), int(max(a[0], b[0]) // cell) + 1):
                for gy in range(int(min(a[1], b[1]) // cell), int(max(a[1], b[1]) // cell) + 1):
                    grid[(gx, gy)].append((index, a, b))

    def nearby(x0: float, y0: float, x1: float, y1: float) -> dict[int, set[Point]]:
        """The sampled points of each path within the cells covering a rectangle."""
        points: dict[int, set[Point]] = defaultdict(set)
        for gx in range(int(x0 // cell), int(x1 // cell) + 1):
            for gy in range(int(y0 // cell), int(y1 // cell) + 1):
                for index, a, b in grid.get((gx, gy), ()):
                    points[index].update((a, b))
        return points

    for x0, y0, x1, y1 in rects:
        for index, points in sorted(nearby(x0, y0, x1, y1).items()):
            inside = sorted(
                p for p in points if x0 + edge < p[0] < x1 - edge and y0 + edge < p[1] < y1 - edge
            )
            if inside:
                found.append(Conflict("box", index, -1, inside[len(inside) // 2]))
    for index, (samples, _dir) in enumerate(paths):
        runs: dict[int, float] = defaultdict(float)
        sides: dict[int, set[bool]] = defaultdict(set)
        longest: dict[int, tuple[float, Point]] = {}
        previous = samples[0]
        for p in samples:
            near: dict[int, bool] = {}
            for other, a, b in grid[(int(p[0] // cell), int(p[1] // cell))]:
                if other != index and _segment_distance(p, a, b) < tolerance:
                    near[other] = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) > 0
            moved = math.dist(previous, p)
            for other in list(runs):
                if other not in near:
                    runs[other] = 0.0
                    sides[other].clear()
            for other, side in near.items():
                runs[other] += moved
                sides[other].add(side)
                # Close on one side all along: one lane. Crossing (both sides), it is a crossing
                # unless it is long enough to read as a merge.
                crossing = len(sides[other]) == 2
                limit = max(MERGE_RUN if crossing else SHARED_RUN, longest.get(other, (0.0, p))[0])
                if runs[other] > limit:
                    longest[other] = (runs[other], p)
            previous = p
        for other, (length, at) in longest.items():
            if other > index:
                found.append(Conflict("shared", other, index, at, round(length, 1)))
    for index, (samples, (ux, uy)) in enumerate(paths):
        tip = samples[-1]
        # The head, a little larger than drawn; the arrow's own line is not counted.
        base = (tip[0] - ux * (HEAD_LENGTH + 1 + margin), tip[1] - uy * (HEAD_LENGTH + 1 + margin))
        half = HEAD_HALF_WIDTH + 1 + margin
        a = (base[0] - uy * half, base[1] + ux * half)
        c = (base[0] + uy * half, base[1] - ux * half)
        front = (tip[0] + ux, tip[1] + uy)
        xs, ys = (a[0], c[0], front[0]), (a[1], c[1], front[1])
        for other, points in sorted(nearby(min(xs), min(ys), max(xs), max(ys)).items()):
            if other == index:
                continue
            hits = sorted(p for p in points if _in_triangle(p, a, front, c))
            if hits:
                found.append(Conflict("head", other, index, hits[0]))
    return found


def check_map(svg: str, *, step: float = STEP) -> MapCheck:
    """Read a drawn map back and check it (see the module's docstring), sampling its paths
    every `step` points."""
    root = ET.fromstring(svg)
    result = MapCheck()
    rects = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "objective":
            continue
        rect = group.find(f"{SVG}rect")
        assert rect is not None
        x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
        rects.append((x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0))))
        title = (group.findtext(f"{SVG}title") or "").split(" ", 1)
        shown = "".join(t.text or "" for t in group.iter(f"{SVG}tspan") if t.get("class") == "name")
        if len(title) == 2 and shown.replace(" ", "") != title[1].replace(" ", ""):
            result.cut_names.append(title[0])
    result.boxes = len(rects)
    names, paths = [], []
    for path in root.iter(f"{SVG}path"):
        if path.get("class") == "link":
            names.append(f"{path.get('data-cause')}→{path.get('data-effect')}")
            paths.append(path_points(path.get("d", ""), step))
    result.edges = len(paths)
    for conflict in find_conflicts(paths, rects):
        if conflict.kind == "shared":
            result.shared.append((names[conflict.other], names[conflict.edge], conflict.length))
        elif conflict.kind == "box":
            result.through_box.append(
                (names[conflict.edge], f"{conflict.at[0]:.0f},{conflict.at[1]:.0f}")
            )
        else:
            result.through_head.append((names[conflict.edge], names[conflict.other]))
    return result


def bezier_path(points: list[Point]) -> tuple[list[Point], Point]:
    """Points along a chain of cubic Bézier segments (p0, then three points per segment) and
    the direction its end points in."""
    samples = [points[0]]
    for i in range(1, len(points) - 2, 3):
        p1, p2, p3 = points[i : i + 3]
        samples += _bezier(samples[-1], p1, p2, p3)
    end, before = points[-1], points[-2]
    if math.dist(before, end) < 0.5:
        before = samples[-3] if len(samples) > 2 else samples[0]
    length = math.dist(before, end) or 1.0
    return samples, ((end[0] - before[0]) / length, (end[1] - before[1]) / length)
