"""Writes for indicators."""

from __future__ import annotations

from typing import Any

from osm import events
from osm.lib.locking import guarded_update
from scorecard.models import Indicator


def indicator_create(*, objective: Any, **fields: Any) -> Indicator:
    indicator = Indicator(objective=objective, cluster_id=objective.plan.cluster_id, **fields)
    indicator.full_clean()
    indicator.save()
    events.publish(
        events.INDICATOR_CHANGED, cluster_id=indicator.cluster_id, indicator_id=indicator.pk
    )
    return indicator


def indicator_update(
    *, indicator: Indicator, lock_version: int | None = None, **fields: Any
) -> Indicator:
    """Change the definition; `lock_version` is the version the person read (a stale form
    raises StaleVersion with the newer indicator). Nothing changed: nothing is written."""
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    if not guarded_update(indicator, expected=lock_version, fields=fields):
        return indicator
    events.publish(
        events.INDICATOR_CHANGED, cluster_id=indicator.cluster_id, indicator_id=indicator.pk
    )
    return indicator
