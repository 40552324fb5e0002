"""Indicators across a strategy review: while the review's draft is being worked on, the
indicators, their targets and results stay with the approved version and the scorecard
shows each of them once. (What approval moves is tested with the lineage of objectives.)"""

from __future__ import annotations

from django.urls import reverse

from scorecard.models import Indicator, Target
from strategy import services as strategy_services
from tests.scorecard.conftest import YEAR, approve


def test_a_review_under_way_leaves_the_indicators_on_the_approved_version(
    client, committee, osm_staff, plan, indicator, result
):
    approve(result, "80", by=osm_staff)
    review = strategy_services.plan_review_start(
        plan=plan, reason="ทบทวนกลางแผน", fiscal_year=YEAR, by=osm_staff
    )
    draft_objective = review.to_plan.objectives.get(code=indicator.objective.code)

    indicator.refresh_from_db()
    assert indicator.objective.plan_id == plan.pk
    assert not Indicator.objects.filter(objective=draft_objective).exists()
    assert Target.objects.filter(indicator=indicator, fiscal_year=YEAR).exists()

    client.force_login(committee)
    page = client.get(
        reverse("scorecard:cluster", args=[plan.cluster_id]), {"year": YEAR, "quarter": 1}
    ).content.decode()
    assert page.count(indicator.name_th) == 1


def test_renaming_the_objective_in_the_draft_does_not_rename_it_on_the_scorecard(
    client, committee, osm_staff, plan, indicator
):
    review = strategy_services.plan_review_start(
        plan=plan, reason="ทบทวน", fiscal_year=YEAR, by=osm_staff
    )
    draft_objective = review.to_plan.objectives.get(code=indicator.objective.code)
    strategy_services.objective_update(objective=draft_objective, name_th="ชื่อในฉบับร่าง")

    client.force_login(committee)
    page = client.get(
        reverse("scorecard:cluster", args=[plan.cluster_id]), {"year": YEAR, "quarter": 1}
    ).content.decode()
    assert indicator.objective.name_th in page
    assert "ชื่อในฉบับร่าง" not in page
