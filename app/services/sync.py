"""Synchronise the local database with the Center's team server (docs/sync.md; CONTRACTS §2 `sync`).

One sync: push the outbox to the server in one server transaction, then pull what changed on the server for
the laptop's accounts since the last cursor. The local side is one transaction around both, committed after
the server's: if the laptop fails between the two commits, the outbox is still there and the retried push
finds the server already holding its values (no duplicate, no loss, no false conflict).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.domain.errors import UserError
from app.services.identity import current_user
from app.services.workspace import Workspace
from app.store.bulk import table
from app.store.queries.metrics import bump_trade_data_version
from app.store.sync.codec import load_value
from app.store.sync.pull import apply_changes, read_changes, scope_accounts, stamp_high
from app.store.sync.push import clear_sent, push, record_conflicts
from app.store.sync.state import read_state, save_state
from app.store.sync.tables import BY_NAME


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pulled: int
    conflicts: int  # unresolved conflicts after this sync
    accounts: int  # accounts in the laptop's scope

    def to_json(self) -> dict[str, int]:
        return {"pushed": self.pushed, "pulled": self.pulled, "conflicts": self.conflicts}


@dataclass(frozen=True)
class Conflict:
    id: int
    table_name: str
    row_key: str
    field: str
    base: Any
    mine: Any
    theirs: Any
    detected_at: datetime

    def to_json(self) -> dict[str, Any]:
        plain = {name: _plain(getattr(self, name)) for name in ("base", "mine", "theirs")}
        return {
            "id": self.id,
            "table": self.table_name,
            "row": self.row_key,
            "field": self.field,
            **plain,
            "detected_at": self.detected_at.isoformat(timespec="seconds"),
        }


def sync(ws: Workspace, server_url: str, *, user: str | None = None) -> SyncResult:
    """Push, then pull (module docstring). `user` is the AE whose accounts the laptop replicates."""
    if ws.dialect != "sqlite":
        raise UserError("sync runs on a laptop's local SQLite database, not on the server itself")
    ae_name = current_user() if user is None else user
    server_ws = Workspace.open(server_url)
    try:
        if server_ws.dialect != "postgresql":
            raise UserError("the team server must be a PostgreSQL database (postgresql+psycopg://…)")
        return _sync(ws, server_ws, server_url, ae_name)
    finally:
        server_ws.close()


def _sync(ws: Workspace, server_ws: Workspace, server_url: str, ae_name: str) -> SyncResult:
    now = datetime.now(UTC).replace(tzinfo=None)
    with ws.database.engine.begin() as local, server_ws.database.engine.connect() as server:
        state = read_state(local)
        cursor = state.cursor if state.server in ("", server_url) else 0
        with server.begin():
            pushed = push(local, server)
        clear_sent(local, pushed.sent)
        record_conflicts(local, pushed.conflicts, now)
        with server.begin():
            high = stamp_high(server)
        pins = set(local.execute(select(table("sync_pins").c.account_id)).scalars())
        known = set(local.execute(select(table("sync_scope").c.account_id)).scalars())
        with server.begin():
            scope = scope_accounts(server, ae_name, pins)
            pulled = read_changes(server, known & scope, scope - known, cursor, high)
        written = apply_changes(local, pulled)
        _remember_scope(local, scope - known)
        if pulled.count:
            bump_trade_data_version(local)
        save_state(local, server_url, high, now)
        open_conflicts = _unresolved(local)
    return SyncResult(pushed.pushed, written, open_conflicts, len(scope))


def _remember_scope(local: Any, accounts: set[uuid.UUID]) -> None:
    if accounts:
        local.execute(table("sync_scope").insert(), [{"account_id": account} for account in sorted(accounts)])


def _unresolved(local: Any) -> int:
    listed = table("sync_conflicts")
    return len(local.execute(select(listed.c.id).where(listed.c.resolved_at.is_(None))).all())


def list_conflicts(ws: Workspace) -> list[Conflict]:
    """Unresolved sync conflicts, oldest first."""
    listed = table("sync_conflicts")
    query = select(listed).where(listed.c.resolved_at.is_(None)).order_by(listed.c.id)
    with ws.database.engine.connect() as connection:
        rows = connection.execute(query).all()
    found = []
    for row in rows:
        target = BY_NAME[row.table_name].table
        sides = {
            name: load_value(target, row.field, getattr(row, name)) for name in ("base", "mine", "theirs")
        }
        found.append(
            Conflict(row.id, row.table_name, row.row_key, row.field, detected_at=row.detected_at, **sides)
        )
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value
