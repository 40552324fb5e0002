"""The one definition of how province values combine and how a value stands against its
target.

The rules are data: small expression trees over named columns. `rollup.py` renders them to
SQL (the cluster roll-up is one statement); `evaluate` runs the same trees in Python (forms,
alerts, the per-province status, the property-based tests that prove the two agree). Nothing
else restates them.

Vocabulary of a result row: `status`, `reporting`, `province` (empty for the cluster's own
value), `period_value` (approved value to date), `partial` (a cumulative value that leaves an
earlier quarter out), `weight` and `pt_value` (the province's weight and target).
Vocabulary of an indicator: `aggregation`, `accumulation`, `direction`, `on_track_at`,
`at_risk_at`, `target`, `quarter_factor` (quarters elapsed / 4) and `n_provinces`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from osm.lib.workflow import ReviewStatus
from scorecard.expr import (
    Agg,
    All,
    Any_,
    Case,
    Col,
    Expr,
    IsNull,
    Lit,
    Not,
    Op,
    Round,
    case_by,
    eq,
)
from scorecard.models import Indicator, Result, Status

A = Indicator.Aggregation
UP, DOWN = Indicator.Direction.UP, Indicator.Direction.DOWN


# --- Which rows count --------------------------------------------------------------------------

APPROVED = eq("status", ReviewStatus.APPROVED)
OF_PROVINCE = Not(IsNull(Col("province")))
REPORTED = All((APPROVED, OF_PROVINCE, eq("reporting", Result.Reporting.REPORTED)))
WITH_VALUE = All((REPORTED, Not(IsNull(Col("period_value")))))
OWN = All((APPROVED, IsNull(Col("province")), eq("reporting", Result.Reporting.REPORTED)))

# Every aggregate the roll-up needs, by the name the later rules use.
AGGREGATES: dict[str, Agg] = {
    "agg_sum": Agg("SUM", Col("period_value"), REPORTED),
    "agg_mean": Agg("AVG", Col("period_value"), REPORTED),
    "agg_min": Agg("MIN", Col("period_value"), REPORTED),
    "agg_max": Agg("MAX", Col("period_value"), REPORTED),
    "agg_wsum": Agg(
        "SUM",
        Op("*", Col("period_value"), Col("weight")),
        All((REPORTED, Not(IsNull(Col("weight"))))),
    ),
    "agg_wtot": Agg("SUM", Col("weight"), WITH_VALUE),
    "agg_tsum": Agg("SUM", Col("pt_value"), WITH_VALUE),
    "n_targets": Agg("COUNT", Col("pt_value"), WITH_VALUE),
    "agg_own": Agg("MAX", Col("period_value"), OWN),
    "n_reported": Agg("COUNT", Col("period_value"), REPORTED),
    "n_partial": Agg("COUNT", Col("id"), All((WITH_VALUE, Col("partial")))),
    "n_na": Agg(
        "COUNT", Col("id"), All((APPROVED, OF_PROVINCE, eq("reporting", "not_applicable")))
    ),
    "n_not_reported": Agg(
        "COUNT", Col("id"), All((APPROVED, OF_PROVINCE, eq("reporting", "not_reported")))
    ),
    "n_pending": Agg("COUNT", Col("id"), eq("status", ReviewStatus.SUBMITTED)),
    "n_returned": Agg("COUNT", Col("id"), eq("status", ReviewStatus.RETURNED)),
    "n_draft": Agg("COUNT", Col("id"), All((eq("status", ReviewStatus.DRAFT), OF_PROVINCE))),
}

# --- From the aggregates to the cluster value, the target expected and the status ------------

# A sum is judged against the targets of the provinces whose values it adds up (when all of
# them have one), so a province not yet reported lowers neither the value nor the bar.
COVER = Case(
    (
        (
            All(
                (
                    eq("aggregation", A.SUM),
                    Op(">", Col("n_reported"), Lit(0)),
                    Op("=", Col("n_targets"), Col("n_reported")),
                )
            ),
            Col("agg_tsum"),
        ),
    ),
    Col("target"),
)

VALUE = Round(
    case_by(
        "aggregation",
        {
            A.SUM: Col("agg_sum"),
            A.MEAN: Col("agg_mean"),
            A.WEIGHTED_MEAN: Case(
                ((Op(">", Col("agg_wtot"), Lit(0)), Op("/", Col("agg_wsum"), Col("agg_wtot"))),)
            ),
            A.MIN: Col("agg_min"),
            A.MAX: Col("agg_max"),
            # Not combinable: only a value the cluster reports itself.
            A.NONE: Col("agg_own"),
        },
    )
)

# The target expected by the period: a cumulative target is prorated to the quarters elapsed.
EXPECTED = Case(
    (
        (
            eq("accumulation", Indicator.Accumulation.CUMULATIVE),
            Op("*", Col("cover"), Col("quarter_factor")),
        ),
    ),
    Col("cover"),
)

# Per cent of the target reached; for "lower is better", target / value.
ACHIEVEMENT = Round(
    Case(
        (
            (
                All((eq("direction", UP), Op(">", Col("expected"), Lit(0)))),
                Op("/", Op("*", Col("value"), Lit(Decimal("100.0"))), Col("expected")),
            ),
            (
                All((eq("direction", DOWN), Op(">", Col("value"), Lit(0)))),
                Op("/", Op("*", Col("expected"), Lit(Decimal("100.0"))), Col("value")),
            ),
        )
    )
)

_MEETS = Any_(
    (
        All((eq("direction", UP), Op(">=", Col("value"), Col("expected")))),
        All((eq("direction", DOWN), Op("<=", Col("value"), Col("expected")))),
    )
)
STATUS = Case(
    (
        (Any_((IsNull(Col("value")), IsNull(Col("expected")))), Lit(Status.NO_DATA.value)),
        # A target of zero (higher is better) or a value of zero (lower is better): compare.
        (
            IsNull(Col("achievement")),
            Case(((_MEETS, Lit(Status.ON_TRACK.value)),), Lit(Status.OFF_TRACK.value)),
        ),
        (Op(">=", Col("achievement"), Col("on_track_at")), Lit(Status.ON_TRACK.value)),
        (Op(">=", Col("achievement"), Col("at_risk_at")), Lit(Status.AT_RISK.value)),
    ),
    Lit(Status.OFF_TRACK.value),
)

# Provinces a combined value should cover: all members except those it does not apply to.
COVERAGE_EXPECTED = Case(
    ((eq("aggregation", A.NONE), Lit(1)),), Op("-", Col("n_provinces"), Col("n_na"))
)
COVERAGE_REPORTED = Case(
    ((eq("aggregation", A.NONE), Case(((IsNull(Col("agg_own")), Lit(0)),), Lit(1))),),
    Col("n_reported"),
)
# A status built on part of the provinces, or on a value to date that leaves a quarter out.
PROVISIONAL = Case(
    (
        (eq("status", Status.NO_DATA), Lit(False)),
        (
            Any_(
                (
                    Op("<", Col("coverage_reported"), Col("coverage_expected")),
                    All((Not(eq("aggregation", A.NONE)), Op(">", Col("n_partial"), Lit(0)))),
                )
            ),
            Lit(True),
        ),
    ),
    Lit(False),
)

# The stages in order: each adds one named column computed from the ones before.
STAGES: tuple[tuple[str, Expr], ...] = (
    ("cover", COVER),
    ("value", VALUE),
    ("expected", EXPECTED),
    ("achievement", ACHIEVEMENT),
    ("status", STATUS),
    ("coverage_expected", COVERAGE_EXPECTED),
    ("coverage_reported", COVERAGE_REPORTED),
    ("provisional", PROVISIONAL),
)
INDICATOR_COLUMNS = ("aggregation", "accumulation", "direction", "on_track_at", "at_risk_at")


# --- Python evaluation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """The cluster's value of one indicator for one period, and how it stands."""

    target: Decimal | None = None
    expected: Decimal | None = None
    value: Decimal | None = None
    achievement: Decimal | None = None
    status: str = Status.NO_DATA
    n_reported: int = 0
    n_not_applicable: int = 0
    n_not_reported: int = 0
    n_pending: int = 0
    n_returned: int = 0
    n_draft: int = 0
    n_partial: int = 0
    coverage_reported: int = 0
    coverage_expected: int = 0
    provisional: bool = False
    deadline: Any = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


