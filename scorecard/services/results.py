"""Results: save and submit, review, reopen, the value each quarter is judged on, and
evidence files."""

from __future__ import annotations

from dataclasses import dataclass
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
from scorecard import rules
from scorecard.models import (
    Evidence,
    Indicator,
    Result,
    Status,
    Target,
)
from scorecard.notices import result_submitted_notify
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


@dataclass(frozen=True)
class RunningTotal:
    """What a cumulative value amounts to: the total to date, the quarter's own amount, the
    earlier quarters' approved total, and the earlier due quarters it leaves out."""

    to_date: Decimal | None
    quarter_amount: Decimal | None
    earlier: Decimal | None
    missing: str


def running_total(result: Result, value: Decimal | None) -> RunningTotal | None:
    """For a cumulative indicator, the value as entered seen both ways (a quarter's amount
    or a year-to-date total); None for point indicators. One query."""
    indicator = result.indicator
    if not indicator.is_cumulative:
        return None
    rows = {
        r.quarter: rules.QuarterRow(r.status == ReviewStatus.APPROVED, r.reporting, r.value)
        for r in Result.objects.filter(
            indicator_id=result.indicator_id,
            # None matches the cluster's own row (IS NULL); the stubs do not know that.
            province_id=result.province_id,  # type: ignore[misc]
            fiscal_year=result.fiscal_year,
            quarter__lt=result.quarter,
        )
    }
    reported = value is not None
    rows[result.quarter] = rules.QuarterRow(
        True, Result.Reporting.REPORTED if reported else "", value
    )
    computed = rules.period_values(
        cumulative=True,
        year_to_date=indicator.enters_year_to_date,
        due=indicator.is_due,
        rows=rows,
    )
    if indicator.enters_year_to_date:
        previous: Decimal | None = (
            computed.get(result.quarter - 1, (None, ""))[0] if result.quarter > 1 else Decimal(0)
        )
        amount = value - previous if value is not None and previous is not None else None
        earlier = None if result.quarter > 1 and previous is None else previous
        return RunningTotal(value, amount, earlier, "")
    to_date, missing = computed[result.quarter]
    earlier_total = sum(
        (
            r.value or Decimal(0)
            for q, r in rows.items()
            if q < result.quarter and r.approved and r.reporting == Result.Reporting.REPORTED
        ),
        Decimal(0),
    )
    if to_date is None:
        # Nothing typed yet: what the earlier quarters add up to, and what they leave out.
        missing = "".join(
            str(q)
            for q in range(1, result.quarter)
            if indicator.is_due(q)
            and not (
                q in rows
                and rows[q].approved
                and rows[q].reporting != Result.Reporting.NOT_REPORTED
            )
        )
    return RunningTotal(to_date, value, earlier_total, missing)


def result_status(result: Result, *, reporting: str, value: Decimal | None) -> Status:
    """How this value would stand against the province's target. For cumulative
    indicators the value to date is judged (the approved earlier quarters added, when
    officers enter each quarter's amount)."""
    if reporting != Result.Reporting.REPORTED or value is None:
        return Status.NO_DATA
    total = running_total(result, value)
    to_date = total.to_date if total is not None else value
    return classify_for(result.indicator, to_date, province_target_value(result), result.quarter)


