"""Writes for indicators."""

from __future__ import annotations

from typing import Any

from osm import events
from scorecard.models import Indicator


def indicator_create(*, objective: Any, **fields: Any) -> Indicator:
    indicator = Indicator(objective=objective, cluster_id=objective.plan.cluster_id, **fields)
    indicator.full_clean()
    indicator.save()
    events.publish(
        events.INDICATOR_CHANGED, cluster_id=indicator.cluster_id, indicator_id=indicator.pk
    )
    return indicator


def indicator_update(*, indicator: Indicator, **fields: Any) -> Indicator:
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save(update_fields=list(fields))
    events.publish(
        events.INDICATOR_CHANGED, cluster_id=indicator.cluster_id, indicator_id=indicator.pk
    )
    return indicator
