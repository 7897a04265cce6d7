"""Aggregates for the Today screen: a handful of grouped counts, each answered from an index.

Business-day ages become date cut-offs computed in Python (`domain.today.age_cutoff`), so the database only
compares `placed_at` with constants and counts along the partial index `ix_holds_open_placed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, cast, exists, func, select
from sqlalchemy.orm import Session

from app.domain.enums import AccountStatus, ActionStatus, ComplianceEventType, NoteKind
from app.domain.today import (
    AGE_BUCKETS,
    NO_CONTACT_DAYS,
    RESPONSE_WINDOW_DAYS,
    TOP_PORTS,
    AgeBucketCount,
    PortCount,
    WeekCount,
    age_cutoff,
    decision_cutoff,
    exclusion_cutoff,
    week_start,
    week_starts,
)
from app.store import orm

H = orm.HoldRow
A = orm.AccountRow
N = orm.NoteRow
CE = orm.ComplianceEventRow
AI = orm.ActionItemRow

RESPONSE_EVENTS = (ComplianceEventType.CF28.value, ComplianceEventType.CF29_PROPOSED.value)
CONTACT_KINDS = tuple(
    kind.value for kind in (NoteKind.CALL, NoteKind.EMAIL, NoteKind.MEETING, NoteKind.VISIT)
)
CLOSED_ACTIONS = (ActionStatus.DONE.value, ActionStatus.CANCELLED.value)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min)


def _live_account(account_id: Any) -> ColumnElement[bool]:
    return exists().where(A.id == account_id, A.deleted_at.is_(None))


def _placed_before(day: date) -> Any:
    return func.coalesce(func.sum(case((H.placed_at < _midnight(day), 1), else_=0)), 0)


def hold_counts(session: Session, today: date) -> tuple[int, int, int, list[AgeBucketCount]]:
    """(open holds, past the decision day, past the exclusion day, by age bucket) in one pass."""
    cutoffs = [age_cutoff(today, low) for _label, low in AGE_BUCKETS]
    query = select(
        func.count(),
        _placed_before(decision_cutoff(today)),
        _placed_before(exclusion_cutoff(today)),
        *(_placed_before(cutoff) for cutoff in cutoffs),
    ).where(H.removed_at.is_(None), _live_account(H.account_id))
    total, past_decision, past_exclusion, *at_least = (int(value) for value in session.execute(query).one())
    # at_least[i] = holds at least as old as bucket i; a bucket holds those not old enough for the next one.
    buckets = [
        AgeBucketCount(label, low, at_least[i] - (at_least[i + 1] if i + 1 < len(at_least) else 0))
        for i, (label, low) in enumerate(AGE_BUCKETS)
    ]
    return total, past_decision, past_exclusion, buckets


def holds_by_port(session: Session, limit: int = TOP_PORTS) -> list[PortCount]:
    count = func.count().label("holds")
    busiest = (
        select(H.port_code, count)
        .where(H.removed_at.is_(None), _live_account(H.account_id))
        .group_by(H.port_code)
        .order_by(count.desc(), H.port_code)
        .limit(limit)
        .subquery()
    )
    query = (
        select(busiest.c.port_code, orm.PortRow.name, busiest.c.holds)
        .outerjoin(orm.PortRow, orm.PortRow.code == busiest.c.port_code)
        .order_by(busiest.c.holds.desc(), busiest.c.port_code)
    )
    return [PortCount(code, name or "", int(holds)) for code, name, holds in session.execute(query)]


def _day(session: Session, column: Any) -> Any:
    """The calendar day of a timestamp column: SQLite's date() gives text, PostgreSQL casts."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(column)
    return cast(column, Date)


def _per_day(session: Session, column: Any, start: date) -> list[tuple[date, int]]:
    # Grouped by day in SQL (at most 84 rows), then into weeks here: week arithmetic differs per dialect.
    day = _day(session, column)
    query = (
        select(day, func.count()).where(column >= _midnight(start), _live_account(H.account_id)).group_by(day)
    )
    return [(_as_date(value), int(count)) for value, count in session.execute(query)]


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def weekly_placed_released(session: Session, today: date) -> list[WeekCount]:
    weeks = week_starts(today)
    placed = dict.fromkeys(weeks, 0)
    released = dict.fromkeys(weeks, 0)
    for day, count in _per_day(session, H.placed_at, weeks[0]):
        if week_start(day) in placed:  # a date after today (clock skew in an extract) is left out
            placed[week_start(day)] += count
    for day, count in _per_day(session, H.removed_at, weeks[0]):
        if week_start(day) in released:
            released[week_start(day)] += count
    return [WeekCount(week, placed[week], released[week]) for week in weeks]


def response_counts(session: Session, today: date) -> tuple[int, int]:
    """(CF-28 / CF-29 responses due within the window, overdue ones), of open events not yet answered."""
    soon = and_(CE.due_on >= today, CE.due_on <= today + timedelta(days=RESPONSE_WINDOW_DAYS))
    query = select(
        func.coalesce(func.sum(case((soon, 1), else_=0)), 0),
        func.coalesce(func.sum(case((CE.due_on < today, 1), else_=0)), 0),
    ).where(
        CE.closed_on.is_(None),
        CE.due_on.is_not(None),
        CE.responded_on.is_(None),
        CE.deleted_at.is_(None),
        CE.event_type.in_(RESPONSE_EVENTS),
        _live_account(CE.account_id),
    )
    due_soon, overdue = session.execute(query).one()
    return int(due_soon), int(overdue)


def overdue_follow_ups(session: Session, today: date) -> int:
    notes = (
        select(func.count())
        .select_from(N)
        .where(
            N.follow_up_on.is_not(None),
            N.follow_up_done == False,  # noqa: E712 (`IS 0` would not match the partial index)
            N.follow_up_on < today,
            N.deleted_at.is_(None),
            _live_account(N.account_id),
        )
        .scalar_subquery()
    )
    actions = (
        select(func.count())
        .select_from(AI)
        .where(
            AI.due_on < today,
            AI.status.not_in(CLOSED_ACTIONS),
            AI.deleted_at.is_(None),
            _live_account(AI.account_id),
        )
        .scalar_subquery()
    )
    return int(session.execute(select(notes + actions)).scalar_one())


def accounts_without_contact(session: Session, today: date, kinds: Sequence[str] = CONTACT_KINDS) -> int:
    since = _midnight(today - timedelta(days=NO_CONTACT_DAYS))
    # NOT EXISTS per account walks ix_notes_account_created from the account's newest note backwards.
    recent_contact = exists().where(
        N.account_id == A.id, N.created_at >= since, N.kind.in_(kinds), N.deleted_at.is_(None)
    )
    query = (
        select(func.count())
        .select_from(A)
        .where(A.deleted_at.is_(None), A.status == AccountStatus.ACTIVE.value, ~recent_contact)
    )
    return int(session.execute(query).scalar_one())
