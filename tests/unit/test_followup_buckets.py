"""The bucket rule of app/domain/followups.py: overdue, today, this week (through Sunday), later."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from app.domain.followups import Bucket, action_summary, bucket_for, end_of_week, first_line

WEDNESDAY = date(2025, 3, 12)
SUNDAY = date(2025, 3, 16)


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (date(2025, 3, 11), WEDNESDAY, Bucket.OVERDUE),
        (date(2024, 12, 31), WEDNESDAY, Bucket.OVERDUE),
        (WEDNESDAY, WEDNESDAY, Bucket.TODAY),
        (date(2025, 3, 13), WEDNESDAY, Bucket.THIS_WEEK),
        (SUNDAY, WEDNESDAY, Bucket.THIS_WEEK),
        (date(2025, 3, 17), WEDNESDAY, Bucket.LATER),  # next Monday
        (date(2025, 3, 17), SUNDAY, Bucket.LATER),  # on a Sunday, "this week" is over
        (SUNDAY, SUNDAY, Bucket.TODAY),
        (date(2025, 3, 23), date(2025, 3, 17), Bucket.THIS_WEEK),  # Monday sees the whole week ahead
        (date(2026, 1, 4), date(2025, 12, 31), Bucket.THIS_WEEK),  # the week crosses the year
    ],
)
def test_bucket_for(due: date, today: date, expected: Bucket) -> None:
    assert bucket_for(due, today) is expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_end_of_week_is_the_coming_sunday(today: date) -> None:
    sunday = end_of_week(today)
    assert sunday.weekday() == 6 and 0 <= (sunday - today).days <= 6


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(-400, 400))
def test_buckets_follow_the_due_date(today: date, offset: int) -> None:
    """Later due dates never land in a more urgent bucket."""
    due = today + timedelta(days=offset)
    later = list(Bucket).index(bucket_for(due + timedelta(days=1), today))
    assert later >= list(Bucket).index(bucket_for(due, today))


def test_one_line_texts() -> None:
    assert first_line("\n  Call the broker  \nabout the CF-28") == "Call the broker"
    assert first_line("  \n") == ""
    assert action_summary("Late ISF filings\ndetails", "Train broker") == "Late ISF filings → Train broker"
    assert action_summary("", "Train broker") == "Train broker"
