"""Writes for indicators, targets, the cascade, reporting rounds and results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from osm.lib import dates
from osm.lib.workflow import ReviewStatus, check_transition, save_guarded, transition
from osm.models import Cluster, Notification, Province
from scorecard.cache import touch
from scorecard.models import (
    Evidence,
    Indicator,
    ProvinceTarget,
    ReportingRound,
    Result,
    Status,
    Target,
    due_quarters_q,
)
from scorecard.status import classify_for

CENT = Decimal("0.01")
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


# --- Indicators and targets -----------------------------------------------------------------


def indicator_create(*, objective: Any, **fields: Any) -> Indicator:
    indicator = Indicator(objective=objective, cluster_id=objective.plan.cluster_id, **fields)
    indicator.full_clean()
    indicator.save()
    touch(indicator.cluster_id)
    return indicator


def indicator_update(*, indicator: Indicator, **fields: Any) -> Indicator:
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save(update_fields=list(fields))
    touch(indicator.cluster_id)
    return indicator


@transaction.atomic
def targets_set(*, indicator: Indicator, values: Mapping[int, Decimal | None]) -> list[Target]:
    """Set the cluster target per fiscal year; an empty value removes that year's target."""
    saved = []
    existing = {t.fiscal_year: t for t in indicator.targets.all()}
    for year, value in values.items():
        current = existing.get(year)
        if value is None:
            if current is not None:
                current.delete()
            continue
        if current is None:
            saved.append(Target.objects.create(indicator=indicator, fiscal_year=year, value=value))
        elif current.value != value:
            current.value = value
            current.save(update_fields=["value"])
            saved.append(current)
    touch(indicator.cluster_id)
    return saved


@dataclass
class CascadeCheck:
    ok: bool
    combined: Decimal | None
    message: str
    checkable: bool = True


def combine(
    aggregation: str, values: list[Decimal], weights: list[Decimal | None] | None = None
) -> Decimal | None:
    """Province values combined as the indicator's rule says (Python twin of the roll-up)."""
    if not values:
        return None
    agg = Indicator.Aggregation
    if aggregation == agg.SUM:
        return sum(values, Decimal(0))
    if aggregation == agg.MEAN:
        return sum(values, Decimal(0)) / len(values)
    if aggregation == agg.WEIGHTED_MEAN:
        if weights is None or any(w is None for w in weights):
            return None
        total = sum((w for w in weights if w is not None), Decimal(0))
        if not total:
            return None
        return (
            sum((v * w for v, w in zip(values, weights, strict=True) if w is not None), Decimal(0))
            / total
        )
    if aggregation == agg.MIN:
        return min(values)
    if aggregation == agg.MAX:
        return max(values)
    return None


def cascade_check(
    *,
    indicator: Indicator,
    cluster_target: Decimal | None,
    values: Mapping[int, Decimal | None],
    weights: Mapping[int, Decimal | None] | None = None,
) -> CascadeCheck:
    """Do the province targets agree with the cluster target under the combination rule?"""
    if indicator.aggregation == Indicator.Aggregation.NONE:
        return CascadeCheck(
            True,
            None,
            _(
                "This indicator is not combinable; province targets are not checked against the cluster target."
            ),
            checkable=False,
        )
    if cluster_target is None:
        return CascadeCheck(False, None, _("Set the cluster target for this year first."))
    missing = [pid for pid, v in values.items() if v is None]
    if missing:
        return CascadeCheck(False, None, _("Every province needs a target."))
    ids = list(values)
    weight_list = [(weights or {}).get(pid) for pid in ids]
    if indicator.aggregation == Indicator.Aggregation.WEIGHTED_MEAN and any(
        w is None for w in weight_list
    ):
        return CascadeCheck(False, None, _("A weighted mean needs a weight for every province."))
    # Every value is present (checked above), and so is every weight a weighted mean needs.
    combined = combine(
        indicator.aggregation,
        [v for pid in ids if (v := values[pid]) is not None],
        weight_list,
    )
    if combined is None:
        return CascadeCheck(False, None, _("The province targets cannot be combined."))
    combined = combined.quantize(CENT, ROUND_HALF_UP)
    if abs(combined - cluster_target) <= CENT:
        return CascadeCheck(
            True, combined, _("The province targets agree with the cluster target.")
        )
    return CascadeCheck(
        False,
        combined,
        _(
            "Combined (%(rule)s), the province targets give %(combined)s, not the cluster target %(target)s."
        )
        % {
            "rule": indicator.get_aggregation_display(),
            "combined": f"{combined:,.2f}",
            "target": f"{cluster_target:,.2f}",
        },
    )


class SplitMethod:
    EQUAL = "equal"
    WEIGHTS = "weights"
    BASELINE = "baseline"


