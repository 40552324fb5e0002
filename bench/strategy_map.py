"""Median time to render a 40-objective strategy map (database reads + layout + SVG).

    python bench/strategy_map.py [--objectives 40] [--links 60] [--repeat 30]

Sets Django up itself. Unless DATABASE_URL is given, it works in a throw-away SQLite file
(migrated first, deleted afterwards); with DATABASE_URL it builds the plan inside a
transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import os
import random
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
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    scratch = None
    if "DATABASE_URL" not in os.environ:
        scratch = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osm.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    try:
        if scratch is not None:
            call_command("migrate", verbosity=0)
        with transaction.atomic():
            plan = build_plan(args.objectives, args.links)
            times = measure(plan, args.repeat)
            transaction.set_rollback(True)
    finally:
        if scratch is not None:
            Path(scratch.name).unlink(missing_ok=True)
    print(
        f"strategy map, {args.objectives} objectives, {plan.link_count} links: "
        f"median {statistics.median(times) * 1000:.1f} ms, "
        f"min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
        f"over {args.repeat} renders ({os.environ['DATABASE_URL'].split(':')[0]})"
    )


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
    objectives = []
    for n in range(count):
        objectives.append(
            services.objective_create(
                issue=issues[n % 4],
                perspective=perspectives[n % 4],
                code=f"{n % 4 + 1}.{n // 4 + 1}",
                name_th="เพิ่มมูลค่าการท่องเที่ยวเชิงสร้างสรรค์และวัฒนธรรมล้านนาอย่างยั่งยืน",
            )
        )
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


def measure(plan, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    from strategy.maps import strategy_map_svg

    strategy_map_svg(plan)  # warm caches (content types, imports)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        strategy_map_svg(plan)
        times.append(time.perf_counter() - start)
    return times


if __name__ == "__main__":
    main()
