"""The results workbook of a reporting round: download pre-filled, fill in offline, upload.

Built on the core importer (`osm.lib.spreadsheets`): this module declares the columns and the
row rules; the core reads the file row by row, type-checks every cell and saves all rows or
none. Every row is checked against the round as it is now — unknown codes, provinces that are
not the uploader's, results that are locked (submitted or approved), values changed by someone
else since the download (the version column), duplicates — and each bad row is reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osm.lib.spreadsheets import (
    Action,
    Column,
    Diff,
    FieldChange,
    Kind,
    Row,
    RowChange,
    RowError,
    SheetSpec,
    same,
)
from osm.lib.workflow import ReviewStatus
from scorecard import services
from scorecard.models import RESULT_TEXT_MAX, ReportingRound, Result

# Values beyond this are typing mistakes, not indicator values.
SANE_LIMIT = Decimal("1e12")


@dataclass
class UploadContext:
    round: ReportingRound
    user: Any
    province_ids: frozenset[int]  # the provinces the uploader may report for
    submit: bool = False  # submit the rows saved, not only save them as drafts
    saved: list[Result] = field(default_factory=list)

    @cached_property
    def results(self) -> dict[tuple[str, str], Result]:
        """Every result of the round by (province code, indicator code): one query."""
        rows = Result.objects.filter(round=self.round, province__isnull=False).select_related(
            "indicator", "province", "province_target", "round"
        )
        return {(r.province.code, r.indicator.code): r for r in rows if r.province is not None}

    @cached_property
    def province_codes(self) -> set[str]:
        return {code for code, _indicator in self.results}

    @cached_property
    def indicator_codes(self) -> set[str]:
        return {indicator for _code, indicator in self.results}


def _reporting_choices() -> dict[str, str]:
    """What the reporting cell may say: the label (what the download writes), or the code."""
    choices = {str(label): value for value, label in Result.Reporting.choices}
    for value, _label in Result.Reporting.choices:
        choices.setdefault(value, value)
    return choices


class ResultSheet(SheetSpec):
    title = gettext_lazy("Results")
    instructions = [
        gettext_lazy("Fill in one row per indicator: the reporting state, the value, a note."),
        gettext_lazy(
            "Grey columns are for reference; do not change the province code, the indicator "
            "code or the version."
        ),
        gettext_lazy(
            "A value that is at risk or off track needs an explanation and a corrective action "
            "before it can be submitted."
        ),
        gettext_lazy(
            "Uploading shows what will change first. It saves the changed rows as drafts (or "
            "submits them, if you tick the box), or nothing if any row has a mistake. Rows "
            "you did not change are skipped, also those already submitted or approved."
        ),
    ]
    key_columns = ("province_code", "indicator_code")
    # What an upload may change, with the attribute of Result holding it.
    EDITABLE = (
        "reporting",
        "value",
        "not_reported_reason",
        "note",
        "explanation",
        "corrective_action",
    )

    @property
    def columns(self) -> list[Column]:  # type: ignore[override]
        return [
            Column(
                "province_code",
                gettext_lazy("Province code"),
                required=True,
                code=True,
                compare=False,
                width=12,
            ),
            Column("province", gettext_lazy("Province"), compare=False, width=16),
            Column(
                "indicator_code",
                gettext_lazy("Indicator code"),
                required=True,
                code=True,
                compare=False,
                width=14,
            ),
            Column("indicator", gettext_lazy("Indicator"), compare=False, width=50),
            Column("unit", gettext_lazy("Unit"), compare=False, width=12),
            Column(
                "target",
                gettext_lazy("Province target"),
                kind=Kind.DECIMAL,
                compare=False,
                width=14,
            ),
            Column(
                "reporting",
                gettext_lazy("Reporting"),
                kind=Kind.CHOICE,
                required=True,
                choices=_reporting_choices(),
                width=16,
            ),
            Column(
                "value",
                gettext_lazy("Value"),
                kind=Kind.DECIMAL,
                min_value=-SANE_LIMIT,
                max_value=SANE_LIMIT,
                width=14,
            ),
            Column(
                "not_reported_reason",
                gettext_lazy("Why is there no value?"),
                max_length=RESULT_TEXT_MAX,
                width=30,
            ),
            Column("note", gettext_lazy("Note"), max_length=RESULT_TEXT_MAX, width=30),
            Column(
                "explanation", gettext_lazy("Explanation"), max_length=RESULT_TEXT_MAX, width=30
            ),
            Column(
                "corrective_action",
                gettext_lazy("Corrective action"),
                max_length=RESULT_TEXT_MAX,
                width=30,
            ),
            Column("status", gettext_lazy("Review status"), compare=False, width=14),
            Column(
                "version",
                gettext_lazy("Version"),
                kind=Kind.INTEGER,
                required=True,
                compare=False,
                width=8,
            ),
        ]

    def _values(self, row: Row, result: Result) -> dict[str, Any]:
        """What the row asks for: the file's values, the saved ones for columns it lacks."""
        values = {key: row[key] if row.has(key) else getattr(result, key) for key in self.EDITABLE}
        # Every fresh row says "not reported": a value typed into such a row, with the
        # reporting cell left as it was, reports that value (officers fill in the number only).
        not_reported = Result.Reporting.NOT_REPORTED
        if (
            values["value"] is not None
            and values["reporting"] == not_reported
            and result.reporting == not_reported
        ):
            values["reporting"] = Result.Reporting.REPORTED
            values["not_reported_reason"] = ""
        return values

    def _changes(self, row: Row, result: Result) -> list[FieldChange]:
        columns = {c.key: c for c in self.columns}
        changes = []
        for key, new in self._values(row, result).items():
            old = getattr(result, key)
            if not same(old, new):
                column = columns[key]
                changes.append(
                    FieldChange(str(column.label), column.display(old), column.display(new))
                )
        return changes

    def check_row(self, row: Row, context: UploadContext) -> list[RowError | str]:
        province, code = row["province_code"], row["indicator_code"]
        if province not in context.province_codes:
            return [RowError(row.line, str(_("Province code")), _("unknown province code"))]
        if code not in context.indicator_codes:
            return [RowError(row.line, str(_("Indicator code")), _("unknown indicator code"))]
        result = context.results.get((province, code))
        if result is None:
            return [_("This indicator is not due from this province in this round.")]
        if result.province_id not in context.province_ids:
            return [
                RowError(
                    row.line,
                    str(_("Province code")),
                    _("you cannot report for %(province)s") % {"province": result.province},
                )
            ]
        if not self._changes(row, result):
            return []  # unchanged: skipped, whatever its state (a workbook sent back as is)
        if not result.is_editable:
            return [
                _("The result is %(status)s and locked; it cannot be changed by upload.")
                % {"status": ReviewStatus(result.status).label}
            ]
        if row["version"] != result.version:
            return [
                _(
                    "Someone changed this result after the workbook was downloaded "
                    "(now %(value)s); download it again."
                )
                % {"value": result.value if result.value is not None else "—"}
            ]
        values = self._values(row, result)
        try:
            services.check_result_values(
                result=result,
                reporting=values["reporting"],
                value=values["value"],
                explanation=values["explanation"] or "",
                corrective_action=values["corrective_action"] or "",
                submitting=context.submit,
                not_reported_reason=values["not_reported_reason"] or "",
            )
        except ValidationError as err:
            return [
                RowError(row.line, _field_label(key), message)
                for key, messages in err.message_dict.items()
                for message in messages
            ]
        return []

    def check_all(self, rows: list[Row], context: UploadContext) -> list[RowError]:
        seen = Counter((r["province_code"], r["indicator_code"]) for r in rows)
        return [
            RowError(row.line, None, _("The same indicator and province appear more than once."))
            for row in rows
            if seen[(row["province_code"], row["indicator_code"])] > 1
        ]

    def diff(self, rows: list[Row], context: UploadContext) -> Diff:
        result = Diff()
        for row in rows:
            saved = context.results[(row["province_code"], row["indicator_code"])]
            fields = self._changes(row, saved)
            if not fields:
                result.unchanged += 1
                continue
            if context.submit:
                fields.append(
                    FieldChange(
                        str(_("Review status")),
                        str(ReviewStatus(saved.status).label),
                        str(ReviewStatus.SUBMITTED.label),
                    )
                )
            key = f"{row['province_code']} · {row['indicator_code']}"
            name = f"{saved.indicator.name_th} ({saved.province})"
            result.changes.append(RowChange(Action.CHANGE, key, name, row.line, fields))
        return result

    def save(
        self, rows: list[Row], context: UploadContext, *, diff: Diff, delete: bool
    ) -> list[Result]:
        for row in rows:
            result = context.results[(row["province_code"], row["indicator_code"])]
            if not self._changes(row, result):
                continue
            values = self._values(row, result)
            services.result_save(
                result=result,
                by=context.user,
                expected_version=row["version"],
                reporting=values["reporting"],
                value=values["value"],
                note=values["note"] or "",
                not_reported_reason=values["not_reported_reason"] or "",
                explanation=values["explanation"] or "",
                corrective_action=values["corrective_action"] or "",
                submit=context.submit,
            )
            context.saved.append(result)
        return context.saved


def _field_label(key: str) -> str | None:
    labels = {
        "value": _("Value"),
        "reporting": _("Reporting"),
        "not_reported_reason": _("Why is there no value?"),
        "explanation": _("Explanation"),
        "corrective_action": _("Corrective action"),
    }
    return str(labels[key]) if key in labels else None


def workbook_rows(results: Any) -> list[dict[str, Any]]:
    return [
        {
            "province_code": r.province.code,
            "province": r.province.name_th,
            "indicator_code": r.indicator.code,
            "indicator": r.indicator.name_th,
            "unit": r.indicator.unit,
            "target": r.province_target.value if r.province_target else None,
            "reporting": str(Result.Reporting(r.reporting).label),
            "value": r.value,
            "not_reported_reason": r.not_reported_reason,
            "note": r.note,
            "explanation": r.explanation,
            "corrective_action": r.corrective_action,
            "status": str(ReviewStatus(r.status).label),
            "version": r.version,
        }
        for r in results
    ]


LOCKED_COLUMNS = (
    "province_code",
    "province",
    "indicator_code",
    "indicator",
    "unit",
    "target",
    "status",
    "version",
)
