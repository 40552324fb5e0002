"""Demo data: indicators and targets for the demo plan, cascaded to the demo cluster's
provinces, with two quarters of results in mixed states and an open round (seed_demo, order 30).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from osm.lib import dates
from scorecard import services
from scorecard.models import Indicator, ReportingRound, Result, Status

I = Indicator  # noqa: E741 - short alias for the table below
# name, unit, direction, aggregation, accumulation, cluster target per year, province spread
TEMPLATES = [
    ("มูลค่าการค้าชายแดนของกลุ่มจังหวัด", "ล้านบาท", I.Direction.UP, I.Aggregation.SUM, I.Accumulation.CUMULATIVE, Decimal(48000)),
    ("รายได้จากการท่องเที่ยวของกลุ่มจังหวัด", "ล้านบาท", I.Direction.UP, I.Aggregation.SUM, I.Accumulation.CUMULATIVE, Decimal(120000)),
    ("ร้อยละของแปลงเกษตรที่ได้รับการรับรองมาตรฐาน GAP", "ร้อยละ", I.Direction.UP, I.Aggregation.MEAN, I.Accumulation.POINT, Decimal(60)),
    ("จำนวนจุดความร้อนสะสม (Hotspot)", "จุด", I.Direction.DOWN, I.Aggregation.SUM, I.Accumulation.CUMULATIVE, Decimal(2400)),
    ("ค่าเฉลี่ยฝุ่นละอองขนาดไม่เกิน 2.5 ไมครอน สูงสุดรายเดือน", "มคก./ลบ.ม.", I.Direction.DOWN, I.Aggregation.MAX, I.Accumulation.POINT, Decimal(50)),
    ("อัตราการขยายตัวของผลิตภัณฑ์มวลรวมกลุ่มจังหวัด", "ร้อยละ", I.Direction.UP, I.Aggregation.WEIGHTED_MEAN, I.Accumulation.POINT, Decimal("3.5")),
    ("ระดับความสำเร็จของการพัฒนาเส้นทางท่องเที่ยวเชิงสร้างสรรค์", "ระดับ", I.Direction.UP, I.Aggregation.NONE, I.Accumulation.POINT, Decimal(5)),
    ("จำนวนผลิตภัณฑ์ชุมชนที่ได้รับการพัฒนาและยกระดับมาตรฐาน", "ผลิตภัณฑ์", I.Direction.UP, I.Aggregation.SUM, I.Accumulation.CUMULATIVE, Decimal(400)),
]  # fmt: skip


UP, DOWN = I.Direction.UP, I.Direction.DOWN
SUM, MEAN, WMEAN = I.Aggregation.SUM, I.Aggregation.MEAN, I.Aggregation.WEIGHTED_MEAN
MAX, MIN, NONE = I.Aggregation.MAX, I.Aggregation.MIN, I.Aggregation.NONE
CUM, POINT = I.Accumulation.CUMULATIVE, I.Accumulation.POINT
# The demo plan's objectives (strategy's demo seeder) and two indicators each:
# Thai name, English name, unit, direction, aggregation, accumulation, cluster target per year.
BY_OBJECTIVE = {
    "1.1": [("รายได้จากการท่องเที่ยวของกลุ่มจังหวัด", "Tourism revenue of the cluster", "ล้านบาท", UP, SUM, CUM, Decimal(120000)),
            ("จำนวนนักท่องเที่ยวที่มาเยือนกลุ่มจังหวัด", "Visitors to the cluster", "ล้านคน-ครั้ง", UP, SUM, CUM, Decimal(14))],
    "1.2": [("ร้อยละความพึงพอใจของนักท่องเที่ยวต่อคุณภาพแหล่งท่องเที่ยว", "Visitor satisfaction with attractions", "ร้อยละ", UP, MEAN, POINT, Decimal(85)),
            ("จำนวนแหล่งท่องเที่ยวที่ผ่านมาตรฐานการท่องเที่ยวไทย", "Attractions meeting the Thai tourism standard", "แห่ง", UP, SUM, CUM, Decimal(60))],
    "1.3": [("ระดับความสำเร็จของการพัฒนาเส้นทางท่องเที่ยวเชิงสร้างสรรค์ล้านนา", "Progress of the Lanna creative tourism routes", "ระดับ", UP, NONE, POINT, Decimal(5)),
            ("จำนวนเส้นทางท่องเที่ยวที่เชื่อมโยงทั้ง 4 จังหวัด", "Tourism routes linking the four provinces", "เส้นทาง", UP, SUM, CUM, Decimal(8))],
    "1.4": [("จำนวนผู้ประกอบการและบุคลากรด้านการท่องเที่ยวที่ผ่านการพัฒนาทักษะ", "Tourism operators and staff trained", "คน", UP, SUM, CUM, Decimal(1200)),
            ("ร้อยละของผู้ผ่านการอบรมที่นำความรู้ไปใช้ประโยชน์", "Trainees applying what they learnt", "ร้อยละ", UP, MEAN, POINT, Decimal(80))],
    "2.1": [("มูลค่าผลผลิตเกษตรและสินค้าเกษตรแปรรูป", "Value of farm and processed farm products", "ล้านบาท", UP, SUM, CUM, Decimal(48000)),
            ("อัตราการขยายตัวของผลิตภัณฑ์มวลรวมภาคเกษตร", "Growth of agricultural GPP", "ร้อยละ", UP, WMEAN, POINT, Decimal("3.5"))],
    "2.2": [("ร้อยละของแปลงเกษตรที่ได้รับการรับรองมาตรฐาน GAP", "Farm plots certified GAP", "ร้อยละ", UP, MEAN, POINT, Decimal(60)),
            ("มูลค่าการค้าชายแดนสินค้าเกษตร", "Border trade in farm products", "ล้านบาท", UP, SUM, CUM, Decimal(9000))],
    "2.3": [("จำนวนเกษตรกรที่ใช้เทคโนโลยีและนวัตกรรมการผลิต", "Farmers using production technology", "ราย", UP, SUM, CUM, Decimal(4000)),
            ("ต้นทุนการผลิตข้าวต่อไร่", "Rice production cost per rai", "บาท/ไร่", DOWN, MEAN, POINT, Decimal(4200))],
    "2.4": [("จำนวนวิสาหกิจชุมชนที่ได้รับการยกระดับมาตรฐาน", "Community enterprises upgraded", "แห่ง", UP, SUM, CUM, Decimal(400)),
            ("ร้อยละของกลุ่มเกษตรกรที่มีความเข้มแข็งระดับดีขึ้นไป", "Farmer groups rated strong or better", "ร้อยละ", UP, MIN, POINT, Decimal(70))],
    "3.1": [("จำนวนจุดความร้อนสะสม (Hotspot)", "Accumulated hotspots", "จุด", DOWN, SUM, CUM, Decimal(2400)),
            ("ค่าเฉลี่ยฝุ่นละอองขนาดไม่เกิน 2.5 ไมครอน สูงสุดรายเดือน", "Highest monthly mean PM2.5", "มคก./ลบ.ม.", DOWN, MAX, POINT, Decimal(50))],
    "3.2": [("จำนวนหมู่บ้านที่มีเครือข่ายเฝ้าระวังไฟป่า", "Villages with forest-fire watch networks", "หมู่บ้าน", UP, SUM, CUM, Decimal(900)),
            ("จำนวนอาสาสมัครป้องกันไฟป่าที่ผ่านการอบรม", "Forest-fire volunteers trained", "คน", UP, SUM, CUM, Decimal(3000))],
    "3.3": [("พื้นที่เผาไหม้สะสม", "Accumulated burnt area", "ไร่", DOWN, SUM, CUM, Decimal(500000)),
            ("ปริมาณเชื้อเพลิงจากป่าที่นำไปใช้ประโยชน์", "Forest fuel put to use", "ตัน", UP, SUM, CUM, Decimal(20000))],
    "3.4": [("ระดับความสำเร็จของระบบเตือนภัยฝุ่นควันที่เชื่อมโยงทั้งกลุ่มจังหวัด", "Progress of the cluster-wide haze warning system", "ระดับ", UP, NONE, POINT, Decimal(5)),
            ("จำนวนสถานีตรวจวัดคุณภาพอากาศที่เชื่อมโยงข้อมูล", "Air-quality stations sharing data", "สถานี", UP, SUM, CUM, Decimal(40))],
}  # fmt: skip


# The other demo clusters (osm.demo.EXTRA_CLUSTERS): one indicator per objective.
OTHER_CLUSTERS = {
    "kk": {
        "1.1": [("มูลค่าผลผลิตอุตสาหกรรมชีวภาพของกลุ่มจังหวัด", "Bio-industry output of the cluster", "ล้านบาท", UP, SUM, CUM, Decimal(30000))],
        "1.2": [("ร้อยละของเกษตรกรที่ได้รับการรับรองเกษตรปลอดภัย", "Farmers certified for safe farming", "ร้อยละ", UP, MEAN, POINT, Decimal(40))],
        "1.3": [("ต้นทุนการผลิตอ้อยต่อไร่", "Sugar-cane cost per rai", "บาท/ไร่", DOWN, MEAN, POINT, Decimal(9000))],
        "2.1": [("รายได้จากการท่องเที่ยวของกลุ่มจังหวัด", "Tourism revenue of the cluster", "ล้านบาท", UP, SUM, CUM, Decimal(40000))],
        "2.2": [("จำนวนกลุ่มทอผ้าไหมที่ได้รับตรานกยูงพระราชทาน", "Silk groups with the Royal Peacock mark", "กลุ่ม", UP, SUM, CUM, Decimal(120))],
    },
    "east": {
        "1.1": [("มูลค่าการลงทุนที่ได้รับการส่งเสริมในอุตสาหกรรมเป้าหมาย", "Promoted investment in target industries", "ล้านบาท", UP, SUM, CUM, Decimal(200000))],
        "1.2": [("จำนวนแรงงานที่ผ่านการพัฒนาทักษะตามความต้องการของอุตสาหกรรม", "Workers trained for industry", "คน", UP, SUM, CUM, Decimal(15000))],
        "2.1": [("รายได้จากการท่องเที่ยวของกลุ่มจังหวัด", "Tourism revenue of the cluster", "ล้านบาท", UP, SUM, CUM, Decimal(250000))],
        "2.2": [("ร้อยละของสวนผลไม้ที่ได้รับการรับรองมาตรฐาน GAP", "Fruit orchards certified GAP", "ร้อยละ", UP, MEAN, POINT, Decimal(75))],
        "2.3": [("ระดับความสำเร็จของการจัดการคุณภาพน้ำทะเลชายฝั่ง", "Progress of coastal water management", "ระดับ", UP, NONE, POINT, Decimal(5))],
    },
}  # fmt: skip
# How well each demo cluster does: the range of values against the targets.
PERFORMANCE = {"": (0.7, 1.15), "kk": (0.85, 1.25), "east": (0.55, 1.05)}


def _indicator_specs(objective_code: str, n: int, key: str = "") -> list[tuple[Any, ...]]:
    """The indicators of an objective: the tables above, or generic ones by position."""
    table = OTHER_CLUSTERS.get(key, BY_OBJECTIVE)
    if objective_code in table:
        return table[objective_code]
    return [
        (name, "", unit, direction, aggregation, accumulation, target)
        for name, unit, direction, aggregation, accumulation, target in (
            TEMPLATES[(2 * n + k) % len(TEMPLATES)] for k in range(2)
        )
    ]


def seed(context: Any) -> None:
    from strategy.models import Plan

    plan = (
        Plan.objects.filter(cluster=context.cluster, status=Plan.Status.APPROVED)
        .order_by("-end_year", "-version")
        .first()
    )
    if plan is None:
        context.log.append(
            "scorecard: the demo cluster has no approved plan yet; no indicators seeded."
        )
        return
    if Indicator.objects.filter(cluster=context.cluster).exists():
        context.log.append("scorecard: demo indicators already exist.")
        return
    _seed(context, plan)


@transaction.atomic
def _seed(context: Any, plan: Any) -> None:
    staff = context.users.get("osm_staff")
    officer = context.users.get("province_officer")
    provinces = list(context.cluster.provinces.order_by("name_th"))
    weights = {p.pk: Decimal(10 + 5 * i) for i, p in enumerate(provinces)}
    indicators = []
    for n, objective in enumerate(plan.objectives.order_by("order", "code")):
        specs = _indicator_specs(objective.code, n, getattr(context, "key", ""))
        for k, (name, name_en, unit, direction, aggregation, accumulation, target) in enumerate(
            specs
        ):
            ind = services.indicator_create(
                objective=objective,
                code=f"{objective.code}.{k + 1}",
                name_th=name,
                name_en=name_en,
                unit=unit,
                direction=direction,
                aggregation=aggregation,
                accumulation=accumulation,
                baseline=target * Decimal("0.9"),
                baseline_year=plan.start_year - 1,
                data_source="สำนักงานสถิติจังหวัด",
                owner_person="ผู้อำนวยการกลุ่มงานยุทธศาสตร์",
                order=k,
            )
            years = list(plan.years) + [dates.current_fiscal_year()]
            services.targets_set(indicator=ind, values=dict.fromkeys(sorted(set(years)), target))
            for year in sorted(set(years)):
                split = services.cascade_split(
                    indicator=ind,
                    cluster_target=target,
                    province_ids=[p.pk for p in provinces],
                    method=services.SplitMethod.WEIGHTS,
                    shares=weights,
                )
                services.cascade_save(
                    indicator=ind, fiscal_year=year, values=split, weights=weights
                )
            indicators.append(ind)
    # The first two quarters of the previous fiscal year, and an open round for the current Q1.
    year = dates.current_fiscal_year() - 1
    key = getattr(context, "key", "")
    rng = random.Random(f"2569{key}")
    for quarter, mix in ((1, "approved"), (2, "mixed")):
        end = dates.FiscalQuarter(year, quarter).end
        reporting_round = services.round_open(
            cluster=context.cluster,
            fiscal_year=year,
            quarter=quarter,
            opens_on=end - dt.timedelta(days=14),
            deadline=services.default_deadline(year, quarter),
            by=staff,
        )
        _fill(reporting_round, mix, rng, staff, officer, PERFORMANCE.get(key, PERFORMANCE[""]))
        if quarter == 1:
            services.round_close(reporting_round=reporting_round)
    now = dates.fiscal_quarter_of(timezone.localdate())
    services.round_open(
        cluster=context.cluster,
        fiscal_year=now.year,
        quarter=now.quarter,
        opens_on=now.start,
        deadline=services.default_deadline(now.year, now.quarter),
        by=staff,
    )
    context.log.append(
        f"scorecard: {len(indicators)} indicators with targets cascaded to "
        f"{len(provinces)} provinces; rounds Q1–Q2/{year} with results and an open round "
        f"Q{now.quarter}/{now.year}."
    )


# Q2 of the demo: most values approved, the rest in every other state.
# Mid-round: most values approved, some waiting for review, one returned, a few not yet in.
MIXED = (
    "approved", "approved", "submitted", "approved", "approved", "approved", "returned",
    "approved", "approved", "na", "approved", "approved", "draft", "approved",
)  # fmt: skip


def _fill(
    reporting_round: ReportingRound,
    mix: str,
    rng: random.Random,
    staff: Any,
    officer: Any,
    spread: tuple[float, float] = (0.7, 1.15),
) -> None:
    results = Result.objects.filter(round=reporting_round).select_related(
        "indicator", "province_target", "round"
    )
    for i, result in enumerate(results.order_by("indicator_id", "province_id")):
        # The province's target, or the cluster's own for indicators that do not combine.
        target = services.province_target_value(result) or Decimal(100)
        expected = (
            target * reporting_round.quarter / 4 if result.indicator.is_cumulative else target
        )
        per_quarter = target / 4 if result.indicator.is_cumulative else expected
        value = (per_quarter * Decimal(rng.uniform(*spread))).quantize(Decimal("0.01"))
        state = "approved" if mix == "approved" else MIXED[i % len(MIXED)]
        if state == "draft":
            continue
        reporting = Result.Reporting.NOT_APPLICABLE if state == "na" else Result.Reporting.REPORTED
        status = services.result_status(result, reporting=reporting, value=value)
        needs_reason = reporting == Result.Reporting.REPORTED and status in (
            Status.AT_RISK,
            Status.OFF_TRACK,
        )
        services.result_save(
            result=result,
            by=officer,
            expected_version=result.version,
            reporting=reporting,
            value=None if state == "na" else value,
            note="ข้อมูลจากระบบรายงานของจังหวัด",
            explanation="ผลกระทบจากสถานการณ์ภัยแล้งและราคาสินค้าเกษตรตกต่ำ" if needs_reason else "",
            corrective_action=("เร่งส่งเสริมการตลาดและประสานหน่วยงานที่เกี่ยวข้อง" if needs_reason else ""),
            submit=True,
        )
        # Demo history: first submitted around the deadline, some of them late.
        submitted_at = timezone.make_aware(
            dt.datetime.combine(
                reporting_round.deadline + dt.timedelta(days=rng.randint(-12, 3)), dt.time(10)
            )
        )
        Result.objects.filter(pk=result.pk).update(
            first_submitted_at=submitted_at, submitted_at=submitted_at
        )
        if state in ("approved", "na"):
            services.result_review(
                result=result, by=staff, expected_version=result.version, approve=True
            )
        elif state == "returned":
            services.result_review(
                result=result,
                by=staff,
                expected_version=result.version,
                approve=False,
                reason="ตัวเลขไม่ตรงกับรายงานของสำนักงานพาณิชย์จังหวัด กรุณาตรวจสอบอีกครั้ง",
            )
