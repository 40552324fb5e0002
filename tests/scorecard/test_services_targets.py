"""The cascade as a whole: the checks of every year, a proposed split, and saving every
year's targets at once (scorecard.services.targets)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from scorecard import services
from scorecard.models import ProvinceTarget, Result, Target
from tests.factories import IndicatorFactory
from tests.scorecard.conftest import YEAR, approve

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def summed(objective):
    """A summed indicator with no targets yet."""
    return IndicatorFactory(objective=objective, aggregation="sum")


def test_saving_the_cascade_stores_every_year_and_its_province_targets(summed, provinces):
    ids = [p.pk for p in provinces]
    n = len(ids)
    services.targets_cascade_save(
        indicator=summed,
        cluster_targets={YEAR: D(10 * n), YEAR + 1: D(20 * n), YEAR + 2: None},
        province_values={
            YEAR: dict.fromkeys(ids, D(10)),
            YEAR + 1: dict.fromkeys(ids, D(20)),
            YEAR + 2: dict.fromkeys(ids),
        },
        weights={ids[0]: D(2)},
    )
    assert dict(Target.objects.filter(indicator=summed).values_list("fiscal_year", "value")) == {
        YEAR: D(10 * n),
        YEAR + 1: D(20 * n),
    }
    saved = ProvinceTarget.objects.filter(indicator=summed)
    assert saved.filter(fiscal_year=YEAR).count() == n
    assert saved.filter(fiscal_year=YEAR + 1, value=D(20)).count() == n
    assert saved.get(fiscal_year=YEAR, province_id=ids[0]).weight == D(2)


def test_a_year_that_disagrees_saves_nothing_and_names_the_year(summed, provinces):
    ids = [p.pk for p in provinces]
    n = len(ids)
    summed.targets.create(fiscal_year=YEAR, value=D(1))
    with pytest.raises(ValidationError) as caught:
        services.targets_cascade_save(
            indicator=summed,
            cluster_targets={YEAR: D(10 * n), YEAR + 1: D(20 * n)},
            province_values={
                YEAR: dict.fromkeys(ids, D(10)),
                YEAR + 1: dict.fromkeys(ids, D(21)),  # sums to more than the cluster target
            },
        )
    assert [m.split(":")[0] for m in caught.value.messages] == [str(YEAR + 1)]
    # All or nothing: the agreeing year and the new cluster targets are not kept either.
    assert not ProvinceTarget.objects.filter(indicator=summed).exists()
    assert list(summed.targets.values_list("fiscal_year", "value")) == [(YEAR, D(1))]


def test_checks_skip_empty_years_and_judge_the_others(summed, provinces):
    ids = [p.pk for p in provinces]
    checks = services.cascade_checks(
        indicator=summed,
        cluster_targets={YEAR: D(10 * len(ids)), YEAR + 1: None, YEAR + 2: D(5)},
        province_values={
            YEAR: dict.fromkeys(ids, D(10)),
            YEAR + 1: dict.fromkeys(ids),
            YEAR + 2: dict.fromkeys(ids, D(5)),
        },
    )
    assert [year for year, _check in checks] == [YEAR, YEAR + 1, YEAR + 2]
    first, empty, wrong = (check for _year, check in checks)
    assert first is not None
    assert first.ok
    assert empty is None
    assert wrong is not None
    assert not wrong.ok
    assert wrong.combined == D(5 * len(ids))


def test_a_proposal_splits_each_year_with_a_cluster_target(summed, provinces):
    ids = [p.pk for p in provinces]
    weights = {pid: D(1) for pid in ids} | {ids[0]: D(3)}
    proposal = services.cascade_propose(
        indicator=summed,
        cluster_targets={YEAR: D(100), YEAR + 1: None},
        province_ids=ids,
        method=services.SplitMethod.WEIGHTS,
        weights=weights,
    )
    assert list(proposal) == [YEAR]
    assert sum(proposal[YEAR].values()) == D(100)
    assert proposal[YEAR][ids[0]] == max(proposal[YEAR].values())
    assert not ProvinceTarget.objects.filter(indicator=summed).exists()  # nothing saved


def test_a_proposal_by_baseline_uses_last_years_approved_values(
    summed, provinces, world, osm_staff
):
    previous = services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR - 1,
        quarter=4,
        opens_on=dt.date(2026, 1, 1),
        deadline=dt.date(2026, 1, 30),
        by=osm_staff,
    )
    mine = Result.objects.get(round=previous, indicator=summed, province=world.province)
    approve(mine, 30, by=osm_staff)
    ids = [p.pk for p in provinces]
    proposal = services.cascade_propose(
        indicator=summed,
        cluster_targets={YEAR: D(60)},
        province_ids=ids,
        method=services.SplitMethod.BASELINE,
    )
    # Only Chiang Mai has a baseline, so it takes the whole target.
    assert proposal[YEAR][world.province.pk] == D(60)
    assert sum(proposal[YEAR].values()) == D(60)


def test_a_proposal_by_weights_without_weights_says_so(summed, provinces):
    with pytest.raises(ValidationError, match="weight"):
        services.cascade_propose(
            indicator=summed,
            cluster_targets={YEAR: D(100)},
            province_ids=[p.pk for p in provinces],
            method=services.SplitMethod.WEIGHTS,
            weights={},
        )
