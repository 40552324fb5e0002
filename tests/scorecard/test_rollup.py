"""Roll-ups, combination rules, cumulative values and status — computed in the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from scorecard import selectors, services
from scorecard.models import Indicator, ProvinceTarget, Result, Status
from scorecard.rollup import rollups
from scorecard.status import classify
from tests.scorecard.conftest import YEAR, approve

pytestmark = pytest.mark.django_db


def rollup(indicator, quarter=1):
    return rollups(fiscal_year=YEAR, quarter=quarter, indicator_ids=[indicator.pk])[indicator.pk]


def results_of(reporting_round, indicator):
    return list(
        Result.objects.filter(round=reporting_round, indicator=indicator)
        .select_related("indicator", "province_target", "round")
        .order_by("province__name_th")
    )


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        ("sum", Decimal(60)),
        ("mean", Decimal(20)),
        ("min", Decimal(10)),
        ("max", Decimal(30)),
    ],
)
def test_each_combination_rule(aggregation, expected, indicator, reporting_round, osm_staff):
    Indicator.objects.filter(pk=indicator.pk).update(aggregation=aggregation)
    rows = results_of(reporting_round, indicator)
    for row, value in zip(rows, (10, 20, 30), strict=False):
        approve(row, value, by=osm_staff)
    assert rollup(indicator).value == expected


def test_weighted_mean_uses_province_weights(indicator, reporting_round, osm_staff):
    Indicator.objects.filter(pk=indicator.pk).update(aggregation="weighted_mean")
    rows = results_of(reporting_round, indicator)
    ProvinceTarget.objects.filter(pk=rows[0].province_target_id).update(weight=3)
    ProvinceTarget.objects.filter(pk=rows[1].province_target_id).update(weight=1)
    approve(rows[0], 10, by=osm_staff)
    approve(rows[1], 50, by=osm_staff)
    assert rollup(indicator).value == Decimal(20)  # (10·3 + 50·1) / 4


def test_not_combinable_has_no_cluster_value_from_provinces(indicator, reporting_round, osm_staff):
    Indicator.objects.filter(pk=indicator.pk).update(aggregation="none")
    for row in results_of(reporting_round, indicator):
        approve(row, 100, by=osm_staff)
    row = rollup(indicator)
    assert row.value is None
    assert row.status == Status.NO_DATA
    assert row.n_reported == len(results_of(reporting_round, indicator))
    # The cluster's own value counts.
    Result.objects.create(
        indicator=indicator,
        province=None,
        fiscal_year=YEAR,
        quarter=1,
        reporting="reported",
        value=Decimal(7),
        period_value=Decimal(7),
        status="approved",
    )
    assert rollup(indicator).value == Decimal(7)


def test_not_reported_and_not_applicable_are_not_zero(indicator, reporting_round, osm_staff):
    Indicator.objects.filter(pk=indicator.pk).update(aggregation="mean")
    rows = results_of(reporting_round, indicator)
    approve(rows[0], 90, by=osm_staff)
    approve(rows[1], None, by=osm_staff, reporting="not_applicable")
    # rows[2:] stay not reported (drafts)
    row = rollup(indicator)
    assert row.value == Decimal(90)  # not (90 + 0 + 0…) / n
    assert row.n_reported == 1
    assert row.n_not_applicable == 1


def test_unapproved_values_are_not_rolled_up(indicator, result, province_officer):
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=1,
        reporting="reported",
        value=Decimal(5000),
        submit=True,
    )
    row = rollup(indicator)
    assert row.value is None
    assert row.n_pending == 1


def test_no_results_means_no_data(indicator, reporting_round):
    assert rollup(indicator).status == Status.NO_DATA


def test_cumulative_values_add_up_and_target_is_prorated(indicator, world, osm_staff, provinces):
    Indicator.objects.filter(pk=indicator.pk).update(accumulation="cumulative", aggregation="sum")
    indicator.refresh_from_db()
    r1 = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=1,
        opens_on=dt.date(2026, 12, 1),
        deadline=dt.date(2027, 1, 20),
        by=osm_staff,
    )
    r2 = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=2,
        opens_on=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    for row in results_of(r1, indicator):
        approve(row, 25, by=osm_staff)
    for row in results_of(r2, indicator):
        approve(row, 25, by=osm_staff)
    n = len(provinces)
    q1, q2 = rollup(indicator, 1), rollup(indicator, 2)
    assert q1.value == 25 * n
    assert q2.value == 50 * n
    assert q2.expected == Decimal(50 * n)  # half the year's target by Q2
    assert q2.status == Status.ON_TRACK


def test_cumulative_value_leaves_out_a_missing_earlier_quarter_and_says_so(
    indicator, world, osm_staff
):
    Indicator.objects.filter(pk=indicator.pk).update(accumulation="cumulative")
    indicator.refresh_from_db()
    services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=1,
        opens_on=dt.date(2026, 12, 1),
        deadline=dt.date(2027, 1, 20),
        by=osm_staff,
    )
    r2 = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=2,
        opens_on=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    row = results_of(r2, indicator)[0]
    approve(row, 25, by=osm_staff)
    row.refresh_from_db()
    # Q1 not reported: a value to date without it (never a zero for Q1), marked partial.
    assert row.period_value == Decimal(25) and row.missing_quarters == "1"
    q2 = rollup(indicator, 2)
    assert q2.value == Decimal(25) and q2.provisional and q2.n_partial == 1


def test_point_values_stand_alone(indicator, world, osm_staff):
    r1 = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=1,
        opens_on=dt.date(2026, 12, 1),
        deadline=dt.date(2027, 1, 20),
        by=osm_staff,
    )
    r2 = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=2,
        opens_on=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    approve(results_of(r1, indicator)[0], 40, by=osm_staff)
    approve(results_of(r2, indicator)[0], 70, by=osm_staff)
    assert rollup(indicator, 2).value == Decimal(70)


@pytest.mark.parametrize(
    ("direction", "value", "status"),
    [
        ("up", 100, Status.ON_TRACK),
        ("up", 80, Status.AT_RISK),
        ("up", 79, Status.OFF_TRACK),
        ("down", 100, Status.ON_TRACK),
        ("down", 125, Status.AT_RISK),  # 100/125 = 80 %
        ("down", 126, Status.OFF_TRACK),
        ("down", 0, Status.ON_TRACK),
    ],
)
def test_status_thresholds_in_both_directions(
    direction, value, status, indicator, reporting_round, osm_staff, provinces
):
    Indicator.objects.filter(pk=indicator.pk).update(direction=direction, aggregation="mean")
    indicator.targets.update(value=100)
    indicator.refresh_from_db()
    for row in results_of(reporting_round, indicator):
        approve(row, value, by=osm_staff)
    db = rollup(indicator)
    assert db.status == status
    # The Python rule used on forms agrees with the database.
    assert (
        classify(
            Decimal(value),
            Decimal(100),
            direction=direction,
            on_track_at=Decimal(100),
            at_risk_at=Decimal(80),
        )
        == status
    )


def test_province_comparison_judges_each_province_on_its_own_target(
    indicator, reporting_round, osm_staff, world
):
    from osm import access

    rows = results_of(reporting_round, indicator)
    approve(rows[0], 100, by=osm_staff)
    approve(rows[1], 10, by=osm_staff)
    provinces, indicators, cells = selectors.province_comparison(
        world.cluster, access.visible(osm_staff, Result), fiscal_year=YEAR, quarter=1
    )
    assert cells[(indicator.pk, rows[0].province_id)].status == Status.ON_TRACK
    assert cells[(indicator.pk, rows[1].province_id)].status == Status.OFF_TRACK
    assert cells[(indicator.pk, rows[2].province_id)].status == Status.NO_DATA


def test_indicator_trend_per_quarter(indicator, world, osm_staff):
    r1 = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=1,
        opens_on=dt.date(2026, 12, 1),
        deadline=dt.date(2027, 1, 20),
        by=osm_staff,
    )
    r2 = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=2,
        opens_on=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    approve(results_of(r1, indicator)[0], 40, by=osm_staff)
    approve(results_of(r2, indicator)[0], 70, by=osm_staff)
    trend = selectors.indicator_trend(indicator)
    assert [(t["quarter"], t["value"]) for t in trend] == [(1, Decimal(40)), (2, Decimal(70))]
    assert trend[0]["target"] == indicator.targets.get().value


def test_a_sum_is_judged_against_the_targets_of_the_provinces_it_adds_up(
    indicator, reporting_round, osm_staff
):
    """Mid-round, a province not yet approved lowers neither the sum nor the bar."""
    Indicator.objects.filter(pk=indicator.pk).update(aggregation="sum", accumulation="point")
    rows = results_of(reporting_round, indicator)  # each province's target is 100
    approve(rows[0], 100, by=osm_staff)
    approve(rows[1], 90, by=osm_staff)
    row = rollup(indicator)
    assert row.target == Decimal(100 * len(rows))  # the cluster's target is shown as it is
    assert row.value == Decimal(190)
    assert row.expected == Decimal(200)  # the two provinces' targets
    assert row.achievement == Decimal(95)
    # At risk under the default thresholds (100 / 80), where against the whole cluster's
    # target (47.5%) it would wrongly read off track.
    assert row.status == Status.AT_RISK
