"""Buddhist-Era dates, Thai fiscal years and quarters, working days.

Conventions (see shared DESIGN.md): BE = CE + 543; the fiscal year is named by the BE year in
which it ends, FY 2570 = 1 Oct 2026 – 30 Sep 2027; Q1 = Oct–Dec … Q4 = Jul–Sep. Dates are stored
as ISO dates; only display turns them into BE.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

BE_OFFSET = 543

THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
THAI_MONTHS_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
EN_MONTHS_SHORT = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_be(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def to_ce(year_be: int) -> int:
    return year_be - BE_OFFSET


def thai_digits(text: str) -> str:
    """Replace Arabic digits with Thai digits (๐–๙) for display."""
    return str(text).translate(_THAI_DIGITS)


def arabic_digits(text: str) -> str:
    """Replace Thai digits with Arabic digits (for parsing what people type)."""
    return str(text).translate(_ARABIC_DIGITS)


def _is_thai(language: str | None) -> bool:
    return (language or get_language() or "th").startswith("th")


def format_date(
    value: dt.date | dt.datetime | None, *, style: str = "short", language: str | None = None
) -> str:
    """'25 พ.ย. 2569' (short), '25 พฤศจิกายน 2569' (long), '25 พ.ย. 69' (compact).

    English uses the Common Era ('25 Nov 2026'), as Thai agencies do in English documents.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if _is_thai(language):
        year = to_be(value.year)
        if style == "long":
            return f"{value.day} {THAI_MONTHS_LONG[value.month - 1]} {year}"
        if style == "compact":
            return f"{value.day} {THAI_MONTHS_SHORT[value.month - 1]} {year % 100:02d}"
        return f"{value.day} {THAI_MONTHS_SHORT[value.month - 1]} {year}"
    if style == "compact":
        return f"{value.day} {EN_MONTHS_SHORT[value.month - 1]} {value.year % 100:02d}"
    return f"{value.day} {EN_MONTHS_SHORT[value.month - 1]} {value.year}"


def format_datetime(value: dt.datetime | None, *, language: str | None = None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local.date(), language=language)} {local:%H:%M}"


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    """Quarter `quarter` (1–4) of fiscal year `year` (BE)."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1–4, not {self.quarter}")

    @property
    def start(self) -> dt.date:
        # Q1 starts in October of the previous CE year.
        first_month = (10, 1, 4, 7)[self.quarter - 1]
        year_ce = to_ce(self.year) - (1 if self.quarter == 1 else 0)
        return dt.date(year_ce, first_month, 1)

    @property
    def end(self) -> dt.date:
        nxt = self.next()
        return nxt.start - dt.timedelta(days=1)

    def next(self) -> FiscalQuarter:
        if self.quarter == 4:
            return FiscalQuarter(self.year + 1, 1)
        return FiscalQuarter(self.year, self.quarter + 1)

    def previous(self) -> FiscalQuarter:
        if self.quarter == 1:
            return FiscalQuarter(self.year - 1, 4)
        return FiscalQuarter(self.year, self.quarter - 1)

    def label(self, *, language: str | None = None) -> str:
        """'ไตรมาสที่ 2 (1 ม.ค. 70 – 31 มี.ค. 70)'."""
        start = format_date(self.start, style="compact", language=language)
        end = format_date(self.end, style="compact", language=language)
        return _("Quarter %(q)s (%(start)s – %(end)s)") % {
            "q": self.quarter,
            "start": start,
            "end": end,
        }

    def short_label(self) -> str:
        return _("Q%(q)s/%(year)s") % {"q": self.quarter, "year": self.year}


def fiscal_year_of(day: dt.date) -> int:
    """The BE fiscal year that contains `day`."""
    return to_be(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_bounds(year_be: int) -> tuple[dt.date, dt.date]:
    year_ce = to_ce(year_be)
    return dt.date(year_ce - 1, 10, 1), dt.date(year_ce, 9, 30)


def fiscal_quarter_of(day: dt.date) -> FiscalQuarter:
    quarter = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3}.get(day.month, 4)
    return FiscalQuarter(fiscal_year_of(day), quarter)


def current_fiscal_year() -> int:
    return fiscal_year_of(timezone.localdate())


def fiscal_year_label(year_be: int) -> str:
    return _("FY %(year)s") % {"year": year_be}


# --- Working days -------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _thai_holidays(year_ce: int) -> holidays.HolidayBase:
    return holidays.country_holidays("TH", years=year_ce)


@lru_cache(maxsize=16)
def _named_holidays(year_ce: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("TH", years=year_ce, language=language)


def holiday_name(day: dt.date, *, language: str | None = None) -> str | None:
    """The public holiday on `day`, named in Thai, or in English for `language` "en"."""
    if language is None:
        return _thai_holidays(day.year).get(day)
    return _named_holidays(day.year, "th" if _is_thai(language) else "en_US").get(day)


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday and not a Thai public holiday (the `holidays` library's calendar,
    including substitution days)."""
    return day.weekday() < 5 and day not in _thai_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date `count` working days after `day` (before it when `count` is negative)."""
    step = dt.timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days after `start` `end` falls."""
    if end <= start:
        return 0
    days = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days += 1
    return days
