"""Undo one import batch as a unit: remove what it inserted, put back what it overwrote.

An undo is refused, with a message that says why and what to do, when it could not give back the earlier
state exactly:
- a later batch that still stands touched the same records (undo that one first);
- someone edited a record the batch wrote (its version moved on), or hung notes, contacts or action items on
  an account or hold the batch created.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from app.store.bulk import table
from app.store.queries.import_journal import BATCHES, changes_of, decode_values, key_filter
from app.store.queries.import_trade import recompute_entry_totals, refresh_lines_from_tariffs
from app.store.queries.metrics import bump_trade_data_version

ENTRIES, LINES, TARIFFS, HOLDS = table("entries"), table("entry_lines"), table("line_tariffs"), table("holds")
EVENTS, NOTES = table("compliance_events"), table("notes")
_SYNCED = {"accounts", "importer_numbers", "partnership_statuses", "account_executives", "compliance_events"}
_ACCOUNT_CHILDREN = ("notes", "contacts", "action_items")


class UndoRefused(Exception):
    """The batch cannot be undone now; the message says why and what to do."""


@dataclass
class Footprint:
    """What a batch touched: entry numbers, synced records as (table, id), and the accounts it created."""

    entries: set[str] = field(default_factory=set)
    records: set[tuple[str, str]] = field(default_factory=set)
    created_accounts: set[str] = field(default_factory=set)
    accounts_used: set[str] = field(default_factory=set)  # accounts its entries, holds or records belong to

    def clashes_with(self, later: Footprint) -> bool:
        return bool(
            self.entries & later.entries
            or self.records & later.records
            or self.created_accounts & later.accounts_used
        )


def footprint(connection: Connection, batch_id: uuid.UUID) -> Footprint:
    found = Footprint()
    marked = [
        select(ENTRIES.c.entry_number, ENTRIES.c.account_id).where(ENTRIES.c.import_batch_id == batch_id),
        select(HOLDS.c.entry_number, HOLDS.c.account_id).where(HOLDS.c.import_batch_id == batch_id),
        select(LINES.c.entry_number, ENTRIES.c.account_id)
        .distinct()
        .join(ENTRIES, ENTRIES.c.entry_number == LINES.c.entry_number)
        .where(LINES.c.import_batch_id == batch_id),
        select(LINES.c.entry_number, ENTRIES.c.account_id)
        .distinct()
        .select_from(TARIFFS)
        .join(LINES, LINES.c.id == TARIFFS.c.line_id)
        .join(ENTRIES, ENTRIES.c.entry_number == LINES.c.entry_number)
        .where(TARIFFS.c.import_batch_id == batch_id),
    ]
    for query in marked:
        for entry_number, account_id in connection.execute(query):
            found.entries.add(entry_number)
            found.accounts_used.add(str(account_id))
    for event_id, account_id in connection.execute(
        select(EVENTS.c.id, EVENTS.c.account_id).where(EVENTS.c.import_batch_id == batch_id)
    ):
        found.records.add(("compliance_events", str(event_id)))
        found.accounts_used.add(str(account_id))
    for change in changes_of(connection, batch_id):
        _add_change(connection, found, change)
    return found


def _add_change(connection: Connection, found: Footprint, change: Any) -> None:
    key = decode_values(change.table_name, change.row_key)
    name = change.table_name
    if name in _SYNCED:
        found.records.add((name, str(key["id"])))
        if name == "accounts" and change.before is None:
            found.created_accounts.add(str(key["id"]))
        if name == "accounts":
            found.accounts_used.add(str(key["id"]))
        return
    entry = _entry_of(connection, name, key)
    if entry is not None:
        found.entries.add(entry)


def _entry_of(connection: Connection, name: str, key: dict[str, Any]) -> str | None:
    if name == "entries":
        return str(key["entry_number"])
    if name == "entry_lines":
        return connection.execute(select(LINES.c.entry_number).where(LINES.c.id == key["id"])).scalar()
    if name == "line_tariffs":
        query = select(LINES.c.entry_number).join(TARIFFS, TARIFFS.c.line_id == LINES.c.id)
        return connection.execute(query.where(TARIFFS.c.id == key["id"])).scalar()
    if name == "holds":
        return connection.execute(select(HOLDS.c.entry_number).where(HOLDS.c.id == key["id"])).scalar()
    return None


# --- the checks ------------------------------------------------------------------------------------------


def check_later_batches(connection: Connection, batch: Any) -> None:
    """Refuse when a later batch that still stands touched what this one touched."""
    later = connection.execute(
        select(BATCHES)
        .where(BATCHES.c.undone_at.is_(None), BATCHES.c.imported_at >= batch.imported_at)
        .where(BATCHES.c.id != batch.id)
        .order_by(BATCHES.c.imported_at.desc())
    ).all()
    if not later:
        return
    mine = footprint(connection, batch.id)
    for other in later:
        if (other.imported_at, str(other.id)) < (batch.imported_at, str(batch.id)):
            continue
        if mine.clashes_with(footprint(connection, other.id)):
            raise UndoRefused(
                f"a later import changed the same records: undo batch {other.id} "
                f"({other.source_name}, {other.imported_at:%m/%d/%Y %H:%M}) first"
            )


def check_not_edited(connection: Connection, batch_id: uuid.UUID, changes: Iterable[Any]) -> None:
    """Refuse when a record the batch wrote was edited since, or has notes or other records hung on it."""
    for change in changes:
        if change.after_version is None:
            continue
        target = table(change.table_name)
        query = select(target.c.version).where(*key_filter(target, change.row_key))
        current = connection.execute(query).scalar()
        if current is not None and current != change.after_version:
            raise UndoRefused(f"{_record_name(change.table_name)} was edited after this import; undo refused")
        if change.table_name == "accounts" and change.before is None:
            _refuse_if_account_in_use(connection, decode_values("accounts", change.row_key)["id"])
    edited = connection.execute(
        select(func.count()).where(EVENTS.c.import_batch_id == batch_id, EVENTS.c.version != 1)
    ).scalar()
    if edited:
        raise UndoRefused(f"{edited} compliance event(s) from this import were edited since; undo refused")
    linked = connection.execute(
        select(func.count())
        .select_from(NOTES.join(HOLDS, HOLDS.c.id == NOTES.c.hold_id))
        .where(HOLDS.c.import_batch_id == batch_id, NOTES.c.deleted_at.is_(None))
    ).scalar()
    if linked:
        raise UndoRefused(
            f"{linked} note(s) refer to holds this import created: unlink or delete them first, then undo"
        )


def _refuse_if_account_in_use(connection: Connection, account_id: uuid.UUID) -> None:
    for child in _ACCOUNT_CHILDREN:
        target = table(child)
        count = connection.execute(
            select(func.count()).where(target.c.account_id == account_id, target.c.deleted_at.is_(None))
        ).scalar()
        if count:
            raise UndoRefused(
                f"an account this import created now has {child.replace('_', ' ')}: "
                "they would be lost, so the undo is refused"
            )


def _record_name(table_name: str) -> str:
    return {"accounts": "an account", "compliance_events": "a compliance event"}.get(
        table_name, f"a record of {table_name.replace('_', ' ')}"
    )


# --- the undo --------------------------------------------------------------------------------------------


def undo(connection: Connection, batch: Any) -> tuple[int, int]:
    """Undo `batch` (a row of import_batches) in the caller's transaction; returns (removed, restored)."""
    if batch.undone_at is not None:
        raise UndoRefused(f"batch {batch.id} ({batch.source_name}) was already undone")
    check_later_batches(connection, batch)
    changes = changes_of(connection, batch.id)
    check_not_edited(connection, batch.id, changes)
    touched = footprint(connection, batch.id).entries
    restored = _restore(connection, [change for change in changes if change.before is not None])
    removed = _remove_marked(connection, batch.id)
    removed += _remove_inserted(connection, [change for change in changes if change.before is None])
    _recompute_totals(connection, sorted(touched))
    undone_at = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(update(BATCHES).where(BATCHES.c.id == batch.id).values(undone_at=undone_at))
    bump_trade_data_version(connection)
    return removed, restored


