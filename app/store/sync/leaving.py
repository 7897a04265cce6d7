"""Accounts that left a laptop's scope (reassigned to another AE, or no longer pinned): their records go.

The laptop replicates its AE's accounts; a stale copy of someone else's account would sit in the portfolio as
if it were still the AE's, no longer updated, and travel with the laptop. The sync pushes first, so nothing
the AE changed on such an account is lost: it is on the server. Its records are deleted children first with
the outbox quiet (a deletion here is not news for the server), the notes' search entries going with them
through their triggers, and unresolved conflicts about them are dropped (nothing is left to resolve).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import Connection, String, select, type_coerce

from app.store.bulk import table
from app.store.sync.state import quiet_outbox
from app.store.sync.tables import REPLICATED, in_scope


def drop_accounts(local: Connection, accounts: Collection[uuid.UUID]) -> list[str]:
    """Delete `accounts` and every record of theirs from the laptop; returns their names, sorted."""
    if not accounts:
        return []
    chosen = list(accounts)
    names = table("accounts")
    found = sorted(local.execute(select(names.c.name).where(names.c.id.in_(chosen))).scalars())
    conflicts = table("sync_conflicts")
    with quiet_outbox(local):
        for item in reversed(REPLICATED):
            if item.name == "account_executives":
                continue
            target = item.table
            if item.synced:
                keys = select(type_coerce(target.c[item.key], String)).where(in_scope(item, chosen))
                about = (conflicts.c.table_name == item.name) & conflicts.c.row_key.in_(keys)
                local.execute(conflicts.delete().where(about, conflicts.c.resolved_at.is_(None)))
            local.execute(target.delete().where(in_scope(item, chosen)))
    scope = table("sync_scope")
    local.execute(scope.delete().where(scope.c.account_id.in_(chosen)))
    return found
