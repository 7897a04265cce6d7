"""The tables of sync with a team server (migration 0009, docs/sync.md; see orm.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.store.orm_base import Base

# --- sync with a team server (migration 0009, docs/sync.md) -------------------------------------------------


class SyncOutboxRow(Base):
    """A synced record changed locally since the last push; `base` its values before (JSON), NULL if new."""

    __tablename__ = "sync_outbox"
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    base: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class SyncConflictRow(Base):
    """A field both sides changed since the base: the server kept `theirs`, the laptop's value is `mine`."""

    __tablename__ = "sync_conflicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_key: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(64))
    base: Mapped[str | None] = mapped_column(Text)
    mine: Mapped[str | None] = mapped_column(Text)
    theirs: Mapped[str | None] = mapped_column(Text)
    detected_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolution: Mapped[str] = mapped_column(String(8), server_default="")

    __table_args__ = (Index("ix_sync_conflicts_row", "table_name", "row_key", "field"),)


class SyncStateRow(Base):
    """One row: the server last synced with, the change stamp pulled up to, when, and whether a pull is
    applying the server's rows (the outbox triggers stay quiet then) and rewriting the notes' search entries
    itself (the notes' full-text triggers stay quiet then: migration 0011)."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    server: Mapped[str] = mapped_column(Text, server_default="")
    cursor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime)
    applying: Mapped[int] = mapped_column(Integer, server_default="0")
    notes_search_deferred: Mapped[int] = mapped_column(Integer, server_default="0")


class SyncScopeRow(Base):
    """An account whose records this laptop has pulled."""

    __tablename__ = "sync_scope"
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class SyncPinRow(Base):
    """An account the AE pinned to the laptop beyond the accounts assigned to them."""

    __tablename__ = "sync_pins"
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class SyncDeletionRow(Base):
    """A trade row the server hard-deleted (an undone import), stamped like a change."""

    __tablename__ = "sync_deletions"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    table_name: Mapped[str] = mapped_column(String(32))
    row_key: Mapped[str] = mapped_column(String(40))
