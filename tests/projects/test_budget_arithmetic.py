"""Budget arithmetic in Decimal: every breakdown adds up to the same grand total, to the satang."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects import figures
from projects.models import Project
from projects.services.projects import money

from .conftest import YEAR

pytestmark = pytest.mark.django_db
COLUMNS = figures.MONEY_COLUMNS


def _totals_agree(cluster_id: int) -> dict[str, Any]:
    grand = figures.budget_totals(cluster_id, YEAR)
    for name, rows in figures.budget_breakdowns(cluster_id, YEAR).items():
        sums = figures.column_totals(rows)
        for column in COLUMNS:
            assert sums[column] == grand[column], (
                f"{name}.{column}: {sums[column]} ≠ {grand[column]}"
            )
    return grand


def test_a_sum_split_over_three_provinces_keeps_every_satang(
    world: Any, make_project: Any, provinces: list[Any]
) -> None:
    make_project(provinces=provinces[:3], requested=Decimal("100.00"), allocated=Decimal("100.00"))
    rows = figures.budget_by_province(world.cluster.pk, YEAR)
    shares = sorted(r["allocated"] for r in rows)
    assert shares == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(shares) == Decimal("100.00")


def test_issue_objective_province_and_source_totals_equal_the_grand_total(
    world: Any, make_project: Any, objectives: list[Any], provinces: list[Any]
) -> None:
    make_project(
        objective=objectives[0],
        provinces=provinces[:2],
        requested=Decimal("1000000.01"),
        allocated=Decimal("999999.99"),
        committed=Decimal("500000.55"),
    )
    make_project(
        objective=objectives[1],
        provinces=provinces,
        requested=Decimal("333333.33"),
        source=Project.Source.PROVINCE,
        after_transfers=Decimal("300000.10"),
        allocated=Decimal("333333.33"),
    )
    make_project(
        objective=objectives[2],
        provinces=[],
        requested=Decimal("0.07"),
        allocated=Decimal("0.07"),
        source=Project.Source.OTHER,
    )
    make_project(
        objective=objectives[2], status=Project.Status.CANCELLED, requested=Decimal("5000000")
    )  # cancelled: counts nowhere
    grand = _totals_agree(world.cluster.pk)
    assert grand["requested"] == Decimal("1333333.41")
    assert grand["budget"] == Decimal("999999.99") + Decimal("300000.10") + Decimal("0.07")
    assert grand["remaining"] == grand["budget"] - grand["disbursed"]
    assert grand["projects"] == 3
    province_rows = figures.budget_by_province(world.cluster.pk, YEAR)
    assert province_rows[-1]["label"] is None  # the project with no province has a row


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amounts=st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
            st.integers(min_value=0, max_value=4),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_random_budgets_add_up_in_every_breakdown(
    world: Any, make_project: Any, provinces: list[Any], amounts: list[tuple[Decimal, int]]
) -> None:
    Project.objects.filter(cluster=world.cluster).delete()
    for amount, n in amounts:
        make_project(provinces=provinces[:n], requested=amount, allocated=amount)
    _totals_agree(world.cluster.pk)


def test_money_refuses_fractions_of_a_satang() -> None:
    with pytest.raises(ValidationError):
        money(Decimal("1.005"))
    assert money("12.5") == Decimal("12.50")


def test_negative_budget_is_refused_with_the_field_named(make_project: Any) -> None:
    with pytest.raises(ValidationError) as err:
        make_project(requested=Decimal("-1"))
    assert "requested" in err.value.message_dict


def test_duplicate_code_in_the_year_is_refused(make_project: Any) -> None:
    make_project(code="D1")
    with pytest.raises(ValidationError) as err:
        make_project(code="D1")
    assert "code" in err.value.message_dict


def test_each_breakdown_computed_on_its_own_agrees_with_the_page_tables(
    world: Any, make_project: Any, objectives: list[Any], provinces: list[Any]
) -> None:
    make_project(objective=objectives[0], requested=Decimal("10.01"), allocated=Decimal("10.01"))
    make_project(objective=objectives[1], requested=Decimal("20.02"), source=Project.Source.OTHER)
    make_project(objective=objectives[2], requested=Decimal("30.03"), provinces=provinces[:3])
    page = figures.budget_breakdowns(world.cluster.pk, YEAR)
    own = {
        "issue": figures.budget_by_issue(world.cluster.pk, YEAR),
        "objective": figures.budget_by_objective(world.cluster.pk, YEAR),
        "source": figures.budget_by_source(world.cluster.pk, YEAR),
    }
    for name, rows in own.items():
        assert [(r["key"], r["requested"], r["projects"]) for r in rows] == [
            (r["key"], r["requested"], r["projects"]) for r in page[name]
        ], name
