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
        for k in range(2):
            name, unit, direction, aggregation, accumulation, target = TEMPLATES[
                (2 * n + k) % len(TEMPLATES)
            ]
            ind = services.indicator_create(
                objective=objective,
                code=f"{objective.code}.{k + 1}",
                name_th=name,
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
    rng = random.Random(2569)
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
        _fill(reporting_round, mix, rng, staff, officer)
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
MIXED = ("approved", "submitted", "approved", "returned", "approved", "draft", "na", "approved")


def _fill(
    reporting_round: ReportingRound, mix: str, rng: random.Random, staff: Any, officer: Any
) -> None:
    results = Result.objects.filter(round=reporting_round).select_related(
        "indicator", "province_target", "round"
    )
    for i, result in enumerate(results.order_by("indicator_id", "province_id")):
        target = result.province_target.value if result.province_target else Decimal(100)
        expected = (
            target * reporting_round.quarter / 4 if result.indicator.is_cumulative else target
        )
        per_quarter = target / 4 if result.indicator.is_cumulative else expected
        value = (per_quarter * Decimal(rng.uniform(0.7, 1.15))).quantize(Decimal("0.01"))
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
