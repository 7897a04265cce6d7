"""The entities an Account Executive works with (DOMAIN.md §9.1), as plain frozen dataclasses.

These are what the store returns and what services, reports and the UI pass around; they carry no database
session. Money is held in integer cents (`*_cents`) so sums are exact on every backend. Date-times of customs
events (hold placed/removed) are the port's local wall-clock time as the extract gives it; `created_at` /
`updated_at` are UTC. Both are naive `datetime`s.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.enums import (
    AccountStatus,
    ActionStatus,
    CenterCode,
    ComplianceEventType,
    ContactRole,
    CTPATTier,
    Culpability,
    ExamType,
    HoldCategory,
    HoldOutcome,
    HoldOwner,
    ImportKind,
    IORType,
    LiquidationStatus,
    NoteKind,
    PartnershipState,
    Program,
    RiskSegment,
)


@dataclass(frozen=True, slots=True)
class Center:
    code: CenterCode
    name: str
    industry: str
    office: str
    office_port: str
    hts_chapters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AccountExecutive:
    id: uuid.UUID
    name: str
    center: CenterCode
    email: str = ""
    phone: str = ""
    signature: str = ""


@dataclass(frozen=True, slots=True)
class AccountImporterNumber:
    """One IOR number of an account; `normalized` is unique across the database."""

    id: uuid.UUID
    account_id: uuid.UUID
    normalized: str
    ior_type: IORType
    raw: str = ""
    suffix: str = ""
    is_primary: bool = False
    active: bool = True


@dataclass(frozen=True, slots=True)
class Account:
    id: uuid.UUID
    name: str
    center: CenterCode
    dba: str = ""
    ae_id: uuid.UUID | None = None
    backup_ae_id: uuid.UUID | None = None
    industry_segment: str = ""
    primary_hts_chapters: str = ""
    risk_segment: RiskSegment = RiskSegment.MEDIUM
    status: AccountStatus = AccountStatus.ACTIVE
    action_plan_summary: str = ""
    city: str = ""
    state: str = ""
    country: str = "US"
    created_by_import: bool = False
    version: int = 1


@dataclass(frozen=True, slots=True)
class PartnershipStatus:
    """One row of an account's program history: programs are suspended and reinstated, so history matters."""

    id: uuid.UUID
    account_id: uuid.UUID
    program: Program
    state: PartnershipState
    effective_on: date
    tier: CTPATTier = CTPATTier.NONE
    certified_on: date | None = None
    last_validated_on: date | None = None
    next_validation_due: date | None = None
    annual_notification_due: date | None = None
    reference: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    id: uuid.UUID
    name: str
    role: ContactRole
    account_id: uuid.UUID | None = None
    organization: str = ""
    agency_code: str = ""
    port_code: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class LineTariff:
    ordinal: int
    hts_number: str
    duty_cents: int = 0


@dataclass(frozen=True, slots=True)
class EntryLine:
    entry_number: str
    line_number: int
    country_of_origin: str = ""
    mid: str = ""
    spi: str = ""
    entered_value_cents: int = 0
    duty_cents: int = 0
    tariffs: tuple[LineTariff, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    entry_number: str  # canonical XXXNNNNNNNC
    account_id: uuid.UUID
    importer_number: str
    entry_type: str
    port_of_entry: str
    entry_date: date
    filer_code: str = ""
    port_of_unlading: str = ""
    mode_of_transport: str = ""
    arrival_date: date | None = None
    release_date: date | None = None
    summary_date: date | None = None
    liquidation_status: LiquidationStatus = LiquidationStatus.UNLIQUIDATED
    liquidation_date: date | None = None
    team_number: str = ""
    entered_value_cents: int = 0
    duty_cents: int = 0
    fees_cents: int = 0
    adcvd_cents: int = 0
    taxes_cents: int = 0
    bond_type: str = ""
    payment_type: str = ""
    lines: tuple[EntryLine, ...] = ()


@dataclass(frozen=True, slots=True)
class Hold:
    id: uuid.UUID
    entry_number: str
    account_id: uuid.UUID
    category: HoldCategory
    owner: HoldOwner
    port_code: str
    placed_at: datetime
    removed_at: datetime | None = None
    agency_code: str = "CBP"
    disposition_code: str = ""
    status_text: str = ""
    outcome: HoldOutcome = HoldOutcome.OPEN
    exam_type: ExamType = ExamType.NONE
    exam_location: str = ""
    detention_notice_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.removed_at is None


@dataclass(frozen=True, slots=True)
class Note:
    """An AE activity: a call, email, meeting, site visit or plain note, optionally with a follow-up."""

    id: uuid.UUID
    account_id: uuid.UUID
    kind: NoteKind
    text: str
    author: str
    created_at: datetime
    entry_number: str | None = None
    hold_id: uuid.UUID | None = None
    follow_up_on: date | None = None
    follow_up_done: bool = False
    include_in_summary: bool = False
    sensitive: bool = False


@dataclass(frozen=True, slots=True)
class ComplianceEvent:
    id: uuid.UUID
    account_id: uuid.UUID
    event_type: ComplianceEventType
    opened_on: date
    reference: str = ""
    entry_number: str | None = None
    due_on: date | None = None
    responded_on: date | None = None
    closed_on: date | None = None
    amount_cents: int | None = None
    loss_of_revenue_cents: int | None = None
    proposed_cents: int | None = None
    assessed_cents: int | None = None
    mitigated_cents: int | None = None
    paid_cents: int | None = None
    culpability: Culpability = Culpability.NA
    outcome: str = ""
    description: str = ""

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


@dataclass(frozen=True, slots=True)
class ActionItem:
    """One line of an account's action plan: issue → root cause → action → owner → due → status."""

    id: uuid.UUID
    account_id: uuid.UUID
    issue: str
    action: str
    root_cause: str = ""
    owner: str = ""
    due_on: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    position: int = 0


@dataclass(frozen=True, slots=True)
class ImportBatch:
    id: uuid.UUID
    kind: ImportKind
    source_name: str
    imported_at: datetime
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    accounts_created: int = 0
    warnings: tuple[str, ...] = ()
    column_mapping: dict[str, str] = field(default_factory=dict)
    undone_at: datetime | None = None
