"""Synchronise the local database with the Center's team server (docs/sync.md; CONTRACTS §2 `sync`).

One sync: push the outbox to the server in one server transaction, then pull what changed on the server for
the laptop's accounts since the last cursor. The local side is one transaction around both, committed after
the server's: if the laptop fails between the two commits, the outbox is still there and the retried push
finds the server already holding its values (no duplicate, no loss, no false conflict).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from app.domain.errors import UserError
from app.services.identity import current_user
from app.services.team_server import connect_url, stored_url
from app.services.workspace import Workspace
from app.store.audit import record_user
from app.store.bulk import large_sqlite_cache
from app.store.queries.metrics import bump_trade_data_version
from app.store.sync.digest import DigestLine, SyncDigest, build_digest, holds_before
from app.store.sync.leaving import drop_accounts
from app.store.sync.pull import ae_known, apply_changes, read_changes, scope_accounts, stamp_high
from app.store.sync.push import clear_sent, push, record_conflicts
from app.store.sync.server import schema_problem
from app.store.sync.state import (
    pending_changes,
    pinned,
    read_state,
    remember_scope,
    save_state,
    scope_known,
    set_pinned,
    unresolved_conflicts,
)

LEFT_SCOPE = "no longer assigned to you: removed from this laptop (still on the team server)"


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pulled: int
    conflicts: int  # unresolved conflicts after this sync
    accounts: int  # accounts in the laptop's scope
    digest: SyncDigest  # what this sync brought ("since last sync")

    def to_json(self) -> dict[str, int]:
        return {"pushed": self.pushed, "pulled": self.pulled, "conflicts": self.conflicts}


def sync(ws: Workspace, server_url: str, *, user: str | None = None) -> SyncResult:
    """Push, then pull (module docstring). `user` is the AE whose accounts the laptop replicates. The
    password, when the URL has none, comes from the OS keyring (services/team_server.py)."""
    if ws.dialect != "sqlite":
        raise UserError("sync runs on a laptop's local SQLite database, not on the server itself")
    ae_name = current_user() if user is None else user
    address = stored_url(server_url)
    server_ws = Workspace.open(connect_url(server_url), migrate_schema=False)
    try:
        problem = schema_problem(server_ws.database.engine)
        if problem is not None:
            raise UserError(problem)
        return _sync(ws, server_ws, address, ae_name)
    finally:
        server_ws.close()


def _sync(ws: Workspace, server_ws: Workspace, server_url: str, ae_name: str) -> SyncResult:
    now = datetime.now(UTC).replace(tzinfo=None)
    with (
        ws.database.engine.begin() as local,
        large_sqlite_cache(local),  # a pull of 100k notes rewrites pages all over the notes' indexes
        server_ws.database.engine.connect() as server,
    ):
        state = read_state(local)
        cursor = state.cursor if state.server in ("", server_url) else 0
        with server.begin():
            record_user(server, ae_name)  # the team server's audit trail names the AE behind the push
            pushed = push(local, server)
        clear_sent(local, pushed.sent)
        record_conflicts(local, pushed.conflicts, now)
        with server.begin():
            high = stamp_high(server)
        pins, known = pinned(local), scope_known(local)
        with server.begin():
            scope = scope_accounts(server, ae_name, pins)
            if known - scope and not ae_known(server, ae_name):
                raise UserError(
                    f'The team server has no AE named "{ae_name}": check your name in Preferences › Team '
                    "server (or AE_WORKBENCH_USER). Nothing was removed from this laptop."
                )
            pulled = read_changes(server, known & scope, scope - known, cursor, high, pushed)
        removed = drop_accounts(local, known - scope)
        before = holds_before(local, pulled.rows["holds"])
        written = apply_changes(local, pulled)
        since = state.last_sync_at.date() if state.last_sync_at is not None and cursor else None
        digest = build_digest(local, pulled.rows, before, ae_name, since, date.today())
        digest.accounts_removed = [DigestLine(name, LEFT_SCOPE, now) for name in removed]
        remember_scope(local, scope - known)
        if pulled.count:
            bump_trade_data_version(local)
        save_state(local, server_url, high, now)
        open_conflicts = unresolved_conflicts(local)
    return SyncResult(pushed.pushed, written, open_conflicts, len(scope), digest)


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows: the server last synced with, when, and what waits to go up."""

    server: str
    last_sync_at: datetime | None
    pending: int
    conflicts: int


def sync_status(ws: Workspace) -> SyncStatus:
    with ws.database.engine.connect() as connection:
        state = read_state(connection)
        return SyncStatus(
            state.server, state.last_sync_at, pending_changes(connection), unresolved_conflicts(connection)
        )


def pin_account(ws: Workspace, account_id: uuid.UUID, pin: bool = True) -> None:
    """Keep an account on this laptop beyond the AE's own (or stop keeping it); the next sync pulls it."""
    with ws.database.engine.begin() as connection:
        set_pinned(connection, account_id, pin)


def pinned_accounts(ws: Workspace) -> set[uuid.UUID]:
    with ws.database.engine.connect() as connection:
        return pinned(connection)
