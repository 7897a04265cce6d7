"""The laptop's sync bookkeeping: the one `sync_state` row, and quieting the outbox triggers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

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
    """Within the caller's transaction: writes to synced tables are not queued for a push (rows pulled from
    the server, a generated demo portfolio). Only SQLite databases have the outbox triggers."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.execute(update(STATE).where(STATE.c.id == 1).values(applying=1))
    try:
        yield
    finally:
        connection.execute(update(STATE).where(STATE.c.id == 1).values(applying=0))