NO_ROLLUP = Rollup()

ROLLUP_FIELDS = {
    "target": "target",
    "expected": "expected",
    "value": "value",
    "achievement": "achievement",
    "status": "status",
    "n_reported": "n_reported",
    "n_not_applicable": "n_na",
    "n_not_reported": "n_not_reported",
    "n_pending": "n_pending",
    "n_returned": "n_returned",
    "n_draft": "n_draft",
    "n_partial": "n_partial",
    "coverage_reported": "coverage_reported",
    "coverage_expected": "coverage_expected",
    "provisional": "provisional",
}


def evaluate(
    indicator: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    *,
    target: Decimal | None,
    quarter: int,
    n_provinces: int,
) -> Rollup:
    """The roll-up of one indicator computed in Python from its period's result rows (each a
    mapping in the row vocabulary above) — the twin of the SQL in `rollup.py`."""
    env: dict[str, Any] = {name: indicator[name] for name in INDICATOR_COLUMNS}
    env.update(target=target, quarter_factor=Decimal(quarter) / 4, n_provinces=n_provinces)
    for name, agg in AGGREGATES.items():
        env[name] = agg.eval(rows)
    for name, expr in STAGES:
        env[name] = expr.eval(env)
    return Rollup(**{attr: env[col] for attr, col in ROLLUP_FIELDS.items()})


