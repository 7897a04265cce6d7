"""Read models: the rows that lists, boards, search and reports show, computed by the store in one query.

Unlike the entities in `model.py` these are shaped for one screen each. Identifiers are already in their
display form (entry numbers `XXX-NNNNNNN-C`, importer numbers hyphenated, SSN-based ones masked), so no caller
can forget to format or mask them; the ids that navigation needs are kept alongside.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from app.domain.enums import (
    AccountStatus,
    CenterCode,
    ComplianceEventType,
    CTPATTier,
    ExamType,
    HoldCategory,
    HoldOutcome,
    HoldOwner,
    NoteKind,
    PartnershipState,
    Program,
    RiskSegment,
    ThresholdState,
)

SearchHitKind = Literal["account", "importer_number", "entry", "note"]


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """One account of the portfolio grid with its 12-month figures (window: the 365 days up to `today`).

    * `primary_importer_number`: the primary IOR (else the first live one) in display form, SSN-based masked;
      "" when the account has none.
    * `ctpat_tier` / `ctpat_state` / `next_validation_due`: from the latest CTPAT security status row (by
      `effective_on`); None when the account has no CTPAT history.
    * `trade_compliance_member`: the latest CTPAT Trade Compliance row is CERTIFIED or VALIDATED.
    * `exam_rate_12m`: entries with at least one examination hold ÷ entries; None without entries.
    * `compliance_rate_12m`: the app's reading of DOMAIN.md §2.6, "1 − significant CM discrepancies ÷ CM lines
      reviewed": 1 − CM_DISCREPANCY events opened in the window ÷ entry-summary lines of the entries dated in
      the window (ACE extracts do not say which lines Compliance Measurement reviewed, so all lines count).
      None when there are no such lines; never below 0.
    * `oldest_open_hold_age_days`: business days since the oldest open hold was placed (None without one).
    * `last_contact_at`: the newest call, email, meeting or visit note (UTC).
    """

    account_id: uuid.UUID
    name: str
    primary_importer_number: str
    center: CenterCode
    ctpat_tier: CTPATTier | None
    ctpat_state: PartnershipState | None
    trade_compliance_member: bool
    risk_segment: RiskSegment
    open_holds: int
    oldest_open_hold_placed_at: datetime | None
    oldest_open_hold_age_days: int | None
    entries_12m: int
    exam_rate_12m: float | None
    compliance_rate_12m: float | None
    next_validation_due: date | None
    last_contact_at: datetime | None


def exam_rate(examined_entries: int, entries: int) -> float | None:
    """Entries with at least one examination hold ÷ entries (DOMAIN.md §2.6); None without entries."""
    return examined_entries / entries if entries else None


def compliance_rate(cm_discrepancies: int, lines: int | None, *, has_lines: bool) -> float | None:
    """1 − CM discrepancies ÷ entry lines (the reading documented on `PortfolioRow`), clamped at 0.

    `lines` may be None when there are no discrepancies (the count is then not needed): the rate is 1 when the
    window has lines at all, None when it has none.
    """
    if cm_discrepancies == 0:
        return 1.0 if has_lines else None
    if not lines:
        return None
    return max(0.0, 1.0 - cm_discrepancies / lines)


@dataclass(frozen=True, slots=True)
class OpenHoldRow:
    """One line of the held-shipments board. `age_business_days` and `threshold` are as of the board's day."""

    hold_id: uuid.UUID
    entry_number: str  # display form
    account_id: uuid.UUID
    account_name: str
    port_code: str
    port_name: str  # "" when the code is not in Schedule D
    category: HoldCategory
    owner: HoldOwner
    agency_code: str
    disposition_code: str
    status_text: str
    placed_at: datetime
    age_business_days: int
    threshold: ThresholdState
    exam_type: ExamType
    exam_location: str
    # The AE's newest note on the hold (linked by hold id, else on its entry): filled by the board's page
    # query only; None elsewhere and when there is none.
    last_action_kind: NoteKind | None = None
    last_action_at: datetime | None = None  # UTC, naive (as notes are stored)


