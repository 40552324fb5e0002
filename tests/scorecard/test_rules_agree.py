"""The SQL roll-up (PostgreSQL in the suite) and the Python definition in `scorecard.rules`
agree — on random indicators of every combination kind, both directions, point and
cumulative values (entered per quarter or as year-to-date totals), provinces missing, rows
not reported and not applicable, unapproved rows, partial coverage and weights or targets
missing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from osm.lib.workflow import ReviewStatus
from scorecard import rules, services
from scorecard.models import Indicator, ProvinceTarget, Result, Target
from scorecard.rollup import rollups, trend
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db(transaction=False)

YEAR = 2570


def decimals(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Decimals with up to four places, as values are stored."""
    return st.integers(low * 10_000, high * 10_000).map(lambda n: Decimal(n).scaleb(-4))


def sometimes_none(strategy: st.SearchStrategy[Any], odds: int = 4) -> st.SearchStrategy[Any]:
    """None about once in `odds` draws (st.none() | x draws None far more often)."""
    keep = st.sampled_from([True] * (odds - 1) + [False])
    return st.tuples(keep, strategy).map(lambda t: t[1] if t[0] else None)


row_strategy = st.fixed_dictionaries(
    {
        # Weighted towards approved, reported values: the rows a roll-up counts.
        "status": st.sampled_from([*ReviewStatus.values, *[ReviewStatus.APPROVED] * 4]),
        "reporting": st.sampled_from([*Result.Reporting.values, *["reported"] * 3]),
        "value": decimals(-1_000, 100_000),
    }
)

province_strategy = st.fixed_dictionaries(
    {
        # None: the province has no result row at all in the year (a missing province).
        "quarters": sometimes_none(
            st.lists(sometimes_none(row_strategy), min_size=4, max_size=4), odds=5
        ),
        "target": sometimes_none(decimals(0, 100_000), odds=6),
        "weight": sometimes_none(decimals(0, 1_000), odds=6),
        "has_target_row": st.sampled_from([True, True, True, True, False]),
    }
)


@st.composite
def indicators(draw: Any) -> dict[str, Any]:
    at_risk = draw(st.integers(0, 150))
    return {
        "aggregation": draw(st.sampled_from(Indicator.Aggregation.values)),
        "accumulation": draw(st.sampled_from(Indicator.Accumulation.values)),
        "entry": draw(st.sampled_from(Indicator.Entry.values)),
        "direction": draw(st.sampled_from(Indicator.Direction.values)),
        "frequency": draw(st.sampled_from(Indicator.Frequency.values)),
        "at_risk_at": Decimal(at_risk),
        "on_track_at": Decimal(at_risk + draw(st.integers(0, 60))),
        "target": draw(sometimes_none(decimals(-10, 500_000), odds=6)),
        "quarter": draw(st.integers(1, 4)),
        "own": draw(st.lists(sometimes_none(row_strategy), min_size=4, max_size=4)),
    }


def _create_rows(ind: Indicator, spec: dict[str, Any], province: Any, quarters: list[Any]) -> None:
    pt = spec.get("pt")
    for q, row in enumerate(quarters, start=1):
        if row is None:
            continue
        reported = row["reporting"] == Result.Reporting.REPORTED
        Result.objects.create(
            indicator=ind,
            province=province,
            province_target=pt,
            fiscal_year=YEAR,
            quarter=q,
            status=row["status"],
            reporting=row["reporting"],
            value=row["value"] if reported else None,
        )


def _python_rows(ind: Indicator, province_id: int | None, pt: Any) -> list[dict[str, Any]]:
    """The period's rows in the rules' vocabulary, the period values computed in Python."""
    rows = list(
        Result.objects.filter(
            indicator=ind,
            province_id=province_id,  # type: ignore[misc]
            fiscal_year=YEAR,
        )
    )
    computed = rules.period_values(
        cumulative=ind.is_cumulative,
        year_to_date=ind.enters_year_to_date,
        due=ind.is_due,
        rows={
            r.quarter: rules.QuarterRow(r.status == "approved", r.reporting, r.value) for r in rows
        },
    )
    out = []
    for r in rows:
        value, missing = computed[r.quarter]
        out.append(
            {
                "id": r.pk,
                "quarter": r.quarter,
                "status": r.status,
                "reporting": r.reporting,
                "province": province_id,
                "period_value": value,
                "partial": bool(missing),
                "weight": pt.weight if pt else None,
                "pt_value": pt.value if pt else None,
            }
        )
    return out


FIELDS = (
    "value",
    "expected",
    "achievement",
    "status",
    "coverage_reported",
    "coverage_expected",
    "provisional",
    "n_reported",
    "n_not_applicable",
    "n_not_reported",
    "n_pending",
    "n_partial",
)


