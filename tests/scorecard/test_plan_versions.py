"""Indicators across plan versions: they follow their objective's lasting identity when a
review is approved, with targets and results; for a dropped objective staff move or retire
them first; dashboards show the version in force only, and history stays whole."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scorecard import services as sc
from scorecard.models import Indicator, Result
from strategy import services as st
from strategy.models import Plan
from tests.factories import IndicatorFactory, IssueFactory, ObjectiveFactory, targets_for
from tests.scorecard.conftest import YEAR, approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_objectives(plan: Any) -> tuple[Any, Any]:
    issue = IssueFactory(plan=plan, code="1")
    kept = ObjectiveFactory(issue=issue, code="1.1", name_th="เศรษฐกิจชายแดนเติบโต")
    dropped = ObjectiveFactory(issue=issue, code="1.2", name_th="เป้าประสงค์ที่ถูกตัดออก")
    return kept, dropped


@pytest.fixture
def history(two_objectives: Any, provinces: list[Any], osm_staff: Any) -> dict[str, Any]:
    """K1 on the kept objective with approved results in FY 2569 and 2570; K2 on the
    objective the review will drop."""
    kept, dropped = two_objectives
    k1 = IndicatorFactory(objective=kept, code="K1", name_th="มูลค่าการค้าชายแดน")
    k2 = IndicatorFactory(objective=dropped, code="K2", name_th="ตัวชี้วัดเดิม")
    for year in (YEAR - 1, YEAR):
        for ind in (k1, k2):
            targets_for(
                ind, year, Decimal(100 * len(provinces)), {p: Decimal(100) for p in provinces}
            )
        reporting_round = sc.round_open(
            cluster=kept.plan.cluster,
            fiscal_year=year,
            quarter=4 if year < YEAR else 1,
            opens_on=dt.date(2025 if year < YEAR else 2026, 7, 1),
            deadline=dt.date(2025 if year < YEAR else 2026, 10, 20),
            by=osm_staff,
        )
        for row in Result.objects.filter(round=reporting_round):
            approve(row, 100, by=osm_staff)
    return {"k1": k1, "k2": k2, "kept": kept, "dropped": dropped}


def _review_dropping(plan: Plan) -> Plan:
    """A review that renames 1.1 (code and name) and drops 1.2."""
    draft = st.plan_review_start(plan=plan, reason="ทบทวน", fiscal_year=YEAR).to_plan
    successor = draft.objectives.get(code="1.1")
    st.objective_update(objective=successor, code="1.1N", name_th="การค้าชายแดนมูลค่าสูงขึ้น")
    st.objective_delete(objective=draft.objectives.get(code="1.2"))
    return draft


def test_approval_moves_indicators_with_targets_and_results_to_the_successor(
    plan: Any, history: dict[str, Any]
) -> None:
    k1 = history["k1"]
    draft = st.plan_review_start(plan=plan, reason="ทบทวน", fiscal_year=YEAR).to_plan
    results_before = set(Result.objects.filter(indicator=k1).values_list("pk", flat=True))
    sc.indicator_plan_fate(indicator=history["k2"], action=sc.RETIRE)  # keep the test on K1
    st.plan_approve(plan=draft)
    k1.refresh_from_db()
    assert k1.objective.plan_id == draft.pk and k1.objective.code == "1.1"
    assert set(Result.objects.filter(indicator=k1).values_list("pk", flat=True)) == results_before
    assert k1.targets.count() == 2 and k1.province_targets.exists()


def test_dropped_objective_with_an_indicator_blocks_approval(
    plan: Any, history: dict[str, Any]
) -> None:
    draft = _review_dropping(plan)
    with pytest.raises(ValidationError, match="1 item still hangs"):
        st.plan_approve(plan=draft)
    draft.refresh_from_db()
    plan.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT and plan.status == Plan.Status.APPROVED
    history["k1"].refresh_from_db()
    assert history["k1"].objective_id == history["kept"].pk  # nothing moved


def test_retiring_resolves_and_the_approval_retires_the_indicator(
    plan: Any, history: dict[str, Any]
) -> None:
    draft = _review_dropping(plan)
    k2 = history["k2"]
    sc.indicator_plan_fate(indicator=k2, action=sc.RETIRE)
    k2.refresh_from_db()
    assert k2.retired_at is None  # nothing changes before the approval
    st.plan_approve(plan=draft)
    k2.refresh_from_db()
    assert k2.retired_at is not None and not k2.planned_retirement
    assert k2.objective_id == history["dropped"].pk  # its history stays with the old objective
    assert not Indicator.objects.current().filter(pk=k2.pk).exists()
    assert Result.objects.filter(indicator=k2).count() > 0


def test_moving_resolves_and_the_approval_moves_the_indicator(
    plan: Any, history: dict[str, Any]
) -> None:
    draft = _review_dropping(plan)
    target = draft.objectives.get(code="1.1N")
    k2 = history["k2"]
    sc.indicator_plan_fate(indicator=k2, action=sc.MOVE, objective=target)
    st.plan_approve(plan=draft)
    k2.refresh_from_db()
    assert k2.objective_id == target.pk and k2.planned_objective_id is None
    assert k2.retired_at is None
    assert set(
        Indicator.objects.current().filter(cluster=plan.cluster).values_list("code", flat=True)
    ) == {
        "K1",
        "K2",
    }


def test_moving_to_an_objective_outside_the_new_draft_is_refused(
    plan: Any, history: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        sc.indicator_plan_fate(indicator=history["k2"], action=sc.MOVE, objective=history["kept"])


def test_moving_next_to_an_indicator_with_the_same_code_is_refused(
    plan: Any, history: dict[str, Any]
) -> None:
    draft = _review_dropping(plan)
    Indicator.objects.filter(pk=history["k2"].pk).update(code="K1")
    history["k2"].refresh_from_db()
    with pytest.raises(ValidationError, match="K1"):
        sc.indicator_plan_fate(
            indicator=history["k2"], action=sc.MOVE, objective=draft.objectives.get(code="1.1N")
        )


def test_a_draft_with_an_indicator_on_its_objective_is_not_deleted(
    plan: Any, history: dict[str, Any]
) -> None:
    draft = st.plan_review_start(plan=plan, reason="ทบทวน", fiscal_year=YEAR).to_plan
    IndicatorFactory(objective=draft.objectives.get(code="1.1"), code="K9")
    with pytest.raises(ValidationError, match="K9"):
        st.plan_delete(plan=draft)
    assert Plan.objects.filter(pk=draft.pk).exists()


# --- Pages ----------------------------------------------------------------------------------


def test_approval_page_lists_what_hangs_on_a_dropped_objective_until_resolved(
    client: Any, osm_staff: Any, plan: Any, history: dict[str, Any]
) -> None:
    draft = _review_dropping(plan)
    client.force_login(osm_staff)
    url = reverse("strategy:plan-approve", args=[draft.pk])
    page = client.get(url).content.decode()
    assert f'id="dropped-{history["dropped"].pk}"' in page
    assert "K2 ตัวชี้วัดเดิม" in page and "2 yearly targets" in page
    assert 'id="approve-blocked"' in page
    response = client.post(
        url,
        {"approved_on": "2026-11-20", "resolution_text": "เห็นชอบ", "resolution_meeting": "1/2570"},
    )
    assert response.status_code == 200 and 'id="approve-errors"' in response.content.decode()
    fate = reverse("scorecard:indicator-fate", args=[history["k2"].pk])
    response = client.post(fate, {"action": "retire", "next": url})
    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert 'id="approve-blocked"' not in page and "Retired when this version is approved" in page
    response = client.post(
        url,
        {"approved_on": "2026-11-20", "resolution_text": "เห็นชอบ", "resolution_meeting": "1/2570"},
    )
    assert response.status_code == 302


def test_indicator_fate_is_for_the_clusters_staff_only(
    client: Any, committee: Any, other_staff: Any, plan: Any, history: dict[str, Any]
) -> None:
    fate = reverse("scorecard:indicator-fate", args=[history["k2"].pk])
    assert client.post(fate, {"action": "retire"}).status_code == 302  # to the login page
    client.force_login(other_staff)
    assert client.post(fate, {"action": "retire"}).status_code == 404
    client.force_login(committee)
    assert client.post(fate, {"action": "retire"}).status_code == 403
    assert client.get(fate).status_code == 405
    history["k2"].refresh_from_db()
    assert not history["k2"].planned_retirement


def test_indicator_fate_refuses_an_unsafe_next_and_reports_errors(
    client: Any, osm_staff: Any, plan: Any, history: dict[str, Any]
) -> None:
    client.force_login(osm_staff)
    k2 = history["k2"]
    fate = reverse("scorecard:indicator-fate", args=[k2.pk])
    response = client.post(
        fate, {"action": "move", "objective": "x", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == k2.get_absolute_url()
    k2.refresh_from_db()
    assert k2.planned_objective_id is None and not k2.planned_retirement


def test_after_approval_dashboards_show_new_names_and_only_the_current_indicators(
    client: Any, committee: Any, world: Any, plan: Any, history: dict[str, Any]
) -> None:
    draft = _review_dropping(plan)
    sc.indicator_plan_fate(indicator=history["k2"], action=sc.RETIRE)
    client.force_login(committee)
    cluster_url = reverse("scorecard:cluster", args=[world.cluster.pk]) + f"?year={YEAR}&quarter=1"
    before = client.get(cluster_url).content.decode()
    assert "เศรษฐกิจชายแดนเติบโต" in before and "ตัวชี้วัดเดิม" in before
    st.plan_approve(plan=draft)
    page = client.get(cluster_url).content.decode()
    assert "การค้าชายแดนมูลค่าสูงขึ้น" in page and "เศรษฐกิจชายแดนเติบโต" not in page
    assert "มูลค่าการค้าชายแดน" in page and "ตัวชี้วัดเดิม" not in page
    comparison = client.get(
        reverse("scorecard:comparison", args=[world.cluster.pk]) + f"?year={YEAR}&quarter=1"
    ).content.decode()
    assert "มูลค่าการค้าชายแดน" in comparison and "ตัวชี้วัดเดิม" not in comparison


def test_national_overview_counts_only_current_indicators(
    plan: Any, history: dict[str, Any], world: Any
) -> None:
    from scorecard import selectors

    draft = _review_dropping(plan)
    sc.indicator_plan_fate(indicator=history["k2"], action=sc.RETIRE)
    before = next(
        s
        for s in selectors.national_overview(fiscal_year=YEAR, quarter=1)
        if s.cluster == world.cluster
    )
    st.plan_approve(plan=draft)
    after = next(
        s
        for s in selectors.national_overview(fiscal_year=YEAR, quarter=1)
        if s.cluster == world.cluster
    )
    assert (before.total, after.total) == (2, 1)


def test_timeliness_leaves_out_retired_indicators(
    plan: Any, history: dict[str, Any], world: Any
) -> None:
    from scorecard import selectors

    draft = _review_dropping(plan)
    sc.indicator_plan_fate(indicator=history["k2"], action=sc.RETIRE)
    provinces = world.cluster.provinces.count()
    _rounds, _p, _grid, before = selectors.timeliness(world.cluster, fiscal_year=YEAR)
    st.plan_approve(plan=draft)
    _rounds, _p, _grid, after = selectors.timeliness(world.cluster, fiscal_year=YEAR)
    assert sum(t.due for t in before.values()) == 2 * provinces
    assert sum(t.due for t in after.values()) == provinces


def test_indicator_page_keeps_every_years_results_across_versions(
    client: Any, committee: Any, plan: Any, history: dict[str, Any]
) -> None:
    draft = _review_dropping(plan)
    sc.indicator_plan_fate(indicator=history["k2"], action=sc.RETIRE)
    st.plan_approve(plan=draft)
    client.force_login(committee)
    k1 = history["k1"]
    page = client.get(reverse("scorecard:indicator-detail", args=[k1.pk])).content.decode()
    assert "การค้าชายแดนมูลค่าสูงขึ้น" in page
    trend = page[
        page.index('id="trend-table"') : page.index("</table>", page.index('id="trend-table"'))
    ]
    assert f"Q4/{YEAR - 1}" in trend and f"Q1/{YEAR}" in trend  # both versions' years
    start = page.index('id="values-table"')
    values = page[start : page.index("</table>", start)]
    assert values.count("<tr") - 1 == Result.objects.filter(indicator=k1).count()
    retired = client.get(
        reverse("scorecard:indicator-detail", args=[history["k2"].pk])
    ).content.decode()
    assert 'id="indicator-retired"' in retired and "ตัวชี้วัดเดิม" in retired
    assert 'id="indicator-retired"' not in page


def test_a_new_round_leaves_out_retired_indicators(
    plan: Any, history: dict[str, Any], osm_staff: Any
) -> None:
    draft = _review_dropping(plan)
    sc.indicator_plan_fate(indicator=history["k2"], action=sc.RETIRE)
    st.plan_approve(plan=draft)
    reporting_round = sc.round_open(
        cluster=plan.cluster,
        fiscal_year=YEAR,
        quarter=2,
        opens_on=dt.date(2027, 3, 20),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    codes = set(
        Result.objects.filter(round=reporting_round).values_list("indicator__code", flat=True)
    )
    assert codes == {"K1"}


def test_approval_page_query_count_does_not_grow_with_what_hangs_on_dropped_objectives(
    client: Any,
    osm_staff: Any,
    plan: Any,
    history: dict[str, Any],
    django_assert_num_queries: Any,
) -> None:
    issue = history["kept"].issue
    for n in range(3):
        extra = ObjectiveFactory(issue=issue, code=f"1.{n + 5}")
        IndicatorFactory.create_batch(2, objective=extra)
    draft = st.plan_review_start(plan=plan, reason="ทบทวน", fiscal_year=YEAR).to_plan
    for objective in draft.objectives.exclude(code="1.1"):
        st.objective_delete(objective=objective)
    client.force_login(osm_staff)
    url = reverse("strategy:plan-approve", args=[draft.pk])
    client.get(url)
    # as tests/strategy/test_versions.py pins it: one query for every dependent of every
    # dropped objective, whatever their number (one query per app that registers dependents:
    # the scorecard's indicators and the projects app's projects)
    with django_assert_num_queries(12):
        page = client.get(url).content.decode()
    assert page.count('class="list-group-item dependent') == 7