def cascade_split(
    *,
    indicator: Indicator,
    cluster_target: Decimal,
    province_ids: list[int],
    method: str,
    shares: Mapping[int, Decimal | None] | None = None,
) -> dict[int, Decimal]:
    """Proposed province targets that agree with `cluster_target`.

    `shares` are the weights (method "weights") or the province baselines ("baseline"). For
    a sum the target is split in those proportions; for a mean the provinces' targets are
    spread in those proportions around the cluster target so that their mean is the target;
    for a weighted mean, min or max every province gets the cluster target itself.
    """
    n = len(province_ids)
    if not n:
        return {}
    agg = Indicator.Aggregation
    if method == SplitMethod.EQUAL or indicator.aggregation not in (agg.SUM, agg.MEAN):
        if indicator.aggregation == agg.SUM:
            return _rounded_split(cluster_target, {pid: Decimal(1) for pid in province_ids})
        return dict.fromkeys(province_ids, cluster_target)
    raw = {pid: (shares or {}).get(pid) or Decimal(0) for pid in province_ids}
    if not any(raw.values()):
        raise ValidationError(
            _("Enter a weight for the provinces first.")
            if method == SplitMethod.WEIGHTS
            else _("No province has a baseline value to split by.")
        )
    if indicator.aggregation == agg.SUM:
        return _rounded_split(cluster_target, raw)
    # Mean: scale the proportions so the plain mean equals the target.
    scaled = {pid: share * n for pid, share in raw.items()}
    return _rounded_split(cluster_target * n, scaled)


