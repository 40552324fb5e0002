"""Limits checked before a file is expanded: its size, the sizes inside its zip, and the extent
of its sheet. A small file can claim a huge sheet (a used range of a million rows, a zip that
unpacks to gigabytes); such files are refused from what they declare, before any cell is read,
so that a web worker never runs out of memory on an upload."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Data rows a sheet may have, columns it may use and how far down the header may be.
MAX_ROWS = 50_000
MAX_COLUMNS = 256
HEADER_SEARCH_ROWS = 20
# Lines of a sheet (data rows, title rows and blank lines): the sheet's extent is checked
# against this before it is read.
MAX_LINES = MAX_ROWS + 1_000
# What the members of an .xlsx/.ods may unpack to, each and together.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
MAX_MEMBERS = 2_000
# A CSV line (a whole row) longer than this is not a spreadsheet row.
MAX_LINE_CHARS = 100_000


class FileError(Exception):
    """The file as a whole cannot be read: the message is about the file, for people."""


def max_bytes() -> int:
    return int(getattr(settings, "SPREADSHEET_MAX_BYTES", 5 * 1024 * 1024))


def check_size(size: int | None, filename: str) -> None:
    if size is not None and size > max_bytes():
        raise FileError(
            _("“%(name)s” is %(size)s; files up to %(limit)s can be imported.")
            % {
                "name": filename,
                "size": filesizeformat(size),
                "limit": filesizeformat(max_bytes()),
            }
        )
    if not size:
        raise FileError(_("“%(name)s” is empty.") % {"name": filename})


def too_large_sheet(rows: int, columns: int) -> FileError:
    return FileError(
        _(
            "The sheet claims %(rows)s rows and %(columns)s columns; at most %(max_rows)s rows "
            "and %(max_columns)s columns can be imported. Delete the empty rows and columns "
            "after your data (or copy the data to a new sheet) and upload it again."
        )
        % {
            "rows": f"{rows:,}",
            "columns": f"{columns:,}",
            "max_rows": f"{MAX_ROWS:,}",
            "max_columns": f"{MAX_COLUMNS:,}",
        }
    )


def check_extent(rows: int, columns: int) -> None:
    if rows > MAX_LINES or columns > MAX_COLUMNS:
        raise too_large_sheet(rows, columns)


def open_zip(handle: IO[bytes], filename: str) -> zipfile.ZipFile:
    """The file as a zip whose declared sizes are within the limits. zipfile never unpacks
    more than a member declares (it stops and reports a damaged file), so checking the
    declarations bounds what reading can unpack."""
    try:
        archive = zipfile.ZipFile(handle)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileError(not_a_spreadsheet(filename)) from None
    total = sum(m.file_size for m in members)
    if (
        len(members) > MAX_MEMBERS
        or total > MAX_UNPACKED_BYTES
        or any(m.file_size > MAX_MEMBER_BYTES for m in members)
    ):
        raise FileError(
            _(
                "“%(name)s” unpacks to %(size)s, more than a spreadsheet of at most "
                "%(rows)s rows needs; it cannot be imported."
            )
            % {"name": filename, "size": filesizeformat(total), "rows": f"{MAX_ROWS:,}"}
        )
    return archive


def not_a_spreadsheet(filename: str) -> str:
    return _(
        "“%(name)s” is not a spreadsheet or is damaged. Save it again from Excel or "
        "LibreOffice as .xlsx, .xls, .ods or .csv and upload that file."
    ) % {"name": filename}


# --- The extent an .xlsx sheet declares and uses ---------------------------------------------

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,4})(\d{1,8})\"")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d{1,8})\"")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+\d+:[A-Z]+\d+)\"")
_REF = re.compile(r"([A-Z]+)(\d+)")


def column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def split_ref(ref: str) -> tuple[int, int]:
    """(row, column), 1-based, of a reference such as "C12"."""
    match = _REF.fullmatch(ref)
    if match is None:
        raise ValueError(ref)
    return int(match.group(2)), column_number(match.group(1))


def _chunks(source: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    tail = b""
    while chunk := source.read(size):
        yield tail + chunk
        tail = chunk[-256:]  # a tag cut at the boundary is seen whole in the next chunk


def scan_xlsx_sheet(source: IO[bytes]) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """The rows and columns an .xlsx sheet reaches, and its merged ranges, read from the raw
    XML without building a single cell. The declared `<dimension>` is checked first, so a
    sheet claiming a million rows is refused from its first kilobytes."""
    rows = columns = 0
    merges: set[tuple[int, int, int, int]] = set()
    first = True
    for chunk in _chunks(source):
        if first:
            first = False
            declared = _DIMENSION.search(chunk)
            if declared:
                last = declared.group(1).decode().split(":")[-1]
                rows, columns = split_ref(last)
                check_extent(rows, columns)
        for match in _CELL_REF.finditer(chunk):
            rows = max(rows, int(match.group(2)))
            columns = max(columns, column_number(match.group(1).decode()))
        for match in _ROW_REF.finditer(chunk):
            rows = max(rows, int(match.group(1)))
        check_extent(rows, columns)
        for match in _MERGE.finditer(chunk):
            start, end = match.group(1).decode().split(":")
            (r1, c1), (r2, c2) = split_ref(start), split_ref(end)
            if r1 <= MAX_LINES and c1 <= MAX_COLUMNS:
                merges.add((r1, c1, min(r2, MAX_LINES), min(c2, MAX_COLUMNS)))
    return rows, columns, sorted(merges)
