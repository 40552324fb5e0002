from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from osm.lib import dates
from scorecard import selectors, services
from scorecard.models import Indicator, ProvinceTarget, ReportingRound, Result
from tests.factories import IndicatorFactory
from tests.scorecard.conftest import YEAR, approve

pytestmark = pytest.mark.django_db
D = Decimal


def make(objective, aggregation, cluster_target):
    ind = IndicatorFactory(objective=objective, aggregation=aggregation)
    if cluster_target is not None:
        ind.targets.create(fiscal_year=YEAR, value=D(cluster_target))
    return ind


@pytest.mark.parametrize(
    ("aggregation", "values", "weights", "ok"),
    [
        ("sum", [10, 20, 30], None, True),
        ("sum", [10, 20, 31], None, False),
        ("mean", [10, 20, 30], None, False),
        ("mean", [50, 60, 70], None, True),
        ("weighted_mean", [30, 90, 60], [2, 1, 1], True),  # (60+90+60)/4 = 52.5
        ("min", [60, 70, 80], None, True),
        ("min", [59, 70, 80], None, False),
        ("max", [60, 70, 60], None, True),
    ],
)
def test_cascade_check_per_rule(objective, aggregation, values, weights, ok):
    targets = {"sum": 60, "mean": 60, "weighted_mean": D("52.5"), "min": 60, "max": 70}
    ind = make(objective, aggregation, targets[aggregation])
    ids = [1, 2, 3]
    check = services.cascade_check(
        indicator=ind,
        cluster_target=ind.targets.get().value,
        values={i: D(v) for i, v in zip(ids, values, strict=True)},
        weights={i: D(w) for i, w in zip(ids, weights, strict=True)} if weights else None,
    )
    assert check.ok is ok, check.message


def test_not_combinable_is_not_checked(objective):
    ind = make(objective, "none", 5)
    check = services.cascade_check(indicator=ind, cluster_target=D(5), values={1: D(99), 2: D(1)})
    assert check.ok
    assert not check.checkable


def test_weighted_mean_needs_every_weight(objective):
    ind = make(objective, "weighted_mean", 50)
    check = services.cascade_check(
        indicator=ind, cluster_target=D(50), values={1: D(50), 2: D(50)}, weights={1: D(1), 2: None}
    )
    assert not check.ok


def test_missing_province_target_fails_the_check(objective):
    ind = make(objective, "sum", 50)
    assert not services.cascade_check(
        indicator=ind, cluster_target=D(50), values={1: D(50), 2: None}
    ).ok


def test_cascade_save_refuses_inconsistent_targets_and_saves_nothing(objective, provinces):
    ind = make(objective, "sum", 100)
    with pytest.raises(ValidationError):
        services.cascade_save(
            indicator=ind, fiscal_year=YEAR, values={p.pk: D(1) for p in provinces}
        )
    assert not ProvinceTarget.objects.filter(indicator=ind).exists()


def test_cascade_save_stores_and_links_results(objective, provinces, world, osm_staff):
    ind = make(objective, "sum", 100)
    services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=1,
        opens_on=dt.date(2026, 12, 1),
        deadline=dt.date(2027, 1, 20),
        by=osm_staff,
    )
    split = services.cascade_split(
        indicator=ind, cluster_target=D(100), province_ids=[p.pk for p in provinces], method="equal"
    )
    assert sum(split.values()) == D(100)
    services.cascade_save(indicator=ind, fiscal_year=YEAR, values=split)
    assert ProvinceTarget.objects.filter(indicator=ind).count() == len(provinces)
    assert not Result.objects.filter(indicator=ind, province_target__isnull=True).exists()


def test_split_by_weights_and_by_baseline(objective):
    ind = make(objective, "sum", 100)
    by_weight = services.cascade_split(
        indicator=ind,
        cluster_target=D(100),
        province_ids=[1, 2],
        method="weights",
        shares={1: D(3), 2: D(1)},
    )
    assert by_weight == {1: D(75), 2: D(25)}
    mean = make(objective, "mean", 60)
    spread = services.cascade_split(
        indicator=mean,
        cluster_target=D(60),
        province_ids=[1, 2],
        method="baseline",
        shares={1: D(1), 2: D(2)},
    )
    assert sum(spread.values()) / 2 == D(60)
    assert spread[2] > spread[1]
    with pytest.raises(ValidationError):
        services.cascade_split(
            indicator=ind, cluster_target=D(100), province_ids=[1, 2], method="baseline", shares={}
        )


def test_split_keeps_cents_exact(objective):
    ind = make(objective, "sum", 100)
    split = services.cascade_split(
        indicator=ind, cluster_target=D(100), province_ids=[1, 2, 3], method="equal"
    )
    assert sum(split.values()) == D(100)


