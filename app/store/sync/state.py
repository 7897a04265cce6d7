"""The laptop's sync bookkeeping: the one `sync_state` row, and quieting the outbox triggers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select, text, update

from app.store.bulk import table

STATE = table("sync_state")


@dataclass(frozen=True)
class SyncState:
    server: str
    cursor: int
    last_sync_at: datetime | None


def read_state(connection: Connection) -> SyncState:
    row = connection.execute(select(STATE).where(STATE.c.id == 1)).one()
    return SyncState(row.server, row.cursor, row.last_sync_at)


def save_state(connection: Connection, server: str, cursor: int, when: datetime) -> None:
    connection.execute(
        update(STATE).where(STATE.c.id == 1).values(server=server, cursor=cursor, last_sync_at=when)
    )


@contextmanager
def quiet_outbox(connection: Connection) -> Iterator[None]:
    """Within the caller's transaction: writes to synced tables are not queued for a push and not audited
    (rows pulled from the server, a generated demo portfolio: nobody's edit). SQLite: the outbox and audit
    triggers read `sync_state.applying`; PostgreSQL (no outbox): the audit trigger reads `ae.quiet`."""
    if connection.dialect.name != "sqlite":
        connection.execute(text("SELECT set_config('ae.quiet', 'on', true)"))  # until the transaction ends
        try:
            yield
        finally:
            connection.execute(text("SELECT set_config('ae.quiet', 'off', true)"))
        return
    connection.execute(update(STATE).where(STATE.c.id == 1).values(applying=1))
    try:
        yield
    finally:
        connection.execute(update(STATE).where(STATE.c.id == 1).values(applying=0))


def scope_known(connection: Connection) -> set[uuid.UUID]:
    """The accounts this laptop has pulled."""
    return set(connection.execute(select(table("sync_scope").c.account_id)).scalars())


def remember_scope(connection: Connection, accounts: set[uuid.UUID]) -> None:
    if accounts:
        rows = [{"account_id": account} for account in sorted(accounts)]
        connection.execute(table("sync_scope").insert(), rows)


def pinned(connection: Connection) -> set[uuid.UUID]:
    return set(connection.execute(select(table("sync_pins").c.account_id)).scalars())


def set_pinned(connection: Connection, account_id: uuid.UUID, pin: bool) -> None:
    pins = table("sync_pins")
    connection.execute(pins.delete().where(pins.c.account_id == account_id))
    if pin:
        connection.execute(pins.insert().values(account_id=account_id))


def pending_changes(connection: Connection) -> int:
    """Records changed locally and not pushed yet."""
    return int(connection.execute(select(func.count()).select_from(table("sync_outbox"))).scalar_one())


def unresolved_conflicts(connection: Connection) -> int:
    listed = table("sync_conflicts")
    query = select(func.count()).select_from(listed).where(listed.c.resolved_at.is_(None))
    return int(connection.execute(query).scalar_one())