@settings(
    max_examples=int(__import__("os").environ.get("RULES_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=indicators(), provinces=st.lists(province_strategy, min_size=5, max_size=5))
def test_sql_rollup_and_python_rules_agree(
    world: Any, objective: Any, spec: Any, provinces: Any
) -> None:
    members = list(world.cluster.provinces.order_by("pk"))
    with transaction.atomic():
        ind = IndicatorFactory(
            objective=objective,
            **{
                k: spec[k]
                for k in ("aggregation", "accumulation", "entry", "direction", "frequency")
            },
            on_track_at=spec["on_track_at"],
            at_risk_at=spec["at_risk_at"],
        )
        if spec["target"] is not None:
            Target.objects.create(indicator=ind, fiscal_year=YEAR, value=spec["target"])
        python_rows: list[dict[str, Any]] = []
        for province, p in zip(members, provinces, strict=False):
            pt = None
            if p["has_target_row"]:
                pt = ProvinceTarget.objects.create(
                    indicator=ind,
                    province=province,
                    fiscal_year=YEAR,
                    value=p["target"],
                    weight=p["weight"],
                )
            if p["quarters"] is not None:
                _create_rows(ind, {"pt": pt}, province, p["quarters"])
                services.refresh_period_values(ind, province.pk, YEAR)
                python_rows += _python_rows(ind, province.pk, pt)
        _create_rows(ind, {}, None, spec["own"])
        services.refresh_period_values(ind, None, YEAR)
        python_rows += _python_rows(ind, None, None)

        quarter = spec["quarter"]
        sql = rollups(fiscal_year=YEAR, quarter=quarter, indicator_ids=[ind.pk])[ind.pk]
        python = rules.evaluate(
            {
                "aggregation": ind.aggregation,
                "accumulation": ind.accumulation,
                "direction": ind.direction,
                "on_track_at": ind.on_track_at,
                "at_risk_at": ind.at_risk_at,
            },
            [r for r in python_rows if r["quarter"] == quarter],
            target=spec["target"],
            quarter=quarter,
            n_provinces=len(members),
        )
        event(f"status {python.status}, provisional {python.provisional}")
        event(f"partial totals {bool(python.n_partial)}")
        for name in FIELDS:
            assert getattr(sql, name) == getattr(python, name), (name, sql, python)
        # The trend query combines by the same rules.
        by_period = {(t["fiscal_year"], t["quarter"]): t for t in trend(ind.pk, ind.aggregation)}
        if (YEAR, quarter) in by_period:
            assert by_period[(YEAR, quarter)]["value"] == python.value
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("aggregation", "values", "weights", "expected"),
    [
        ("sum", ["1.5", "2.25"], [None, None], "3.750000"),
        ("mean", ["1", "2", "2"], [None, None, None], "1.666667"),
        ("weighted_mean", ["10", "50"], ["3", "1"], "20.000000"),
        ("weighted_mean", ["10", "50"], ["0", "0"], None),
        ("min", ["3", "-1"], [None, None], "-1.000000"),
        ("max", ["3", "-1"], [None, None], "3.000000"),
        ("none", ["3"], [None], None),
    ],
)
def test_combine_at_its_boundaries(aggregation, values, weights, expected):
    got = rules.combine(
        aggregation,
        [Decimal(v) for v in values],
        [None if w is None else Decimal(w) for w in weights],
    )
    assert got == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize(
    ("direction", "value", "expected", "status"),
    [
        ("up", "100", "100", "on_track"),
        ("up", "99.9999", "100", "at_risk"),
        ("up", "80", "100", "at_risk"),
        ("up", "79.9999", "100", "off_track"),
        ("up", "0", "0", "on_track"),  # a target of zero: compared, not divided
        ("up", "-1", "0", "off_track"),
        ("down", "100", "100", "on_track"),
        ("down", "125", "100", "at_risk"),  # 100 / 125 = 80 %
        ("down", "125.0001", "100", "off_track"),
        ("down", "0", "5", "on_track"),  # a value of zero, lower is better: compared
        ("up", None, "5", "no_data"),
        ("up", "5", None, "no_data"),
    ],
)
def test_status_at_its_boundaries(direction, value, expected, status):
    _pct, got = rules.judge(
        None if value is None else Decimal(value),
        None if expected is None else Decimal(expected),
        direction=direction,
        on_track_at=Decimal(100),
        at_risk_at=Decimal(80),
    )
    assert got == status


def test_a_missing_earlier_quarter_gives_a_partial_total_not_nothing():
    row = rules.QuarterRow
    out = rules.period_values(
        cumulative=True,
        year_to_date=False,
        due=lambda q: True,
        rows={
            1: row(True, "not_reported", None),
            2: row(True, "reported", Decimal(5)),
            3: row(True, "not_applicable", None),
            4: row(True, "reported", Decimal(7)),
        },
    )
    assert out[2] == (Decimal(5), "1")
    assert out[4] == (Decimal(12), "1")  # quarter 3 does not apply: not missing


def test_a_first_round_mid_year_leaves_out_the_earlier_quarters():
    out = rules.period_values(
        cumulative=True,
        year_to_date=False,
        due=lambda q: True,
        rows={3: rules.QuarterRow(True, "reported", Decimal(9))},
    )
    assert out[3] == (Decimal(9), "12")


def test_a_year_to_date_total_is_complete_by_itself():
    out = rules.period_values(
        cumulative=True,
        year_to_date=True,
        due=lambda q: True,
        rows={3: rules.QuarterRow(True, "reported", Decimal(9))},
    )
    assert out[3] == (Decimal(9), "")
