"""Scorecard fixtures: an approved plan of the demo cluster with indicators and an open
round for Q1 of FY 2570."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from scorecard import services
from scorecard.models import Indicator, ReportingRound, Result
from tests.conftest import World
from tests.factories import IndicatorFactory, ObjectiveFactory, PlanFactory, targets_for

YEAR = 2570


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Dashboard fragments are cached; the local-memory cache outlives each test's data."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english(client: Any) -> Any:
    """Assertions read English messages; pages and services speak English here."""
    from django.conf import settings
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def plan(world: World) -> Any:
    return PlanFactory(cluster=world.cluster)


@pytest.fixture
def objective(plan: Any) -> Any:
    return ObjectiveFactory(issue__plan=plan)


@pytest.fixture
def provinces(world: World) -> list[Any]:
    return list(world.cluster.provinces.order_by("name_th"))


@pytest.fixture
def indicator(objective: Any, provinces: list[Any]) -> Indicator:
    """Higher is better, summed over provinces; 100 per province, cluster target the sum."""
    ind = IndicatorFactory(objective=objective, code="K1", name_th="มูลค่าการค้าชายแดน")
    targets_for(ind, YEAR, Decimal(100 * len(provinces)), {p: Decimal(100) for p in provinces})
    return ind


@pytest.fixture
def reporting_round(world: World, indicator: Indicator, osm_staff: Any) -> ReportingRound:
    return services.round_open(
        cluster=world.cluster,
        fiscal_year=YEAR,
        quarter=1,
        opens_on=dt.date(2026, 12, 20),
        deadline=dt.date(2027, 1, 22),
        by=osm_staff,
    )


@pytest.fixture
def result(reporting_round: ReportingRound, indicator: Indicator, world: World) -> Result:
    """Chiang Mai's draft result in the open round."""
    return Result.objects.select_related("indicator", "province_target", "round").get(
        round=reporting_round, indicator=indicator, province=world.province
    )


@pytest.fixture
def sibling_result(reporting_round: ReportingRound, indicator: Indicator, world: World) -> Result:
    return Result.objects.select_related("indicator", "province_target", "round").get(
        round=reporting_round, indicator=indicator, province=world.sibling
    )


def approve(
    result: Result, value: Any, *, by: Any, reporting: str = "reported", **extra: Any
) -> Result:
    """Enter, submit and approve a result in one go (for roll-up tests)."""
    result.refresh_from_db()
    services.result_save(
        result=result,
        by=by,
        expected_version=result.version,
        reporting=reporting,
        value=None if value is None else Decimal(value),
        explanation=extra.get("explanation", "เหตุผล"),
        corrective_action=extra.get("corrective_action", "แนวทางแก้ไข"),
        submit=True,
    )
    return services.result_review(
        result=result, by=by, expected_version=result.version, approve=True
    )
