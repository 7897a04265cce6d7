"""Push: send the laptop's changed synced records to the team server, in the server's one transaction.

For each record in the outbox the server's copy is locked and compared field by field with the base (the
laptop's values before its first change since the last sync) and the laptop's values now:

- the laptop did not change the field, or both sides hold the same value: nothing to do;
- only the laptop changed it: the server takes the laptop's value;
- both changed it to different values: a conflict. The server keeps its value (notes and compliance events,
  which are append-only, take the later push instead); the laptop's value is kept in `sync_conflicts`.

A record the server lacks is inserted. Everything is keyed by the record's id, so a push interrupted after the
server committed and retried finds the server already holding the laptop's values: no duplicate, no conflict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from app.store.bulk import table
from app.store.sync.codec import decode_stored, dump_value
from app.store.sync.tables import REPLICATED, Replicated, content_fields, key_text, key_value

OUTBOX = table("sync_outbox")
CHUNK = 2_000  # records per round of reads and writes


@dataclass(frozen=True)
class FieldConflict:
    table_name: str
    row_key: str
    field: str
    base: Any
    mine: Any
    theirs: Any


@dataclass
class PushOutcome:
    pushed: int = 0
    sent: list[tuple[str, str]] = field(default_factory=list)  # outbox keys handled (table, row key)
    conflicts: list[FieldConflict] = field(default_factory=list)
    # The stamps this push gave the rows it wrote: a range no other writer can stamp into (the advisory lock
    # is held from the push's first write to its commit). The pull that follows skips it, and brings back by
    # key only the records the server now holds differently from the laptop (merged with other changes).
    stamped: tuple[int, int] | None = None
    merged: dict[str, list[Any]] = field(default_factory=dict)

    def note_stamps(self, stamps: Sequence[int]) -> None:
        if stamps:
            low, high = min(stamps), max(stamps)
            if self.stamped is not None:
                low, high = min(low, self.stamped[0]), max(high, self.stamped[1])
            self.stamped = (low, high)


def push(local: Connection, server: Connection) -> PushOutcome:
    """Apply the outbox to the server within `server`'s transaction; the caller commits it, then clears the
    outbox entries in `sent` and records the conflicts locally."""
    outcome = PushOutcome()
    queued: dict[str, list[Row[Any]]] = {}
    for entry in local.execute(select(OUTBOX).order_by(OUTBOX.c.queued_at)):
        queued.setdefault(entry.table_name, []).append(entry)
    for item in REPLICATED:
        entries = queued.get(item.name, [])
        for start in range(0, len(entries), CHUNK):
            _push_part(local, server, item, entries[start : start + CHUNK], outcome)
    return outcome


def _push_part(
    local: Connection, server: Connection, item: Replicated, entries: Sequence[Row[Any]], outcome: PushOutcome
) -> None:
    """One chunk of one table's outbox: read both sides, merge, then write with one executemany for the
    inserts and one per set of changed fields (a round trip per record would bound a big push)."""
    target, key = item.table, item.table.c[item.key]
    keys = [key_value(item, entry.row_key) for entry in entries]
    mine = _by_key(local.execute(select(target).where(key.in_(keys))), item.key)
    theirs = _by_key(_locked_server_rows(server, item, keys), item.key)
    inserts: list[dict[str, Any]] = []
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    merged: list[Any] = []
    for entry in entries:
        outcome.sent.append((entry.table_name, entry.row_key))
        record = mine.get(entry.row_key)
        if record is None:
            continue  # removed on the laptop since (an undone import): nothing to send
        stored = theirs.get(entry.row_key)
        if stored is None:
            inserts.append({name: value for name, value in record.items() if name != "sync_seq"})
            continue
        base = decode_stored(target, entry.base) if entry.base is not None else dict(stored)
        changes, conflicts = merge(item, base, record, stored, entry.row_key)
        outcome.conflicts.extend(conflicts)
        if conflicts or any(changes.get(name, stored[name]) != record[name] for name in content_fields(item)):
            merged.append(stored[item.key])  # the laptop must take the server's copy back
        if changes:
            changes["version"] = stored["version"] + 1
            changes["updated_at"] = record["updated_at"]
            updates.setdefault(tuple(sorted(changes)), []).append({**changes, "_key": stored[item.key]})
    stamps: list[int] = []
    if inserts:
        stamps += server.execute(insert(target).returning(target.c.sync_seq), inserts).scalars().all()
    for fields, rows in updates.items():
        stamps += _update_many(server, item, fields, rows)
    outcome.pushed += len(inserts) + sum(len(rows) for rows in updates.values())
    outcome.note_stamps(stamps)
    if merged:
        outcome.merged.setdefault(item.name, []).extend(merged)


def _locked_server_rows(server: Connection, item: Replicated, keys: Sequence[Any]) -> Any:
    """The server's rows of `keys`, locked FOR UPDATE: one array parameter (`= ANY`) rather than an IN list
    of thousands that SQLAlchemy and the driver would each expand and parse for every chunk."""
    target = item.table
    kind = target.c[item.key].type.compile(dialect=server.dialect)
    names = ", ".join(column.name for column in target.c)
    sql = f"SELECT {names} FROM {target.name} WHERE {item.key} = ANY(%s::{kind}[]) FOR UPDATE"
    return server.exec_driver_sql(sql, (list(keys),))


def _update_many(
    server: Connection, item: Replicated, fields: Sequence[str], rows: list[dict[str, Any]]
) -> list[int]:
    """One UPDATE … FROM unnest(arrays) for the chunk's records that change the same fields: PostgreSQL runs
    one statement with an array per column, instead of a statement per record (or a VALUES list SQLAlchemy
    would compile anew for every chunk). Returns the stamps the server gave the rows."""
    target = item.table
    columns = [target.c[item.key], *[target.c[name] for name in fields]]
    types = [column.type.compile(dialect=server.dialect) for column in columns]
    names = ["_key", *fields]
    arrays = tuple([row[name] for row in rows] for name in names)
    sql = (
        f"UPDATE {target.name} AS t SET {', '.join(f'{name} = v.{name}' for name in fields)} "
        f"FROM unnest({', '.join(f'%s::{kind}[]' for kind in types)}) AS v({', '.join(names)}) "
        f"WHERE t.{item.key} = v._key RETURNING t.sync_seq"
    )
    return [stamp for (stamp,) in server.exec_driver_sql(sql, arrays)]


def merge(
    item: Replicated,
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    row_key: str,
) -> tuple[dict[str, Any], list[FieldConflict]]:
    """The fields the server should take from the laptop, and the fields both sides changed differently."""
    changes: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for name in content_fields(item):
        laptop, server, before = mine[name], theirs[name], base.get(name)
        if laptop in (before, server):
            continue
        if server == before or item.append_only:
            changes[name] = laptop
        else:
            conflicts.append(FieldConflict(item.name, row_key, name, before, laptop, server))
    return changes, conflicts


def _by_key(rows: Any, key: str) -> dict[str, Mapping[str, Any]]:
    """Rows by key text, as read-only mappings (no copy per row: a big push reads 100,000 on each side)."""
    return {key_text(row._mapping[key]): row._mapping for row in rows}


def record_conflicts(local: Connection, conflicts: Sequence[FieldConflict], now: datetime) -> None:
    """Keep each conflict's three values; a field already listed unresolved gets the newer values."""
    listed = table("sync_conflicts")
    for found in conflicts:
        values = {
            "base": dump_value(found.base),
            "mine": dump_value(found.mine),
            "theirs": dump_value(found.theirs),
            "detected_at": now,
        }
        same = (
            (listed.c.table_name == found.table_name)
            & (listed.c.row_key == found.row_key)
            & (listed.c.field == found.field)
            & listed.c.resolved_at.is_(None)
        )
        if local.execute(update(listed).where(same).values(values)).rowcount == 0:
            keys = {"table_name": found.table_name, "row_key": found.row_key, "field": found.field}
            local.execute(insert(listed).values({**keys, **values, "resolution": ""}))


def clear_sent(local: Connection, sent: Sequence[tuple[str, str]]) -> None:
    by_table: dict[str, list[str]] = {}
    for table_name, row_key in sent:
        by_table.setdefault(table_name, []).append(row_key)
    for table_name, keys in by_table.items():
        for start in range(0, len(keys), CHUNK):
            chosen = (OUTBOX.c.table_name == table_name) & OUTBOX.c.row_key.in_(keys[start : start + CHUNK])
            local.execute(OUTBOX.delete().where(chosen))
