"""How a value stands against its target, in Python (one value, e.g. while a form is filled)
and as a database expression (roll-ups). The two must agree; tests check both.

Achievement is a percentage of the target expected by the period: for indicators whose
quarterly values add up, the target for the year times quarters elapsed / 4; for values that
stand alone, the year's target. For "lower is better" it is target / value. The indicator's
thresholds turn achievement into on track (≥ on_track_at), at risk (≥ at_risk_at) or off track.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Cast

from scorecard.models import Indicator, Status

HUNDRED = Decimal(100)
DEC: DecimalField[Decimal, Decimal] = DecimalField(max_digits=24, decimal_places=6)


def expected_target(target: Decimal | None, *, cumulative: bool, quarter: int) -> Decimal | None:
    if target is None:
        return None
    if cumulative:
        return target * quarter / 4
    return target


def achievement(value: Decimal | None, expected: Decimal | None, direction: str) -> Decimal | None:
    if value is None or expected is None:
        return None
    if direction == Indicator.Direction.UP:
        return value * HUNDRED / expected if expected > 0 else None
    return expected * HUNDRED / value if value > 0 else None


def classify(
    value: Decimal | None,
    expected: Decimal | None,
    *,
    direction: str,
    on_track_at: Decimal,
    at_risk_at: Decimal,
) -> Status:
    if value is None or expected is None:
        return Status.NO_DATA
    pct = achievement(value, expected, direction)
    if pct is None:
        # Target of zero (higher is better) or a value of zero (lower is better): compare.
        up = direction == Indicator.Direction.UP
        good = value >= expected if up else value <= expected
        return Status.ON_TRACK if good else Status.OFF_TRACK
    if pct >= on_track_at:
        return Status.ON_TRACK
    if pct >= at_risk_at:
        return Status.AT_RISK
    return Status.OFF_TRACK


def classify_for(
    indicator: Indicator, value: Decimal | None, target: Decimal | None, quarter: int
) -> Status:
    expected = expected_target(target, cumulative=indicator.is_cumulative, quarter=quarter)
    return classify(
        value,
        expected,
        direction=indicator.direction,
        on_track_at=indicator.on_track_at,
        at_risk_at=indicator.at_risk_at,
    )


# --- The same rules as database expressions -------------------------------------------------


def expected_expression(target: Any, *, accumulation: str, quarter: int) -> Any:
    """`target` expression scaled for cumulative indicators. `accumulation` names the field."""
    return Case(
        When(
            Q(**{accumulation: Indicator.Accumulation.CUMULATIVE}),
            then=ExpressionWrapper(target * Value(Decimal(quarter) / 4), output_field=DEC),
        ),
        default=Cast(target, DEC),
        output_field=DEC,
    )


def status_annotations(
    *, value: str, expected: str, prefix: str = "", out: str = "status"
) -> list[dict[str, models.Expression]]:
    """Annotations, to apply in order, that add `achievement` and `status` from the
    annotations named `value` and `expected`; `prefix` reaches the indicator's fields
    ("" on Indicator, "indicator__" on Result)."""
    direction = f"{prefix}direction"
    up = Q(**{direction: Indicator.Direction.UP})
    down = Q(**{direction: Indicator.Direction.DOWN})
    pct = Case(
        When(
            up & Q(**{f"{expected}__gt": 0}),
            then=ExpressionWrapper(F(value) * Value(HUNDRED) / F(expected), output_field=DEC),
        ),
        When(
            down & Q(**{f"{value}__gt": 0}),
            then=ExpressionWrapper(F(expected) * Value(HUNDRED) / F(value), output_field=DEC),
        ),
        default=None,
        output_field=DEC,
    )
    status = Case(
        When(
            Q(**{f"{value}__isnull": True}) | Q(**{f"{expected}__isnull": True}),
            then=Value(Status.NO_DATA),
        ),
        When(
            Q(achievement__isnull=True) & up & Q(**{f"{value}__gte": F(expected)}),
            then=Value(Status.ON_TRACK),
        ),
        When(
            Q(achievement__isnull=True) & down & Q(**{f"{value}__lte": F(expected)}),
            then=Value(Status.ON_TRACK),
        ),
        When(achievement__isnull=True, then=Value(Status.OFF_TRACK)),
        When(achievement__gte=F(f"{prefix}on_track_at"), then=Value(Status.ON_TRACK)),
        When(achievement__gte=F(f"{prefix}at_risk_at"), then=Value(Status.AT_RISK)),
        default=Value(Status.OFF_TRACK),
        output_field=models.CharField(),
    )
    return [{"achievement": pct}, {out: status}]
