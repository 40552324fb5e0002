"""The strategy map on paper: readable box text on every A4 landscape page.

A map whose box text prints at `MIN_PRINT_SIZE` or larger prints whole, on one page. A larger
map prints in parts, one page per development issue (an issue's objectives in the same
perspective bands, with the links among them), and when an issue alone is still too large,
one page per perspective of that issue. Under each part are its links with objectives on
other pages, by code and name, so that no cause-and-effect link is lost on paper. Measured
with `bench/strategy_map.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from strategy.maps.geometry import (
    FONT_SIZE,
    MIN_PRINT_SIZE,
    PART_PRINT_HEIGHT,
    PRINT_HEIGHT,
    MapObjective,
    print_scale,
)

if TYPE_CHECKING:
    from strategy.maps import MapData


@dataclass
class OutsideLinks:
    """An objective of the page and its links with objectives printed on other pages."""

    objective: MapObjective
    leads_to: list[MapObjective] = field(default_factory=list)
    driven_by: list[MapObjective] = field(default_factory=list)


@dataclass
class PrintPage:
    title: str
    svg: str
    size: float  # pt: the box text as printed
    outside: list[OutsideLinks] = field(default_factory=list)
    # Listed under the map when even the part prints below MIN_PRINT_SIZE.
    legend: list[MapObjective] = field(default_factory=list)

    @property
    def outside_count(self) -> int:
        return sum(len(o.leads_to) + len(o.driven_by) for o in self.outside)


def printed_size(svg: str, box_height: float = PRINT_HEIGHT) -> float:
    """The box text size, in points, of the map printed in a box 281 mm wide."""
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if not found:
        return FONT_SIZE
    return FONT_SIZE * print_scale(float(found[1]), float(found[2]), box_height)


def print_pages(data: MapData, whole_svg: str) -> list[PrintPage]:
    """The pages the map prints on: none extra when the whole map is readable (the page
    prints `whole_svg`), else one per issue or per perspective of a large issue."""
    if printed_size(whole_svg) >= MIN_PRINT_SIZE:
        return []
    from django.utils.translation import gettext as _

    pages: list[PrintPage] = []
    issues: dict[int, list[MapObjective]] = {}
    for o in data.objectives:
        issues.setdefault(data.issue_of[o.key].pk, []).append(o)
    for members in issues.values():
        issue = data.issue_of[members[0].key]
        title = _("Development issue %(code)s: %(name)s") % {
            "code": issue.code,
            "name": issue.name,
        }
        page = _page(data, members, title, f"map-i{issue.pk}")
        if page.size >= MIN_PRINT_SIZE or len({o.band for o in members}) == 1:
            pages.append(page)
            continue
        for band in sorted({o.band for o in members}):
            part = [o for o in members if o.band == band]
            name = f"{title} · {data.bands[band].name}"
            pages.append(_page(data, part, name, f"map-i{issue.pk}-b{band}"))
    return pages


def _page(data: MapData, members: list[MapObjective], title: str, prefix: str) -> PrintPage:
    from strategy.maps import render_map_svg

    keys = {o.key for o in members}
    by_key = {o.key: o for o in data.objectives}
    inside = [(c, e) for c, e in data.links if c in keys and e in keys]
    outside = {o.key: OutsideLinks(o) for o in members}
    for cause, effect in data.links:
        if cause in keys and effect not in keys and effect in by_key:
            outside[cause].leads_to.append(by_key[effect])
        elif effect in keys and cause not in keys and cause in by_key:
            outside[effect].driven_by.append(by_key[cause])
    for item in outside.values():
        item.leads_to.sort(key=lambda o: o.code)
        item.driven_by.sort(key=lambda o: o.code)
    svg = render_map_svg(data.bands, members, inside, title=title, id_prefix=prefix)
    size = printed_size(svg, PART_PRINT_HEIGHT)
    return PrintPage(
        title,
        svg,
        size,
        [o for o in outside.values() if o.leads_to or o.driven_by],
        members if size < MIN_PRINT_SIZE else [],
    )
