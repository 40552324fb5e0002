"""Early warning of the strategy app: no approved development plan for the fiscal year that
starts within the lead time (or has started)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from osm.alerts.rules import rule_evaluate
from osm.models import ClusterAlertSettings
from strategy.alerts import PLAN_UNAPPROVED
from strategy.models import Plan
from tests.factories import PlanFactory


def test_a_plan_ending_before_the_new_year_warns_within_the_lead_time(world: Any) -> None:
    PlanFactory(cluster=world.cluster, start_year=2566, end_year=2570)
    # FY 2571 starts on 1 Oct 2027; 30 days ahead by default.
    assert rule_evaluate(PLAN_UNAPPROVED, today=dt.date(2027, 8, 31)) == []
    [found] = rule_evaluate(PLAN_UNAPPROVED, today=dt.date(2027, 9, 1))
    assert (found.object_id, found.fiscal_year, found.severity) == (
        world.cluster.pk,
        2571,
        "warning",
    )
    assert found.url.endswith("/strategy/plans/")
    [started] = rule_evaluate(PLAN_UNAPPROVED, today=dt.date(2027, 10, 1))
    assert started.severity == "critical"


def test_the_draft_of_the_next_plan_is_linked_and_approving_it_clears_the_warning(
    world: Any,
) -> None:
    PlanFactory(cluster=world.cluster, start_year=2566, end_year=2570)
    draft = PlanFactory(
        cluster=world.cluster, start_year=2571, end_year=2575, status=Plan.Status.DRAFT
    )
    [found] = rule_evaluate(PLAN_UNAPPROVED, today=dt.date(2027, 9, 15))
    assert found.url == draft.get_absolute_url()
    Plan.objects.filter(pk=draft.pk).update(status=Plan.Status.APPROVED)
    assert rule_evaluate(PLAN_UNAPPROVED, today=dt.date(2027, 9, 15)) == []


def test_staff_choose_a_longer_lead_time(world: Any) -> None:
    PlanFactory(cluster=world.cluster, start_year=2566, end_year=2570)
    ClusterAlertSettings.objects.create(
        cluster=world.cluster, values={"strategy.plan_unapproved.lead_days": 90}
    )
    assert rule_evaluate(PLAN_UNAPPROVED, today=dt.date(2027, 7, 3))
    assert rule_evaluate(PLAN_UNAPPROVED, today=dt.date(2027, 7, 2)) == []


def test_clusters_that_keep_no_plans_here_are_not_warned(world: Any) -> None:
    assert rule_evaluate(PLAN_UNAPPROVED, today=dt.date(2027, 10, 1)) == []
