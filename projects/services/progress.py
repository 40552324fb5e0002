"""Quarterly progress reports on the core review workflow: save, submit, review, reopen."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osm import events
from osm.lib.workflow import ReviewStatus, check_transition, save_guarded, transition
from osm.models import Notification
from projects.models import ProgressEvidence, ProgressReport, Project
from projects.services.projects import money

REPORTABLE = frozenset({Project.Status.APPROVED, Project.Status.IN_PROGRESS})


def _check_values(
    project: Project, quarter: int, physical_pct: Decimal, disbursed_to_date: Decimal
) -> Decimal:
    errors: dict[str, list[str]] = {}
    if not Decimal(0) <= physical_pct <= Decimal(100):
        errors.setdefault("physical_pct", []).append(_("A percentage lies between 0 and 100."))
    try:
        disbursed = money(disbursed_to_date)
    except ValidationError as err:
        raise ValidationError({"disbursed_to_date": err.messages}) from None
    if disbursed < 0:
        errors.setdefault("disbursed_to_date", []).append(_("An amount cannot be negative."))
    elif disbursed > project.budget:
        errors.setdefault("disbursed_to_date", []).append(
            _("More than the project's budget of %(budget)s baht.")
            % {"budget": f"{project.budget:,.2f}"}
        )
    # Figures to date never fall below an earlier quarter's report.
    earlier = (
        ProgressReport.objects.filter(project=project, quarter__lt=quarter)
        .order_by("-quarter")
        .values("quarter", "physical_pct", "disbursed_to_date")
        .first()
    )
    if earlier is not None:
        if physical_pct < earlier["physical_pct"]:
            errors.setdefault("physical_pct", []).append(
                _("Lower than the %(pct)s%% reported for quarter %(q)s; progress is to date.")
                % {"pct": earlier["physical_pct"], "q": earlier["quarter"]}
            )
        if disbursed < earlier["disbursed_to_date"]:
            errors.setdefault("disbursed_to_date", []).append(
                _(
                    "Lower than the %(amount)s baht reported for quarter %(q)s; the amount is to date."
                )
                % {"amount": f"{earlier['disbursed_to_date']:,.2f}", "q": earlier["quarter"]}
            )
    if errors:
        raise ValidationError(errors)
    return disbursed


@transaction.atomic
def report_save(
    *,
    project: Project,
    quarter: int,
    by: Any,
    expected_version: int | None,
    physical_pct: Decimal,
    disbursed_to_date: Decimal,
    obstacles: str = "",
    help_needed: str = "",
    submit: bool = False,
) -> ProgressReport:
    """Save (and optionally submit) the quarter's report, creating it on first save.

    `expected_version` is the version the person read (None when the report did not exist
    then); a concurrent save raises `StaleVersion` and writes nothing."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("A fiscal year has quarters 1 to 4."))
    if project.status not in REPORTABLE:
        raise ValidationError(
            _("Progress is reported for approved projects; this one is %(status)s.")
            % {"status": Project.Status(project.status).label}
        )
    disbursed = _check_values(project, quarter, physical_pct, disbursed_to_date)
    fields: dict[str, Any] = {
        "physical_pct": physical_pct,
        "disbursed_to_date": disbursed,
        "obstacles": obstacles.strip(),
        "help_needed": help_needed.strip(),
        "updated_at": timezone.now(),
    }
    report = ProgressReport.objects.filter(project=project, quarter=quarter).first()
    if report is None:
        if expected_version not in (None, 0):
            raise ValidationError(_("The report was deleted in the meantime."))
        report = ProgressReport.objects.create(project=project, quarter=quarter, **fields)
        expected_version = report.version
    else:
        if expected_version is None:
            from osm.lib.workflow import StaleVersion

            raise StaleVersion(report)
        if not report.is_editable:
            raise ValidationError(
                _("This report is %(status)s and cannot be changed.")
                % {"status": report.get_status_display()}
            )
        save_guarded(report, expected_version=expected_version, fields=fields)
        expected_version = report.version
    if submit:
        check_transition(report, ReviewStatus.SUBMITTED)
        transition(report, to=ReviewStatus.SUBMITTED, by=by, expected_version=expected_version)
    _published(report)
    return report


