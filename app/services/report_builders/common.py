"""What every report dataset shares: when and for whom it was made, and the tables more than one report
prints (holds, compliance events, partnership history)."""

from __future__ import annotations

import calendar
import getpass
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.domain.deadlines import DECISION_BUSINESS_DAYS
from app.domain.enums import HoldCategory, PartnershipState
from app.domain.views import AccountHoldRow, ComplianceEventLine, OpenHoldRow, ProgramStatus
from app.reports.dataset import Column, RowStyle, Table, ValueKind
from app.services.report_builders import labels

K = ValueKind


@dataclass(frozen=True)
class Stamp:
    """The facts every page and workbook carries (CONTRACTS.md §5) and the day the figures are as of."""

    today: date
    generated_at: datetime  # naive UTC
    data_as_of: datetime | None
    generated_by: str
    marking: str


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no LOGNAME/USER and no passwd entry (some containers): leave it blank
        return ""


def months_back(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def owner_words(owner: str, agency_code: str) -> str:
    """`PORT` alone; a PGA hold names its agency (`PGA FDA`)."""
    return f"{owner} {agency_code}" if owner == "PGA" and agency_code else str(owner)


def status_words(code: str, text: str) -> str:
    """The disposition code and its status text, once: ACE's text often starts with the code already."""
    if not code or text.startswith(code):
        return text
    return f"{code} {text}".strip()


def account_open_holds_table(holds: Sequence[AccountHoldRow], *, title: str = "Open holds") -> Table:
    """An account's open holds, oldest first, with the clock state in words and as a row style."""
    open_holds = [hold for hold in holds if hold.is_open]
    open_holds.sort(key=lambda hold: hold.placed_at)
    columns = (
        Column("entry_number", "Entry", width=17),
        Column("category", "Category", width=16),
        Column("owner", "Owner", width=10),
        Column("port", "Port", width=20),
        Column("placed_at", "Placed", K.DATETIME, width=16),
        Column("age", "Age (business days)", K.INTEGER, width=12, highlight_from=DECISION_BUSINESS_DAYS),
        Column("threshold", "Threshold", width=26),
        Column("status", "Status", width=20),
    )
    rows = [
        (
            hold.entry_number,
            labels.code_words(hold.category),
            owner_words(hold.owner, hold.agency_code),
            f"{hold.port_code} {hold.port_name}".strip(),
            hold.placed_at,
            hold.dwell_business_days,
            labels.threshold_words(hold.category, hold.threshold),
            status_words(hold.disposition_code, hold.status_text),
        )
        for hold in open_holds
    ]
    styles = [labels.threshold_style(hold.threshold) for hold in open_holds]
    return Table(title, columns, rows, styles, sheet="Open holds", empty_text="No open holds.")


def board_holds_table(rows: Sequence[OpenHoldRow], *, title: str = "Open holds") -> Table:
    """Open holds across accounts (the held-shipments board's rows), in the order given."""
    columns = (
        Column("account", "Account", width=28),
        Column("entry_number", "Entry", width=17),
        Column("port", "Port", width=20),
        Column("category", "Category", width=16),
        Column("owner", "Owner", width=10),
        Column("placed_at", "Placed", K.DATETIME, width=16),
        Column("age", "Age (business days)", K.INTEGER, width=12, highlight_from=DECISION_BUSINESS_DAYS),
        Column("threshold", "Threshold", width=26),
        Column("last_action", "Last AE action", K.DATETIME, width=16),
    )
    values = [
        (
            row.account_name,
            row.entry_number,
            f"{row.port_code} {row.port_name}".strip(),
            labels.code_words(row.category),
            owner_words(row.owner, row.agency_code),
            row.placed_at,
            row.age_business_days,
            labels.threshold_words(HoldCategory(row.category), row.threshold),
            row.last_action_at,
        )
        for row in rows
    ]
    styles = [labels.threshold_style(row.threshold) for row in rows]
    return Table(title, columns, values, styles, sheet="Open holds", empty_text="No open holds.")


EVENT_COLUMNS = (
    Column("type", "Type", width=22),
    Column("reference", "Reference", width=14),
    Column("entry_number", "Entry", width=17),
    Column("opened_on", "Opened", K.DATE, width=11),
    Column("due_on", "Due", K.DATE, width=11),
    Column("responded_on", "Responded", K.DATE, width=11),
    Column("closed_on", "Closed", K.DATE, width=11),
    Column("state", "State", width=18),
    Column("proposed", "Proposed", K.MONEY, width=13),
    Column("assessed", "Assessed", K.MONEY, width=13),
    Column("outcome", "Outcome", width=18),
)


# The account summary prints portrait, read in a meeting: the columns that say what happened and what is due.
COMPACT_EVENT_KEYS = (
    "type",
    "entry_number",
    "opened_on",
    "due_on",
    "closed_on",
    "state",
    "assessed",
    "outcome",
)


def events_table(
    events: Sequence[ComplianceEventLine],
    *,
    title: str,
    sheet: str = "",
    empty_text: str = "None.",
    compact: bool = False,
) -> Table:
    """Compliance events in the order given; overdue ones ALERT, due within a week WARNING. `compact` keeps
    only COMPACT_EVENT_KEYS (eleven columns do not fit a portrait page without breaking dates)."""
    rows = [
        (
            event.type_label or labels.code_words(event.event_type),
            event.reference,
            event.entry_number,
            event.opened_on,
            event.due_on,
            event.responded_on,
            event.closed_on,
            labels.DUE_LABELS[event.due_state],
            event.proposed_cents,
            event.assessed_cents,
            event.outcome,
        )
        for event in events
    ]
    styles = [labels.DUE_STYLES[event.due_state] for event in events]
    if not compact:
        return Table(title, EVENT_COLUMNS, rows, styles, sheet=sheet, empty_text=empty_text)
    keep = [index for index, column in enumerate(EVENT_COLUMNS) if column.key in COMPACT_EVENT_KEYS]
    columns = [EVENT_COLUMNS[index] for index in keep]
    narrow = [tuple(row[index] for index in keep) for row in rows]
    return Table(title, columns, narrow, styles, sheet=sheet, empty_text=empty_text)


def history_table(
    history: Sequence[ProgramStatus], *, title: str, sheet: str = "", highlight: bool = False
) -> Table:
    """Partnership program statuses, one row each in the order given; with `highlight` (current statuses) a
    suspended or removed program is an ALERT row."""
    columns = (
        Column("program", "Program", width=22),
        Column("state", "State", width=14),
        Column("tier", "Tier", width=8),
        Column("effective_on", "Effective", K.DATE, width=11),
        Column("certified_on", "Certified", K.DATE, width=11),
        Column("last_validated_on", "Last validated", K.DATE, width=11),
        Column("next_validation_due", "Next validation due", K.DATE, width=11),
        Column("reference", "Reference", width=14),
    )
    rows = [
        (
            labels.PROGRAM_LABELS[status.program],
            labels.STATE_LABELS[status.state],
            labels.TIER_LABELS[status.tier],
            status.effective_on,
            status.certified_on,
            status.last_validated_on,
            status.next_validation_due,
            status.reference,
        )
        for status in history
    ]
    alarming = (PartnershipState.SUSPENDED, PartnershipState.REMOVED)
    styles = [
        RowStyle.ALERT if highlight and status.state in alarming else RowStyle.NORMAL for status in history
    ]
    return Table(title, columns, rows, styles, sheet=sheet, empty_text="No partnership program history.")
