"""What both layouts produce and the drawing reads: boxes, edge paths, bands, sizes.

Sizes are SVG user units, which are points when the map prints at its natural size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from osm.lib.thai_text import wrap

PRINT_BODY_SIZE = 12.0  # pt: body text in print (osm.css, the PDF packs)
FONT_SIZE = 12.0  # box text: at the map's natural size it prints as large as body text
LINE_H = 16.8  # Thai stacks marks above and below the line: 1.4 em
CELL = 0.56 * FONT_SIZE  # one display cell of Sarabun, a little generous
BOX_PAD_X = 6.0
BOX_PAD_Y = 6.0
GUTTER = 108.0  # the perspective names, left of the bands
BAND_LABEL_CELLS = 14
PAD = 10.0
TITLE_H = 30.0
HEAD_LENGTH = 8.0  # arrowheads, in user units (markerUnits="userSpaceOnUse")
HEAD_HALF_WIDTH = 3.5
# The map's box on an A4 landscape page at 8 mm margins (281 × 190 mm, see strategy.css), in
# points.
PRINT_WIDTH = 796.0
PRINT_HEIGHT = 538.0
# A map printed as one of several pages leaves 40 mm under it for its links to other pages.
PART_PRINT_HEIGHT = 425.0
MIN_PRINT_SIZE = 8.0  # pt: box text never prints smaller (a larger map prints in parts)

Point = tuple[float, float]


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


@dataclass
class Box:
    objective: MapObjective
    x: float  # left
    y: float  # top
    w: float
    h: float
    lines: list[str] = field(default_factory=list)

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w


@dataclass
class Edge:
    cause: int
    effect: int
    # An SVG path of absolute commands: "M" then "C" (three points) and "L" (one point).
    commands: list[tuple[str, list[Point]]]

    @property
    def d(self) -> str:
        return " ".join(
            cmd + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) for cmd, points in self.commands
        )

    @property
    def end(self) -> Point:
        return self.commands[-1][1][-1]


@dataclass
class Layout:
    engine: str  # "dot" or "fallback"
    width: float
    height: float
    boxes: dict[int, Box]
    edges: list[Edge]
    bands: list[tuple[float, float]]  # (top, bottom) per band
    conflicts: int = 0  # edges left on each other, on a box or on a head (see checks)


def name_lines(name: str, box_width: float) -> list[str]:
    """The whole name in lines that fit a box `box_width` wide: never cut."""
    per_line = max(6, int((box_width - 2 * BOX_PAD_X) / CELL))
    return wrap(name, per_line, max_lines=1000)


def box_height(lines: int) -> float:
    """Room for the code line and `lines` lines of name."""
    return (lines + 1) * LINE_H + 2 * BOX_PAD_Y


def band_label_lines(name: str) -> list[str]:
    return wrap(name, BAND_LABEL_CELLS, max_lines=6)


def print_scale(width: float, height: float, box_height: float = PRINT_HEIGHT) -> float:
    """How much the map shrinks to fit the printable A4 landscape box (1 when it fits), or a
    box as wide and `box_height` tall."""
    return min(1.0, PRINT_WIDTH / width, box_height / height)
