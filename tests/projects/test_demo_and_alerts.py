"""The demo seeder (mixed states, some behind plan, idempotent) and the early-warning rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from osm.lib.workflow import ReviewStatus
from projects import alerts, figures
from projects.models import Milestone, Project, ProjectSettings
from projects.services import money, progress

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_demo_seeds_projects_in_mixed_states_some_behind_plan() -> None:
    from osm.demo import demo_seed
    from osm.lib import dates

    context = demo_seed()
    year = dates.current_fiscal_year()
    projects = Project.objects.filter(cluster=context.cluster, fiscal_year=year)
    assert projects.count() == 12
    assert set(projects.values_list("status", flat=True)) == {
        "proposed",
        "approved",
        "in_progress",
        "completed",
        "cancelled",
    }
    statuses = set(projects.values_list("reports__status", flat=True))
    assert {ReviewStatus.APPROVED, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED} <= statuses
    behind = [p for p in figures.projects_against_plan(context.cluster.pk, year, 1) if p.lag > 10]
    assert behind
    demo_seed()  # idempotent
    assert Project.objects.filter(cluster=context.cluster, fiscal_year=year).count() == 12


def test_behind_plan_warns_the_officer_and_the_clusters_staff_above_the_threshold(
    world: Any, running: Project, province_officer: Any, osm_staff: Any, committee: Any
) -> None:
    Project.objects.filter(pk=running.pk).update(owner=province_officer)
    report = progress.report_save(
        project=running,
        quarter=1,
        by=province_officer,
        expected_version=None,
        physical_pct=Decimal(10),
        disbursed_to_date=Decimal("160000"),
        submit=True,
    )
    progress.report_review(
        report=report, by=osm_staff, expected_version=report.version, approve=True
    )
    after_q1 = dt.date(2570 - 543, 1, 15)  # in Q2 of FY 2570: Q1 has ended
    # planned 250,000 by Q1, disbursed 160,000: 9 points behind — under the default 10.
    assert alerts.behind_plan(after_q1) == []
    ProjectSettings.objects.create(cluster=world.cluster, disbursement_lag_pct=Decimal(5))
    found = alerts.behind_plan(after_q1)
    assert {a.user_id for a in found} == {province_officer.pk, osm_staff.pk}
    assert "9.0" in found[0].body


def test_physical_progress_behind_its_milestones_warns(
    world: Any, running: Project, osm_staff: Any
) -> None:
    money.milestones_set(
        project=running,
        rows=[
            {"name": "TOR", "kind": "tor", "weight": 30, "planned_date": dt.date(2026, 11, 1)},
        ],
    )
    Project.objects.filter(pk=running.pk).update(disbursed=Decimal(250000))
    found = alerts.behind_plan(dt.date(2027, 1, 15))
    assert [a.user_id for a in found] == [osm_staff.pk]
    assert "physical" in found[0].body or "กายภาพ" in found[0].body


def test_contract_unsigned_after_q2_warns_once_per_year(
    world: Any, running: Project, osm_staff: Any
) -> None:
    money.milestones_set(
        project=running,
        rows=[
            {
                "name": "ลงนามสัญญา",
                "kind": Milestone.Kind.CONTRACT_SIGNED,
                "weight": 20,
                "planned_date": dt.date(2027, 2, 1),
            },
        ],
    )
    assert alerts.contract_unsigned(dt.date(2027, 3, 31)) == []  # Q2 not over yet
    found = alerts.contract_unsigned(dt.date(2027, 4, 1))
    assert [a.user_id for a in found] == [osm_staff.pk]
    assert found[0].key == f"projects:unsigned:{running.pk}:{YEAR}"
    Milestone.objects.filter(project=running).update(actual_date=dt.date(2027, 4, 2))
    assert alerts.contract_unsigned(dt.date(2027, 4, 3)) == []
