"""National-scale projects for load and benchmark runs (hooked into ``manage.py seed_scale``).

About 20,000 projects over the clusters and fiscal years of the scorecard's scale data, each
on an objective of its cluster's approved plan, running in one to three provinces, most
moving an indicator; each approved one with a quarterly disbursement plan, milestones and
approved progress reports for the quarters gone by (some behind plan). Built in bulk.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from osm.lib.workflow import ReviewStatus
from osm.models import Cluster, Province
from projects.models import DisbursementPlan, Milestone, ProgressReport, Project, ProjectProvince

PREFIX = "S"
PER_CLUSTER_YEAR = 222  # × 18 clusters × 5 years ≈ 20,000
BATCH = 5000


def scale_seed(years: range, clusters: int | None = None, *, seed: int = 2570) -> str:
    started = time.monotonic()
    rng = random.Random(seed)
    made = 0
    for cluster in Cluster.objects.order_by("number")[:clusters]:
        if Project.objects.filter(cluster=cluster, code__startswith=f"{PREFIX}-").exists():
            continue
        with transaction.atomic():
            made += _seed_cluster(cluster, years, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE projects_project, projects_projectprovince, projects_disbursementplan, "
                "projects_progressreport, projects_milestone, projects_project_indicators"
            )
    return f"projects: {made} projects in {time.monotonic() - started:.1f} s"


def _seed_cluster(cluster: Cluster, years: range, rng: random.Random) -> int:
    from scorecard.models import Indicator
    from strategy.models import Objective, Plan

    objectives = list(
        Objective.objects.filter(plan__cluster=cluster, plan__status=Plan.Status.APPROVED)
    )
    if not objectives:
        return 0
    indicators: dict[int, list[int]] = {}
    for objective_id, pk in Indicator.objects.filter(cluster=cluster).values_list(
        "objective_id", "pk"
    ):
        indicators.setdefault(objective_id, []).append(pk)
    provinces = list(Province.objects.filter(cluster=cluster).values_list("pk", flat=True))
    projects: list[Project] = []
    for year in years:
        for n in range(PER_CLUSTER_YEAR):
            requested = Decimal(rng.randrange(500_000_00, 30_000_000_00)) / 100
            status = rng.choices(
                [Project.Status.IN_PROGRESS, Project.Status.APPROVED, Project.Status.PROPOSED,
                 Project.Status.COMPLETED, Project.Status.CANCELLED],
                weights=[60, 15, 12, 10, 3],
            )[0]  # fmt: skip
            allocated = requested if status != Project.Status.PROPOSED else Decimal(0)
            projects.append(
                Project(
                    cluster=cluster,
                    fiscal_year=year,
                    code=f"{PREFIX}-{year}-{n + 1:04d}",
                    name_th=f"โครงการจำลองระดับประเทศที่ {n + 1}",
                    objective=objectives[n % len(objectives)],
                    source=rng.choice(Project.Source.values),
                    frame=Project.Frame.WITHIN
                    if n < PER_CLUSTER_YEAR * 0.85
                    else Project.Frame.OVER,
                    rank=n + 1,
                    priority=1 + n % 3,
                    status=status,
                    requested=requested,
                    allocated=allocated,
                    committed=(allocated * Decimal("0.8")).quantize(Decimal("0.01")),
                    emenscr_id=f"SC-{year}-{cluster.number:02d}{n + 1:04d}",
                )
            )
    Project.objects.bulk_create(projects, batch_size=BATCH)
    links: list[ProjectProvince] = []
    plans: list[DisbursementPlan] = []
    reports: list[ProgressReport] = []
    milestones: list[Milestone] = []
    tags: list[Any] = []
    through = Project.indicators.through
    for p in projects:
        for province in rng.sample(provinces, k=min(len(provinces), rng.choice([1, 1, 2, 3]))):
            links.append(ProjectProvince(project=p, province_id=province))
        candidates = indicators.get(p.objective_id, [])
        if candidates and rng.random() < 0.8:
            tags.append(through(project_id=p.pk, indicator_id=rng.choice(candidates)))
        if p.status not in (
            Project.Status.IN_PROGRESS,
            Project.Status.APPROVED,
            Project.Status.COMPLETED,
        ):
            continue
        quarter_plan = (p.allocated / 4).quantize(Decimal("0.01"))
        plans.extend(
            DisbursementPlan(project=p, quarter=q, amount=quarter_plan) for q in (1, 2, 3, 4)
        )
        milestones.append(
            Milestone(
                project=p,
                name="ลงนามสัญญา",
                kind=Milestone.Kind.CONTRACT_SIGNED,
                weight=Decimal(20),
                planned_date=_date(p.fiscal_year, 2),
            )
        )
        if p.status == Project.Status.APPROVED:
            continue
        pace = Decimal(rng.choice(["0.4", "0.8", "1.0", "1.0", "1.1"]))
        done = 4 if p.status == Project.Status.COMPLETED else rng.choice([1, 2, 3])
        for q in range(1, done + 1):
            disbursed = min(quarter_plan * q * pace, p.allocated).quantize(Decimal("0.01"))
            reports.append(
                ProgressReport(
                    project=p,
                    quarter=q,
                    physical_pct=min(Decimal(100), 25 * q * pace).quantize(Decimal("0.01")),
                    disbursed_to_date=disbursed,
                    status=ReviewStatus.APPROVED,
                )
            )
        p.disbursed = reports[-1].disbursed_to_date
        p.physical_pct = reports[-1].physical_pct
    ProjectProvince.objects.bulk_create(links, batch_size=BATCH)
    through.objects.bulk_create(tags, batch_size=BATCH)
    DisbursementPlan.objects.bulk_create(plans, batch_size=BATCH)
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    Project.objects.bulk_update(projects, ["disbursed", "physical_pct"], batch_size=BATCH)
    return len(projects)


def _date(year: int, quarter: int) -> Any:
    from osm.lib.dates import FiscalQuarter

    return FiscalQuarter(year, quarter).end
