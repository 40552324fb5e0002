"""The spreadsheet importer and exporter shared by every app.

An app declares only what is its own: a ``SheetSpec`` with its columns and row rules, and how
to save the checked rows. This module does the rest:

- a template workbook (``export_workbook``) with the header row, column notes and drop-down
  lists for choice columns, optionally pre-filled;
- reading ``.xlsx``, ``.xls`` and ``.ods`` (python-calamine) and ``.csv``, row by row;
- per-cell type checks that accept what officers type: Thai digits, thousands separators,
  Excel dates, ``1.5e3``, ``ใช่``/``yes``;
- the app's per-row and whole-file rules;
- all-or-nothing: ``spec.save`` runs in one transaction only when no row has an error, and a
  ``ValidationError`` raised by it rolls everything back and is reported like a row error.

Usage::

    class ResultSheet(SheetSpec):
        title = _("Results")
        columns = [Column("code", _("Indicator code"), required=True),
                   Column("value", _("Value"), kind=Kind.DECIMAL, min_value=0)]

        def check_row(self, row, context): ...   # -> list of RowError or str
        def save(self, rows, context): ...

    result = import_file(ResultSheet(), request.FILES["file"], context=round_)
    if not result.ok: show result.errors
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osm.lib.dates import arabic_digits, to_ce

MAX_ROWS = 50_000
ACCEPTED_EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv")


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    `label` is the header people see (translated); headers are matched by label in any
    language, or by `key`, ignoring case and spacing. For CHOICE columns, `choices` maps
    what people may type (codes and labels) to the stored value.
    """

    key: str
    label: Any
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: Mapping[str, str] | None = None
    max_length: int | None = None
    min_value: Decimal | int | None = None
    max_value: Decimal | int | None = None
    help: Any = ""
    width: int = 18


@dataclass
class RowError:
    line: int  # the row number people see in their program (1 = header)
    column: str | None
    message: str

    def __str__(self) -> str:
        where = _("row %(line)s") % {"line": self.line}
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class Row:
    line: int
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass
class ImportResult:
    ok: bool
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    saved: Any = None

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


class SheetSpec:
    """Subclass per kind of sheet. Override `check_row`, `check_all` and `save`."""

    title: Any = gettext_lazy("Data")
    columns: Sequence[Column] = ()
    instructions: Sequence[Any] = ()

    def check_row(self, row: Row, context: Any) -> Iterable[RowError | str]:
        return []

    def check_all(self, rows: list[Row], context: Any) -> Iterable[RowError]:
        return []

    def save(self, rows: list[Row], context: Any) -> Any:
        raise NotImplementedError("A SheetSpec that imports must define save()")


class FileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""


# --- Cell parsing ---------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u200b]+")
_TRUE = {"1", "true", "yes", "y", "x", "✓", "ใช่", "มี", "จริง"}
_FALSE = {"0", "false", "no", "n", "ไม่ใช่", "ไม่มี", "เท็จ", ""}


def _normalise_header(value: Any) -> str:
    return _SPACES.sub(" ", str(value or "")).strip().casefold().rstrip("*").strip()


def parse_decimal(value: Any) -> Decimal:
    """A number as people write it: 1,234.50 · ๑,๒๓๔.๕ · 12% · (1,000) · 1.5e3."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest exact decimal Excel stored (0.1, not 0.1000000000000000055)
        return Decimal(repr(value))
    text = arabic_digits(_SPACES.sub("", str(value)))
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()").replace(",", "").replace("%", "").replace("฿", "")
    if text in ("", "-", "."):
        raise ValueError
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return -number if negative else number


def parse_date(value: Any) -> dt.date:
    """Dates from Excel or typed as d/m/yyyy (BE or CE) or ISO."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = arabic_digits(str(value).strip())
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if year > 2400:  # Buddhist Era
            year = to_ce(year)
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)


