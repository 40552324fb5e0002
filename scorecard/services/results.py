"""Results: save and submit, review, reopen, the value each quarter is judged on, and
evidence files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from osm import events
from osm.lib.workflow import ReviewStatus, check_transition, save_guarded, transition
from osm.models import Notification
from scorecard.models import (
    Evidence,
    Indicator,
    Result,
    Status,
    Target,
)
from scorecard.status import classify_for

# What a province may upload as evidence, by extension, with the types browsers send.
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


# Magic numbers: the first bytes of each kind, so a renamed executable is refused.
_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
}


def province_target_value(result: Result) -> Decimal | None:
    if result.province_id is None:
        target = Target.objects.filter(
            indicator_id=result.indicator_id, fiscal_year=result.fiscal_year
        ).first()
        return target.value if target else None
    pt = result.province_target
    return pt.value if pt is not None else None


def result_status(result: Result, *, reporting: str, value: Decimal | None) -> Status:
    """How this value would stand against the province's target. For cumulative
    indicators the approved values of the year's earlier quarters are added first."""
    if reporting != Result.Reporting.REPORTED or value is None:
        return Status.NO_DATA
    to_date = value
    if result.indicator.is_cumulative and result.quarter > 1:
        earlier = Result.objects.filter(
            indicator_id=result.indicator_id,
            # None matches the cluster's own row (IS NULL); the stubs do not know that.
            province_id=result.province_id,  # type: ignore[misc]
            fiscal_year=result.fiscal_year,
            quarter__lt=result.quarter,
            status=ReviewStatus.APPROVED,
            reporting=Result.Reporting.REPORTED,
        ).aggregate(total=Sum("value"))["total"]
        to_date += earlier or 0
    return classify_for(result.indicator, to_date, province_target_value(result), result.quarter)


def check_result_values(
    *,
    result: Result,
    reporting: str,
    value: Decimal | None,
    explanation: str,
    corrective_action: str,
    submitting: bool,
) -> Status | None:
    """Field-keyed errors for what may not be saved (or submitted); returns the status a
    submitted value would have."""
    errors: dict[str, str] = {}
    if reporting == Result.Reporting.REPORTED and value is None:
        errors["value"] = _("Enter the value, or choose not reported or not applicable.")
    if reporting != Result.Reporting.REPORTED and value is not None:
        errors["value"] = _("Leave the value empty when it is not reported or not applicable.")
    if submitting and reporting == Result.Reporting.NOT_REPORTED:
        errors["reporting"] = _(
            "A result marked not reported cannot be submitted; save it as a draft or mark it not applicable with a note."
        )
    # Only a submission is judged (a query for cumulative indicators; uploads save drafts).
    status = result_status(result, reporting=reporting, value=value) if submitting else None
    if submitting and status in (Status.AT_RISK, Status.OFF_TRACK):
        if not explanation.strip():
            errors["explanation"] = _(
                "This value is %(status)s: explain why before submitting."
            ) % {"status": status.label}
        if not corrective_action.strip():
            errors["corrective_action"] = _("Say what will be done to get back on track.")
    if errors:
        raise ValidationError(errors)
    return status


@transaction.atomic
def result_save(
    *,
    result: Result,
    by: Any,
    expected_version: int,
    reporting: str,
    value: Decimal | None,
    note: str = "",
    explanation: str = "",
    corrective_action: str = "",
    submit: bool = False,
    evidence: UploadedFile | None = None,
) -> Result:
    """Save a province's result as a draft, or submit it, with an evidence file if given:
    both or neither. Guarded by the version the person read: a concurrent save raises
    `StaleVersion` and writes nothing. Problems with the values and with the file are
    reported together."""
    if result.round is not None and not result.round.is_open:
        raise ValidationError(_("The reporting round is closed."))
    if not result.is_editable:
        raise ValidationError(
            _("This result is %(status)s and cannot be changed.")
            % {"status": result.get_status_display()}
        )
    errors: dict[str, list[str]] = {}
    if evidence is not None:
        try:
            _evidence_suffix(evidence)
        except ValidationError as err:
            errors.update(err.message_dict)
    try:
        check_result_values(
            result=result,
            reporting=reporting,
            value=value,
            explanation=explanation,
            corrective_action=corrective_action,
            submitting=submit,
        )
    except ValidationError as err:
        errors.update(err.message_dict)
    if errors:
        raise ValidationError(errors)
    fields: dict[str, Any] = {
        "reporting": reporting,
        "value": value,
        "note": note.strip(),
        "explanation": explanation.strip(),
        "corrective_action": corrective_action.strip(),
        "updated_at": timezone.now(),
    }
    if not submit:
        save_guarded(result, expected_version=expected_version, fields=fields)
    else:
        check_transition(result, ReviewStatus.SUBMITTED)
        if result.first_submitted_at is None:
            fields["first_submitted_at"] = timezone.now()
        transition(
            result,
            to=ReviewStatus.SUBMITTED,
            by=by,
            expected_version=expected_version,
            extra=fields,
        )
    if evidence is not None:
        evidence_add(result=result, by=by, upload=evidence)
    _published(events.RESULT_SAVED, result)
    return result


