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

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from app.store.bulk import table
from app.store.sync.codec import decode_row, decode_stored, dump_value
from app.store.sync.tables import REPLICATED, Replicated, content_fields, key_text
from app.store.sync.update_pipeline import UpdatePipeline

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
        chunks = [entries[start : start + CHUNK] for start in range(0, len(entries), CHUNK)]
        # Every chunk's rows are locked and their stamps read first, so the updates then go out without a
        # wait between them: the server writes one chunk while the laptop merges the next.
        stamps = [_locked_stamps(server, item, [entry.row_key for entry in chunk]) for chunk in chunks]
        with UpdatePipeline(server) as pipeline:
            for chunk, chunk_stamps in zip(chunks, stamps, strict=True):
                _push_part(local, server, item, chunk, chunk_stamps, pipeline, outcome)
        outcome.note_stamps(pipeline.stamps)
    return outcome


def _push_part(
    local: Connection,
    server: Connection,
    item: Replicated,
    entries: Sequence[Row[Any]],
    stamps: Mapping[str, tuple[int, int]],
    pipeline: UpdatePipeline,
    outcome: PushOutcome,
) -> None:
    """One chunk of one table's outbox (its server rows locked, their stamps and versions in `stamps`):
    merge, then write with one executemany for the inserts and one UPDATE per set of changed fields (a round
    trip per record would bound a big push).

    Most records take the fast path: the server's row still carries the stamp the laptop's base was pulled
    with, so nobody else changed it since. Then the fields the laptop changed are found by comparing its row
    with the base as SQLite stores them, and only those are converted and sent. A record the server changed
    since (or holds from an earlier, interrupted push) is merged field by field (`merge`)."""
    target = item.table
    mine = _local_rows(local, item, [entry.row_key for entry in entries])
    inserts: list[dict[str, Any]] = []
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    slow: list[tuple[Row[Any], tuple[Any, ...]]] = []
    for entry in entries:
        outcome.sent.append((entry.table_name, entry.row_key))
        stored_row = mine.get(entry.row_key)
        if stored_row is None:
            continue  # removed on the laptop since (an undone import): nothing to send
        state = stamps.get(entry.row_key)
        if state is None:
            inserts.append({k: v for k, v in decode_row(target, stored_row).items() if k != "sync_seq"})
            continue
        base = json.loads(entry.base) if entry.base is not None else None
        if base is None or base.get("sync_seq") != state[0]:
            slow.append((entry, stored_row))
            continue
        changes = _laptop_changes(item, stored_row, base)
        if changes:
            updated_at = decode_row(target, stored_row, ("updated_at",))["updated_at"]
            _queue_update(updates, changes, version=state[1] + 1, updated_at=updated_at, key=entry.row_key)
    if slow or inserts:
        pipeline.settle()  # the statements below go through SQLAlchemy
    if slow:
        _merge_slow(server, item, slow, updates, outcome)
    if inserts:
        inserted = server.execute(insert(target).returning(target.c.sync_seq), inserts).scalars().all()
        outcome.note_stamps(inserted)
    for fields, rows in updates.items():
        pipeline.send(*_update_statement(server, item, fields, rows))
    outcome.pushed += len(inserts) + sum(len(rows) for rows in updates.values())


def _merge_slow(
    server: Connection,
    item: Replicated,
    records: Sequence[tuple[Row[Any], tuple[Any, ...]]],
    updates: dict[tuple[str, ...], list[dict[str, Any]]],
    outcome: PushOutcome,
) -> None:
    """The records the server changed since the laptop's base: merge field by field with the server's whole
    row (already locked by `_locked_stamps`)."""
    target = item.table
    theirs = _server_rows(server, item, [entry.row_key for entry, _stored in records])
    merged: list[Any] = []
    for entry, stored_row in records:
        record, stored = decode_row(target, stored_row), theirs[entry.row_key]
        base = decode_stored(target, entry.base) if entry.base is not None else dict(stored)
        changes, conflicts = merge(item, base, record, stored, entry.row_key)
        outcome.conflicts.extend(conflicts)
        if conflicts or any(changes.get(name, stored[name]) != record[name] for name in content_fields(item)):
            merged.append(stored[item.key])  # the laptop must take the server's copy back
        if changes:
            version, updated_at = stored["version"] + 1, record["updated_at"]
            _queue_update(updates, changes, version=version, updated_at=updated_at, key=entry.row_key)
    if merged:
        outcome.merged.setdefault(item.name, []).extend(merged)


