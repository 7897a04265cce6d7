"""Copy some accounts, with everything that hangs off them, from one database into a fresh one (a trip pack).

The tables and their order are the team server's (`sync.tables.REPLICATED`: parents before children) and so is
the choice of rows (`in_scope`: the accounts' own rows, their entries' lines and tariffs, and every AE). Rows
are read and written a chunk at a time, so a busy account's million lines never sit in memory at once. The
target's outbox triggers are kept quiet: a pack is a copy to read, not a set of edits waiting for a push.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from app.store.bulk import table
from app.store.queries.metrics import FINGERPRINT_KEY
from app.store.sync.state import quiet_outbox
from app.store.sync.tables import REPLICATED, Replicated, in_scope

CHUNK = 2_000
# Import history stays home: the pack cannot undo an import, so its trade rows point at no batch.
_DROPPED_LINKS = ("import_batch_id",)
# Facts that describe the source's own bookkeeping, recomputed in the pack rather than copied.
_LOCAL_META = frozenset({FINGERPRINT_KEY})


def copy_accounts(
    source: Connection, target: Connection, account_ids: Collection[uuid.UUID]
) -> dict[str, int]:
    """Copy `account_ids` and their rows from `source` into `target` (a migrated, empty database), within
    the callers' transactions; returns the rows copied per table, and "meta" for the facts."""
    accounts = list(account_ids)
    counts: dict[str, int] = {}
    with quiet_outbox(target):
        for item in REPLICATED:
            counts[item.name] = _copy_table(source, target, item, accounts)
        counts["audit_log"] = _copy_history(source, target, accounts)
        counts["meta"] = _copy_meta(source, target)
    return counts


def _copy_history(source: Connection, target: Connection, accounts: list[uuid.UUID]) -> int:
    """The accounts' audit trail, so the pack's History tabs show it too."""
    audit = table("audit_log")
    query = select(audit).where(audit.c.account_id.in_(accounts)).order_by(audit.c.changed_at)
    copied = 0
    for chunk in source.execution_options(yield_per=CHUNK).execute(query).partitions():
        target.execute(insert(audit), [dict(row._mapping) for row in chunk])
        copied += len(chunk)
    return copied


def _copy_table(source: Connection, target: Connection, item: Replicated, accounts: list[uuid.UUID]) -> int:
    rows = item.table
    query = select(rows).where(in_scope(item, accounts)).order_by(rows.c[item.key])
    result = source.execution_options(yield_per=CHUNK).execute(query)
    copied = 0
    for chunk in result.partitions():
        target.execute(insert(rows), list(_plain_rows(chunk)))
        copied += len(chunk)
    return copied


def _plain_rows(chunk: Iterable[Any]) -> Iterable[dict[str, Any]]:
    for row in chunk:
        values = dict(row._mapping)
        for name in _DROPPED_LINKS:
            if name in values:
                values[name] = None
        yield values


def _copy_meta(source: Connection, target: Connection) -> int:
    """The source's facts (data as of, demo seed, trade data version…) replace the fresh database's."""
    meta = table("meta")
    facts = [
        {"key": row.key, "value": row.value}
        for row in source.execute(select(meta.c.key, meta.c.value))
        if row.key not in _LOCAL_META
    ]
    if facts:
        target.execute(delete(meta).where(meta.c.key.in_([fact["key"] for fact in facts])))
        target.execute(insert(meta), facts)
    return len(facts)
