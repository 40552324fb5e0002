"""From a file to checked rows: find the header row, match its columns to the spec, and read
every data row's cells (fill-down group columns, type checks), reporting each bad cell with
its line and column."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext as _

from osm.lib.spreadsheets.cells import Column, cell_text, is_blank, normalise_header, parse_cell
from osm.lib.spreadsheets.formats import iter_lines
from osm.lib.spreadsheets.limits import HEADER_SEARCH_ROWS, MAX_ROWS, FileError

if TYPE_CHECKING:
    from osm.lib.spreadsheets.spec import SheetSpec


@dataclass
class RowError:
    line: int  # the row number people see in their program
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
    # The spec's columns the file has: a column the file lacks is left as it is.
    provided: frozenset[str] = frozenset()

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def has(self, key: str) -> bool:
        return key in self.provided


@dataclass
class Sheet:
    """What was read from a file, before the app's rules."""

    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    header_line: int = 0
    provided: frozenset[str] = frozenset()
    unknown_columns: list[str] = field(default_factory=list)
    missing_columns: list[Column] = field(default_factory=list)


def _names(column: Column) -> Iterator[str]:
    yield column.key
    yield str(column.label)
    # Accept the header in Thai and English whatever the uploader's language.
    for language in ("th", "en"):
        with translation.override(language):
            yield str(column.label)
    yield from column.aliases


def header_index(columns: Sequence[Column]) -> tuple[dict[str, Column], dict[str, Column | None]]:
    """Header texts → columns: exact (as normalised) and loose (bracketed notes dropped;
    None where two columns would read alike, e.g. "Issue (Thai)" and "Issue (English)")."""
    exact: dict[str, Column] = {}
    loose: dict[str, Column | None] = {}
    for column in columns:
        for name in _names(column):
            exact.setdefault(normalise_header(name), column)
            key = normalise_header(name, brackets=False)
            if key and loose.get(key, column) is not column:
                loose[key] = None
            elif key:
                loose[key] = column
    return exact, loose


def match_header(
    columns: Sequence[Column], header: Sequence[Any]
) -> tuple[dict[int, Column], list[str]]:
    """Positions of the recognised columns, and the header texts not recognised."""
    exact, loose = header_index(columns)
    positions: dict[int, Column] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        text = cell_text(cell)
        found = exact.get(normalise_header(text)) or loose.get(
            normalise_header(text, brackets=False)
        )
        if found is not None and found not in positions.values():
            positions[index] = found
        else:
            unknown.append(" ".join(text.split()))
    return positions, unknown


def _find_header(
    columns: Sequence[Column], first: list[tuple[int, list[Any]]]
) -> tuple[int, dict[int, Column], list[str]]:
    """The header among the first rows (title rows may stand above it): the first row with
    every required column, else the row with the most recognised columns."""
    required = {c.key for c in columns if c.required}
    best: tuple[int, int, dict[int, Column], list[str]] | None = None
    for index, (_line, cells) in enumerate(first):
        positions, unknown = match_header(columns, cells)
        if required <= {c.key for c in positions.values()} and positions:
            return index, positions, unknown
        if positions and (best is None or len(positions) > best[0]):
            best = (len(positions), index, positions, unknown)
    if best is None:
        raise FileError(
            _(
                "No header row was found in the first %(n)s rows: the file should have a row "
                "with the column names (%(columns)s). Download the template to see them."
            )
            % {
                "n": HEADER_SEARCH_ROWS,
                "columns": ", ".join(str(c.label) for c in columns if c.required),
            }
        )
    _score, index, positions, unknown = best
    missing = [str(c.label) for c in columns if c.required and c not in positions.values()]
    raise FileError(
        _(
            "The header row (row %(line)s) lacks the columns: %(columns)s. Download the "
            "template to see the expected columns."
        )
        % {"line": first[index][0], "columns": ", ".join(missing)}
    )


def read_sheet(spec: SheetSpec, handle: IO[bytes], filename: str) -> Sheet:
    """Every data row type-checked, with the header found and matched."""
    columns = list(spec.columns)
    lines = iter_lines(handle, filename)
    first: list[tuple[int, list[Any]]] = []
    for item in lines:
        first.append(item)
        if len(first) >= HEADER_SEARCH_ROWS:
            break
    if not first:
        raise FileError(_("“%(name)s” has no data: the sheet is empty.") % {"name": filename})
    index, positions, unknown = _find_header(columns, first)
    provided = frozenset(c.key for c in positions.values())
    sheet = Sheet(
        header_line=first[index][0],
        provided=provided,
        unknown_columns=unknown,
        missing_columns=[c for c in columns if c.key not in provided],
    )
    _read_data(sheet, columns, positions, _chain(first[index + 1 :], lines))
    return sheet


def _chain(buffered: list[tuple[int, list[Any]]], rest: Iterable[tuple[int, list[Any]]]) -> Any:
    yield from buffered
    yield from rest


def _read_data(
    sheet: Sheet, columns: list[Column], positions: dict[int, Column], lines: Any
) -> None:
    last: dict[str, Any] = {}  # fill-down columns: the value above
    for line, cells in lines:
        if len(sheet.rows) >= MAX_ROWS:
            raise FileError(_("The file has more than %(n)s rows.") % {"n": f"{MAX_ROWS:,}"})
        values: dict[str, Any] = {c.key: None for c in columns}
        for index, column in positions.items():
            raw = cells[index] if index < len(cells) else None
            if column.fill_down:
                if is_blank(raw):
                    raw = last.get(column.key)
                else:
                    last[column.key] = raw
            if is_blank(raw):
                if column.required:
                    sheet.errors.append(RowError(line, str(column.label), _("is required")))
                continue
            try:
                values[column.key] = parse_cell(column, raw)
            except ValueError as exc:
                sheet.errors.append(RowError(line, str(column.label), str(exc)))
        sheet.rows.append(Row(line, values, sheet.provided))


def read_rows(
    spec: SheetSpec, handle: IO[bytes], filename: str
) -> tuple[list[Row], list[RowError]]:
    """Type-check every row; returns the parsed rows and every cell error."""
    sheet = read_sheet(spec, handle, filename)
    return sheet.rows, sheet.errors