def _published(name: str, result: Result) -> None:
    events.publish(
        name,
        cluster_id=result.indicator.cluster_id,
        result_id=result.pk,
        status=result.status,
    )


@transaction.atomic
def result_review(
    *, result: Result, by: Any, expected_version: int, approve: bool, reason: str = ""
) -> Result:
    """Approve a submitted result (it is then locked) or return it with a reason."""
    to = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
    transition(
        result,
        to=to,
        by=by,
        expected_version=expected_version,
        reason=reason,
        extra={"updated_at": timezone.now()},
    )
    if approve:
        refresh_period_values(result.indicator, result.province_id, result.fiscal_year)
    elif result.submitted_by is not None:
        _notify_returned(result, result.submitted_by)
    _published(events.RESULT_APPROVED if approve else events.RESULT_SAVED, result)
    return result


def _notify_returned(result: Result, submitter: Any) -> None:
    """Tell the person who submitted that their value came back, and why."""
    from osm.notifications import notify

    with translation.override("th"):
        title = _("Returned for correction: %(code)s %(name)s") % {
            "code": result.indicator.code,
            "name": result.indicator.name_th,
        }
        notify(
            user=submitter,
            key=f"scorecard:result:{result.pk}:returned:{result.version}",
            title=title,
            body=result.review_note,
            url=result.get_absolute_url(),
            level=Notification.Level.WARNING,
        )


@transaction.atomic
def result_reopen(*, result: Result, by: Any, expected_version: int, reason: str) -> Result:
    """Unlock an approved result so it can be corrected (audited, with the reason)."""
    transition(
        result,
        to=ReviewStatus.DRAFT,
        by=by,
        expected_version=expected_version,
        reason=reason,
        extra={"updated_at": timezone.now()},
    )
    refresh_period_values(result.indicator, result.province_id, result.fiscal_year)
    _published(events.RESULT_SAVED, result)
    return result


def refresh_period_values(indicator: Indicator, province_id: int | None, fiscal_year: int) -> None:
    """Recompute the value each quarter is judged on, for one province and year.

    Only approved, reported values count. A point value is the quarter's own; a cumulative
    one adds the approved quarters so far, and is unknown (not zero) while an earlier due
    quarter is missing — "not reported" is never counted as zero; "not applicable" is skipped.
    """
    rows = list(
        Result.objects.filter(
            indicator=indicator,
            province_id=province_id,  # type: ignore[misc]  # None: the cluster's own row
            fiscal_year=fiscal_year,
        ).order_by("quarter")
    )
    by_quarter = {r.quarter: r for r in rows}
    running: Decimal | None = Decimal(0)
    for quarter in (1, 2, 3, 4):
        row = by_quarter.get(quarter)
        counted = (
            row is not None
            and row.status == ReviewStatus.APPROVED
            and row.reporting == Result.Reporting.REPORTED
        )
        skipped = (
            row is not None
            and row.status == ReviewStatus.APPROVED
            and row.reporting == Result.Reporting.NOT_APPLICABLE
        )
        if indicator.is_cumulative:
            if counted and running is not None:
                running += row.value  # type: ignore[operator, union-attr]
            elif not skipped and indicator.is_due(quarter):
                running = None
            new = running if counted else None
        else:
            new = row.value if counted else None  # type: ignore[union-attr]
        if row is not None and row.period_value != new:
            Result.objects.filter(pk=row.pk).update(period_value=new)
            row.period_value = new


def _evidence_suffix(upload: UploadedFile) -> str:
    """The file's kind (its extension) once its name, content and size are acceptable."""
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
    if not head.startswith(_SIGNATURES[suffix]):
        raise ValidationError({"evidence": _("The file's content does not match its type.")})
    return suffix


def evidence_add(*, result: Result, by: Any, upload: UploadedFile) -> Evidence:
    """Keep an evidence file after checking its kind (by name and by content) and size."""
    suffix = _evidence_suffix(upload)
    assert upload.size is not None  # a file of unknown size is refused above
    return Evidence.objects.create(
        result=result,
        file=upload,
        original_name=Path(upload.name or "file").name[:255],
        content_type=EVIDENCE_TYPES[suffix],
        size=upload.size,
        uploaded_by=by,
    )
