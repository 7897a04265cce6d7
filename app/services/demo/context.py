"""What every part of the generator shares: the reference tables as loaded in the database, and the clock.

Reference data is read from the database (not from the CSV files), so that every port, code and country the
demo writes is one the database knows. Rows are read ordered by their key: the generator must never depend on
the order of a set or of a hash-ordered result.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, select

from app.domain.calendar import is_business_day
from app.store import orm

# "Now" of a generated portfolio: the start of today, so that nothing in it is dated later than the moment it
# is made, whatever the hour (made at 00:30, a portfolio "as of 06:00" had notes newer than the AE's own).
AS_OF_TIME = time(0, 0)


@dataclass(frozen=True)
class Port:
    code: str
    name: str
    state: str
    kind: str  # seaport, airport, courier_hub, land_border, inland


@dataclass(frozen=True)
class HoldCategoryRef:
    code: str
    label: str
    owner: str
    agency: str
    typical_exam: str
    min_days: int | None
    max_days: int | None


@dataclass(frozen=True)
class RefData:
    ports: dict[str, Port]
    centers: dict[str, tuple[str, tuple[str, ...]]]  # code -> (name, HTS chapters)
    hold_categories: dict[str, HoldCategoryRef]
    place_codes: dict[str, tuple[tuple[str, str], ...]]  # category -> ((code, meaning), ...) that place it
    other_codes: dict[str, tuple[tuple[str, str], ...]]  # category -> codes that only report on it (1R-1U GO)
    agencies: dict[str, str]  # code -> name
    countries: frozenset[str]  # membership only, never iterated
    de_minimis_end: date | None  # entry type 86 is not used on or after this day
    deadline_days: dict[str, int | None]


def load_reference(connection: Connection) -> RefData:
    ports = {
        r.code: Port(r.code, r.name, r.state, r.kind)
        for r in connection.execute(select(orm.PortRow.__table__).order_by(orm.PortRow.code))
        if not r.retired
    }
    centers = {
        r.code: (r.name, tuple(c for c in r.hts_chapters.split() if c != "77"))  # 77 is reserved
        for r in connection.execute(select(orm.CenterRow.__table__).order_by(orm.CenterRow.code))
    }
    categories = {
        r.code: HoldCategoryRef(r.code, r.label, r.owner, r.agency, r.typical_exam, r.min_days, r.max_days)
        for r in connection.execute(select(orm.HoldCategoryRow.__table__).order_by(orm.HoldCategoryRow.code))
    }
    place: dict[str, list[tuple[str, str]]] = {}
    other: dict[str, list[tuple[str, str]]] = {}
    dispositions = select(orm.DispositionCodeRow.__table__).order_by(orm.DispositionCodeRow.code)
    for r in connection.execute(dispositions):
        if r.category:
            target = place if r.hold_action == "place" else other
            target.setdefault(r.category, []).append((r.code, r.meaning))
    agency_rows = connection.execute(select(orm.AgencyRow.__table__).order_by(orm.AgencyRow.code))
    agencies = {r.code: r.name for r in agency_rows}
    countries = frozenset(connection.execute(select(orm.CountryRow.alpha2)).scalars())
    retired = connection.execute(
        select(orm.EntryTypeRow.retired_on).where(orm.EntryTypeRow.code == "86")
    ).scalar_one_or_none()
    deadlines = {
        r.code: r.deadline_days
        for r in connection.execute(
            select(orm.ComplianceEventTypeRow.__table__).order_by(orm.ComplianceEventTypeRow.code)
        )
    }
    return RefData(
        ports=ports,
        centers=centers,
        hold_categories=categories,
        place_codes={k: tuple(v) for k, v in place.items()},
        other_codes={k: tuple(v) for k, v in other.items()},
        agencies=agencies,
        countries=countries,
        de_minimis_end=retired,
        deadline_days=deadlines,
    )


@dataclass
class Clock:
    """Dates relative to `today`, and business-day arithmetic over a precomputed table.

    `app.domain.calendar.add_business_days` steps a day at a time; the generator needs it a million times, so
    the business days of the whole window are listed once and the n-th one is found by bisection. The results
    are the same (the unit tests compare the two).
    """

    today: date
    history_days: int
    _days: list[int] = field(default_factory=list, repr=False)  # ordinals of business days, ascending

    def __post_init__(self) -> None:
        start = self.today - timedelta(days=self.history_days + 400)
        end = self.today + timedelta(days=800)
        self._days = [
            d.toordinal()
            for d in (start + timedelta(days=i) for i in range((end - start).days + 1))
            if is_business_day(d)
        ]

    @property
    def as_of(self) -> datetime:
        return datetime.combine(self.today, AS_OF_TIME)

    def days_ago(self, n: int) -> date:
        return self.today - timedelta(days=n)

    def add_business_days(self, day: date, n: int) -> date:
        """As `app.domain.calendar.add_business_days`: the n-th business day after `day` (before: n < 0)."""
        if n == 0:
            return day
        ordinal = day.toordinal()
        at_or_before = bisect.bisect_right(self._days, ordinal) - 1  # index of the last business day <= day
        if n >= 0:
            index = at_or_before + n
        else:
            on_business_day = at_or_before >= 0 and self._days[at_or_before] == ordinal
            index = at_or_before + n + (0 if on_business_day else 1)
        return date.fromordinal(self._days[index])

    def business_day_on_or_after(self, day: date) -> date:
        index = bisect.bisect_left(self._days, day.toordinal())
        return date.fromordinal(self._days[index])
