"""The choices an indicator is defined by (kept apart so that models.py stays short)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


class Accumulation(models.TextChoices):
    CUMULATIVE = "cumulative", _("Quarterly values add up over the year")
    POINT = "point", _("Each value stands alone")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum of provinces")
    MEAN = "mean", _("Mean of provinces")
    WEIGHTED_MEAN = "weighted_mean", _("Weighted mean of provinces")
    MIN = "min", _("Lowest province")
    MAX = "max", _("Highest province")
    NONE = "none", _("Not combinable")


class Entry(models.TextChoices):
    """What officers type for a cumulative indicator."""

    QUARTER = "quarter", _("The quarter's own amount")
    YEAR_TO_DATE = "year_to_date", _("The total from the start of the fiscal year")


class CascadeRule(models.TextChoices):
    EXACT = "exact", _("Province targets combine exactly to the cluster target")
    AT_LEAST = (
        "at_least",
        _("Province commitments may go beyond the cluster target in the indicator's direction"),
    )


class Status(models.TextChoices):
    """How an indicator stands against its target."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")


# The longest note, explanation or corrective action of a result: the entry form, the round
# workbook's check and its import use this one limit.
RESULT_TEXT_MAX = 2000
