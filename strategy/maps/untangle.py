"""Nudging apart the few edges that dot's router lays on top of each other.

dot routes each spline through the free space between boxes, and two splines that bend
round the same corner can hug it together for a stretch. After the layout we look for such
stretches, for edges crossing a box and for edges running into another's arrowhead
(strategy.maps.checks, the same test the suite applies to the drawn SVG), and bend the
offending segment a few points away, a few rounds at most.
"""

from __future__ import annotations

import math

from strategy.maps.checks import Conflict, bezier_path, find_conflicts
from strategy.maps.geometry import Box, Point

ROUNDS = 6
NUDGE = 5.0  # points a control point moves per round
MARGIN = 1.0  # arrowheads are kept clear by this much more than the checks measure


def _segment_at(points: list[Point], at: Point) -> int:
    """Index of the first point (1, 4, 7, …) of the Bézier segment passing nearest `at`."""
    best, best_distance = 1, math.inf
    for i in range(1, len(points) - 2, 3):
        samples, _ = bezier_path([points[i - 1], *points[i : i + 3]])
        distance = min(math.dist(p, at) for p in samples)
        if distance < best_distance:
            best, best_distance = i, distance
    return best


def _away(
    conflict: Conflict, samples: list[Point], paths: list[list[Point]], boxes: list[Box]
) -> Point:
    """A unit vector across the edge at the conflict, pointing away from what it runs into."""
    at = conflict.at
    i = min(range(len(samples)), key=lambda k: math.dist(samples[k], at))
    a, b = samples[max(i - 2, 0)], samples[min(i + 2, len(samples) - 1)]
    length = math.dist(a, b) or 1.0
    normal = (-(b[1] - a[1]) / length, (b[0] - a[0]) / length)
    if conflict.kind == "box":
        box = next(
            (x for x in boxes if x.x <= at[0] <= x.right and x.y <= at[1] <= x.bottom), boxes[0]
        )
        towards = (box.x + box.w / 2, box.y + box.h / 2)
    elif conflict.kind == "head":
        towards = paths[conflict.other][-1]
    else:
        other = paths[conflict.other]
        towards = min(other, key=lambda p: math.dist(p, at))
        if math.dist(towards, at) < 0.3:  # on top of each other: any side will do
            return normal
    side = (towards[0] - at[0]) * normal[0] + (towards[1] - at[1]) * normal[1]
    return (-normal[0], -normal[1]) if side > 0 else normal


def untangle(edges: list[tuple[int, int, list[Point]]], boxes: dict[int, Box]) -> int:
    """Move edges off each other, boxes and heads in place; returns the conflicts left."""
    rects = [(b.x, b.y, b.right, b.bottom) for b in boxes.values()]
    conflicts: list[Conflict] = []
    for _round in range(ROUNDS):
        sampled = [bezier_path(points) for _c, _e, points in edges]
        conflicts = find_conflicts(sampled, rects, margin=MARGIN)
        if not conflicts:
            return 0
        moved: set[int] = set()
        for conflict in conflicts:
            if conflict.edge in moved:
                continue
            moved.add(conflict.edge)
            points = edges[conflict.edge][2]
            samples = sampled[conflict.edge][0]
            dx, dy = _away(conflict, samples, [s for s, _d in sampled], list(boxes.values()))
            first = _segment_at(points, conflict.at)
            last_segment = first + 3 >= len(points) - 1
            for k in (first, first + 1):
                if (k == first and first == 1) or (k == first + 1 and last_segment):
                    continue  # keep the straight run out of and into the boxes
                points[k] = (points[k][0] + dx * NUDGE, points[k][1] + dy * NUDGE)
            if first == 1 and last_segment:  # one segment: bend both, a little
                for k in (first, first + 1):
                    points[k] = (points[k][0] + dx * NUDGE / 2, points[k][1] + dy * NUDGE / 2)
    return len(conflicts)
