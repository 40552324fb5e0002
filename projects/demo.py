"""Demo data: the current fiscal year's annual action plan of the demo cluster (and of up to
two more clusters with an approved plan), about fifteen projects in mixed states — proposals
over the ceiling, approved, in progress with reports approved, submitted and returned, some
behind plan, completed and cancelled — with disbursement plans, milestones and example
government disbursement targets (seed_demo, order 40). Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from osm.lib import dates
from osm.models import Agency, Cluster
from projects.models import ActionPlan, GovernmentDisbursementTarget, Project
from projects.services import action_plans, money, progress
from projects.services.projects import project_create, project_set_status, project_update

# name, objective position, requested, state, Q1 (physical %, share of the Q1 plan disbursed)
DEMO = [
    ("พัฒนาเส้นทางท่องเที่ยวเชิงสร้างสรรค์ล้านนาเชื่อมโยง 4 จังหวัด", 0, "18500000", "approved", (25, Decimal("1.0"))),
    ("ยกระดับมาตรฐานแหล่งท่องเที่ยวชุมชนสู่มาตรฐานการท่องเที่ยวไทย", 1, "9200000", "approved", (10, Decimal("0.3"))),
    ("ส่งเสริมการตลาดท่องเที่ยววิถีล้านนาผ่านสื่อดิจิทัล", 2, "6400000", "submitted", (30, Decimal("0.9"))),
    ("พัฒนาศักยภาพผู้ประกอบการท่องเที่ยวและบุคลากรด้านบริการ", 3, "4100000", "returned", (15, Decimal("0.5"))),
    ("ส่งเสริมเกษตรปลอดภัยและการรับรองมาตรฐาน GAP", 4, "12800000", "approved", (20, Decimal("0.2"))),
    ("ยกระดับผลิตภัณฑ์เกษตรแปรรูปสู่ตลาดสากล", 5, "15300000", "draft", None),
    ("เพิ่มประสิทธิภาพการบริหารจัดการน้ำเพื่อการเกษตร", 6, "22600000", "none", None),
    ("ป้องกันและแก้ไขปัญหาไฟป่าและหมอกควันแบบบูรณาการ", 8, "14700000", "approved", (40, Decimal("1.1"))),
    ("ติดตั้งระบบเตือนภัยคุณภาพอากาศเชื่อมโยงทั้งกลุ่มจังหวัด", 9, "7900000", "completed", None),
    ("ศูนย์ข้อมูลเกษตรอัจฉริยะของกลุ่มจังหวัด", 7, "11000000", "cancelled", None),
    ("พัฒนาตลาดสินค้าเกษตรอินทรีย์ชายแดน", 5, "8800000", "over", None),
    ("จัดงานมหกรรมวัฒนธรรมล้านนานานาชาติ", 0, "9900000", "over", None),
]  # fmt: skip
OTHER = [
    ("พัฒนาโครงสร้างพื้นฐานการท่องเที่ยวของกลุ่มจังหวัด", 0, "12000000", "approved", (20, Decimal("0.4"))),
    ("ส่งเสริมการผลิตสินค้าเกษตรมูลค่าสูง", 1, "8000000", "approved", (35, Decimal("1.0"))),
    ("เพิ่มขีดความสามารถด้านการค้าและการลงทุน", 2, "6000000", "none", None),
]  # fmt: skip
# Example figures for the demo only: the year's cabinet resolution is not entered here.
DEMO_TARGETS = {1: Decimal(20), 2: Decimal(45), 3: Decimal(70), 4: Decimal(93)}


def seed(context: Any) -> None:
    from strategy.models import Plan

    year = dates.current_fiscal_year()
    if not GovernmentDisbursementTarget.objects.filter(fiscal_year=year).exists():
        money.government_targets_set(
            fiscal_year=year,
            category=GovernmentDisbursementTarget.Category.OVERALL,
            pcts=DEMO_TARGETS,
            source="ตัวอย่างสำหรับการสาธิต (ยังไม่ใช่ตัวเลขตามมติคณะรัฐมนตรี)",
        )
    others = (
        Cluster.objects.filter(plans__status=Plan.Status.APPROVED)
        .exclude(pk=context.cluster.pk)
        .distinct()
        .order_by("number")
    )
    clusters = [context.cluster, *others[:2]]
    for n, cluster in enumerate(clusters):
        if Project.objects.filter(cluster=cluster, fiscal_year=year).exists():
            context.log.append(f"projects: {cluster} already has projects in {year}.")
            continue
        plan = (
            Plan.objects.filter(cluster=cluster, status=Plan.Status.APPROVED)
            .order_by("-end_year", "-version")
            .first()
        )
        if plan is None:
            continue
        _seed(context, cluster, plan, year, DEMO if n == 0 else OTHER)


@transaction.atomic
def _seed(context: Any, cluster: Cluster, plan: Any, year: int, specs: list[Any]) -> None:
    staff = context.users.get("osm_staff")
    officer = context.users.get("province_officer")
    objectives = list(plan.objectives.order_by("order", "code"))
    indicators_by_objective: dict[int, list[Any]] = {}
    for indicator in cluster.indicators.all():
        indicators_by_objective.setdefault(indicator.objective_id, []).append(indicator)
    provinces = list(cluster.provinces.order_by("code"))
    agencies = {a.province_id: a for a in Agency.objects.filter(cluster=cluster)}
    start, end = dates.fiscal_year_bounds(year)
    created = []
    for i, (name, position, requested, state, q1) in enumerate(specs):
        objective = objectives[position % len(objectives)]
        where = [provinces[i % len(provinces)]]
        if i % 3 == 0 and len(provinces) > 1:
            where = provinces  # some run in the whole cluster
        project = project_create(
            cluster=cluster,
            fiscal_year=year,
            code=f"{year}-{i + 1:02d}",
            name_th=f"โครงการ{name}",
            objective=objective,
            provinces=where,
            indicators=indicators_by_objective.get(objective.pk, [])[:1] if i % 4 != 3 else [],
            agency=agencies.get(where[0].pk) if len(where) == 1 else agencies.get(None),
            responsible_person="นางสาววิภา รักษ์ถิ่น" if i % 2 else "นายสมชาย ใจดี",
            owner=officer if cluster == context.cluster and where[0] == context.province else None,
            requested=Decimal(requested),
            source=Project.Source.CLUSTER if i % 5 else Project.Source.PROVINCE,
            priority=1 + i % 3,
            start_date=start + dt.timedelta(days=30),
            end_date=end,
            emenscr_id=f"GC-{year}-{cluster.number:02d}{i + 1:03d}",
            rationale="เพื่อขับเคลื่อนเป้าประสงค์ของแผนพัฒนากลุ่มจังหวัด",
        )
        created.append((project, state, q1))
    within = sum((Decimal(s[2]) for s in specs if s[3] not in ("over", "cancelled")), Decimal(0))
    action_plan = action_plans.action_plan_for(cluster=cluster, fiscal_year=year)
    action_plans.action_plan_set_ceiling(
        plan=action_plan, ceiling=within, expected_version=action_plan.version
    )
    for project, state, _q1 in created:
        if state == "cancelled":
            project_set_status(
                project=project, status=Project.Status.CANCELLED, expected_version=project.version
            )
    action_plan.refresh_from_db()
    action_plans.action_plan_approve(
        plan=action_plan,
        by=staff,
        expected_version=action_plan.version,
        approved_on=start + dt.timedelta(days=20),
        resolution_text="ที่ประชุมมีมติเห็นชอบแผนปฏิบัติราชการประจำปีของกลุ่มจังหวัดตามที่ฝ่ายเลขานุการเสนอ",
        resolution_meeting=f"การประชุม ก.บ.ก. ครั้งที่ 4/{year - 1}",
    )
    for project, state, q1 in created:
        project.refresh_from_db()
        if project.status != Project.Status.APPROVED:
            continue
        quarter_plan = (project.allocated / 4).quantize(Decimal("0.01"))
        money.disbursement_plan_set(
            project=project, amounts=dict.fromkeys((1, 2, 3, 4), quarter_plan)
        )
        money.milestones_set(
            project=project,
            rows=[
                {"name": "จัดทำขอบเขตงาน (TOR)", "kind": "tor", "weight": 10, "planned_date": start + dt.timedelta(days=45)},
                {"name": "ลงนามสัญญา", "kind": "contract_signed", "weight": 20, "planned_date": start + dt.timedelta(days=120),
                 "actual_date": start + dt.timedelta(days=50) if q1 and q1[1] >= 1 else None},
                {"name": "ดำเนินงานตามสัญญา", "kind": "work", "weight": 50, "planned_date": start + dt.timedelta(days=270)},
                {"name": "ส่งมอบและตรวจรับงาน", "kind": "delivery", "weight": 20, "planned_date": end - dt.timedelta(days=20)},
            ],
        )  # fmt: skip
        if state == "completed":
            report = progress.report_save(
                project=project,
                quarter=1,
                by=officer or staff,
                expected_version=None,
                physical_pct=Decimal(100),
                disbursed_to_date=project.allocated,
                submit=True,
            )
            progress.report_review(
                report=report, by=staff, expected_version=report.version, approve=True
            )
            project.refresh_from_db()
            project_set_status(
                project=project, status=Project.Status.COMPLETED, expected_version=project.version
            )
            continue
        if q1 is None or state == "none":
            continue
        physical, share = q1
        if share >= 1:  # the contract is signed: the money is committed
            project.refresh_from_db()
            project_update(
                project=project,
                expected_version=project.version,
                committed=(project.allocated * Decimal("0.9")).quantize(Decimal("0.01")),
            )
        report = progress.report_save(
            project=project,
            quarter=1,
            by=officer or staff,
            expected_version=None,
            physical_pct=Decimal(physical),
            disbursed_to_date=min(quarter_plan * share, project.allocated).quantize(
                Decimal("0.01")
            ),
            obstacles="ผู้รับจ้างส่งมอบงานล่าช้ากว่ากำหนด" if share < 1 else "",
            help_needed="ขอให้เร่งรัดการเบิกจ่าย" if share < Decimal("0.5") else "",
            submit=state != "draft",
        )
        if state == "approved":
            progress.report_review(
                report=report, by=staff, expected_version=report.version, approve=True
            )
        elif state == "returned":
            progress.report_review(
                report=report,
                by=staff,
                expected_version=report.version,
                approve=False,
                reason="กรุณาแนบสำเนาสัญญาและหลักฐานการเบิกจ่าย",
            )
    context.log.append(
        f"projects: {len(created)} projects of {year} for {cluster}, action plan approved "
        f"({ActionPlan.objects.get(cluster=cluster, fiscal_year=year).resolution_meeting})."
    )
