"""Writing a sheet's template workbook, optionally pre-filled: the header row, column notes,
drop-down lists for choice columns, text-length checks from the columns' limits, code columns
formatted as text, and text that a spreadsheet would take for a formula written as text."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from osm.lib.spreadsheets.cells import Kind
from osm.lib.spreadsheets.limits import MAX_ROWS
from osm.lib.spreadsheets.spec import SheetSpec

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text starting with one of these is a formula (or a DDE call) to Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.code:
            dimension.number_format = "@"  # what people type there stays text (3.10)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        validation = None
        if column.kind == Kind.CHOICE and column.choices:
            options = ",".join(str(k) for k in column.choices)
            if len(options) < 250:  # Excel's limit for an inline list
                validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
        elif column.kind == Kind.TEXT and column.max_length:
            # The same limit as the form and the import, checked while people type.
            validation = DataValidation(
                type="textLength",
                operator="lessThanOrEqual",
                formula1=str(column.max_length),
                allow_blank=True,
                showErrorMessage=True,
                error=_("At most %(n)s characters.") % {"n": column.max_length},
            )
        if validation is not None:
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
            cell = _cell(sheet, WriteOnlyCell, data.get(column.key), code=column.code)
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


def _cell(sheet: Any, make: Any, value: Any, *, code: bool) -> Any:
    if isinstance(value, Decimal):
        value = float(value)  # spreadsheets store numbers as doubles
    if code and value is not None:
        value = str(value)
    if isinstance(value, str):
        # Never a formula: openpyxl takes "=…" for one unless the type is set to string;
        # quotePrefix keeps Excel from turning it into one when the cell is edited.
        cell = make(sheet, value=value)
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
        if code:
            cell.number_format = "@"
        return cell
    return make(sheet, value=value)