def parse_cell(column: Column, raw: Any) -> Any:
    """The cell's value for `column`, or ValueError with a message people understand."""
    if column.kind == Kind.TEXT:
        text = str(raw).strip()
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))  # a code typed as 12 comes back as 12.0
        if column.max_length and len(text) > column.max_length:
            raise ValueError(_("is longer than %(n)s characters") % {"n": column.max_length})
        return text
    if column.kind in (Kind.DECIMAL, Kind.INTEGER):
        try:
            number = parse_decimal(raw)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a number") % {"value": raw}) from None
        if column.kind == Kind.INTEGER and number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number") % {"value": raw})
        if column.min_value is not None and number < column.min_value:
            raise ValueError(_("must be at least %(min)s") % {"min": column.min_value})
        if column.max_value is not None and number > column.max_value:
            raise ValueError(_("must be at most %(max)s") % {"max": column.max_value})
        return int(number) if column.kind == Kind.INTEGER else number
    if column.kind == Kind.DATE:
        try:
            return parse_date(raw)
        except (ValueError, TypeError):
            raise ValueError(
                _("“%(value)s” is not a date (use 25/11/2569 or 2026-11-25)") % {"value": raw}
            ) from None
    if column.kind == Kind.BOOLEAN:
        text = str(raw).strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(_("“%(value)s” is not yes or no") % {"value": raw})
    if column.kind == Kind.CHOICE:
        choices = {_normalise_header(k): v for k, v in (column.choices or {}).items()}
        key = _normalise_header(raw)
        if isinstance(raw, float) and raw.is_integer():
            key = str(int(raw))
        if key not in choices:
            allowed = ", ".join(str(k) for k in (column.choices or {}))
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s") % {"value": raw, "allowed": allowed}
            )
        return choices[key]
    raise AssertionError(column.kind)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Reading files --------------------------------------------------------------------------


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def iter_sheet_rows(handle: IO[bytes], filename: str) -> Iterator[list[Any]]:
    """Rows of the first sheet, one list of cell values at a time."""
    extension = _extension(filename)
    if extension not in ACCEPTED_EXTENSIONS:
        raise FileError(
            _("“%(name)s” is not a spreadsheet. Upload an .xlsx, .xls, .ods or .csv file.")
            % {"name": filename}
        )
    if extension == ".csv":
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        yield from csv.reader(text)
        return
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(handle)
        sheet = workbook.get_sheet_by_index(0)
        # iter_rows hands rows to Python one at a time.
        yield from sheet.iter_rows()
    except Exception as exc:  # calamine raises its own errors for damaged files
        raise FileError(
            _("“%(name)s” cannot be read as a spreadsheet (%(reason)s).")
            % {"name": filename, "reason": exc.__class__.__name__}
        ) from exc


def _match_header(spec: SheetSpec, header: list[Any]) -> tuple[dict[int, Column], list[str]]:
    wanted: dict[str, Column] = {}
    for column in spec.columns:
        wanted[_normalise_header(column.key)] = column
        wanted[_normalise_header(str(column.label))] = column
        # Accept the header in Thai and English whatever the uploader's language.
        for language in ("th", "en"):
            with translation.override(language):
                wanted[_normalise_header(str(column.label))] = column
    positions: dict[int, Column] = {}
    for index, cell in enumerate(header):
        found = wanted.get(_normalise_header(cell))
        if found is not None and found not in positions.values():
            positions[index] = found
    missing = [str(c.label) for c in spec.columns if c.required and c not in positions.values()]
    return positions, missing


