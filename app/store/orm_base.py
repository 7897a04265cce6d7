"""The declarative base and the columns every synced row carries (see orm.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    MetaData,
    Uuid,
    func,
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from app.domain.ids import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SyncedMixin:
    """Columns every row that syncs with a team server carries.

    `version` is the mapper's version counter: every ORM update bumps it and checks the old value, so two
    writers cannot silently overwrite each other (and sync can tell which side changed). `updated_at` follows
    every ORM update. Bulk Core writes (demo, imports) set both themselves.
    """

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=sql_text("1"))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # the team server's change stamp of this row (migration 0009, docs/sync.md)
    sync_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}
