"""Pull: bring the server's changes to the laptop's accounts down, since the laptop's cursor.

The server stamps every inserted or updated row from one sequence while holding a transaction-level advisory
lock, so stamps follow commit order. `stamp_high` takes that lock for a moment: every stamp up to the value
it reads belongs to a committed transaction. A pull reads the rows stamped after the cursor and up to that
value (for an account new to the laptop: all its rows), and the cursor moves to it; a row committed later
has a higher stamp and comes with the next pull.

Rows are written locally with the outbox triggers quiet (they are the server's, not edits to push). A row
the laptop changed again during the sync keeps the laptop's values: the next push merges it.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, not_, or_, select, text

from app.store.bulk import table
from app.store.sync.local_write import LocalWrite
from app.store.sync.note_search import notes_search_deferred
from app.store.sync.push import PushOutcome
from app.store.sync.state import quiet_outbox
from app.store.sync.tables import BY_NAME, REPLICATED, in_scope, key_text, key_value

LOCK_KEY = 8_150_001  # as in migration 0009
# Columns whose change rewrites a row's search entry (store/sync/note_search.py).
SEARCHED = {"notes": ("text", "deleted_at")}
CHUNK = 2_000


@dataclass(frozen=True)
class PulledRows:
    rows: dict[str, list[Mapping[Any, Any]]]  # table name -> rows (read-only mappings), in REPLICATED order
    deletions: list[tuple[str, str]]  # (table name, row key)
    high: int

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values()) + len(self.deletions)


def stamp_high(server: Connection) -> int:
    """The highest stamp whose transaction has committed (see the module docstring); run in its own
    transaction, which the caller ends at once so the lock is held only for this read."""
    server.execute(text(f"SELECT pg_advisory_xact_lock({LOCK_KEY})"))
    last, called = server.execute(text("SELECT last_value, is_called FROM sync_seq")).one()
    return int(last) if called else 0


def scope_accounts(server: Connection, ae_name: str, pins: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """The accounts a laptop replicates: those whose AE or backup AE is `ae_name`, and the pinned ones."""
    aes, accounts = table("account_executives"), table("accounts")
    mine = select(aes.c.id).where(aes.c.name == ae_name)
    query = select(accounts.c.id).where(or_(accounts.c.ae_id.in_(mine), accounts.c.backup_ae_id.in_(mine)))
    found = set(server.execute(query).scalars())
    if pins:
        found |= set(server.execute(select(accounts.c.id).where(accounts.c.id.in_(list(pins)))).scalars())
    return found


def ae_known(server: Connection, ae_name: str) -> bool:
    """Whether the server lists an AE of that name."""
    aes = table("account_executives")
    return server.execute(select(aes.c.id).where(aes.c.name == ae_name).limit(1)).first() is not None


def read_changes(
    server: Connection,
    known: Collection[uuid.UUID],
    new: Collection[uuid.UUID],
    cursor: int,
    high: int,
    pushed: PushOutcome | None = None,
) -> PulledRows:
    """The rows of the laptop's accounts to bring down: changed since `cursor` for `known` accounts, all of
    them for `new` ones; each up to stamp `high`. With the `pushed` outcome of this sync's push, the rows it
    stamped are left out but for the records it merged with other changes, read by key."""
    rows: dict[str, list[Mapping[Any, Any]]] = {}
    for item in REPLICATED:
        target = item.table
        upto = target.c.sync_seq <= high
        changed = and_(target.c.sync_seq > cursor, upto)
        if pushed is not None and pushed.stamped is not None:
            changed = and_(changed, not_(target.c.sync_seq.between(*pushed.stamped)))
        if item.name == "account_executives":  # every laptop has every AE (names on records)
            queries = [select(target).where(changed)]
        else:  # two queries, not one with OR: each gets its own plan (an index range, or a semi-join)
            queries = [select(target).where(changed, in_scope(item, list(known)))] if known else []
            if new:
                queries.append(select(target).where(upto, in_scope(item, list(new))))
        merged = pushed.merged.get(item.name, []) if pushed is not None else []
        for start in range(0, len(merged), CHUNK):
            queries.append(select(target).where(target.c[item.key].in_(merged[start : start + CHUNK])))
        rows[item.name] = [row._mapping for query in queries for row in server.execute(query)]
    deletions_table = table("sync_deletions")
    between = and_(deletions_table.c.seq > cursor, deletions_table.c.seq <= high)
    found_deletions = server.execute(select(deletions_table).where(between).order_by(deletions_table.c.seq))
    deletions = [(row.table_name, row.row_key) for row in found_deletions]
    return PulledRows(rows, deletions, high)


def apply_changes(local: Connection, pulled: PulledRows) -> int:
    """Write the pulled rows into the laptop's database (outbox quiet; the notes' search entries rewritten in
    bulk at the end); returns the rows written."""
    pending = {(row.table_name, row.row_key) for row in local.execute(select(table("sync_outbox")))}
    written = 0
    with quiet_outbox(local), notes_search_deferred(local) as searched_notes:
        for item in REPLICATED:
            # One row per key, the last read (a record merged by this sync's push is read twice); none the
            # laptop changed again during the sync: the next push merges those.
            rows = {key_text(row[item.key]): row for row in pulled.rows.get(item.name, [])}
            kept = [row for key, row in rows.items() if (item.name, key) not in pending]
            if kept:
                writer = LocalWrite(local, item, list(kept[0]), SEARCHED.get(item.name, ()))
                writer.run(kept)
                if item.name == "notes":
                    searched_notes |= writer.touched
            written += len(kept)
        for table_name, row_key in pulled.deletions:
            item = BY_NAME[table_name]
            local.execute(item.table.delete().where(item.table.c[item.key] == key_value(item, row_key)))
            if table_name == "notes":
                searched_notes.add(row_key)
            written += 1
    return written
