"""Columns and cells: what a sheet's columns are, how headers are recognised and how each cell
is read into a value, accepting what officers type (Thai digits, thousands separators, BE dates,
``ใช่``/``yes``) and what their programs store (numbers shown with a format, codes as text)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from osm.lib.dates import arabic_digits, to_ce


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

    `label` is the header people see (translated); headers are matched by label in Thai or
    English, by `key` or by one of `aliases`, ignoring case, spacing, asterisks and bracketed
    notes such as "(บาท)". For CHOICE columns, `choices` maps what people may type (codes and
    labels) to the stored value.

    `code`: the column holds codes (3.10, 1.1.10): exported as text (format ``@``) and read as
    the text the cell shows, never as a number. `fill_down`: a blank cell repeats the value of
    the row above (a group's name written on its first row only). `compare`: the column takes
    part in the import preview's comparison with saved data (off for reference columns).
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
    aliases: Sequence[str] = ()
    code: bool = False
    fill_down: bool = False
    compare: bool = True

    @classmethod
    def for_field(cls, model: Any, field_name: str, *, key: str = "", **options: Any) -> Column:
        """A column for a model field: the text limit comes from the field (one source for the
        form, the export and the import) and the label from its verbose name."""
        model_field = model._meta.get_field(field_name)
        options.setdefault("label", model_field.verbose_name)
        options.setdefault("max_length", getattr(model_field, "max_length", None))
        return cls(key or field_name, **options)

    def display(self, value: Any) -> str:
        """A stored value as people read it (the preview's old → new)."""
        if value is None or value == "":
            return ""
        if self.kind == Kind.CHOICE and self.choices:
            for label, stored in self.choices.items():
                if stored == value and label != value:
                    return str(label)
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        if isinstance(value, Decimal):
            return format(value.normalize(), "f") if value == value.to_integral() else str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)


class ShownNumber(float):
    """A number together with the text its cell shows (3.1 shown as "3.10" by format 0.00)."""

    text: str

    def __new__(cls, value: float, text: str) -> ShownNumber:
        number = super().__new__(cls, value)
        number.text = text
        return number


# --- Cleaning text -------------------------------------------------------------------------

# C0 controls except tab and newline, DEL and the C1 block: never meaningful in a cell.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")


def clean_text(value: str) -> str:
    """Text without NUL and other control characters, with CR/LF line ends as LF."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


# --- Headers -------------------------------------------------------------------------------

_BRACKETED = re.compile(r"[(\[{（【][^)\]}）】]*[)\]}）】]")
_MARKS = re.compile(r"[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰#:：]+")


def normalise_header(value: Any, *, brackets: bool = True) -> str:
    """A header as compared: case, widths, spaces (also non-breaking), asterisks and footnote
    marks ignored; with `brackets` False, bracketed notes such as "(บาท)" are dropped too."""
    # Footnote marks go before NFKC, which would turn "¹" into a plain "1".
    text = unicodedata.normalize("NFKC", _MARKS.sub(" ", clean_text(str(value or ""))))
    if not brackets:
        text = _BRACKETED.sub(" ", text)
    text = _MARKS.sub(" ", text)
    return " ".join(_SPACES.sub(" ", text).split()).casefold()


# --- Numbers and dates ---------------------------------------------------------------------

_ALL_SPACE = re.compile(r"[\s\u00a0\u200b]+")
_TRUE = {"1", "true", "yes", "y", "x", "✓", "ใช่", "มี", "จริง"}
_FALSE = {"0", "false", "no", "n", "ไม่ใช่", "ไม่มี", "เท็จ", ""}


def parse_decimal(value: Any) -> Decimal:
    """A number as people write it: 1,234.50 · ๑,๒๓๔.๕ · 12% · (1,000) · 1.5e3."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError
        # repr gives the shortest exact decimal Excel stored (0.1, not 0.1000000000000000055)
        return Decimal(repr(float(value)))
    text = arabic_digits(_ALL_SPACE.sub("", str(value)))
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
    """Dates from a spreadsheet or typed as d/m/yyyy (BE or CE) or ISO."""
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


def cell_text(raw: Any) -> str:
    """The text a cell shows: the formatted number when the file says how it is shown."""
    if isinstance(raw, ShownNumber):
        return raw.text
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # a code typed as 12 comes back as 12.0
    if isinstance(raw, float):
        return repr(raw)
    if isinstance(raw, dt.datetime) and raw.time() == dt.time():
        return raw.date().isoformat()
    return clean_text(str(raw)).strip()


def parse_cell(column: Column, raw: Any) -> Any:
    """The cell's value for `column`, or ValueError with a message people understand."""
    if column.kind == Kind.TEXT:
        text = cell_text(raw)
        if column.code:
            text = arabic_digits(text)
        if column.max_length and len(text) > column.max_length:
            raise ValueError(
                _("is longer than %(n)s characters (%(length)s)")
                % {"n": column.max_length, "length": len(text)}
            )
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
        text = cell_text(raw).casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(_("“%(value)s” is not yes or no") % {"value": raw})
    if column.kind == Kind.CHOICE:
        choices = {normalise_header(k): v for k, v in (column.choices or {}).items()}
        key = normalise_header(cell_text(raw))
        if key not in choices:
            allowed = ", ".join(str(k) for k in (column.choices or {}))
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s") % {"value": raw, "allowed": allowed}
            )
        return choices[key]
    raise AssertionError(column.kind)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value).strip())


# --- Number formats ------------------------------------------------------------------------

_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def format_number(value: float, number_format: str | None) -> str | None:
    """The text a number shows under a spreadsheet number format, for the formats that codes
    and amounts use (0.00, #,##0.0, 000, 0%); None for General, text and date formats."""
    if not number_format or number_format in ("General", "@"):
        return None
    section = _FORMAT_NOISE.sub("", number_format.split(";")[0])
    if re.search(r"[yYmMdDhHsSeE]", section) or not re.search(r"[0#?]", section):
        return None
    if "%" in section:
        value *= 100
    integer_part, _dot, fraction = section.partition(".")
    decimals = len(re.findall(r"[0#?]", fraction))
    text = f"{value:,.{decimals}f}" if "," in integer_part else f"{value:.{decimals}f}"
    padding = integer_part.count("0")
    if padding > 1:
        sign = "-" if text.startswith("-") else ""
        whole, dot, rest = text.lstrip("-").partition(".")
        text = sign + whole.zfill(padding) + dot + rest
    return text + ("%" if "%" in section else "")
