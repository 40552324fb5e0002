"""The demo seeder (mixed states, some behind plan, idempotent) and the early-warning rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from osm.alerts.engine import alerts_run
from osm.alerts.rules import rule_evaluate
from osm.lib.workflow import ReviewStatus
from osm.models import Alert, AlertDelivery, Notification
from projects import alerts, figures
from projects.models import ActionPlan, Milestone, Project, ProjectSettings
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


def _told(rule: str) -> set[int]:
    return set(
        AlertDelivery.objects.filter(alert__rule=rule, channel="app").values_list(
            "user_id", flat=True
        )
    )


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
    assert rule_evaluate(alerts.BEHIND_PLAN, today=after_q1) == []
    ProjectSettings.objects.create(cluster=world.cluster, disbursement_lag_pct=Decimal(5))
    [found] = rule_evaluate(alerts.BEHIND_PLAN, today=after_q1)
    assert (found.object_id, found.fiscal_year, found.quarter) == (running.pk, YEAR, 1)
    alerts_run(today=after_q1, codes={"projects.behind_plan"})
    assert _told("projects.behind_plan") == {province_officer.pk, osm_staff.pk}
    note = Notification.objects.get(user=osm_staff, kind="projects.behind_plan")
    assert "9.0" in note.body
    assert note.url == running.get_absolute_url()


def test_behind_plan_resolves_itself_when_the_money_catches_up(
    world: Any, running: Project, osm_staff: Any
) -> None:
    after_q1 = dt.date(2027, 1, 15)
    alerts_run(today=after_q1, codes={"projects.behind_plan"})
    alert = Alert.objects.get(rule="projects.behind_plan")
    Project.objects.filter(pk=running.pk).update(disbursed=Decimal(250000))
    alerts_run(today=after_q1, codes={"projects.behind_plan"})
    alert.refresh_from_db()
    assert alert.resolution == Alert.Resolution.AUTO


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
    alerts_run(today=dt.date(2027, 1, 15), codes={"projects.behind_plan"})
    assert _told("projects.behind_plan") == {osm_staff.pk}
    note = Notification.objects.get(user=osm_staff, kind="projects.behind_plan")
    assert "กายภาพ" in note.body or "physical" in note.body


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
    codes = {"projects.contract_unsigned"}
    assert rule_evaluate(alerts.CONTRACT_UNSIGNED, today=dt.date(2027, 3, 31)) == []  # Q2 runs
    first = alerts_run(today=dt.date(2027, 4, 1), codes=codes)
    assert first.raised == 1
    assert alerts_run(today=dt.date(2027, 4, 2), codes=codes).raised == 0
    alert = Alert.objects.get(rule="projects.contract_unsigned")
    assert (alert.object_id, alert.period) == (running.pk, str(YEAR))
    assert _told("projects.contract_unsigned") == {osm_staff.pk}
    Milestone.objects.filter(project=running).update(actual_date=dt.date(2027, 4, 2))
    alerts_run(today=dt.date(2027, 4, 3), codes=codes)
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_an_unapproved_action_plan_warns_the_staff_before_the_year_starts(
    world: Any, running: Project, osm_staff: Any
) -> None:
    rule = alerts.ACTION_PLAN_UNAPPROVED
    ActionPlan.objects.create(cluster=world.cluster, fiscal_year=YEAR, status="approved")
    # FY 2571 starts on 1 Oct 2027; the default lead time is 30 days.
    assert rule_evaluate(rule, today=dt.date(2027, 8, 31)) == []
    [ahead] = rule_evaluate(rule, today=dt.date(2027, 9, 1))
    assert (ahead.object_id, ahead.fiscal_year, ahead.severity) == (
        world.cluster.pk,
        2571,
        "warning",
    )
    [started] = rule_evaluate(rule, today=dt.date(2027, 10, 1))
    assert started.severity == "critical"
    ActionPlan.objects.create(cluster=world.cluster, fiscal_year=2571, status="approved")
    assert rule_evaluate(rule, today=dt.date(2027, 10, 1)) == []


def test_an_unapproved_action_plan_of_the_current_year_stays_critical(
    world: Any, running: Project
) -> None:
    # The project's year (2570) has no approved action plan: critical all year.
    [found] = rule_evaluate(alerts.ACTION_PLAN_UNAPPROVED, today=dt.date(2027, 3, 1))
    assert (found.fiscal_year, found.severity) == (YEAR, "critical")
