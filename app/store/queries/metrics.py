"""The account metrics snapshot: every live account's 12-month figures, computed once and read many times.

The portfolio's 12-month aggregates (entries, lines, examinations, CM discrepancies) cost hundreds of
milliseconds at the large scale, yet they change only when trade data is written or when the date rolls
over. So `refresh_account_metrics` computes them for all accounts at once into `account_metrics`, and readers
call `ensure_account_metrics`, which recomputes only when the snapshot no longer matches the data:

* its `period_end` is not `today` (the window moved);
* its `data_version` is not the `meta` row `trade_data_version`, which every writer of `entries`,
  `entry_lines`, `holds` or `compliance_events` bumps with `bump_trade_data_version` in its transaction;
* it does not hold one row per live account (never computed, emptied by `clear_portfolio`, account added);
* the trade fingerprint changed (row counts, newest line and import): a fallback for bulk writers that do not
  bump the version yet. It sees inserts and deletes, not updates, so the version stays the rule.

Notes, contacts and other records the snapshot does not cover never make it stale.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Select,
    case,
    delete,
    distinct,
    func,
    insert,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session

from app.domain.deadlines import hold_age_business_days
from app.domain.enums import ComplianceEventType, ExamType
from app.store import orm
from app.store.queries import window_start

A = orm.AccountRow
M = orm.AccountMetricsRow
E = orm.EntryRow
L = orm.EntryLineRow
H = orm.HoldRow
C = orm.ComplianceEventRow
META = orm.MetaRow

TRADE_DATA_VERSION_KEY = "trade_data_version"
FINGERPRINT_KEY = "account_metrics_fingerprint"

# One atomic statement on both backends (SQLite >= 3.24, PostgreSQL >= 9.5): two concurrent writers both
# increment, where a read-then-write could let them write the same number and leave a snapshot looking fresh.
_BUMP = text(
    "INSERT INTO meta (key, value) VALUES (:key, '1') "
    "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)"
).bindparams(key=TRADE_DATA_VERSION_KEY)

# The snapshot's counts and sums, labelled with their `account_metrics` column names by `_figures_query`.
_FIGURES = (
    "entries",
    "lines",
    "entered_value_cents",
    "duty_cents",
    "exam_entries",
    "held_entries",
    "cm_discrepancies",
    "cf28_count",
)


def bump_trade_data_version(db: Connection | Session) -> None:
    """Mark the trade data as changed: call it in the transaction that writes entries, lines, holds or
    compliance events (a Core `Connection` for bulk writers, or a `Session`)."""
    db.execute(_BUMP)


def trade_data_version(db: Connection | Session) -> int:
    """The current trade data version; 0 before any writer bumped it."""
    value = db.execute(select(META.value).where(META.key == TRADE_DATA_VERSION_KEY)).scalar()
    return int(value) if value is not None else 0


def trade_fingerprint(db: Connection | Session) -> str:
    """A cheap summary of the trade tables that changes when rows are added or removed, as one string.

    The newest line id (one index probe; new entries come with new lines, and counting a million lines
    costs ~14 ms on SQLite), the hold and compliance event counts (small tables) and the newest import.
    Counting `entries` was left out: 1.5 ms on SQLite at the large scale but 15 ms on PostgreSQL, where
    count(*) reads the whole table. Updates in place (a hold released) do not show: the version covers them.
    """
    row = db.execute(
        select(
            select(func.max(L.id)).scalar_subquery(),
            select(func.count()).select_from(H).scalar_subquery(),
            select(func.count()).select_from(C).scalar_subquery(),
            select(func.max(orm.ImportBatchRow.imported_at)).scalar_subquery(),
        )
    ).one()
    return "|".join("" if value is None else str(value) for value in row)


def _snapshot_is_current(session: Session, today: date, version: int, fingerprint: str) -> bool:
    rows, first_end, last_end, low, high = session.execute(
        select(
            func.count(),
            func.min(M.period_end),
            func.max(M.period_end),
            func.min(M.data_version),
            func.max(M.data_version),
        )
    ).one()
    live = session.execute(select(func.count()).select_from(A).where(A.deleted_at.is_(None))).scalar_one()
    stored = session.execute(select(META.value).where(META.key == FINGERPRINT_KEY)).scalar()
    if rows != live or stored != fingerprint:
        return False
    return rows == 0 or (first_end == last_end == today and low == high == version)


def ensure_account_metrics(session: Session, today: date) -> bool:
    """Refresh the snapshot when it is stale for `today` (see the module docstring); True if it did."""
    if _snapshot_is_current(session, today, trade_data_version(session), trade_fingerprint(session)):
        return False
    _lock_snapshot(session)
    # Stamps read again after the lock: a session that waited for another one's refresh finds it current.
    version, fingerprint = trade_data_version(session), trade_fingerprint(session)
    if _snapshot_is_current(session, today, version, fingerprint):
        return False
    _write_snapshot(session, today, version, fingerprint)
    return True


def refresh_account_metrics(session: Session, today: date) -> None:
    """Recompute every live account's figures for the 12 months ending `today`, whatever their state."""
    _lock_snapshot(session)
    # The stamps are read before the data: a write committed in between then makes the snapshot look stale
    # (one refresh too many) rather than fresh with data it has not seen.
    _write_snapshot(session, today, trade_data_version(session), trade_fingerprint(session))


