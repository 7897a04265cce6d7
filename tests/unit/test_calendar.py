"""The federal business-day calendar, checked against the `holidays` package as an independent oracle."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, strategies as st

from app.domain.calendar import (
    add_business_days,
    as_date,
    business_days_between,
    federal_holidays,
    is_business_day,
)

YEARS = range(2000, 2036)
FIRST, LAST = date(2000, 1, 1), date(2035, 12, 31)
ORACLE = holidays.US(years=YEARS, categories=("public",))
days = st.dates(FIRST, LAST)


def _oracle_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in ORACLE


def _slow_count(start: date, end: date) -> int:
    return sum(_oracle_business_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


@pytest.mark.parametrize("year", YEARS)
def test_holidays_agree_with_the_holidays_package(year: int) -> None:
    # holidays.US "public" is the list of legal public holidays of 5 U.S.C. 6103 with the federal observance
    # rule; it leaves out Inauguration Day (D.C. only) and one-off executive-order closures, as we do. Its
    # names are the same short forms, with "(observed)" on moved days.
    oracle = dict(holidays.US(years=year, categories=("public",)))
    assert federal_holidays(year) == oracle


def test_new_years_day_can_be_observed_the_year_before() -> None:
    assert federal_holidays(2021)[date(2021, 12, 31)] == "New Year's Day (observed)"
    assert federal_holidays(2022)[date(2022, 1, 1)] == "New Year's Day"  # a Saturday
    assert not is_business_day(date(2021, 12, 31))
    assert date(2022, 1, 3) not in federal_holidays(2022)


def test_juneteenth_starts_in_2021() -> None:
    assert is_business_day(date(2020, 6, 19))  # a Friday, before the law
    assert federal_holidays(2021)[date(2021, 6, 18)] == "Juneteenth National Independence Day (observed)"
    assert not is_business_day(date(2021, 6, 18))


@pytest.mark.parametrize(
    "day",
    [
        date(2009, 1, 20),  # Inauguration Day: a holiday only around Washington, D.C.
        date(2021, 1, 20),
        date(2024, 12, 24),  # Christmas Eve closure by executive order, not a legal public holiday
        date(2025, 1, 9),  # national day of mourning, likewise
    ],
)
def test_days_that_are_not_legal_public_holidays(day: date) -> None:
    assert is_business_day(day)


def test_federal_holidays_returns_a_fresh_dict() -> None:
    federal_holidays(2026).clear()
    # Eleven holidays, plus Independence Day (a Saturday) observed on Friday 3 July.
    assert len(federal_holidays(2026)) == 12


def test_weekends_are_not_business_days() -> None:
    assert not is_business_day(date(2026, 11, 7))  # Saturday
    assert not is_business_day(date(2026, 11, 8))  # Sunday
    assert is_business_day(date(2026, 11, 9))
    assert not is_business_day(date(2026, 11, 11))  # Veterans Day, a Wednesday
    assert not is_business_day(datetime(2026, 11, 26, 9, 30))  # Thanksgiving, as a datetime


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 11, 6), 1, date(2026, 11, 9)),  # Friday -> Monday
        (date(2026, 11, 7), 1, date(2026, 11, 9)),  # Saturday -> Monday
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # Friday before Memorial Day -> Tuesday
        (date(2021, 12, 30), 1, date(2022, 1, 3)),  # over New Year's Day observed on 31 Dec
        (date(2026, 11, 2), 5, date(2026, 11, 9)),
        (date(2026, 11, 9), 5, date(2026, 11, 17)),  # over Veterans Day
        (date(2026, 11, 7), 0, date(2026, 11, 7)),  # n = 0 is the day itself, even a Saturday
        (date(2026, 11, 9), -1, date(2026, 11, 6)),  # Monday -> Friday before
        (date(2026, 11, 12), -1, date(2026, 11, 10)),  # back over Veterans Day
    ],
)
def test_add_business_days(start: date, n: int, expected: date) -> None:
    assert add_business_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 2), date(2026, 11, 2), 0),  # the start day does not count
        (date(2026, 11, 2), date(2026, 11, 3), 1),
        (date(2026, 11, 6), date(2026, 11, 7), 0),  # Friday -> Saturday
        (date(2026, 11, 6), date(2026, 11, 9), 1),  # Friday -> Monday
        (date(2026, 11, 2), date(2026, 11, 16), 9),  # two weeks less Veterans Day
        (date(2026, 11, 16), date(2026, 11, 2), -9),
        (date(2021, 12, 24), date(2022, 1, 3), 5),  # 27-30 Dec and 3 Jan; 31 Dec is New Year's Day observed
    ],
)
def test_business_days_between(start: date, end: date, expected: int) -> None:
    assert business_days_between(start, end) == expected


def test_datetimes_count_by_their_date() -> None:
    assert business_days_between(datetime(2026, 11, 2, 23, 59), datetime(2026, 11, 3, 0, 1)) == 1
    assert add_business_days(datetime(2026, 11, 6, 17, 0), 1) == date(2026, 11, 9)
    assert as_date(datetime(2026, 11, 6, 17, 0)) == date(2026, 11, 6)


@given(days)
def test_is_business_day_agrees_with_the_oracle(day: date) -> None:
    assert is_business_day(day) == _oracle_business_day(day)


@given(days, st.integers(0, 1200))
def test_business_days_between_counts_like_a_day_by_day_loop(start: date, span: int) -> None:
    end = min(start + timedelta(days=span), LAST)
    assert business_days_between(start, end) == _slow_count(start, end)
    assert business_days_between(end, start) == -_slow_count(start, end)


@given(days, st.integers(0, 80))
def test_add_and_between_are_inverse(start: date, n: int) -> None:
    end = add_business_days(start, n)
    assert business_days_between(start, end) == n
    if n > 0:
        assert is_business_day(end)
        # No business day is skipped: the day before `end` is still short of n.
        assert business_days_between(start, end - timedelta(days=1)) == n - 1


@given(days.filter(is_business_day), st.integers(0, 80))
def test_going_back_and_forward_returns_to_a_business_day(day: date, n: int) -> None:
    assert add_business_days(add_business_days(day, -n), n) == day