def check_result_values(
    *,
    result: Result,
    reporting: str,
    value: Decimal | None,
    explanation: str,
    corrective_action: str,
    submitting: bool,
    not_reported_reason: str = "",
) -> Status | None:
    """Field-keyed errors for what may not be saved (or submitted); returns the status a
    submitted value would have."""
    errors: dict[str, str] = {}
    if reporting == Result.Reporting.REPORTED and value is None:
        errors["value"] = _("Enter the value, or choose not reported or not applicable.")
    if reporting != Result.Reporting.REPORTED and value is not None:
        errors["value"] = _("Leave the value empty when it is not reported or not applicable.")
    if (
        submitting
        and reporting == Result.Reporting.NOT_REPORTED
        and not not_reported_reason.strip()
    ):
        errors["not_reported_reason"] = _(
            "Say why there is no value (for example, the source has not published it yet)."
        )
    places = result.indicator.decimal_places
    if value is not None and value != value.quantize(Decimal(1).scaleb(-places)):
        errors["value"] = _("This indicator takes at most %(places)s decimal places.") % {
            "places": places
        }
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
    not_reported_reason: str = "",
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
            not_reported_reason=not_reported_reason,
        )
    except ValidationError as err:
        errors.update(err.message_dict)
    if errors:
        raise ValidationError(errors)
    keep_reason = reporting == Result.Reporting.NOT_REPORTED
    fields: dict[str, Any] = {
        "reporting": reporting,
        "value": value,
        "not_reported_reason": not_reported_reason.strip() if keep_reason else "",
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
        result_submitted_notify(result)
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
    """Approve a submitted result (it is then locked) or return it with a reason.

    Four eyes: a cluster-level value (entered by OSM staff) is approved by someone other
    than the person who entered it."""
    if (
        approve
        and result.province_id is None
        and result.submitted_by_id is not None
        and by is not None
        and result.submitted_by_id == by.pk
    ):
        raise ValidationError(
            _(
                "You entered this cluster-level value yourself: another member of the "
                "cluster's staff must approve it."
            )
        )
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

    indicator = result.indicator
    notify(
        user=submitter,
        key=f"scorecard:result:{result.pk}:returned:{result.version}",
        # Built in the submitter's language (osm.notifications).
        title=lambda: (
            _("Returned for correction: %(code)s %(name)s")
            % {"code": indicator.code, "name": indicator.name}
        ),
        body=result.review_note,
        url=result.get_absolute_url(),
        level=Notification.Level.RETURNED,
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
    """Recompute the value each quarter is judged on, and the earlier quarters it leaves
    out, for one province and year (see `rules.period_values`)."""
    rows = list(
        Result.objects.filter(
            indicator=indicator,
            province_id=province_id,  # type: ignore[misc]  # None: the cluster's own row
            fiscal_year=fiscal_year,
        ).order_by("quarter")
    )
    computed = rules.period_values(
        cumulative=indicator.is_cumulative,
        year_to_date=indicator.enters_year_to_date,
        due=indicator.is_due,
        rows={
            r.quarter: rules.QuarterRow(r.status == ReviewStatus.APPROVED, r.reporting, r.value)
            for r in rows
        },
    )
    for row in rows:
        new, missing = computed[row.quarter]
        if row.period_value != new or row.missing_quarters != missing:
            Result.objects.filter(pk=row.pk).update(period_value=new, missing_quarters=missing)
            row.period_value, row.missing_quarters = new, missing


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


def evidence_delete(*, evidence: Evidence, by: Any) -> None:
    """The person who uploaded an evidence file removes it while its result is not yet
    approved; the stored file goes once the deletion is committed."""
    result = evidence.result
    if evidence.uploaded_by_id is None or by is None or evidence.uploaded_by_id != by.pk:
        raise ValidationError(_("Only the person who uploaded an evidence file can remove it."))
    if result.status == ReviewStatus.APPROVED:
        raise ValidationError(_("The result is approved: its evidence can no longer be removed."))
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    _published(events.RESULT_SAVED, result)
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def results_approve_many(
    *, results: list[Result], by: Any, versions: dict[int, int]
) -> tuple[list[Result], list[str]]:
    """Approve a selection of submitted results at once: each on its own (one refused —
    changed meanwhile, or entered by the approver — does not stop the others). Returns the
    approved results and a message for each one refused."""
    approved: list[Result] = []
    refused: list[str] = []
    for result in results:
        where = result.province.name_th if result.province is not None else _("cluster level")
        try:
            with transaction.atomic():
                result_review(
                    result=result, by=by, expected_version=versions[result.pk], approve=True
                )
        except ValidationError as err:
            refused.append(f"{result.indicator.code} {where}: {' '.join(err.messages)}")
        else:
            approved.append(result)
    return approved, refused
