"""Reading the first sheet of an .xlsx, .xls, .ods or .csv file, one row at a time.

Every reader yields ``(line, cells)``: the row number people see in their program and the row's
cell values, with merged cells expanded (each cell of a merged range holds the range's value)
and numbers that a format shows differently as `ShownNumber` (3.1 shown as "3.10"). Each
reader checks the sheet's extent before expanding it (see `limits`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import warnings
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext as _

from osm.lib.spreadsheets.cells import ShownNumber, clean_text, format_number, is_blank
from osm.lib.spreadsheets.limits import (
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    MAX_LINES,
    FileError,
    check_extent,
    max_bytes,
    not_a_spreadsheet,
    open_zip,
    scan_xlsx_sheet,
    too_large_sheet,
)

ACCEPTED_EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv")
Lines = Iterator[tuple[int, list[Any]]]
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based)


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def iter_lines(handle: IO[bytes], filename: str) -> Lines:
    """The first sheet's non-blank rows as (line, cells)."""
    ext = extension(filename)
    if ext not in ACCEPTED_EXTENSIONS:
        raise FileError(
            _("“%(name)s” is not a spreadsheet. Upload an .xlsx, .xls, .ods or .csv file.")
            % {"name": filename}
        )
    reader = {".csv": _csv_lines, ".xlsx": _xlsx_lines, ".xls": _xls_lines, ".ods": _ods_lines}
    for line, cells in reader[ext](handle, filename):
        if any(not is_blank(c) for c in cells):
            yield line, cells


class MergeFiller:
    """Expands merged ranges as rows stream past: the value of a range's first cell is
    copied into every cell of the range."""

    def __init__(self, merges: list[Merge] | None = None) -> None:
        self.pending = sorted(merges or [])
        self.active: list[tuple[Merge, Any]] = []

    def add(self, merge: Merge) -> None:
        self.pending.append(merge)
        self.pending.sort()

    def fill(self, line: int, cells: list[Any]) -> list[Any]:
        while self.pending and self.pending[0][0] <= line:
            merge = self.pending.pop(0)
            r1, c1, _r2, _c2 = merge
            value = cells[c1 - 1] if r1 == line and c1 - 1 < len(cells) else None
            self.active.append((merge, value))
        self.active = [(m, v) for m, v in self.active if m[2] >= line]
        for (_r1, c1, _r2, c2), value in self.active:
            if value is None:
                continue
            if len(cells) < c2:
                cells.extend([None] * (c2 - len(cells)))
            for index in range(c1 - 1, c2):
                cells[index] = value
        return cells


# --- CSV -------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_csv(data: bytes, filename: str) -> str:
    """The text of a CSV file: by its byte-order mark (UTF-8, UTF-16), else UTF-8 if it is
    valid UTF-8, else Windows Thai (cp874, a superset of TIS-620: what Thai Excel saves)."""
    candidates: list[str] = [name for bom, name in _BOMS if data.startswith(bom)]
    if not candidates and data[:200].count(b"\x00") > len(data[:200]) // 3:
        # UTF-16 without a mark: every other byte of Latin text is zero.
        candidates = ["utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"]
    candidates = candidates or ["utf-8", "cp874"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(
        _(
            "“%(name)s” is not in a text encoding the system can read. Save it from Excel as "
            "“CSV UTF-8” (or as .xlsx) and upload it again."
        )
        % {"name": filename}
    )


def sniff_delimiter(sample: list[str]) -> str:
    """Comma, semicolon or tab: the one that splits most of the first lines alike."""
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t"):
        counts = [len(r) for r in csv.reader(sample, delimiter=delimiter)]
        split = [c for c in counts if c > 1]
        if not split:
            continue
        common = max(set(split), key=split.count)
        score = (len(split), split.count(common))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_lines(handle: IO[bytes], filename: str) -> Lines:
    data = handle.read(max_bytes() + 1)
    text = decode_csv(data, filename).replace("\x00", "")
    if any(len(line) > MAX_LINE_CHARS for line in text.splitlines()):
        raise FileError(
            _("“%(name)s” has a line longer than %(n)s characters; it is not a table.")
            % {"name": filename, "n": f"{MAX_LINE_CHARS:,}"}
        )
    delimiter = sniff_delimiter(text.splitlines()[:30])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if reader.line_num > MAX_LINES or len(row) > MAX_COLUMNS:
                raise too_large_sheet(max(reader.line_num, MAX_LINES), len(row))
            yield reader.line_num, row
    except csv.Error:
        raise FileError(
            _("“%(name)s” is not a well-formed CSV file (near line %(line)s).")
            % {"name": filename, "line": reader.line_num}
        ) from None


# --- XLSX ------------------------------------------------------------------------------------


def _xlsx_lines(handle: IO[bytes], filename: str) -> Lines:
    from openpyxl import load_workbook

    archive = open_zip(handle, filename)
    if "xl/workbook.xml" not in archive.namelist():
        raise FileError(not_a_spreadsheet(filename))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" and the like
            workbook = load_workbook(handle, read_only=True, data_only=True)
        if not workbook.worksheets:
            raise FileError(_("“%(name)s” has no sheet.") % {"name": filename})
        sheet = workbook.worksheets[0]
        with sheet._get_source() as source:
            rows, columns, merges = scan_xlsx_sheet(source)
        filler = MergeFiller(merges)
        cells_by_row = sheet.iter_rows(max_row=max(rows, 1), max_col=max(columns, 1))
        for line, cells in enumerate(cells_by_row, start=1):
            yield line, filler.fill(line, [_xlsx_value(c) for c in cells])
    except FileError:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds for damaged files
        raise FileError(not_a_spreadsheet(filename)) from None


def _xlsx_value(cell: Any) -> Any:
    value = cell.value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        shown = format_number(float(value), getattr(cell, "number_format", None))
        return ShownNumber(value, shown) if shown is not None else value
    if isinstance(value, str):
        return clean_text(value)
    return value


# --- XLS -------------------------------------------------------------------------------------


def _xls_lines(handle: IO[bytes], filename: str) -> Lines:
    import xlrd

    data = handle.read(max_bytes() + 1)
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, ragged_rows=True
        )
        sheet = book.sheet_by_index(0)
    except Exception:  # xlrd raises its own errors (and struct/index errors) for damaged files
        raise FileError(not_a_spreadsheet(filename)) from None
    # xlrd keeps ragged rows (only up to each row's last cell): the extent is known here,
    # before any row is turned into values.
    check_extent(sheet.nrows, sheet.ncols)
    filler = MergeFiller([(r1 + 1, c1 + 1, r2, c2) for r1, r2, c1, c2 in sheet.merged_cells])
    for index in range(sheet.nrows):
        cells = [_xls_value(book, sheet.cell(index, c)) for c in range(sheet.row_len(index))]
        yield index + 1, filler.fill(index + 1, cells)


