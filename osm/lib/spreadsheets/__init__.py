"""The spreadsheet importer and exporter shared by every app.

An app declares only what is its own: a ``SheetSpec`` with its columns, row rules, how rows
are keyed and compared with the saved data, and how to save them. This package does the rest:

- ``formats``: reading ``.xlsx`` (openpyxl, streamed), ``.xls`` (xlrd), ``.ods`` (streamed
  XML) and ``.csv`` (UTF-8 with or without BOM, UTF-16, Windows Thai cp874; comma, semicolon
  or tab), with merged cells expanded and numbers read as the text they show where it matters;
- ``limits``: the file's size and the sheet's extent checked before anything is expanded;
- ``reading``: the header found among the first rows (title rows above it), matched in Thai or
  English whatever the spacing, brackets or asterisks; fill-down group columns; per-cell type
  checks that accept what officers type (Thai digits, thousands separators, BE dates);
- ``spec``/``importing``: the app's rules, the preview (add / change / delete / unchanged,
  unknown columns) and the confirmed, all-or-nothing save;
- ``export``: the template workbook, pre-filled, never writing a formula.

Usage::

    class ResultSheet(SheetSpec):
        title = _("Results")
        columns = [Column("code", _("Indicator code"), required=True, code=True),
                   Column("value", _("Value"), kind=Kind.DECIMAL, min_value=0)]
        key_columns = ("code",)

        def check_row(self, row, context): ...   # -> list of RowError or str
        def existing(self, context): ...         # {(code,): {"value": ...}}
        def save(self, rows, context, *, diff, delete): ...

    preview = preview_upload(ResultSheet(), request.FILES["file"], context=ctx, owner=owner)
"""

from __future__ import annotations

from osm.lib.spreadsheets.cells import (
    Column,
    Kind,
    ShownNumber,
    clean_text,
    format_number,
    normalise_header,
    parse_cell,
    parse_date,
    parse_decimal,
)
from osm.lib.spreadsheets.export import XLSX_CONTENT_TYPE, export_workbook
from osm.lib.spreadsheets.formats import ACCEPTED_EXTENSIONS, decode_csv, iter_lines
from osm.lib.spreadsheets.importing import (
    ImportPreview,
    ImportResult,
    check_file,
    confirm_upload,
    import_file,
    preview_upload,
    stash_clean,
)
from osm.lib.spreadsheets.limits import MAX_COLUMNS, MAX_ROWS, FileError, max_bytes
from osm.lib.spreadsheets.reading import Row, RowError, Sheet, read_rows, read_sheet
from osm.lib.spreadsheets.spec import (
    Action,
    Diff,
    FieldChange,
    RowChange,
    RowsRefused,
    SheetSpec,
    same,
)

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "XLSX_CONTENT_TYPE",
    "Action",
    "Column",
    "Diff",
    "FieldChange",
    "FileError",
    "ImportPreview",
    "ImportResult",
    "Kind",
    "Row",
    "RowChange",
    "RowError",
    "RowsRefused",
    "Sheet",
    "SheetSpec",
    "ShownNumber",
    "check_file",
    "clean_text",
    "confirm_upload",
    "decode_csv",
    "export_workbook",
    "format_number",
    "import_file",
    "iter_lines",
    "max_bytes",
    "normalise_header",
    "parse_cell",
    "parse_date",
    "parse_decimal",
    "preview_upload",
    "read_rows",
    "read_sheet",
    "same",
    "stash_clean",
]
