"""SQLAlchemy 2 models: the schema that the Alembic migrations in `db/versions` create.

Portable by design: the same models run on SQLite and PostgreSQL. Enumerations are stored as short strings
(the `StrEnum` values) so that adding a member needs no schema change. Money is integer cents. Rows that will
sync with a team server carry a time-ordered UUID key, a `version`, an `updated_at` and a `deleted_at`
tombstone (`SyncedMixin`); they are never hard-deleted.

Nothing outside `app.store` sees these classes: queries map rows to `app.domain.model` dataclasses. The
declarative base (orm_base.py), the reference tables (orm_reference.py), the sync tables (orm_sync.py) and the
audit trail's (orm_audit.py) are in modules of their own and re-exported here.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text as sql_text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.ids import uuid7
from app.store.orm_audit import AUDITED_TABLES as AUDITED_TABLES, AuditRow as AuditRow

# The base, the reference tables and the sync tables live in their own modules; callers keep writing
# orm.Base, orm.CenterRow, orm.SyncOutboxRow.
from app.store.orm_base import (
    NAMING_CONVENTION as NAMING_CONVENTION,
    Base as Base,
    SyncedMixin as SyncedMixin,
)
from app.store.orm_reference import (
    AgencyRow as AgencyRow,
    CenterRow as CenterRow,
    ComplianceEventTypeRow as ComplianceEventTypeRow,
    CountryRow as CountryRow,
    DispositionCodeRow as DispositionCodeRow,
    EntryTypeRow as EntryTypeRow,
    HoldCategoryRow as HoldCategoryRow,
    PortRow as PortRow,
    TransportModeRow as TransportModeRow,
)
from app.store.orm_sync import (
    SyncConflictRow as SyncConflictRow,
    SyncDeletionRow as SyncDeletionRow,
    SyncOutboxRow as SyncOutboxRow,
    SyncPinRow as SyncPinRow,
    SyncScopeRow as SyncScopeRow,
    SyncStateRow as SyncStateRow,
)

# --- the AE's portfolio (synced) --------------------------------------------------------------------------


class AccountExecutiveRow(SyncedMixin, Base):
    __tablename__ = "account_executives"
    name: Mapped[str] = mapped_column(String(120))
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    signature: Mapped[str] = mapped_column(Text, default="")


class AccountRow(SyncedMixin, Base):
    __tablename__ = "accounts"
    name: Mapped[str] = mapped_column(String(200))
    dba: Mapped[str] = mapped_column(String(200), default="")
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"), index=True)
    ae_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("account_executives.id"), index=True)
    backup_ae_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("account_executives.id"))
    industry_segment: Mapped[str] = mapped_column(String(120), default="")
    primary_hts_chapters: Mapped[str] = mapped_column(String(120), default="")
    risk_segment: Mapped[str] = mapped_column(String(8), default="medium")
    status: Mapped[str] = mapped_column(String(8), default="active")
    action_plan_summary: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    country: Mapped[str] = mapped_column(String(2), default="US")
    created_by_import: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_accounts_name", "name"),)


class ImporterNumberRow(SyncedMixin, Base):
    __tablename__ = "importer_numbers"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    raw: Mapped[str] = mapped_column(String(20), default="")
    normalized: Mapped[str] = mapped_column(String(12), unique=True)
    ior_type: Mapped[str] = mapped_column(String(12))
    suffix: Mapped[str] = mapped_column(String(2), default="")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PartnershipStatusRow(SyncedMixin, Base):
    __tablename__ = "partnership_statuses"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    program: Mapped[str] = mapped_column(String(24))
    tier: Mapped[str] = mapped_column(String(8), default="NONE")
    state: Mapped[str] = mapped_column(String(16))
    effective_on: Mapped[date] = mapped_column(Date)
    certified_on: Mapped[date | None] = mapped_column(Date)
    last_validated_on: Mapped[date | None] = mapped_column(Date)
    next_validation_due: Mapped[date | None] = mapped_column(Date)
    annual_notification_due: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_partnership_account_program", "account_id", "program", "effective_on"),)


class ContactRow(SyncedMixin, Base):
    __tablename__ = "contacts"
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32))
    organization: Mapped[str] = mapped_column(String(120), default="")
    agency_code: Mapped[str] = mapped_column(String(12), default="")
    port_code: Mapped[str] = mapped_column(String(4), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class ImportBatchRow(Base):
    __tablename__ = "import_batches"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(12))
    source_name: Mapped[str] = mapped_column(String(400))
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    accounts_created: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    column_mapping: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(120), default="", server_default="")


class ImportChangeRow(Base):
    """One record an import inserted into a synced table or changed anywhere (migration 0007).

    `before` is the record's earlier values as JSON (NULL: the import inserted it); `after_version` the
    `version` the import left on a synced record, so undo can see a later edit. Trade rows an import inserts
    are marked by their `import_batch_id` instead.
    """

    __tablename__ = "import_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("import_batches.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_key: Mapped[str] = mapped_column(Text)
    before: Mapped[str | None] = mapped_column(Text)
    after_version: Mapped[int | None] = mapped_column(Integer)


# --- trade data (from ACE / broker extracts; not synced, re-importable) -----------------------------------


class EntryRow(Base):
    __tablename__ = "entries"
    entry_number: Mapped[str] = mapped_column(String(11), primary_key=True)
    filer_code: Mapped[str] = mapped_column(String(3))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    importer_number: Mapped[str] = mapped_column(String(12))
    entry_type: Mapped[str] = mapped_column(String(2))
    port_of_entry: Mapped[str] = mapped_column(String(4))
    port_of_unlading: Mapped[str] = mapped_column(String(4), default="")
    mode_of_transport: Mapped[str] = mapped_column(String(2), default="")
    entry_date: Mapped[date] = mapped_column(Date)
    arrival_date: Mapped[date | None] = mapped_column(Date)
    release_date: Mapped[date | None] = mapped_column(Date)
    summary_date: Mapped[date | None] = mapped_column(Date)
    liquidation_status: Mapped[str] = mapped_column(String(16), default="UNLIQUIDATED")
    liquidation_date: Mapped[date | None] = mapped_column(Date)
    team_number: Mapped[str] = mapped_column(String(3), default="")
    entered_value_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    duty_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    fees_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    adcvd_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    taxes_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    bond_type: Mapped[str] = mapped_column(String(1), default="")
    payment_type: Mapped[str] = mapped_column(String(1), default="")
    import_batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("import_batches.id"))

    sync_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)  # as on synced rows
    __table_args__ = (
        # one account's entries by date; 12-month aggregates per account
        Index("ix_entries_account_date", "account_id", "entry_date"),
        Index("ix_entries_port_date", "port_of_entry", "entry_date"),
        Index("ix_entries_import_batch_id", "import_batch_id"),
        # the Entries grid over the whole portfolio: each sort column, then the tie-break (migration 0006)
        Index("ix_entries_date_number", "entry_date", "entry_number"),
        Index("ix_entries_type_number", "entry_type", "entry_number"),
        Index("ix_entries_port_number", "port_of_entry", "entry_number"),
        Index("ix_entries_mode_number", "mode_of_transport", "entry_number"),
        Index("ix_entries_release_number", "release_date", "entry_number"),
    )


class EntryLineRow(Base):
    __tablename__ = "entry_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_number: Mapped[str] = mapped_column(ForeignKey("entries.entry_number", ondelete="CASCADE"))
    line_number: Mapped[int] = mapped_column(Integer)
    country_of_origin: Mapped[str] = mapped_column(String(2), default="")
    mid: Mapped[str] = mapped_column(String(15), default="")
    spi: Mapped[str] = mapped_column(String(2), default="")
    entered_value_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    duty_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # the import that inserted the line; a marker for undo, without a foreign key or index (migration 0007)
    import_batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # the HTS number of the line's first tariff row (lowest ordinal), kept by the writers of tariffs so the
    # grid can sort by it through an index (migration 0008); NULL for a line without tariffs
    first_hts_number: Mapped[str | None] = mapped_column(String(10))

    sync_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)  # as on synced rows
    __table_args__ = (
        UniqueConstraint("entry_number", "line_number"),
        # the Entries grid over the whole portfolio: each sort column, then the tie-break (migration 0006)
        Index("ix_entry_lines_country", "country_of_origin", "entry_number", "line_number"),
        Index("ix_entry_lines_mid", "mid", "entry_number", "line_number"),
        Index("ix_entry_lines_value", "entered_value_cents", "entry_number", "line_number"),
        Index("ix_entry_lines_duty", "duty_cents", "entry_number", "line_number"),
        Index("ix_entry_lines_line_number", "line_number", "entry_number"),
        Index("ix_entry_lines_first_hts", "first_hts_number", "entry_number", "line_number"),
    )


class LineTariffRow(Base):
    __tablename__ = "line_tariffs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("entry_lines.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer, default=1)
    hts_number: Mapped[str] = mapped_column(String(10))
    duty_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # an ES-003 row is one line x tariff number with its own goods value; the line's value is their sum
    entered_value_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    import_batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # as on entry_lines

    sync_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)  # as on synced rows
    __table_args__ = (UniqueConstraint("line_id", "hts_number"), Index("ix_line_tariffs_hts", "hts_number"))


class HoldRow(Base):
    __tablename__ = "holds"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    entry_number: Mapped[str] = mapped_column(ForeignKey("entries.entry_number"))
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id")
    )  # copied from the entry for speed
    port_code: Mapped[str] = mapped_column(String(4))
    category: Mapped[str] = mapped_column(String(24))
    owner: Mapped[str] = mapped_column(String(8))
    agency_code: Mapped[str] = mapped_column(String(12), default="CBP")
    disposition_code: Mapped[str] = mapped_column(String(2), default="")
    status_text: Mapped[str] = mapped_column(String(200), default="")
    placed_at: Mapped[datetime] = mapped_column(DateTime)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(20), default="OPEN")
    exam_type: Mapped[str] = mapped_column(String(16), default="NONE")
    exam_location: Mapped[str] = mapped_column(String(120), default="")
    detention_notice_on: Mapped[date | None] = mapped_column(Date)
    import_batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("import_batches.id"))

    sync_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)  # as on synced rows
    __table_args__ = (
        UniqueConstraint("entry_number", "category", "placed_at"),
        # the held-shipments board: open holds by age, and per account
        Index(
            "ix_holds_open_placed",
            "placed_at",
            sqlite_where=sql_text("removed_at IS NULL"),
            postgresql_where=sql_text("removed_at IS NULL"),
        ),
        Index("ix_holds_account_placed", "account_id", "placed_at"),
        Index("ix_holds_import_batch_id", "import_batch_id"),
    )


# --- the AE's own records (synced) ------------------------------------------------------------------------


class NoteRow(SyncedMixin, Base):
    __tablename__ = "notes"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(120), default="")
    entry_number: Mapped[str | None] = mapped_column(String(11))
    hold_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("holds.id"))
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_done: Mapped[bool] = mapped_column(Boolean, default=False)
    include_in_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_notes_account_created", "account_id", "created_at"),
        Index(
            "ix_notes_open_follow_up",
            "follow_up_on",
            sqlite_where=sql_text("follow_up_on IS NOT NULL AND follow_up_done = 0"),
            postgresql_where=sql_text("follow_up_on IS NOT NULL AND NOT follow_up_done"),
        ),
        Index("ix_notes_hold_id", "hold_id"),
        Index("ix_notes_entry_number", "entry_number"),
    )


class ComplianceEventRow(SyncedMixin, Base):
    __tablename__ = "compliance_events"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    event_type: Mapped[str] = mapped_column(String(24))
    reference: Mapped[str] = mapped_column(String(80), default="")
    entry_number: Mapped[str | None] = mapped_column(String(11))
    opened_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    responded_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    loss_of_revenue_cents: Mapped[int | None] = mapped_column(BigInteger)
    proposed_cents: Mapped[int | None] = mapped_column(BigInteger)
    assessed_cents: Mapped[int | None] = mapped_column(BigInteger)
    mitigated_cents: Mapped[int | None] = mapped_column(BigInteger)
    paid_cents: Mapped[int | None] = mapped_column(BigInteger)
    culpability: Mapped[str] = mapped_column(String(20), default="NA")
    outcome: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("import_batches.id"))

    __table_args__ = (
        Index("ix_compliance_account_opened", "account_id", "opened_on"),
        Index(
            "ix_compliance_open_due",
            "due_on",
            sqlite_where=sql_text("closed_on IS NULL"),
            postgresql_where=sql_text("closed_on IS NULL"),
        ),
    )


class ActionItemRow(SyncedMixin, Base):
    __tablename__ = "action_items"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    issue: Mapped[str] = mapped_column(Text)
    root_cause: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    position: Mapped[int] = mapped_column(Integer, default=0)


# --- derived data (a cache rebuilt from the tables above; never synced) -----------------------------------


class AccountMetricsRow(Base):
    """Per live account, the figures of the 12 months `period_start`..`period_end` (both inclusive).

    A snapshot rebuilt as a whole by `app.store.queries.metrics.refresh_account_metrics`: the trade tables
    change only on imports, so the portfolio reads these instead of aggregating a million lines per look.
    `data_version` is the `meta` trade data version the rows were computed from.
    """

    __tablename__ = "account_metrics"
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    entries: Mapped[int] = mapped_column(Integer)
    lines: Mapped[int] = mapped_column(Integer)
    entered_value_cents: Mapped[int] = mapped_column(BigInteger)
    duty_cents: Mapped[int] = mapped_column(BigInteger)
    exam_entries: Mapped[int] = mapped_column(Integer)
    held_entries: Mapped[int] = mapped_column(Integer)
    cm_discrepancies: Mapped[int] = mapped_column(Integer)
    cf28_count: Mapped[int] = mapped_column(Integer)
    hold_days_median: Mapped[float | None] = mapped_column(Float)
    hold_days_p90: Mapped[float | None] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    data_version: Mapped[int] = mapped_column(Integer)


class MetaRow(Base):
    """Small key/value facts about the database: reference data version, demo seed, data-as-of."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


SYNCED_TABLES = (
    "accounts",
    "importer_numbers",
    "contacts",
    "partnership_statuses",
    "notes",
    "action_items",
    "compliance_events",
    "account_executives",
)
