"""How one value stands against its target, in Python: the rules of `rules.py` evaluated for
a single value (a form being filled, a province's cell, an alert). The roll-up runs the same
rules as SQL.

Achievement is a percentage of the target expected by the period: for indicators whose
quarterly values add up, the target for the year times quarters elapsed / 4; for values that
stand alone, the year's target. For "lower is better" it is target / value. The indicator's
thresholds turn achievement into on track (≥ on_track_at), at risk (≥ at_risk_at) or off track.
"""

from __future__ import annotations

from decimal import Decimal

from scorecard import rules
from scorecard.models import Indicator, Status


def expected_target(target: Decimal | None, *, cumulative: bool, quarter: int) -> Decimal | None:
    accumulation = Indicator.Accumulation.CUMULATIVE if cumulative else Indicator.Accumulation.POINT
    return rules.expected_of(target, accumulation=accumulation, quarter=quarter)


def achievement(value: Decimal | None, expected: Decimal | None, direction: str) -> Decimal | None:
    pct, _status = rules.judge(
        value, expected, direction=direction, on_track_at=Decimal(100), at_risk_at=Decimal(0)
    )
    return pct


def classify(
    value: Decimal | None,
    expected: Decimal | None,
    *,
    direction: str,
    on_track_at: Decimal,
    at_risk_at: Decimal,
) -> Status:
    _pct, status = rules.judge(
        value, expected, direction=direction, on_track_at=on_track_at, at_risk_at=at_risk_at
    )
    return status


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