def _lock_snapshot(session: Session) -> None:
    """Serialise refreshes on PostgreSQL (SQLite has one writer at a time anyway).

    Two sessions refreshing together would both delete and insert, and the second one's inserts would collide
    with the first one's rows. This lock mode excludes other refreshes and writers of the table only: plain
    reads of the snapshot go on.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE account_metrics IN SHARE ROW EXCLUSIVE MODE"))


def _write_snapshot(session: Session, today: date, version: int, fingerprint: str) -> None:
    since = window_start(today)
    figures = _account_figures(session, since)
    durations = _hold_days(session, since)
    stamp = {
        "period_start": since + timedelta(days=1),
        "period_end": today,
        "computed_at": datetime.now(UTC).replace(tzinfo=None),  # stored as naive UTC, like every timestamp
        "data_version": version,
    }
    rows = [
        {"account_id": account_id, **counts, **_median_p90(durations.get(account_id, [])), **stamp}
        for account_id, counts in figures.items()
    ]
    session.execute(delete(M))
    if rows:
        session.execute(insert(M), rows)
    session.execute(delete(META).where(META.key == FINGERPRINT_KEY))
    session.execute(insert(META).values(key=FINGERPRINT_KEY, value=fingerprint))


# --- the figures ------------------------------------------------------------------------------------------
#
# The window is the one the portfolio always used: dated after `window_start(today)`, with no upper bound (so
# data dated after `today` counts, as it did before the snapshot existed).


def _account_figures(session: Session, since: date) -> dict[uuid.UUID, dict[str, int]]:
    """Per live account, the counts and sums (zeros for an account without activity)."""
    return {
        row.account_id: {name: int(row._mapping[name] or 0) for name in _FIGURES}
        for row in session.execute(_figures_query(since))
    }


def _figures_query(since: date) -> Select[Any]:
    entries, lines, held, events = (
        _entry_sums(since),
        _line_counts(since),
        _held_entries(since),
        _event_counts(since),
    )
    return (
        select(
            A.id.label("account_id"),
            entries.c.entries,
            lines.c.lines,
            entries.c.entered_value_cents,
            entries.c.duty_cents,
            held.c.exam_entries,
            held.c.held_entries,
            events.c.cm_discrepancies,
            events.c.cf28_count,
        )
        .outerjoin(entries, entries.c.account_id == A.id)
        .outerjoin(lines, lines.c.account_id == A.id)
        .outerjoin(held, held.c.account_id == A.id)
        .outerjoin(events, events.c.account_id == A.id)
        .where(A.deleted_at.is_(None))
    )


def _entry_sums(since: date) -> Any:
    return (
        select(
            E.account_id,
            func.count().label("entries"),
            func.sum(E.entered_value_cents).label("entered_value_cents"),
            func.sum(E.duty_cents).label("duty_cents"),
        )
        .where(E.entry_date > since)
        .group_by(E.account_id)
        .subquery()
    )


def _line_counts(since: date) -> Any:
    # Entry-summary lines, not tariff rows (DOMAIN.md §2.6): the compliance rate's denominator.
    return (
        select(E.account_id, func.count().label("lines"))
        .join(L, L.entry_number == E.entry_number)
        .where(E.entry_date > since)
        .group_by(E.account_id)
        .subquery()
    )


def _held_entries(since: date) -> Any:
    """Window entries with at least one hold, and with at least one examination hold (any state)."""
    exam_entry = case((H.exam_type != ExamType.NONE, H.entry_number), else_=None)
    return (
        select(
            E.account_id,
            func.count(distinct(H.entry_number)).label("held_entries"),
            func.count(distinct(exam_entry)).label("exam_entries"),
        )
        .join(H, H.entry_number == E.entry_number)
        .where(E.entry_date > since)
        .group_by(E.account_id)
        .subquery()
    )


def _event_counts(since: date) -> Any:
    def count_of(kind: ComplianceEventType) -> Any:
        return func.sum(case((C.event_type == kind, 1), else_=0))

    return (
        select(
            C.account_id,
            count_of(ComplianceEventType.CM_DISCREPANCY).label("cm_discrepancies"),
            count_of(ComplianceEventType.CF28).label("cf28_count"),
        )
        .where(
            C.event_type.in_((ComplianceEventType.CM_DISCREPANCY, ComplianceEventType.CF28)),
            C.opened_on > since,
            C.deleted_at.is_(None),
        )
        .group_by(C.account_id)
        .subquery()
    )


# --- hold durations ---------------------------------------------------------------------------------------


def _hold_days(session: Session, since: date) -> dict[uuid.UUID, list[int]]:
    """Per account, the business days each hold removed in the window lasted (DOMAIN.md §2.6).

    Counted in Python: the federal calendar (weekends, observed holidays) has no portable SQL form. A few tens
    of thousands of holds at the large scale: tens of milliseconds.
    """
    removed_after = datetime.combine(since + timedelta(days=1), time())
    # Typed as never None (the WHERE clause rules None out); type_coerce adds nothing to the SQL.
    removed_at = type_coerce(H.removed_at, DateTime)
    statement = select(H.account_id, H.placed_at, removed_at).where(H.removed_at >= removed_after)
    days: dict[uuid.UUID, list[int]] = defaultdict(list)
    for account_id, placed, removed in session.execute(statement):
        days[account_id].append(hold_age_business_days(placed.date(), removed.date()))
    return days


def _median_p90(values: Iterable[int]) -> dict[str, float | None]:
    ordered = sorted(values)
    if not ordered:
        return {"hold_days_median": None, "hold_days_p90": None}
    return {"hold_days_median": quantile(ordered, 0.5), "hold_days_p90": quantile(ordered, 0.9)}


def quantile(ordered: Sequence[int], q: float) -> float:
    """The `q` quantile of sorted values, interpolating between the closest ranks.

    The same definition as PostgreSQL's `percentile_cont` and NumPy's default; q=0.5 is the usual median.
    """
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
