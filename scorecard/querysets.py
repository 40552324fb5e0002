"""Query sets of the scorecard's models and the due-quarter filter (kept apart so that
models.py stays short)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from osm.lib.workflow import ReviewStatus
from scorecard.choices import Frequency

if TYPE_CHECKING:
    from scorecard.models import Indicator, Result  # noqa: F401  # named in the generics


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def current(self) -> IndicatorQuerySet:
        """Indicators of the approved plan versions that are not retired: what the
        dashboards show. Indicators on a draft's or an archived version's objectives, and
        retired ones, stay in history only."""
        return self.filter(retired_at__isnull=True, objective__plan__status="approved")


def due_quarters_q(quarter: int, prefix: str = "") -> models.Q:
    """Indicators due in `quarter`, as a filter (the database twin of Indicator.is_due)."""
    freq = f"{prefix}frequency"
    allowed = [Frequency.QUARTERLY]
    if quarter in (2, 4):
        allowed.append(Frequency.HALF_YEARLY)
    if quarter == 4:
        allowed.append(Frequency.YEARLY)
    return models.Q(**{f"{freq}__in": allowed})


class ResultQuerySet(models.QuerySet["Result"]):
    def approved(self) -> ResultQuerySet:
        return self.filter(status=ReviewStatus.APPROVED)

    def for_period(self, fiscal_year: int, quarter: int) -> ResultQuerySet:
        return self.filter(fiscal_year=fiscal_year, quarter=quarter)
