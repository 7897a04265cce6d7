"""The Today screen's read model: the AE's workload in a few numbers, and the series of its three charts.

Ages of holds are in business days (DOMAIN.md §5.6, `calendar.business_days_between`), except the deemed
exclusion clock, which runs on calendar days. Weeks start on Monday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.calendar import add_business_days
from app.domain.deadlines import DECISION_BUSINESS_DAYS, DEEMED_EXCLUSION_DAYS

# Open holds by age: (label, lowest age in business days). Each bucket runs up to the next one's lowest age.
AGE_BUCKETS: tuple[tuple[str, int], ...] = (("0–4", 0), ("5–9", 5), ("10–29", 10), ("30+", 30))
RESPONSE_WINDOW_DAYS = 7  # CF-28 / CF-29 responses due within a week
NO_CONTACT_DAYS = 90
TOP_PORTS = 10
WEEKS = 12


@dataclass(frozen=True, slots=True)
class AgeBucketCount:
    label: str
    min_business_days: int
    count: int


@dataclass(frozen=True, slots=True)
class PortCount:
    port_code: str
    port_name: str  # "" when the code is not in the Schedule D reference
    count: int

    @property
    def label(self) -> str:
        return f"{self.port_code} {self.port_name}".strip()


@dataclass(frozen=True, slots=True)
class WeekCount:
    week_start: date  # a Monday
    placed: int
    released: int


@dataclass(frozen=True, slots=True)
class TodaySummary:
    """As of `today`; holds and records of tombstoned accounts are left out everywhere.

    * `holds_past_decision`: open holds at least `DECISION_BUSINESS_DAYS` business days old.
    * `holds_past_exclusion`: open holds at least `DEEMED_EXCLUSION_DAYS` calendar days old.
    * `responses_due_soon`: open (not closed, not responded) CF-28 / CF-29 (proposed) events due from today
      through today + `RESPONSE_WINDOW_DAYS`; `responses_overdue`: the same, due before today.
    * `overdue_follow_ups`: note follow-ups and action items due before today and not done (or cancelled).
    * `accounts_without_contact`: active accounts with no call, email, meeting or visit note in the last
      `NO_CONTACT_DAYS` days.
    """

    today: date
    open_holds: int
    holds_past_decision: int
    holds_past_exclusion: int
    responses_due_soon: int
    responses_overdue: int
    overdue_follow_ups: int
    accounts_without_contact: int
    age_buckets: tuple[AgeBucketCount, ...]
    holds_by_port: tuple[PortCount, ...]  # the busiest TOP_PORTS, most holds first
    weekly: tuple[WeekCount, ...]  # the last WEEKS weeks, oldest first, ending with the current week


def age_cutoff(today: date, business_days: int) -> date:
    """The day before which a hold must have been placed to be `business_days` or more old on `today`.

    A hold's age counts the business days d with placed < d <= today, so it reaches n exactly when it was
    placed before the n-th business day counting back from today (today included). Stepping back from
    tomorrow makes today itself the first of those, and also handles holds placed on a weekend or holiday,
    which `add_business_days(today, -n)` alone would miss by a day.
    """
    if business_days <= 0:
        return today + timedelta(days=1)
    return add_business_days(today + timedelta(days=1), -business_days)


def decision_cutoff(today: date) -> date:
    return age_cutoff(today, DECISION_BUSINESS_DAYS)


def exclusion_cutoff(today: date) -> date:
    """Holds placed before this day are `DEEMED_EXCLUSION_DAYS` calendar days old or more."""
    return today - timedelta(days=DEEMED_EXCLUSION_DAYS - 1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the last `weeks` weeks, oldest first, the current week last."""
    current = week_start(today)
    return [current - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
