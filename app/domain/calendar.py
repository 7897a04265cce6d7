"""U.S. federal business days: the calendar behind the "5 business days" detention rules (DOMAIN.md §5.6).

A business day is a Monday-Friday that is not a legal public holiday (5 U.S.C. 6103(a)): New Year's Day,
Birthday of Martin Luther King Jr. (from 1986), Washington's Birthday, Memorial Day, Juneteenth National
Independence Day (from 2021), Independence Day, Labor Day, Columbus Day, Veterans Day, Thanksgiving Day and
Christmas Day. A fixed-date holiday that falls on a Saturday is observed on the Friday before, one on a Sunday
on the Monday after (Executive Order 11582); so New Year's Day of a year can be observed on 31 December of the
year before.

Not holidays here: Inauguration Day (a holiday only for federal employees around Washington, D.C.) and the
one-off closures of federal offices by executive order (Christmas Eve in some years, national days of
mourning), which are not legal public holidays. Years before 1986 use today's rules without MLK Day (they are
only approximate: several holidays moved in 1971 and 1978).

Names follow the common short forms (e.g. "Martin Luther King Jr. Day"); observed days are named "<holiday>
(observed)".
"""

from __future__ import annotations

import bisect
from datetime import date, datetime, timedelta
from functools import lru_cache

_MONDAY, _THURSDAY = 0, 3
_SATURDAY, _SUNDAY = 5, 6


def as_date(value: date) -> date:
    """The calendar date of a `date` or a `datetime` (whose arithmetic and comparisons keep the time)."""
    return value.date() if isinstance(value, datetime) else value


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _fixed_holidays(year: int) -> list[tuple[date, str]]:
    """Holidays on a fixed date, which move to the nearest weekday when they fall on a weekend."""
    days = [(date(year, 1, 1), "New Year's Day")]
    if year >= 2021:
        days.append((date(year, 6, 19), "Juneteenth National Independence Day"))
    days += [
        (date(year, 7, 4), "Independence Day"),
        (date(year, 11, 11), "Veterans Day"),
        (date(year, 12, 25), "Christmas Day"),
    ]
    return days


def _floating_holidays(year: int) -> list[tuple[date, str]]:
    """Holidays on an nth weekday of a month: always a Monday or Thursday, never observed on another day."""
    days = [(_nth_weekday(year, 1, _MONDAY, 3), "Martin Luther King Jr. Day")] if year >= 1986 else []
    return [
        *days,
        (_nth_weekday(year, 2, _MONDAY, 3), "Washington's Birthday"),
        (_last_weekday(year, 5, _MONDAY), "Memorial Day"),
        (_nth_weekday(year, 9, _MONDAY, 1), "Labor Day"),
        (_nth_weekday(year, 10, _MONDAY, 2), "Columbus Day"),
        (_nth_weekday(year, 11, _THURSDAY, 4), "Thanksgiving Day"),
    ]


def _observed(day: date) -> date:
    if day.weekday() == _SATURDAY:
        return day - timedelta(days=1)
    if day.weekday() == _SUNDAY:
        return day + timedelta(days=1)
    return day


@lru_cache(maxsize=512)
def _holiday_table(year: int) -> tuple[tuple[date, str], ...]:
    """Every holiday and observed holiday falling in `year`, sorted by date (cached: computed once a year)."""
    table = dict(_floating_holidays(year))
    # Next year's New Year's Day is included for its observance on 31 December.
    for day, name in _fixed_holidays(year) + _fixed_holidays(year + 1)[:1]:
        if day.year == year:
            table[day] = name
        observed = _observed(day)
        if observed != day and observed.year == year:
            table[observed] = f"{name} (observed)"
    return tuple(sorted(table.items()))


@lru_cache(maxsize=512)
def _weekday_holiday_ordinals(year: int) -> tuple[int, ...]:
    """Ordinals of the holidays of `year` that fall on a weekday: the days a weekday count must skip."""
    return tuple(day.toordinal() for day, _ in _holiday_table(year) if day.weekday() < _SATURDAY)


def federal_holidays(year: int) -> dict[date, str]:
    """The federal holidays of `year`, actual and observed dates, by date (a new dict each call)."""
    return dict(_holiday_table(year))


def is_business_day(day: date) -> bool:
    day = as_date(day)
    return day.weekday() < _SATURDAY and day.toordinal() not in _weekday_holiday_ordinals(day.year)


def add_business_days(day: date, n: int) -> date:
    """The `n`-th business day after `day` (before it when `n` < 0); `day` itself when `n` is 0.

    `day` need not be a business day: one business day after a Saturday is the Monday (if not a holiday).
    """
    current = as_date(day)
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        current += step
        if is_business_day(current):
            remaining -= 1
    return current


def _weekdays_through(day: date) -> int:
    """Monday-Friday count from 1 Jan 0001 (a Monday) through `day` inclusive."""
    elapsed = day.toordinal() - 1
    return 5 * (elapsed // 7) + min(elapsed % 7 + 1, 5)


def _holidays_in(start: date, end: date) -> int:
    """Weekday holidays d with start < d <= end."""
    count = 0
    for year in range(start.year, end.year + 1):
        ordinals = _weekday_holiday_ordinals(year)
        after_start = bisect.bisect_right(ordinals, start.toordinal())
        count += bisect.bisect_right(ordinals, end.toordinal()) - after_start
    return count


def business_days_between(start: date, end: date) -> int:
    """Business days d with ``start < d <= end``: the age on `end` of a hold placed on `start`.

    The start day itself never counts (a hold placed on Monday is 0 days old that Monday, 1 on Tuesday), and
    weekends and holidays after it do not either (a hold placed on Friday is 1 day old on Monday). So
    ``business_days_between(d, add_business_days(d, n)) == n`` for n >= 0, and the result is >= n exactly when
    `end` is on or after the n-th business day after `start`. When `end` is before `start` the result is the
    negative count of business days in ``(end, start]``.
    """
    start, end = as_date(start), as_date(end)
    if end < start:
        return -business_days_between(end, start)
    return _weekdays_through(end) - _weekdays_through(start) - _holidays_in(start, end)
