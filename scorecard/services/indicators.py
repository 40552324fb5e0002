"""Writes for indicators."""

from __future__ import annotations

from typing import Any

from scorecard.cache import touch
from scorecard.models import Indicator


def indicator_create(*, objective: Any, **fields: Any) -> Indicator:
    indicator = Indicator(objective=objective, cluster_id=objective.plan.cluster_id, **fields)
    indicator.full_clean()
    indicator.save()
    touch(indicator.cluster_id)
    return indicator


def indicator_update(*, indicator: Indicator, **fields: Any) -> Indicator:
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save(update_fields=list(fields))
    touch(indicator.cluster_id)
    return indicator
