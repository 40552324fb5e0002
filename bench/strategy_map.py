"""Render times of the strategy map: the demo plan and a 40-objective plan, cold and cached.

    python bench/strategy_map.py [--objectives 40] [--links 60] [--repeat 5]

"Cold" lays the map out from nothing (dot runs, edges are untangled, the SVG is drawn);
"cached" is what an unchanged plan costs (three queries and one cache read). Each map is also
read back and checked (shared lanes, arrows through boxes or heads, names cut) and its printed
box text size on A4 landscape given. Sets Django up itself. Unless DATABASE_URL is given, it
works in a throw-away SQLite file (migrated first, deleted afterwards); with DATABASE_URL it
builds the plans inside a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, default=40)
    parser.add_argument("--links", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    scratch = None
    if "DATABASE_URL" not in os.environ:
        scratch = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osm.settings")
    os.environ.setdefault("DEBUG", "true")  # a local measurement: no production secret needed
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    try:
        if scratch is not None:
            call_command("migrate", verbosity=0)
        with transaction.atomic():
            demo = build_demo()
            report("demo plan", demo, args.repeat)
            plan = build_plan(args.objectives, args.links)
            report(f"{args.objectives} objectives, {plan.link_count} links", plan, args.repeat)
            transaction.set_rollback(True)
    finally:
        if scratch is not None:
            Path(scratch.name).unlink(missing_ok=True)


def build_demo():  # type: ignore[no-untyped-def]
    from osm.demo import DemoContext
    from osm.models import Cluster
    from strategy.demo import seed_demo_plan
    from strategy.models import Plan

    cluster = Cluster.objects.order_by("number").first()
    province = cluster.provinces.first()
    seed_demo_plan(DemoContext(cluster=cluster, province=province, users={}, log=[]))
    return Plan.objects.get(cluster=cluster, start_year=2566, status=Plan.Status.APPROVED)


def build_plan(count: int, link_count: int):  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from osm.models import Cluster
    from strategy import services

    cluster = Cluster.objects.order_by("number").first()
    plan = services.plan_create(
        cluster=cluster, title_th="แผนทดสอบความเร็ว", start_year=2600, end_year=2604
    )
    perspectives = services.perspectives_ensure(cluster=cluster)
    issues = [
        services.issue_create(plan=plan, code=str(i), name_th=f"ประเด็นการพัฒนาที่ {i}")
        for i in range(1, 5)
    ]
    names = (
        "เพิ่มมูลค่าการท่องเที่ยวเชิงสร้างสรรค์และวัฒนธรรมล้านนาอย่างยั่งยืนตลอดทั้งปี",
        "เกษตรกรใช้เทคโนโลยีและนวัตกรรมลดต้นทุนการผลิต",
        "ชุมชนมีส่วนร่วมเฝ้าระวังและป้องกันไฟป่า",
        "ข้อมูลสิ่งแวดล้อมและระบบเตือนภัยเชื่อมโยงกันทั้งกลุ่มจังหวัด",
    )
    objectives = [
        services.objective_create(
            issue=issues[n % 4],
            perspective=perspectives[n % 4],
            code=f"{n % 4 + 1}.{n // 4 + 1}",
            name_th=names[n % 4],
        )
        for n in range(count)
    ]
    rnd = random.Random(2570)
    made = 0
    while made < link_count:
        a, b = rnd.sample(objectives, 2)
        # Cause in a lower band than its effect, as on a real map (always acyclic).
        if a.perspective.order > b.perspective.order:
            try:
                services.link_create(cause=a, effect=b)
                made += 1
            except ValidationError:  # already linked: pick another pair
                continue
    plan.link_count = made
    return plan


def _ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f})"


def report(label: str, plan, repeat: int) -> None:  # type: ignore[no-untyped-def]
    from strategy.maps import (
        FONT_SIZE,
        map_data,
        map_data_svg,
        print_pages,
        print_scale,
        strategy_map_svg,
    )
    from strategy.maps.checks import check_map

    cold = []
    for _ in range(repeat):
        start = time.perf_counter()
        svg = strategy_map_svg(plan, cache=False)
        cold.append(time.perf_counter() - start)
    strategy_map_svg(plan)  # into the cache
    cached = []
    for _ in range(repeat * 4):
        start = time.perf_counter()
        strategy_map_svg(plan)
        cached.append(time.perf_counter() - start)
    width, height = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg)[1].split()[2:])
    engine = re.search(r'data-engine="(\w+)"', svg)[1]
    scale = print_scale(width, height)
    print(
        f"{label}: cold {_ms(cold)}, cached {_ms(cached)}; {engine}, {width:.0f} × {height:.0f} pt, "
        f"box text on A4 landscape {FONT_SIZE * scale:.1f} pt; {check_map(svg, step=1.5).summary()}"
    )
    # What prints: the whole map when its boxes are readable (≥ 8 pt), else in parts.
    start = time.perf_counter()
    data = map_data(plan)
    pages = print_pages(data, map_data_svg(data, cache=False))
    took = (time.perf_counter() - start) * 1000
    if not pages:
        print(f"  prints whole on one A4 landscape page at {FONT_SIZE * scale:.1f} pt")
    else:
        sizes = ", ".join(f"{p.size:.1f}" for p in pages)
        print(
            f"  prints in {len(pages)} parts (one per issue), box text {sizes} pt; "
            f"{sum(p.outside_count for p in pages)} link ends listed under the parts; "
            f"parts laid out cold in {took:.0f} ms"
        )


if __name__ == "__main__":
    main()
