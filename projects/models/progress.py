"""Quarterly progress reports of projects, on the core review workflow."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osm import audit
from osm.lib.dates import FiscalQuarter
from osm.lib.workflow import ReviewableMixin
from scorecard.models import evidence_storage


@audit.track
class ProgressReport(ReviewableMixin, models.Model):
    """A project's progress at the end of one quarter of its fiscal year: physical progress
    and money disbursed to date, what stands in the way and what help is needed."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, str(q)) for q in (1, 2, 3, 4)]
    )
    physical_pct = models.DecimalField(
        _("physical progress to date (%)"), max_digits=5, decimal_places=2
    )
    disbursed_to_date = models.DecimalField(
        _("amount disbursed to date (baht)"), max_digits=14, decimal_places=2
    )
    obstacles = models.TextField(_("obstacles"), blank=True)
    help_needed = models.TextField(_("help needed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["project_id", "quarter"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "quarter"], name="projects_progressreport_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="projects_progressreport_quarter_1_4",
            ),
            models.CheckConstraint(
                condition=models.Q(physical_pct__gte=0, physical_pct__lte=100),
                name="projects_progressreport_physical_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(disbursed_to_date__gte=0),
                name="projects_progressreport_disbursed_gte_0",
            ),
        ]
        indexes = [models.Index(fields=["status", "quarter"], name="projects_report_status_idx")]

    def __str__(self) -> str:
        return f"{self.project_id} Q{self.quarter}"

    def get_absolute_url(self) -> str:
        return reverse("projects:report", args=[self.project_id, self.quarter])


def progress_evidence_path(instance: ProgressEvidence, filename: str) -> str:
    # The stored name never reuses what the uploader called the file.
    suffix = Path(filename).suffix.lower()[:10]
    return f"project-evidence/{instance.report.project_id}/{uuid.uuid4().hex}{suffix}"


@audit.track
class ProgressEvidence(models.Model):
    """A file attached to a progress report, kept in private storage like result evidence."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=progress_evidence_path, storage=evidence_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["report_id", "uploaded_at"]
        verbose_name = _("progress evidence file")
        verbose_name_plural = _("progress evidence files")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("projects:evidence-download", args=[self.pk])


def period_of(project_year: int, quarter: int) -> FiscalQuarter:
    return FiscalQuarter(project_year, quarter)