def test_round_deadline_moves_off_weekends_and_holidays(world, indicator, osm_staff):
    # 13 April 2027 is Songkran (a public holiday); 10 April 2027 is a Saturday.
    r = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=2,
        opens_on=dt.date(2027, 4, 1),
        deadline=dt.date(2027, 4, 13),
        by=osm_staff,
    )
    assert dates.is_working_day(r.deadline)
    assert r.deadline > dt.date(2027, 4, 13)
    assert dates.holiday_name(dt.date(2027, 4, 13))
    r2 = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=3,
        opens_on=dt.date(2027, 7, 1),
        deadline=dt.date(2027, 7, 17),
        by=osm_staff,
    )
    assert r2.deadline.weekday() < 5


def test_default_deadline_is_a_working_day():
    for q in (1, 2, 3, 4):
        assert dates.is_working_day(services.default_deadline(YEAR, q))


def test_a_period_has_one_round(reporting_round, world, osm_staff):
    with pytest.raises(ValidationError):
        services.round_open(
            cluster=world.cluster,
            fiscal_year=YEAR,
            quarter=1,
            deadline=dt.date(2027, 1, 20),
            by=osm_staff,
        )


def test_only_due_indicators_get_results(objective, world, osm_staff, indicator):
    yearly = IndicatorFactory(objective=objective, frequency=Indicator.Frequency.YEARLY)
    r = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=2,
        opens_on=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    assert not Result.objects.filter(round=r, indicator=yearly).exists()
    r4 = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=4,
        opens_on=dt.date(2027, 9, 1),
        deadline=dt.date(2027, 10, 20),
        by=osm_staff,
    )
    assert Result.objects.filter(round=r4, indicator=yearly).exists()


def test_timeliness_counts_first_submission_by_the_deadline(
    reporting_round, indicator, world, province_officer, other_officer, osm_staff
):
    rows = {
        r.province_id: r
        for r in Result.objects.filter(round=reporting_round).select_related(
            "indicator", "province_target", "round"
        )
    }
    on_time = rows[world.province.pk]
    late = rows[world.sibling.pk]
    services.result_save(
        result=on_time,
        by=province_officer,
        expected_version=1,
        reporting="reported",
        value=D(100),
        submit=True,
    )
    services.result_save(
        result=late,
        by=other_officer,
        expected_version=1,
        reporting="not_applicable",
        value=None,
        submit=True,
    )
    after_deadline = timezone.make_aware(
        dt.datetime.combine(reporting_round.deadline + dt.timedelta(days=1), dt.time(9))
    )
    Result.objects.filter(pk=late.pk).update(first_submitted_at=after_deadline)
    rounds, provinces, grid, year = selectors.timeliness(world.cluster, fiscal_year=YEAR)
    assert grid[(reporting_round.pk, world.province.pk)].score == 100
    late_cell = grid[(reporting_round.pk, world.sibling.pk)]
    assert late_cell.score == 0
    assert late_cell.completeness == 100
    others = [p for p in provinces if p.pk not in (world.province.pk, world.sibling.pk)]
    # Before the deadline a province that has not submitted is not late: not counted yet.
    waiting = grid[(reporting_round.pk, others[0].pk)]
    assert waiting.due == 0 and waiting.waiting == 1 and waiting.score is None
    assert year[world.province.pk].due == 1


def test_after_the_deadline_a_missing_result_counts_as_late(
    reporting_round, indicator, world, province_officer
):
    ReportingRound.objects.filter(pk=reporting_round.pk).update(
        opens_on=dt.date(2026, 1, 1), deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    _r, provinces, grid, _y = selectors.timeliness(world.cluster, fiscal_year=YEAR)
    cell = grid[(reporting_round.pk, world.province.pk)]
    assert cell.due == 1 and cell.waiting == 0 and cell.score == 0


def test_on_the_deadline_day_a_missing_result_is_not_late_yet(reporting_round, indicator, world):
    ReportingRound.objects.filter(pk=reporting_round.pk).update(
        opens_on=dt.date(2026, 1, 1), deadline=timezone.localdate()
    )
    _r, _p, grid, _y = selectors.timeliness(world.cluster, fiscal_year=YEAR)
    assert grid[(reporting_round.pk, world.province.pk)].due == 0


def test_not_reported_with_a_reason_counts_as_on_time(
    reporting_round, indicator, world, result, province_officer
):
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=1,
        reporting="not_reported",
        value=None,
        not_reported_reason="สำนักงานสถิติยังไม่เผยแพร่ข้อมูล",
        submit=True,
    )
    _r, _p, grid, _y = selectors.timeliness(world.cluster, fiscal_year=YEAR)
    cell = grid[(reporting_round.pk, world.province.pk)]
    assert cell.on_time == 1 and cell.score == 100


def test_a_draft_counts_as_not_reported_in_timeliness(
    reporting_round, indicator, world, result, province_officer
):
    services.result_save(
        result=result, by=province_officer, expected_version=1, reporting="reported", value=D(100)
    )
    _r, _p, grid, _y = selectors.timeliness(world.cluster, fiscal_year=YEAR)
    assert grid[(reporting_round.pk, world.province.pk)].complete == 0


def test_approval_recomputes_period_values(result, osm_staff):
    approve(result, 42, by=osm_staff)
    result.refresh_from_db()
    assert result.period_value == D(42)
