"""Money over time: each project's quarterly disbursement plan, the government's quarterly
disbursement targets, and the thresholds a cluster sets for its early warnings."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from osm import audit

QUARTERS = [(q, str(q)) for q in (1, 2, 3, 4)]


@audit.track
class DisbursementPlan(models.Model):
    """แผนการเบิกจ่าย: the amount a project plans to disburse in one quarter of its year."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="disbursement_plans",
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    amount = models.DecimalField(_("planned disbursement (baht)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["project_id", "quarter"]
        verbose_name = _("disbursement plan")
        verbose_name_plural = _("disbursement plans")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "quarter"], name="projects_disbursementplan_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="projects_disbursementplan_quarter_1_4",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="projects_disbursementplan_amount_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} Q{self.quarter}: {self.amount}"


@audit.track
class GovernmentDisbursementTarget(models.Model):
    """เป้าหมายการเบิกจ่าย: the share of the budget the government expects disbursed by the end
    of a quarter (cumulative), as set each year by cabinet resolution or CGD circular."""

    class Category(models.TextChoices):
        OVERALL = "overall", _("Overall")
        RECURRENT = "recurrent", _("Recurrent expenditure")
        INVESTMENT = "investment", _("Investment expenditure")

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    category = models.CharField(
        _("category"), max_length=10, choices=Category, default=Category.OVERALL
    )
    pct = models.DecimalField(_("cumulative target (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)
    approved_on = models.DateField(_("set on"), null=True, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "category", "quarter"]
        verbose_name = _("government disbursement target")
        verbose_name_plural = _("government disbursement targets")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "quarter", "category"], name="projects_govtarget_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(pct__gte=0, pct__lte=100), name="projects_govtarget_pct_0_100"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="projects_govtarget_quarter_1_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} Q{self.quarter} {self.category}: {self.pct}%"


@audit.track
class ProjectSettings(models.Model):
    """A cluster's thresholds for project early warnings, set by its OSM staff."""

    cluster = models.OneToOneField(
        "osm.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.CASCADE,
        related_name="project_settings",
    )
    disbursement_lag_pct = models.DecimalField(
        _("warn when disbursement is behind plan by more than (percentage points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
    )
    progress_lag_pct = models.DecimalField(
        _("warn when physical progress is behind plan by more than (percentage points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
    )

    class Meta:
        verbose_name = _("project warning settings")
        verbose_name_plural = _("project warning settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disbursement_lag_pct__gte=0, disbursement_lag_pct__lte=100)
                & models.Q(progress_lag_pct__gte=0, progress_lag_pct__lte=100),
                name="projects_settings_thresholds_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id}: {self.disbursement_lag_pct}/{self.progress_lag_pct}"
