"""The audit trail's table (migration 0012): one row per field changed, record created or record removed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.store.orm_base import Base

AUDITED_TABLES = (
    "accounts",
    "importer_numbers",
    "contacts",
    "partnership_statuses",
    "notes",
    "action_items",
    "compliance_events",
)


class AuditRow(Base):
    """Written by database triggers only (every writer is captured); read by the account's History tab and
    the compliance workbook. `field` is '' for a record created (`insert`: its fields as JSON in
    `new_value`) or removed (`delete`: in `old_value`)."""

    __tablename__ = "audit_log"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    changed_by: Mapped[str] = mapped_column(String(120))
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    table_name: Mapped[str] = mapped_column(String(32))
    row_key: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(8))  # insert, update, delete
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_log_account", "account_id", "changed_at"),)