@dataclass(frozen=True, slots=True)
class EntrySummary:
    """One entry of an account's entry list: header figures, its line count, and whether it was ever held."""

    entry_number: str  # display form
    entry_date: date
    entry_type: str
    port_of_entry: str
    mode_of_transport: str
    release_date: date | None
    entered_value_cents: int
    duty_cents: int
    line_count: int
    has_hold: bool


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result. `ref` is what names the hit: the entry number or importer number (display form,
    SSN-based masked), the note id, or the account id for an account hit."""

    kind: SearchHitKind
    account_id: uuid.UUID
    account_name: str
    title: str
    detail: str
    ref: str


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Result of `db check`: `ok` when `problems` is empty; `revision` is "" for a never-migrated schema."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    revision: str = ""
    head: str = ""


# --- Account 360: header, overview, holds and compliance tabs ----------------------------------------------

DueState = Literal["overdue", "due_soon", "open", "done"]


@dataclass(frozen=True, slots=True)
class ProgramStatus:
    """One partnership status row: the current one per program in the header, every one in the history."""

    program: Program
    state: PartnershipState
    tier: CTPATTier
    effective_on: date
    certified_on: date | None = None
    last_validated_on: date | None = None
    next_validation_due: date | None = None
    annual_notification_due: date | None = None
    reference: str = ""


@dataclass(frozen=True, slots=True)
class AccountHeader:
    """What the top of an account view shows. `importer_numbers`: the live, active ones in display form
    (SSN-based masked), the primary first. `programs`: the latest status of each program the account has a
    history in, in `Program` order. AE names are "" when none is assigned. `created_by_import`: an import of
    entries made the account for an unknown importer; its name, Center and AE want checking."""

    account_id: uuid.UUID
    name: str
    dba: str
    importer_numbers: tuple[str, ...]
    center: CenterCode
    center_name: str
    ae_name: str
    backup_ae_name: str
    risk_segment: RiskSegment
    status: AccountStatus
    programs: tuple[ProgramStatus, ...]
    created_by_import: bool = False

    def program(self, program: Program) -> ProgramStatus | None:
        return next((status for status in self.programs if status.program == program), None)


@dataclass(frozen=True, slots=True)
class AccountKpis:
    """One account's 12-month figures (DOMAIN.md §2.6), entries dated in `period_start`..`period_end`.

    Rates are fractions, None without a denominator. Definitions as read here:
    * `exam_rate` / `hold_rate`: entries with at least one examination hold / any hold ÷ entries.
    * `first_time_release`: entries with a release date and no hold ÷ entries.
    * `hold_days_median` / `_p90`: business days from placed to removed, of holds removed in the period (as
      the portfolio counts them).
    * CF-28 / CF-29 / PSC / protest / penalty counts: compliance events opened in the period.
      `cf28_answered_in_30_days`: CF-28s answered within 30 days of issue ÷ CF-28s answered or past due.
    * `penalties`: 1592 penalties and liquidated damages claims; amounts are the sums recorded on them.
    * `compliance_rate`: as on `PortfolioRow`.
    """

    period_start: date
    period_end: date
    entries: int
    lines: int
    entered_value_cents: int
    duty_fees_cents: int
    exam_rate: float | None
    hold_rate: float | None
    first_time_release: float | None
    hold_days_median: float | None
    hold_days_p90: float | None
    cf28_count: int
    cf28_answered_in_30_days: float | None
    cf29_proposed: int
    cf29_taken: int
    psc_count: int
    protests: int
    protests_open: int
    penalties: int
    penalty_proposed_cents: int
    penalty_assessed_cents: int
    penalty_mitigated_cents: int
    compliance_rate: float | None


@dataclass(frozen=True, slots=True)
class MonthActivity:
    """One calendar month of the overview's small charts: `month` is its first day."""

    month: date
    entries: int
    holds_placed: int


@dataclass(frozen=True, slots=True)
class AccountOverview:
    kpis: AccountKpis
    months: tuple[MonthActivity, ...]  # 12 months, oldest first, the last one holding `kpis.period_end`


@dataclass(frozen=True, slots=True)
class AccountHoldRow:
    """One hold of an account, open or past. `dwell_business_days`: placed to removed, or to the list's day
    for an open hold; `threshold` is the open hold's clock state (None once removed)."""

    hold_id: uuid.UUID
    entry_number: str  # display form
    category: HoldCategory
    owner: HoldOwner
    agency_code: str
    port_code: str
    port_name: str
    placed_at: datetime
    removed_at: datetime | None
    dwell_business_days: int
    threshold: ThresholdState | None
    outcome: HoldOutcome
    disposition_code: str
    status_text: str
    exam_type: ExamType

    @property
    def is_open(self) -> bool:
        return self.removed_at is None


@dataclass(frozen=True, slots=True)
class AccountHolds:
    today: date
    holds: tuple[AccountHoldRow, ...]  # open first (oldest first), then past ones, newest placed first

    @property
    def open_count(self) -> int:
        return sum(1 for hold in self.holds if hold.is_open)


@dataclass(frozen=True, slots=True)
class ComplianceEventLine:
    """One compliance event of an account. `due_on` is the recorded due date, else the rule's
    (`deadlines.compliance_due_date`); `due_state`: "done" once responded or closed, "overdue" past the due
    date, "due_soon" within `today.RESPONSE_WINDOW_DAYS`, else "open"."""

    event_id: uuid.UUID
    event_type: ComplianceEventType
    type_label: str
    reference: str
    entry_number: str  # display form, "" when the event names none
    opened_on: date
    due_on: date | None
    responded_on: date | None
    closed_on: date | None
    amount_cents: int | None
    loss_of_revenue_cents: int | None
    proposed_cents: int | None
    assessed_cents: int | None
    mitigated_cents: int | None
    paid_cents: int | None
    outcome: str
    due_state: DueState


@dataclass(frozen=True, slots=True)
class AccountCompliance:
    today: date
    events: tuple[ComplianceEventLine, ...]  # newest opened first
    history: tuple[ProgramStatus, ...]  # by program, newest effective first


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One line of an account's audit trail, ready to show: `record` says what kind of record ("Note"),
    `summary` which one (a note's first words, a contact's name); `field` is "" for a record created or
    removed (`action` "insert" / "delete"). SSN-based importer numbers are masked in every value."""

    changed_at: datetime  # UTC
    changed_by: str
    record: str
    summary: str
    action: str  # insert, update, delete
    field: str
    before: str
    after: str
    sensitive: bool = False  # about a note marked sensitive: left out of reports by default

    @property
    def change(self) -> str:
        """What changed, as the History tab and the compliance workbook say it: "Added", "Removed", or the
        field."""
        return {"insert": "Added", "delete": "Removed"}.get(self.action, self.field)
