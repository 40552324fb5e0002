from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from osm.demo import DemoContext
from strategy import maps
from strategy.demo import LINKS, OBJECTIVES, seed_demo_plan
from strategy.models import Plan

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def demo_plan(world: Any, osm_staff: Any) -> Plan:
    context = DemoContext(
        cluster=world.cluster, province=world.province, users={"osm_staff": osm_staff}, log=[]
    )
    seed_demo_plan(context)
    return Plan.objects.get(cluster=world.cluster, start_year=2566, status=Plan.Status.APPROVED)


def _texts(svg: str) -> tuple[ET.Element, list[str]]:
    root = ET.fromstring(svg)  # raises on invalid XML
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    return root, titles


@pytest.mark.django_db
def test_demo_map_is_valid_xml_and_names_every_objective(demo_plan: Plan) -> None:
    svg = maps.strategy_map_svg(demo_plan)
    root, titles = _texts(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox")
    for objective in demo_plan.objectives.all():
        # Every box carries the full name (its <title>) and links to the objective's page.
        assert f"{objective.code} {objective.name_th}" in titles
        assert f'href="{objective.get_absolute_url()}"' in svg
    assert len(root.findall(f".//{SVG}path[@class='link']")) == len(LINKS)
    bands = root.findall(f".//{SVG}g[@class='band']")
    assert len(bands) == 4


@pytest.mark.django_db
def test_objectives_sit_in_their_perspective_band(demo_plan: Plan) -> None:
    root, _ = _texts(maps.strategy_map_svg(demo_plan))
    bands = []
    for band in root.findall(f".//{SVG}g[@class='band']"):
        rect = band.find(f"{SVG}rect")
        top = float(rect.get("y"))
        bands.append((top, top + float(rect.get("height"))))
    order = {p.pk: i for i, p in enumerate(demo_plan.cluster.perspectives.order_by("order"))}
    for objective in demo_plan.objectives.all():
        group = root.find(f".//{SVG}g[@id='map-objective-{objective.pk}']")
        y = float(group.find(f"{SVG}rect").get("y"))
        top, bottom = bands[order[objective.perspective_id]]
        assert top <= y <= bottom, objective.code


def test_forty_objectives_fit_an_a4_landscape_page_legibly() -> None:
    bands = [maps.MapBand(name) for name in ("ก", "ข", "ค", "ง")]
    objectives = [
        maps.MapObjective(i, f"{i}", "เพิ่มมูลค่าการท่องเที่ยวเชิงสร้างสรรค์และวัฒนธรรม", i % 4)
        for i in range(40)
    ]
    links = [(i, i - 5) for i in range(5, 40) if i % 4 > (i - 5) % 4]
    root, _ = _texts(maps.render_map_svg(bands, objectives, links))
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    # A4 landscape printable area at 8 mm margins: about 796 × 558 pt.
    scale = min(796 / width, 558 / height)
    assert maps.FONT_SIZE * scale >= 6.5  # pt on paper
    assert len(root.findall(f".//{SVG}g[@class='objective']")) == 40


def test_demo_has_the_promised_size() -> None:
    perspectives = {key for _code, _issue, key, *_rest in OBJECTIVES}
    assert len(OBJECTIVES) >= 10
    assert len(LINKS) >= 8
    assert len(perspectives) == 4
    codes = {code for code, *_rest in OBJECTIVES}
    assert all(cause in codes and effect in codes for cause, effect in LINKS)


def test_arrows_that_skip_a_row_run_in_a_lane_between_the_boxes() -> None:
    """An arrow from the bottom row to the top row of one column must not cross the box in
    the middle row: it is routed through the gap beside it."""
    import re

    from strategy.maps import NODE_H, NODE_W, MapBand, MapObjective, render_map_svg

    bands = [MapBand(name=f"มิติ {i}") for i in range(3)]
    objectives = [
        MapObjective(key=i + 1, code=f"{i + 1}", name=f"เป้าประสงค์ {i + 1}", band=i)
        for i in range(3)
    ]
    svg = render_map_svg(bands, objectives, [(3, 1)])
    rects = [
        tuple(float(v) for v in m)
        for m in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="150.0"', svg)
    ]
    middle_x, middle_y = rects[1]
    path = re.search(r'class="link"[^>]* d="([^"]+)"', svg).group(1)
    # The straight vertical part of the detour runs outside the middle box.
    lane = float(re.search(r"L([\d.]+),", path).group(1))
    assert not (middle_x <= lane <= middle_x + NODE_W)
    assert middle_y < float(re.search(r"L[\d.]+,([\d.]+)", path).group(1)) + NODE_H