def read_rows(
    spec: SheetSpec, handle: IO[bytes], filename: str
) -> tuple[list[Row], list[RowError]]:
    """Type-check every row; returns the parsed rows and every cell error."""
    rows_iter = iter_sheet_rows(handle, filename)
    header: list[Any] | None = None
    header_line = 0
    for line, cells in enumerate(rows_iter, start=1):
        if any(not _is_blank(c) for c in cells):
            header, header_line = cells, line
            break
    if header is None:
        raise FileError(_("The file is empty."))
    positions, missing = _match_header(spec, header)
    if missing:
        raise FileError(
            _(
                "The header row lacks the columns: %(columns)s. Download the template to see "
                "the expected columns."
            )
            % {"columns": ", ".join(missing)}
        )
    rows: list[Row] = []
    errors: list[RowError] = []
    for line, cells in enumerate(rows_iter, start=header_line + 1):
        if all(_is_blank(c) for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise FileError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
        values: dict[str, Any] = {c.key: None for c in spec.columns}
        for index, column in positions.items():
            raw = cells[index] if index < len(cells) else None
            if _is_blank(raw):
                if column.required:
                    errors.append(RowError(line, str(column.label), _("is required")))
                continue
            try:
                values[column.key] = parse_cell(column, raw)
            except ValueError as exc:
                errors.append(RowError(line, str(column.label), str(exc)))
        rows.append(Row(line, values))
    return rows, errors


def _as_errors(found: Iterable[RowError | str], line: int) -> list[RowError]:
    return [e if isinstance(e, RowError) else RowError(line, None, str(e)) for e in found]


def _validation_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{k}: {m}" if k != "__all__" else m
            for k, msgs in exc.message_dict.items()
            for m in msgs
        ]
    return list(exc.messages)


def import_file(spec: SheetSpec, uploaded: Any, *, context: Any = None) -> ImportResult:
    """Check every row of `uploaded` and save all of them, or none.

    `uploaded` is a Django UploadedFile (or any binary file object with a `.name`).
    """
    filename = getattr(uploaded, "name", "") or ""
    handle = uploaded.open("rb") if hasattr(uploaded, "open") else uploaded
    try:
        rows, errors = read_rows(spec, handle, filename)
    except FileError as exc:
        return ImportResult(ok=False, errors=[RowError(0, None, str(exc))])
    bad_lines = {e.line for e in errors}
    for row in rows:
        if row.line in bad_lines:
            continue  # app rules need well-typed values; the type error is reported already
        errors.extend(_as_errors(spec.check_row(row, context), row.line))
    if not errors:
        errors.extend(spec.check_all(rows, context))
    if errors:
        errors.sort(key=lambda e: (e.line, e.column or ""))
        return ImportResult(ok=False, errors=errors, rows_read=len(rows))
    try:
        with transaction.atomic():
            saved = spec.save(rows, context)
    except ValidationError as exc:
        return ImportResult(
            ok=False,
            errors=[RowError(0, None, m) for m in _validation_messages(exc)],
            rows_read=len(rows),
        )
    return ImportResult(ok=True, rows_read=len(rows), saved=saved)


# --- Writing workbooks -----------------------------------------------------------------------


def export_workbook(
    spec: SheetSpec, rows: Iterable[Mapping[str, Any]] = (), *, locked: Sequence[str] = ()
) -> bytes:
    """An .xlsx with the spec's header, notes and drop-downs, pre-filled with `rows`.

    Columns named in `locked` are shaded grey to show they are for reference only.
    Written in openpyxl's write-only mode, so large exports stream.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(spec.title)[:31])
    header_font = Font(name="TH Sarabun New", bold=True, size=14)
    body_font = Font(name="TH Sarabun New", size=14)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    locked_fill = PatternFill("solid", fgColor="EEEEEE")
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    for index, column in enumerate(spec.columns, start=1):
        if column.kind == Kind.CHOICE and column.choices:
            options = ",".join(str(k) for k in column.choices)
            if len(options) < 250:  # Excel's limit for an inline list
                letter = get_column_letter(index)
                validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
                validation.add(f"{letter}2:{letter}{MAX_ROWS}")
                sheet.data_validations.append(validation)
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, value=str(column.label) + (" *" if column.required else ""))
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.help:
            cell.comment = Comment(str(column.help), "OSM")
        header.append(cell)
    sheet.append(header)
    for data in rows:
        line = []
        for column in spec.columns:
            value = data.get(column.key)
            if isinstance(value, Decimal):
                value = float(value)  # spreadsheets store numbers as doubles
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = body_font
            if column.key in locked:
                cell.fill = locked_fill
            line.append(cell)
        sheet.append(line)
    if spec.instructions:
        notes = workbook.create_sheet(title=_("How to fill")[:31])
        for text in spec.instructions:
            notes.append([str(text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
