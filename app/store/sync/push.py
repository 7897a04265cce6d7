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
CHUNK = 500


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
    target, key = item.table, item.table.c[item.key]
    keys = [key_value(item, entry.row_key) for entry in entries]
    mine = _by_key(local.execute(select(target).where(key.in_(keys))), item.key)
    theirs = _by_key(server.execute(select(target).where(key.in_(keys)).with_for_update()), item.key)
    for entry in entries:
        outcome.sent.append((entry.table_name, entry.row_key))
        record = mine.get(entry.row_key)
        if record is None:
            continue  # removed on the laptop since (an undone import): nothing to send
        stored = theirs.get(entry.row_key)
        if stored is None:
            values = {name: value for name, value in record.items() if name != "sync_seq"}
            server.execute(insert(target).values(values))
            outcome.pushed += 1
            continue
        base = decode_stored(target, entry.base) if entry.base is not None else dict(stored)
        changes, conflicts = merge(item, base, record, stored, entry.row_key)
        outcome.conflicts.extend(conflicts)
        if changes:
            changes["version"] = stored["version"] + 1
            changes["updated_at"] = record["updated_at"]
            server.execute(update(target).where(key == stored[item.key]).values(changes))
            outcome.pushed += 1


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


def _by_key(rows: Any, key: str) -> dict[str, dict[str, Any]]:
    return {key_text(row._mapping[key]): dict(row._mapping) for row in rows}


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
    for start in range(0, len(sent), CHUNK):
        for table_name, row_key in sent[start : start + CHUNK]:
            local.execute(
                OUTBOX.delete().where((OUTBOX.c.table_name == table_name) & (OUTBOX.c.row_key == row_key))
            )
