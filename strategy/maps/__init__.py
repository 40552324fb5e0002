"""The strategy map: objectives in perspective bands, cause → effect arrows, as SVG.

Graphviz ``dot`` lays the map out (strategy.maps.graphviz): one rank per perspective, top to
bottom in the plan's order; dot orders the boxes within each rank to cut crossings and routes
each edge as a spline around the boxes, an edge that spans ranks in a lane of its own. We run
``dot -Tjson0`` as a subprocess with a timeout, read the positions and edge control points,
and draw the SVG ourselves (strategy.maps.svg) rather than post-process dot's SVG: the boxes
carry links, wrapped Thai names (osm.lib.thai_text, libthai's dictionary: Thai has no spaces
between words) and the house colours, and where edges meet a box is ours (ends spread along the
side at right angles, so arrowheads never meet). Names are never cut: a box grows a line
instead. Text is 12 units, the print body size, so a map that fits the A4 landscape page at its
natural size prints its boxes at 12 pt; dot is tried with a few box widths and the one that
prints largest wins. When ``dot`` is missing or fails, the hand-written layout
(strategy.maps.fallback) draws the map and the failure is logged.

The result is cached under a hash of everything drawn, so an unchanged plan costs one cache
read. The same SVG string serves the web page, the download, the print view and PDF packs.
``render_map_svg`` takes plain data; ``strategy_map_svg(plan)`` loads a plan and calls it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strategy.maps.fallback import fallback_layout
from strategy.maps.geometry import (
    FONT_SIZE,
    MIN_PRINT_SIZE,
    PRINT_BODY_SIZE,
    TITLE_H,
    Layout,
    MapBand,
    MapObjective,
    print_scale,
)
from strategy.maps.graphviz import DotFailed, dot_layout
from strategy.maps.pages import PrintPage, print_pages, printed_size
from strategy.maps.svg import draw

if TYPE_CHECKING:
    from strategy.models import Objective, Plan

__all__ = [
    "FONT_SIZE",
    "MIN_PRINT_SIZE",
    "PRINT_BODY_SIZE",
    "MapBand",
    "MapData",
    "MapObjective",
    "layout_map",
    "map_data",
    "map_data_svg",
    "PrintPage",
    "print_pages",
    "print_scale",
    "printed_size",
    "render_map_svg",
    "strategy_map_svg",
    "svg_print_scale",
]

logger = logging.getLogger(__name__)
LAYOUT_VERSION = 6  # part of the cache key: raise it whenever the layout or drawing changes
CACHE_SECONDS = 7 * 24 * 3600


def layout_map(
    bands: Sequence[MapBand],
    objectives: Sequence[MapObjective],
    links: Sequence[tuple[int, int]],
    *,
    top: float = 4.0,
) -> Layout:
    """Positions of the boxes and routes of the arrows: by dot, or by hand when dot fails."""
    try:
        return dot_layout(bands, objectives, links, top=top)
    except DotFailed as error:
        logger.warning("strategy map: dot failed (%s); the hand-written layout is used", error)
        return fallback_layout(bands, objectives, links, top=top)


def svg_print_scale(svg: str) -> float:
    """How much a drawn map shrinks on the A4 landscape page (1 when it prints at its size)."""
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    return print_scale(float(found[1]), float(found[2])) if found else 1.0


def _cache_key(*parts: object) -> str:
    data = json.dumps(parts, ensure_ascii=False, default=list).encode()
    return f"strategy-map:{LAYOUT_VERSION}:{hashlib.sha256(data).hexdigest()}"


def render_map_svg(
    bands: Sequence[MapBand],
    objectives: Sequence[MapObjective],
    links: Sequence[tuple[int, int]],
    *,
    title: str = "",
    empty_text: str = "",
    cache: bool = True,
    id_prefix: str = "map",
) -> str:
    """The strategy map as a standalone SVG document (a string).

    `bands` top to bottom; `objectives` in a preferred order (the layout may reorder boxes
    within a band to cut crossings); `links` as (cause key, effect key). Every objective
    with a `url` is a link. Cached by a hash of all of it unless `cache` is false.
    `id_prefix` starts the element ids, so that several maps can share one page.
    """
    from django.core.cache import cache as store

    key = _cache_key(
        [b.name for b in bands],
        [(o.key, o.code, o.name, o.band, o.url) for o in objectives],
        sorted(links),
        title,
        empty_text,
        id_prefix,
    )
    if cache and (found := store.get(key)) is not None:
        return str(found)
    layout = layout_map(bands, objectives, links, top=TITLE_H if title else 4.0)
    svg = draw(layout, list(bands), title=title, empty_text=empty_text, id_prefix=id_prefix)
    if cache and layout.engine == "dot":  # a fallback is not kept: dot may be back next time
        store.set(key, svg, CACHE_SECONDS)
    return svg


@dataclass
class MapData:
    """What a plan's map draws, loaded once: bands, boxes, links and each box's issue."""

    title: str
    bands: list[MapBand]
    objectives: list[MapObjective]
    links: list[tuple[int, int]]
    issue_of: dict[int, Any] = field(default_factory=dict)  # objective key → StrategicIssue


def map_data(plan: Plan, *, url_for: Callable[[Objective], str] | None = None) -> MapData:
    """The plan's map as data. Three queries: perspectives, objectives, links.

    `url_for(objective)` gives each box's link; by default the objective's own page.
    """
    from strategy.models import Objective, ObjectiveLink, Perspective

    perspectives = list(Perspective.objects.filter(cluster_id=plan.cluster_id).order_by("order"))
    band_of = {p.pk: i for i, p in enumerate(perspectives)}
    objectives = [
        o
        for o in Objective.objects.filter(plan=plan)
        .select_related("issue")
        .order_by("issue__order", "issue__code", "order", "code")
        if o.perspective_id in band_of
    ]
    link = url_for or (lambda o: o.get_absolute_url())
    return MapData(
        title=plan.title,
        bands=[MapBand(p.name) for p in perspectives],
        objectives=[
            MapObjective(o.pk, o.code, o.name, band_of[o.perspective_id], link(o))
            for o in objectives
        ],
        links=list(ObjectiveLink.objects.filter(plan=plan).values_list("cause_id", "effect_id")),
        issue_of={o.pk: o.issue for o in objectives},
    )


def strategy_map_svg(
    plan: Plan, *, url_for: Callable[[Objective], str] | None = None, cache: bool = True
) -> str:
    """The map of `plan` (a strategy.Plan). Three queries: perspectives, objectives, links."""
    return map_data_svg(map_data(plan, url_for=url_for), cache=cache)


def map_data_svg(data: MapData, *, cache: bool = True) -> str:
    from django.utils.translation import gettext as _

    return render_map_svg(
        data.bands,
        data.objectives,
        data.links,
        title=data.title,
        empty_text=_("No objectives yet."),
        cache=cache,
    )