def _rounded_split(total: Decimal, shares: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Split `total` by `shares`, rounded to cents, the remainder on the largest share so the
    parts add up exactly."""
    whole = sum(shares.values(), Decimal(0))
    parts = {pid: (total * s / whole).quantize(CENT, ROUND_HALF_UP) for pid, s in shares.items()}
    remainder = total - sum(parts.values(), Decimal(0))
    if remainder:
        largest = max(shares, key=lambda pid: shares[pid])
        parts[largest] += remainder
    return parts


@transaction.atomic
def cascade_save(
    *,
    indicator: Indicator,
    fiscal_year: int,
    values: Mapping[int, Decimal | None],
    weights: Mapping[int, Decimal | None] | None = None,
) -> CascadeCheck:
    """Save the province targets of one year; refuse when they disagree with the cluster."""
    target = Target.objects.filter(indicator=indicator, fiscal_year=fiscal_year).first()
    check = cascade_check(
        indicator=indicator,
        cluster_target=target.value if target else None,
        values=values,
        weights=weights,
    )
    if not check.ok:
        raise ValidationError(check.message, code="cascade")
    existing = {
        pt.province_id: pt
        for pt in ProvinceTarget.objects.filter(indicator=indicator, fiscal_year=fiscal_year)
    }
    for province_id, value in values.items():
        assert value is not None  # cascade_check refuses a missing province target
        weight = (weights or {}).get(province_id)
        row = existing.get(province_id)
        if row is None:
            row = ProvinceTarget.objects.create(
                indicator=indicator,
                province_id=province_id,
                fiscal_year=fiscal_year,
                value=value,
                weight=weight,
            )
        elif row.value != value or row.weight != weight:
            row.value, row.weight = value, weight
            row.save(update_fields=["value", "weight"])
        Result.objects.filter(
            indicator=indicator, province_id=province_id, fiscal_year=fiscal_year
        ).exclude(province_target=row).update(province_target=row)
    touch(indicator.cluster_id)
    return check


# --- Reporting rounds -----------------------------------------------------------------------


def default_deadline(fiscal_year: int, quarter: int) -> dt.date:
    """Fifteen working days after the quarter ends."""
    return dates.add_working_days(dates.FiscalQuarter(fiscal_year, quarter).end, 15)


@transaction.atomic
def round_open(
    *,
    cluster: Cluster,
    fiscal_year: int,
    quarter: int,
    deadline: dt.date,
    by: Any,
    opens_on: dt.date | None = None,
) -> ReportingRound:
    """Open a reporting round and create a draft result for every indicator due in it,
    for every province of the cluster. A deadline on a weekend or holiday moves to the next
    working day."""
    if ReportingRound.objects.filter(
        cluster=cluster, fiscal_year=fiscal_year, quarter=quarter
    ).exists():
        raise ValidationError({"quarter": _("A round for this period already exists.")})
    opens_on = opens_on or timezone.localdate()
    deadline = dates.next_working_day(deadline)
    if deadline < opens_on:
        raise ValidationError({"deadline": _("The deadline cannot be before the round opens.")})
    reporting_round = ReportingRound.objects.create(
        cluster=cluster,
        fiscal_year=fiscal_year,
        quarter=quarter,
        opens_on=opens_on,
        deadline=deadline,
        created_by=by,
    )
    create_round_results(reporting_round)
    touch(cluster.pk)
    return reporting_round


def create_round_results(reporting_round: ReportingRound) -> int:
    """Draft results for every indicator due × province, and a cluster-level draft for
    indicators that cannot be combined (OSM staff report the cluster's own value); existing
    rows are adopted."""
    due = list(
        Indicator.objects.filter(cluster_id=reporting_round.cluster_id)
        .filter(due_quarters_q(reporting_round.quarter))
        .values_list("pk", "aggregation")
    )
    indicators = [pk for pk, _aggregation in due]
    not_combinable = [pk for pk, agg in due if agg == Indicator.Aggregation.NONE]
    provinces = list(
        Province.objects.filter(cluster_id=reporting_round.cluster_id).values_list("pk", flat=True)
    )
    targets = {
        (pt.indicator_id, pt.province_id): pt.pk
        for pt in ProvinceTarget.objects.filter(
            indicator_id__in=indicators, fiscal_year=reporting_round.fiscal_year
        )
    }
    rows = [
        Result(
            indicator_id=ind,
            province_id=prov,
            round=reporting_round,
            fiscal_year=reporting_round.fiscal_year,
            quarter=reporting_round.quarter,
            province_target_id=targets.get((ind, prov)),
        )
        for ind in indicators
        for prov in provinces
    ]
    rows += [
        Result(
            indicator_id=ind,
            province_id=None,
            round=reporting_round,
            fiscal_year=reporting_round.fiscal_year,
            quarter=reporting_round.quarter,
        )
        for ind in not_combinable
    ]
    Result.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return Result.objects.filter(
        indicator_id__in=indicators,
        fiscal_year=reporting_round.fiscal_year,
        quarter=reporting_round.quarter,
        round__isnull=True,
    ).update(round=reporting_round)


def round_close(*, reporting_round: ReportingRound) -> ReportingRound:
    if not reporting_round.is_open:
        raise ValidationError(_("This round is already closed."))
    reporting_round.state = ReportingRound.State.CLOSED
    reporting_round.save(update_fields=["state"])
    touch(reporting_round.cluster_id)
    return reporting_round


def round_reopen(
    *, reporting_round: ReportingRound, reason: str, deadline: dt.date | None = None
) -> ReportingRound:
    if reporting_round.is_open:
        raise ValidationError(_("This round is already open."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    reporting_round.state = ReportingRound.State.OPEN
    reporting_round.reopen_reason = reason.strip()
    fields = ["state", "reopen_reason"]
    if deadline is not None:
        reporting_round.deadline = dates.next_working_day(deadline)
        fields.append("deadline")
    reporting_round.save(update_fields=fields)
    touch(reporting_round.cluster_id)
    return reporting_round


# --- Results --------------------------------------------------------------------------------


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
) -> Result:
    """Save a province's result as a draft, or submit it. Guarded by the version the person
    read: a concurrent save raises `StaleVersion` and writes nothing."""
    if result.round is not None and not result.round.is_open:
        raise ValidationError(_("The reporting round is closed."))
    if not result.is_editable:
        raise ValidationError(
            _("This result is %(status)s and cannot be changed.")
            % {"status": result.get_status_display()}
        )
    check_result_values(
        result=result,
        reporting=reporting,
        value=value,
        explanation=explanation,
        corrective_action=corrective_action,
        submitting=submit,
    )
    fields: dict[str, Any] = {
        "reporting": reporting,
        "value": value,
        "note": note.strip(),
        "explanation": explanation.strip(),
        "corrective_action": corrective_action.strip(),
        "updated_at": timezone.now(),
    }
    touch(result.indicator.cluster_id)
    if not submit:
        return save_guarded(result, expected_version=expected_version, fields=fields)
    check_transition(result, ReviewStatus.SUBMITTED)
    if result.first_submitted_at is None:
        fields["first_submitted_at"] = timezone.now()
    return transition(
        result, to=ReviewStatus.SUBMITTED, by=by, expected_version=expected_version, extra=fields
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
    touch(result.indicator.cluster_id)
    if approve:
        refresh_period_values(result.indicator, result.province_id, result.fiscal_year)
    elif result.submitted_by is not None:
        _notify_returned(result, result.submitted_by)
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
    touch(result.indicator.cluster_id)
    refresh_period_values(result.indicator, result.province_id, result.fiscal_year)
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


def evidence_add(*, result: Result, by: Any, upload: UploadedFile) -> Evidence:
    """Keep an evidence file after checking its kind (by name and by content) and size."""
    from pathlib import Path

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
    return Evidence.objects.create(
        result=result,
        file=upload,
        original_name=Path(upload.name or "file").name[:255],
        content_type=EVIDENCE_TYPES[suffix],
        size=upload.size,
        uploaded_by=by,
    )
