"""What the cluster's OSM staff decided to do about an indicator off track in a round: a
short note per indicator and period (imported into scorecard.models). The early warning
"off track round after round" (scorecard/alerts_repeated.py) holds until one is recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osm import audit
from osm.lib.dates import FiscalQuarter

NOTE_MAX = 1000


@audit.track
class CorrectiveAction(models.Model):
    indicator = models.ForeignKey(
        "scorecard.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="corrective_actions",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    text = models.TextField(_("corrective action"), max_length=NOTE_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["indicator_id", "-fiscal_year", "-quarter"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year", "quarter"],
                name="scorecard_correctiveaction_period_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="scorecard_correctiveaction_quarter_1_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} Q{self.quarter}/{self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("scorecard:indicator-detail", args=[self.indicator_id]) + "#corrective"

    @property
    def period(self) -> FiscalQuarter:
        return FiscalQuarter(self.fiscal_year, self.quarter)