def _published(report: ProgressReport) -> None:
    events.publish(
        events.PROGRESS_SAVED,
        cluster_id=report.project.cluster_id,
        project_id=report.project_id,
        report_id=report.pk,
        status=report.status,
    )


def refresh_project_progress(project: Project) -> Project:
    """The project's physical progress and money disbursed are those of its latest approved
    report (zero before the first). Starting to report moves it into progress."""
    latest = (
        ProgressReport.objects.filter(project=project, status=ReviewStatus.APPROVED)
        .order_by("-quarter")
        .values("physical_pct", "disbursed_to_date")
        .first()
    )
    fields: dict[str, Any] = {
        "physical_pct": latest["physical_pct"] if latest else Decimal(0),
        "disbursed": latest["disbursed_to_date"] if latest else Decimal(0),
    }
    if latest and project.status == Project.Status.APPROVED:
        fields["status"] = Project.Status.IN_PROGRESS
    Project.objects.filter(pk=project.pk).update(**fields)
    for name, value in fields.items():
        setattr(project, name, value)
    return project


@transaction.atomic
def report_review(
    *, report: ProgressReport, by: Any, expected_version: int, approve: bool, reason: str = ""
) -> ProgressReport:
    """Approve a submitted report (it is then locked and counts) or return it with a reason."""
    to = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
    transition(
        report,
        to=to,
        by=by,
        expected_version=expected_version,
        reason=reason,
        extra={"updated_at": timezone.now()},
    )
    if approve:
        refresh_project_progress(report.project)
    elif report.submitted_by is not None:
        _notify_returned(report, report.submitted_by)
    _published(report)
    return report


def _notify_returned(report: ProgressReport, submitter: Any) -> None:
    from osm.notifications import notify

    project = report.project
    notify(
        user=submitter,
        key=f"projects:report:{report.pk}:returned:{report.version}",
        # Built in the submitter's language (osm.notifications).
        title=lambda: (
            _("Progress report returned: %(code)s %(name)s")
            % {"code": project.code, "name": project.name}
        ),
        body=report.review_note,
        url=report.get_absolute_url(),
        level=Notification.Level.WARNING,
    )


@transaction.atomic
def report_reopen(
    *, report: ProgressReport, by: Any, expected_version: int, reason: str
) -> ProgressReport:
    """Unlock an approved report for correction (audited, with the reason)."""
    transition(
        report,
        to=ReviewStatus.DRAFT,
        by=by,
        expected_version=expected_version,
        reason=reason,
        extra={"updated_at": timezone.now()},
    )
    refresh_project_progress(report.project)
    _published(report)
    return report


def evidence_add(*, report: ProgressReport, by: Any, upload: UploadedFile) -> ProgressEvidence:
    """Keep an evidence file, checked by kind, content and size as result evidence is."""
    from scorecard.services import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES

    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "evidence": _(
                    "Only PDF, JPEG, PNG, Excel (.xlsx) and Word (.docx) files are accepted."
                )
            }
        )
    if upload.size is None or upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": _("An evidence file may be at most 10 MB.")})
    head = upload.read(8)
    upload.seek(0)
    signatures = {".pdf": b"%PDF", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
    signatures |= {".png": b"\x89PNG", ".xlsx": b"PK\x03\x04", ".docx": b"PK\x03\x04"}
    if not head.startswith(signatures[suffix]):
        raise ValidationError({"evidence": _("The file's content does not match its type.")})
    if not report.is_editable:
        raise ValidationError({"evidence": _("The report is locked; files cannot be added.")})
    return ProgressEvidence.objects.create(
        report=report,
        file=upload,
        original_name=Path(upload.name or "file").name[:255],
        content_type=EVIDENCE_TYPES[suffix],
        size=upload.size,
        uploaded_by=by,
    )