def _recompute_totals(connection: Connection, entry_numbers: Sequence[str]) -> None:
    """Sums (and lines' first HTS) of the entries the batch touched that are still there (restored tariffs,
    removed lines)."""
    for start in range(0, len(entry_numbers), 500):
        part = entry_numbers[start : start + 500]
        lines = connection.execute(select(LINES.c.id).where(LINES.c.entry_number.in_(part))).scalars().all()
        refresh_lines_from_tariffs(connection, list(lines))
        recompute_entry_totals(connection, part)


def _restore(connection: Connection, changes: Sequence[Any]) -> int:
    """Write the earlier values back, newest change first, synced records' version included: the record is
    as it was, so an earlier batch's own check ("edited since?") still sees the version it left."""
    for change in reversed(changes):
        target = table(change.table_name)
        values = decode_values(change.table_name, change.before)
        if change.table_name in _SYNCED:
            values["updated_at"] = func.now()
        connection.execute(update(target).where(*key_filter(target, change.row_key)).values(values))
    return len(changes)


def _remove_marked(connection: Connection, batch_id: uuid.UUID) -> int:
    """Delete the trade rows and compliance events the batch inserted, children first."""
    removed = 0
    for target in (HOLDS, TARIFFS, LINES, ENTRIES, EVENTS):
        removed += connection.execute(delete(target).where(target.c.import_batch_id == batch_id)).rowcount
    return removed


def _remove_inserted(connection: Connection, changes: Sequence[Any]) -> int:
    """Delete the synced records the batch inserted, newest first (numbers and statuses before accounts)."""
    for change in reversed(changes):
        target = table(change.table_name)
        if change.table_name == "accounts":
            metrics = table("account_metrics")
            account_id = decode_values("accounts", change.row_key)["id"]
            connection.execute(delete(metrics).where(metrics.c.account_id == account_id))
        connection.execute(delete(target).where(*key_filter(target, change.row_key)))
    return len(changes)