def _queue_update(
    updates: dict[tuple[str, ...], list[dict[str, Any]]],
    changes: dict[str, Any],
    *,
    version: int,
    updated_at: Any,
    key: str,
) -> None:
    """Group the record's update with the others that set the same fields (one statement per group)."""
    row = {**changes, "version": version, "updated_at": updated_at}
    updates.setdefault(tuple(sorted(row)), []).append({**row, "_key": key})


def _laptop_changes(item: Replicated, stored_row: tuple[Any, ...], base: Mapping[str, Any]) -> dict[str, Any]:
    """The content fields whose stored value differs from the base's, as Python values (the base is how
    SQLite stored the row before the laptop's first change, so the two compare without conversion)."""
    changed = {
        name: stored_row[index]
        for name, index in _content_positions(item)
        if stored_row[index] != base.get(name)
    }
    if not changed:
        return {}
    decoded = decode_row(item.table, stored_row, tuple(changed))
    return {name: decoded[name] for name in changed}


@functools.cache
def _content_positions(item: Replicated) -> tuple[tuple[str, int], ...]:
    names = item.table.c.keys()
    return tuple((name, names.index(name)) for name in content_fields(item))


def _local_rows(local: Connection, item: Replicated, keys: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """The laptop's rows of `keys` as SQLite stores them (no conversion: most fields are only compared),
    by row key; columns in table order."""
    target = item.table
    names = ", ".join(column.name for column in target.c)
    marks = ", ".join("?" * len(keys))
    key_index = target.c.keys().index(item.key)
    found = local.exec_driver_sql(
        f"SELECT {names} FROM {target.name} WHERE {item.key} IN ({marks})", tuple(keys)
    )
    return {str(row[key_index]): tuple(row) for row in found}


def _locked_stamps(server: Connection, item: Replicated, keys: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Lock the server's rows of `keys` (FOR UPDATE) and read their stamp and version, by row key. One array
    parameter (`= ANY`) rather than an IN list of thousands that would be parsed for every chunk."""
    target = item.table
    kind = target.c[item.key].type.compile(dialect=server.dialect)
    sql = (
        f"SELECT {item.key}, sync_seq, version FROM {target.name} "
        f"WHERE {item.key} = ANY(%b::{kind}[]) FOR UPDATE"
    )
    return {
        key_text(key): (stamp, version) for key, stamp, version in server.exec_driver_sql(sql, (list(keys),))
    }


def _server_rows(server: Connection, item: Replicated, keys: Sequence[str]) -> dict[str, Mapping[Any, Any]]:
    """The server's whole rows of `keys`, as read-only mappings by row key."""
    target = item.table
    kind = target.c[item.key].type.compile(dialect=server.dialect)
    names = ", ".join(column.name for column in target.c)
    sql = f"SELECT {names} FROM {target.name} WHERE {item.key} = ANY(%b::{kind}[])"
    return {
        key_text(row._mapping[item.key]): row._mapping for row in server.exec_driver_sql(sql, (list(keys),))
    }


def _update_statement(
    server: Connection, item: Replicated, fields: Sequence[str], rows: list[dict[str, Any]]
) -> tuple[str, tuple[list[Any], ...]]:
    """One UPDATE … FROM unnest(arrays) for the chunk's records that change the same fields: PostgreSQL runs
    one statement with an array per column, instead of a statement per record (or a VALUES list SQLAlchemy
    would compile anew for every chunk). The arrays go in binary (`%b`): no quoting of every text value.
    It returns the stamps the server gave the rows."""
    target = item.table
    columns = [target.c[item.key], *[target.c[name] for name in fields]]
    types = [column.type.compile(dialect=server.dialect) for column in columns]
    names = ["_key", *fields]
    arrays = tuple([row[name] for row in rows] for name in names)
    sql = (
        f"UPDATE {target.name} AS t SET {', '.join(f'{name} = v.{name}' for name in fields)} "
        f"FROM unnest({', '.join(f'%b::{kind}[]' for kind in types)}) AS v({', '.join(names)}) "
        f"WHERE t.{item.key} = v._key RETURNING t.sync_seq"
    )
    return sql, arrays


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
