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
    CenterCode,
    CTPATTier,
    ExamType,
    HoldCategory,
    HoldOwner,
    NoteKind,
    PartnershipState,
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