def _xls_value(book: Any, cell: Any) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_TEXT:
        return clean_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
        fmt = book.format_map.get(xf.format_key) if xf is not None else None
        shown = format_number(cell.value, fmt.format_str if fmt else None)
        return ShownNumber(cell.value, shown) if shown is not None else cell.value
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return None  # empty, blank, error


# --- ODS -------------------------------------------------------------------------------------

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T, _O = f"{{{_TABLE}}}", f"{{{_OFFICE}}}"


def _ods_lines(handle: IO[bytes], filename: str) -> Lines:
    from defusedxml.ElementTree import iterparse

    archive = open_zip(handle, filename)
    if "content.xml" not in archive.namelist():
        raise FileError(not_a_spreadsheet(filename))
    try:
        with archive.open("content.xml") as content:
            yield from _ods_rows(iterparse(content, events=("start", "end")))
    except FileError:
        raise
    except Exception:  # XML and zip errors of a damaged file
        raise FileError(not_a_spreadsheet(filename)) from None


def _repeat(element: Any, name: str) -> int:
    return max(1, int(element.get(f"{_T}{name}", "1")))


def _ods_rows(events: Any) -> Lines:
    """Rows of the first table. Repeated empty rows and cells (LibreOffice writes a million
    of them after the data) only move the position; repeated cells with content are expanded
    only within the limits."""
    filler = MergeFiller()
    line, tables, gap = 0, 0, 0
    cells: list[Any] = []
    for event, element in events:
        tag = element.tag
        if event == "start":
            if tag == f"{_T}table":
                tables += 1
                if tables > 1:
                    return
            elif tag == f"{_T}table-row":
                cells, gap = [], 0
            continue
        if tables != 1:
            continue
        if tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
            value = _ods_value(element) if tag == f"{_T}table-cell" else None
            repeat = _repeat(element, "number-columns-repeated")
            covered = tag == f"{_T}covered-table-cell"
            rows_spanned = _repeat(element, "number-rows-spanned")
            cols_spanned = _repeat(element, "number-columns-spanned")
            element.clear()
            if value is None and not covered:
                gap += repeat  # empty cells count only when content follows them
                continue
            column = len(cells) + gap + 1
            check_extent(line + 1, column + repeat - 1)
            cells.extend([None] * gap)
            gap = 0
            cells.extend([value] * repeat)
            if value is None:
                continue
            if rows_spanned > 1 or cols_spanned > 1:
                filler.add(
                    (
                        line + 1,
                        column,
                        min(line + rows_spanned, MAX_LINES),
                        min(column + cols_spanned - 1, MAX_COLUMNS),
                    )
                )
        elif tag == f"{_T}table-row":
            repeat = _repeat(element, "number-rows-repeated")
            element.clear()
            if all(c is None for c in cells):
                line += repeat
                continue
            check_extent(line + repeat, len(cells))
            for _copy in range(repeat):
                line += 1
                yield line, filler.fill(line, list(cells))


def _ods_value(element: Any) -> Any:
    kind = element.get(f"{_O}value-type")
    paragraphs = ["".join(p.itertext()) for p in element.iter(f"{{{_TEXT}}}p")]
    text = clean_text("\n".join(paragraphs))
    if kind in ("float", "percentage", "currency"):
        number = float(element.get(f"{_O}value", "nan"))
        # The cell's text is what it shows (3.10 for 3.1 formatted with two decimals).
        return ShownNumber(number, text.strip()) if text.strip() else number
    if kind == "date":
        raw = element.get(f"{_O}date-value", "")
        try:
            return dt.datetime.fromisoformat(raw) if "T" in raw else dt.date.fromisoformat(raw)
        except ValueError:
            return text
    if kind == "boolean":
        return element.get(f"{_O}boolean-value") == "true"
    return text if text.strip() else None