def judge(
    value: Decimal | None,
    expected: Decimal | None,
    *,
    direction: str,
    on_track_at: Decimal,
    at_risk_at: Decimal,
) -> tuple[Decimal | None, Status]:
    """Achievement and status of one value against the target expected (one province)."""
    env: dict[str, Any] = {
        "value": value,
        "expected": expected,
        "direction": direction,
        "on_track_at": on_track_at,
        "at_risk_at": at_risk_at,
    }
    env["achievement"] = ACHIEVEMENT.eval(env)
    return env["achievement"], Status(STATUS.eval(env))


def expected_of(target: Decimal | None, *, accumulation: str, quarter: int) -> Decimal | None:
    env = {"cover": target, "accumulation": accumulation, "quarter_factor": Decimal(quarter) / 4}
    result: Decimal | None = EXPECTED.eval(env)
    return result


def combine(
    aggregation: str, values: list[Decimal], weights: list[Decimal | None]
) -> Decimal | None:
    """Province values (all reported and approved) combined by the rule, e.g. to check a
    cascade of targets: the same aggregates and VALUE expression as the roll-up."""
    rows = [
        {
            "id": i,
            "status": ReviewStatus.APPROVED.value,
            "reporting": Result.Reporting.REPORTED.value,
            "province": i,
            "period_value": v,
            "partial": False,
            "weight": w,
            "pt_value": None,
        }
        for i, (v, w) in enumerate(zip(values, weights, strict=True))
    ]
    env: dict[str, Any] = {"aggregation": aggregation}
    env.update({name: agg.eval(rows) for name, agg in AGGREGATES.items()})
    result: Decimal | None = VALUE.eval(env)
    return result


# --- The value each quarter is judged on ------------------------------------------------------


@dataclass(frozen=True)
class QuarterRow:
    """What the period value of one quarter depends on."""

    approved: bool
    reporting: str
    value: Decimal | None


def period_values(
    *,
    cumulative: bool,
    year_to_date: bool,
    due: Callable[[int], bool],
    rows: Mapping[int, QuarterRow],
) -> dict[int, tuple[Decimal | None, str]]:
    """Per quarter with a row: the value it is judged on and the earlier due quarters that
    value leaves out (digits, "" when complete).

    Only approved, reported values count; "not reported" is never a zero. A point value is
    the quarter's own. A cumulative value entered per quarter adds the approved quarters so
    far and names each earlier due quarter it could not add (not reported, not approved, or
    before the cluster's first round); "not applicable" is skipped. A value entered as the
    year-to-date total is that total.
    """
    out: dict[int, tuple[Decimal | None, str]] = {}
    running = Decimal(0)
    missing = ""
    for quarter in (1, 2, 3, 4):
        row = rows.get(quarter)
        counted = row is not None and row.approved and row.reporting == Result.Reporting.REPORTED
        if row is not None:
            if not counted:
                out[quarter] = (None, "")
            elif not cumulative or year_to_date:
                out[quarter] = (row.value, "")
            else:
                out[quarter] = (running + (row.value or 0), missing)
        if not cumulative or year_to_date:
            continue
        if counted:
            running += row.value or 0  # type: ignore[union-attr]
        elif due(quarter) and not (
            row is not None and row.approved and row.reporting == Result.Reporting.NOT_APPLICABLE
        ):
            missing += str(quarter)
    return out
