from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from osm.lib import dates
from osm.lib.display import thai_digits_enabled


def test_buddhist_era_dates_in_thai() -> None:
    day = dt.date(2026, 11, 25)
    assert dates.format_date(day, language="th") == "25 พ.ย. 2569"
    assert dates.format_date(day, style="long", language="th") == "25 พฤศจิกายน 2569"
    assert dates.format_date(day, style="compact", language="th") == "25 พ.ย. 69"
    assert dates.format_date(day, language="en") == "25 Nov 2026"


def test_datetimes_are_shown_in_bangkok_time() -> None:
    moment = dt.datetime(2026, 11, 24, 18, 30, tzinfo=dt.UTC)  # 01:30 next day in Bangkok
    assert dates.format_datetime(moment, language="th") == "25 พ.ย. 2569 01:30"


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (dt.date(2026, 9, 30), 2569),
        (dt.date(2026, 10, 1), 2570),
        (dt.date(2027, 9, 30), 2570),
        (dt.date(2027, 10, 1), 2571),
        (dt.date(2026, 12, 31), 2570),
        (dt.date(2027, 1, 1), 2570),
    ],
)
def test_fiscal_year_turns_on_the_first_of_october(day: dt.date, fiscal_year: int) -> None:
    assert dates.fiscal_year_of(day) == fiscal_year


def test_fiscal_year_bounds() -> None:
    assert dates.fiscal_year_bounds(2570) == (dt.date(2026, 10, 1), dt.date(2027, 9, 30))


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (dt.date(2026, 10, 1), (2570, 1)),
        (dt.date(2026, 12, 31), (2570, 1)),
        (dt.date(2027, 1, 1), (2570, 2)),
        (dt.date(2027, 3, 31), (2570, 2)),
        (dt.date(2027, 4, 1), (2570, 3)),
        (dt.date(2027, 6, 30), (2570, 3)),
        (dt.date(2027, 7, 1), (2570, 4)),
        (dt.date(2027, 9, 30), (2570, 4)),
    ],
)
def test_quarters_at_their_boundaries(day: dt.date, quarter: tuple[int, int]) -> None:
    found = dates.fiscal_quarter_of(day)
    assert (found.year, found.quarter) == quarter
    assert found.start <= day <= found.end


def test_quarter_bounds_and_label() -> None:
    q2 = dates.FiscalQuarter(2570, 2)
    assert (q2.start, q2.end) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    q1 = dates.FiscalQuarter(2570, 1)
    assert (q1.start, q1.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert dates.FiscalQuarter(2570, 4).end == dt.date(2027, 9, 30)
    assert q1.previous() == dates.FiscalQuarter(2569, 4)
    assert dates.FiscalQuarter(2569, 4).next() == q1
    with translation.override("th"):
        assert q2.label() == "ไตรมาสที่ 2 (1 ม.ค. 70 – 31 มี.ค. 70)"
    with translation.override("en"):
        assert q2.label() == "Quarter 2 (1 Jan 27 – 31 Mar 27)"
    with pytest.raises(ValueError):
        dates.FiscalQuarter(2570, 5)


def test_thai_digits_round_trip() -> None:
    assert dates.thai_digits("ปี 2570 ไตรมาส 2") == "ปี ๒๕๗๐ ไตรมาส ๒"
    assert dates.arabic_digits("๒๕๗๐") == "2570"


def test_filters_use_thai_digits_only_when_chosen() -> None:
    template = Template("{% load osm_tags %}{{ d|be_date }}|{{ 2570|fiscal_year }}|{{ n|num }}")
    context = Context({"d": dt.date(2026, 11, 25), "n": 1234567.5})
    with translation.override("th"):
        assert template.render(context) == "25 พ.ย. 2569|ปีงบประมาณ พ.ศ. 2570|1,234,567.50"
        token = thai_digits_enabled.set(True)
        try:
            assert template.render(context) == "๒๕ พ.ย. ๒๕๖๙|ปีงบประมาณ พ.ศ. ๒๕๗๐|๑,๒๓๔,๕๖๗.๕๐"
        finally:
            thai_digits_enabled.reset(token)


# --- Working days ----------------------------------------------------------------------------


def test_weekends_are_not_working_days() -> None:
    assert dates.is_working_day(dt.date(2026, 11, 27))  # Friday
    assert not dates.is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert not dates.is_working_day(dt.date(2026, 11, 29))  # Sunday


@pytest.mark.parametrize(
    "holiday",
    [
        dt.date(2027, 1, 1),  # New Year's Day
        dt.date(2026, 12, 10),  # Constitution Day
        dt.date(2027, 4, 13),  # Songkran
        dt.date(2027, 4, 14),
        dt.date(2027, 4, 15),
        dt.date(2026, 12, 31),  # New Year's Eve
        dt.date(2026, 10, 13),  # King Bhumibol memorial day
    ],
)
def test_thai_public_holidays_are_not_working_days(holiday: dt.date) -> None:
    assert not dates.is_working_day(holiday), dates.holiday_name(holiday)


def test_deadline_on_a_holiday_moves_to_the_next_working_day() -> None:
    # Thu 31 Dec 2026 and Fri 1 Jan 2027 are holidays, then a weekend: Monday 4 Jan.
    assert dates.next_working_day(dt.date(2026, 12, 31)) == dt.date(2027, 1, 4)
    assert dates.next_working_day(dt.date(2026, 11, 25)) == dt.date(2026, 11, 25)
    assert dates.next_working_day(dt.date(2026, 11, 28)) == dt.date(2026, 11, 30)


def test_adding_working_days_skips_weekends_and_holidays() -> None:
    # From Wed 30 Dec 2026: 31 Dec, 1 Jan holidays, 2–3 Jan weekend → Mon 4, Tue 5.
    assert dates.add_working_days(dt.date(2026, 12, 30), 1) == dt.date(2027, 1, 4)
    assert dates.add_working_days(dt.date(2026, 12, 30), 2) == dt.date(2027, 1, 5)
    assert dates.add_working_days(dt.date(2027, 1, 4), -1) == dt.date(2026, 12, 30)
    assert dates.add_working_days(dt.date(2026, 11, 25), 0) == dt.date(2026, 11, 25)
    assert dates.working_days_between(dt.date(2026, 12, 30), dt.date(2027, 1, 5)) == 2
