"""The annual action plan (แผนปฏิบัติราชการประจำปีของกลุ่มจังหวัด), its projects and milestones."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osm import audit
from osm.lib.approvals import ApprovalRecord
from osm.models import BilingualNameMixin

ZERO = Decimal("0.00")


@audit.track
class ActionPlan(ApprovalRecord):
    """One cluster's annual action plan for one fiscal year: the ranked proposals, the budget
    ceiling they are measured against, and the committee's approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    cluster = models.ForeignKey(
        "osm.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    # กรอบวงเงิน: the ceiling notified for the cluster in this fiscal year.
    ceiling = models.DecimalField(
        _("budget ceiling (baht)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["cluster_id", "-fiscal_year"]
        verbose_name = _("annual action plan")
        verbose_name_plural = _("annual action plans")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "fiscal_year"], name="projects_actionplan_year_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year__gte=2500, fiscal_year__lte=2700),
                name="projects_actionplan_year_be",
            ),
            models.CheckConstraint(
                condition=models.Q(ceiling__isnull=True) | models.Q(ceiling__gte=0),
                name="projects_actionplan_ceiling_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id}/{self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("projects:action-plan", args=[self.cluster_id]) + f"?year={self.fiscal_year}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


@audit.track
class Project(BilingualNameMixin, models.Model):
    """โครงการ: one project of a cluster's fiscal year, from proposal to completion."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        CLUSTER = "cluster", _("Cluster budget")
        PROVINCE = "province", _("Province budget")
        OTHER = "other", _("Other source")

    class Frame(models.TextChoices):
        WITHIN = "within", _("Within the budget ceiling")
        OVER = "over", _("Over the budget ceiling")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    cluster = models.ForeignKey(
        "osm.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="projects"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    code = models.CharField(_("project code"), max_length=30)
    name_th = models.CharField(_("project name (Thai)"), max_length=400)
    name_en = models.CharField(_("project name (English)"), max_length=400, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    objective = models.ForeignKey(
        "strategy.Objective",
        verbose_name=_("objective"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    indicators = models.ManyToManyField(
        "scorecard.Indicator",
        verbose_name=_("indicators it is expected to move"),
        blank=True,
        related_name="projects",
    )
    provinces: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "osm.Province",
        verbose_name=_("provinces where it runs"),
        through="ProjectProvince",
        blank=True,
        related_name="projects",
    )
    agency = models.ForeignKey(
        "osm.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    responsible_person = models.CharField(_("person responsible"), max_length=200, blank=True)
    # The officer who reports on it and hears its early warnings.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer (user)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_projects",
    )
    source = models.CharField(
        _("budget source"), max_length=10, choices=Source, default=Source.CLUSTER
    )
    frame = models.CharField(_("budget ceiling"), max_length=8, choices=Frame, default=Frame.WITHIN)
    rank = models.PositiveIntegerField(_("rank"), default=0)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.MEDIUM
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PROPOSED)
    requested = models.DecimalField(
        _("requested budget (baht)"), max_digits=14, decimal_places=2, default=ZERO
    )
    allocated = models.DecimalField(
        _("allocated budget (baht)"), max_digits=14, decimal_places=2, default=ZERO
    )
    # Money stages as agencies track them; remaining is computed, never stored.
    after_transfers = models.DecimalField(
        _("budget after transfers (baht)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    committed = models.DecimalField(
        _("committed: contract / PO (baht)"), max_digits=14, decimal_places=2, default=ZERO
    )
    # From the latest approved progress report (kept on the row so roll-ups are aggregates).
    disbursed = models.DecimalField(
        _("disbursed (baht)"), max_digits=14, decimal_places=2, default=ZERO, editable=False
    )
    physical_pct = models.DecimalField(
        _("physical progress (%)"), max_digits=5, decimal_places=2, default=ZERO, editable=False
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    emenscr_id = models.CharField(_("eMENSCR project ID"), max_length=60, blank=True)
    # When a plan review drops the objective, staff choose before the approval: move to an
    # objective of the new version, or keep it on the dropped one as history.
    planned_objective = models.ForeignKey(
        "strategy.Objective",
        verbose_name=_("moves to objective on approval"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    planned_retirement = models.BooleanField(
        _("stays on the dropped objective"), default=False, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["cluster_id", "-fiscal_year", "rank", "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "fiscal_year", "code"], name="projects_project_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year__gte=2500, fiscal_year__lte=2700),
                name="projects_project_year_be",
            ),
            models.CheckConstraint(
                condition=models.Q(requested__gte=0, allocated__gte=0, committed__gte=0)
                & (models.Q(after_transfers__isnull=True) | models.Q(after_transfers__gte=0)),
                name="projects_project_money_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(disbursed__gte=0),
                name="projects_project_disbursed_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(physical_pct__gte=0, physical_pct__lte=100),
                name="projects_project_physical_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="projects_project_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["cluster", "fiscal_year", "status"], name="projects_year_idx"),
            models.Index(fields=["objective"], name="projects_objective_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def budget(self) -> Decimal:
        """The money the project works with: after transfers when recorded, else allocated."""
        return self.after_transfers if self.after_transfers is not None else self.allocated

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.disbursed

    @property
    def uncommitted(self) -> Decimal:
        return self.budget - self.committed


@audit.track
class ProjectProvince(models.Model):
    """A province where a project runs."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="runs_in"
    )
    province = models.ForeignKey(
        "osm.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["project_id", "province_id"]
        verbose_name = _("province of a project")
        verbose_name_plural = _("provinces of projects")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "province"], name="projects_projectprovince_unique"
            )
        ]
        indexes = [models.Index(fields=["province", "project"], name="projects_province_idx")]

    def __str__(self) -> str:
        return f"{self.project_id} @ {self.province_id}"


@audit.track
class Milestone(models.Model):
    """A step of a project with its weight in the physical progress, planned and actual."""

    class Kind(models.TextChoices):
        WORK = "work", _("Work step")
        TOR = "tor", _("Terms of reference drafted")
        PROCUREMENT = "procurement", _("Procurement announced")
        CONTRACT_SIGNED = "contract_signed", _("Contract signed")
        DELIVERY = "delivery", _("Delivery and inspection")
        CLOSED = "closed", _("Project closed")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("milestone"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.WORK)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2, default=ZERO)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["project_id", "order", "planned_date"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=100),
                name="projects_milestone_weight_0_100",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_done(self) -> bool:
        return self.actual_date is not None
