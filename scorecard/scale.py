"""A national-scale data set for load and benchmark runs (``manage.py seed_scale``).

Every cluster gets a plan for 2566–2570 (or extends its approved one) with indicators, cluster
and province targets for five fiscal years, a reporting round per quarter and a result per
indicator × province × quarter — in bulk, in batches, so the whole country (18 clusters, 76
provinces, ~1,200 indicators, ~100,000 results) is built in well under two minutes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from osm.lib import dates
from osm.lib.workflow import ReviewStatus
from osm.models import Cluster, Province
from scorecard.models import Indicator, ProvinceTarget, ReportingRound, Result, Target

PREFIX = "S"  # codes of scale-data issues, objectives and indicators start with it
BATCH = 5000
YEARS = range(2566, 2571)
ISSUES_PER_PLAN = 3
OBJECTIVES_PER_ISSUE = 2
INDICATORS_PER_OBJECTIVE = 11
AGGREGATIONS = [
    Indicator.Aggregation.SUM,
    Indicator.Aggregation.SUM,
    Indicator.Aggregation.MEAN,
    Indicator.Aggregation.WEIGHTED_MEAN,
    Indicator.Aggregation.MIN,
    Indicator.Aggregation.MAX,
    Indicator.Aggregation.NONE,
]


@dataclass
class ScaleReport:
    clusters: int = 0
    indicators: int = 0
    targets: int = 0
    province_targets: int = 0
    rounds: int = 0
    results: int = 0
    seconds: float = 0.0


PERSPECTIVE_NAMES = {
    "effectiveness": "ด้านประสิทธิผล",
    "service_quality": "ด้านคุณภาพการให้บริการ",
    "efficiency": "ด้านประสิทธิภาพ",
    "org_development": "ด้านการพัฒนาองค์กร",
}


def _perspectives(cluster: Cluster) -> list[Any]:
    from strategy.models import Perspective

    return [
        Perspective.objects.get_or_create(
            cluster=cluster, key=key, defaults={"name_th": name, "order": i}
        )[0]
        for i, (key, name) in enumerate(PERSPECTIVE_NAMES.items())
    ]


def _plan_for(cluster: Cluster) -> Any:
    from strategy.models import Plan

    plan = Plan.objects.filter(
        cluster=cluster, status=Plan.Status.APPROVED, start_year__lte=2566, end_year__gte=2570
    ).first()
    if plan is None:
        plan = Plan.objects.create(
            cluster=cluster,
            title_th=f"แผนพัฒนา{cluster.name_th} (พ.ศ. 2566–2570)",
            start_year=2566,
            end_year=2570,
            status=Plan.Status.APPROVED,
            approved_at=timezone.now(),
        )
    return plan


def scale_seed(
    *, seed: int = 2570, years: range = YEARS, clusters: int | None = None
) -> ScaleReport:
    """Build the national data set; clusters that already have it are left alone."""
    import time

    started = time.monotonic()
    report = ScaleReport()
    rng = random.Random(seed)
    for cluster in Cluster.objects.order_by("number")[:clusters]:
        if Indicator.objects.filter(cluster=cluster, code__startswith=f"{PREFIX}-").exists():
            continue
        with transaction.atomic():
            _seed_cluster(cluster, rng, years, report)
        report.clusters += 1
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner keeps its empty-table estimates and joins badly.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE strategy_plan, strategy_strategicissue, strategy_objective, "
                "scorecard_indicator, scorecard_target, scorecard_provincetarget, "
                "scorecard_reportinground, scorecard_result"
            )
    from scorecard.cache import touch_all

    touch_all()  # bulk writes bypass the services; forget every cached dashboard
    report.seconds = time.monotonic() - started
    return report


def _seed_cluster(cluster: Cluster, rng: random.Random, years: range, report: ScaleReport) -> None:
    from strategy.models import Objective, StrategicIssue

    plan = _plan_for(cluster)
    perspectives = _perspectives(cluster)
    provinces = list(Province.objects.filter(cluster=cluster).order_by("pk"))
    staff_note = "ข้อมูลจำลองระดับประเทศ"
    indicators: list[Indicator] = []
    for i in range(ISSUES_PER_PLAN):
        issue = StrategicIssue.objects.create(
            plan=plan,
            code=f"{PREFIX}{i + 1}",
            name_th=f"ประเด็นการพัฒนาจำลองที่ {i + 1}",
            order=50 + i,
        )
        for j in range(OBJECTIVES_PER_ISSUE):
            n = i * OBJECTIVES_PER_ISSUE + j
            objective = Objective.objects.create(
                plan=plan,
                issue=issue,
                perspective=perspectives[n % len(perspectives)],
                code=f"{PREFIX}{i + 1}.{j + 1}",
                name_th=f"เป้าประสงค์จำลองที่ {i + 1}.{j + 1}",
                order=50 + n,
            )
            for k in range(INDICATORS_PER_OBJECTIVE):
                m = n * INDICATORS_PER_OBJECTIVE + k
                indicators.append(
                    Indicator(
                        objective=objective,
                        cluster=cluster,
                        code=f"{PREFIX}-{i + 1}.{j + 1}.{k + 1}",
                        name_th=f"ตัวชี้วัดจำลองที่ {i + 1}.{j + 1}.{k + 1}",
                        unit="หน่วย",
                        direction=Indicator.Direction.DOWN
                        if m % 5 == 4
                        else Indicator.Direction.UP,
                        aggregation=AGGREGATIONS[m % len(AGGREGATIONS)],
                        accumulation=(
                            Indicator.Accumulation.CUMULATIVE
                            if m % 3 == 0
                            else Indicator.Accumulation.POINT
                        ),
                        baseline=Decimal(100),
                        baseline_year=2565,
                        data_source=staff_note,
                        order=k,
                    )
                )
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    report.indicators += len(indicators)

    weights = {p.pk: Decimal(rng.randint(1, 9)) for p in provinces}
    targets: list[Target] = []
    province_targets: list[ProvinceTarget] = []
    for ind in indicators:
        for year in years:
            base = Decimal(rng.randint(50, 150))
            summed = ind.aggregation == Indicator.Aggregation.SUM
            cluster_value = base * len(provinces) if summed else base
            targets.append(Target(indicator=ind, fiscal_year=year, value=cluster_value))
            for p in provinces:
                province_targets.append(
                    ProvinceTarget(
                        indicator=ind,
                        province=p,
                        fiscal_year=year,
                        value=base,
                        weight=weights[p.pk],
                    )
                )
    Target.objects.bulk_create(targets, batch_size=BATCH)
    ProvinceTarget.objects.bulk_create(province_targets, batch_size=BATCH)
    report.targets += len(targets)
    report.province_targets += len(province_targets)
    pt_by_key = {(pt.indicator_id, pt.province_id, pt.fiscal_year): pt for pt in province_targets}

    rounds = []
    for year in years:
        for quarter in (1, 2, 3, 4):
            period = dates.FiscalQuarter(year, quarter)
            rounds.append(
                ReportingRound(
                    cluster=cluster,
                    fiscal_year=year,
                    quarter=quarter,
                    opens_on=period.end - dt.timedelta(days=14),
                    deadline=dates.add_working_days(period.end, 15),
                    state=ReportingRound.State.CLOSED,
                )
            )
    ReportingRound.objects.bulk_create(rounds, ignore_conflicts=True)
    rounds_by_period = {
        (r.fiscal_year, r.quarter): r for r in ReportingRound.objects.filter(cluster=cluster)
    }
    report.rounds += len(rounds)

    tz = timezone.get_current_timezone()
    batch: list[Result] = []
    last_year = years[-1]
    for ind in indicators:
        for p in provinces:
            for year in years:
                running: Decimal | None = Decimal(0)
                pt = pt_by_key[(ind.pk, p.pk, year)]
                for quarter in (1, 2, 3, 4):
                    reporting_round = rounds_by_period[(year, quarter)]
                    roll = rng.random()
                    # The latest year is half done: later quarters still in review or missing.
                    if year == last_year and quarter >= 3:
                        status = ReviewStatus.DRAFT if roll < 0.5 else ReviewStatus.SUBMITTED
                    elif roll < 0.04:
                        status = ReviewStatus.RETURNED
                    else:
                        status = ReviewStatus.APPROVED
                    if roll > 0.985:
                        reporting = Result.Reporting.NOT_APPLICABLE
                        value = None
                    elif status == ReviewStatus.DRAFT and roll < 0.2:
                        reporting = Result.Reporting.NOT_REPORTED
                        value = None
                    else:
                        reporting = Result.Reporting.REPORTED
                        share = Decimal(1) / 4 if ind.is_cumulative else Decimal(1)
                        value = (
                            (pt.value or Decimal(100)) * share * Decimal(rng.uniform(0.6, 1.2))
                        ).quantize(Decimal("0.01"))
                    counted = status == ReviewStatus.APPROVED and value is not None
                    if ind.is_cumulative:
                        if counted and running is not None:
                            running += value  # type: ignore[operator]
                        elif reporting != Result.Reporting.NOT_APPLICABLE:
                            running = None
                        period_value = running if counted else None
                    else:
                        period_value = value if counted else None
                    submitted = None
                    if status != ReviewStatus.DRAFT:
                        day = reporting_round.deadline + dt.timedelta(days=rng.randint(-10, 4))
                        submitted = dt.datetime.combine(day, dt.time(10), tzinfo=tz)
                    batch.append(
                        Result(
                            indicator=ind,
                            province=p,
                            round=reporting_round,
                            province_target=pt,
                            fiscal_year=year,
                            quarter=quarter,
                            reporting=reporting,
                            value=value,
                            period_value=period_value,
                            status=status,
                            note=staff_note if roll < 0.1 else "",
                            first_submitted_at=submitted,
                            submitted_at=submitted,
                            reviewed_at=submitted if status == ReviewStatus.APPROVED else None,
                        )
                    )
                    if len(batch) >= BATCH:
                        Result.objects.bulk_create(batch, batch_size=BATCH)
                        report.results += len(batch)
                        batch = []
    if batch:
        Result.objects.bulk_create(batch, batch_size=BATCH)
        report.results += len(batch)
