"""The portfolio table's columns, declared once: title, header, tooltip, how to show and how to sort.

`text` formats a value for DisplayRole; `raw` gives the value sorting compares (None: missing, sorted last).
Ranked values (CTPAT tier, risk) sort by rank, not alphabetically by label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.domain.views import PortfolioRow
from app.ui import formatting as fmt


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # on one line, in full: for menus, exports, messages
    tooltip: str
    text: Callable[[PortfolioRow], str]
    raw: Callable[[PortfolioRow], Any]
    numeric: bool = False
    # What the header shows, when not the title: two short lines keep the 14 columns on a 1920-pixel screen.
    header: str = ""

    @property
    def heading(self) -> str:
        return self.header or self.title


COLUMNS: tuple[Column, ...] = (
    Column("name", "Account", "Account (importer) name", lambda r: r.name, lambda r: r.name.casefold()),
    Column(
        "primary_importer_number",
        "Importer number",
        "Primary importer of record number (SSN-based numbers masked)",
        lambda r: r.primary_importer_number,
        lambda r: r.primary_importer_number,
        header="Importer\nnumber",
    ),
    Column(
        "center",
        "Center",
        "Center of Excellence and Expertise",
        lambda r: str(r.center),
        lambda r: str(r.center),
    ),
    Column(
        "ctpat_tier",
        "CTPAT tier",
        "CTPAT security tier (— : not a partner)",
        lambda r: fmt.label(fmt.TIER_LABELS, r.ctpat_tier),
        lambda r: fmt.TIER_RANK.get(r.ctpat_tier) if r.ctpat_tier else None,
        header="CTPAT\ntier",
    ),
    Column(
        "ctpat_state",
        "CTPAT status",
        "Where the account stands in the CTPAT partnership",
        lambda r: fmt.label(fmt.STATE_LABELS, r.ctpat_state),
        lambda r: fmt.label(fmt.STATE_LABELS, r.ctpat_state) or None,
        header="CTPAT\nstatus",
    ),
    Column(
        "trade_compliance_member",
        "Trade Compliance",
        "Member of CTPAT Trade Compliance (formerly ISA)",
        lambda r: fmt.fmt_yes_no(r.trade_compliance_member),
        lambda r: r.trade_compliance_member,
        header="Trade\nCompliance",
    ),
    Column(
        "risk_segment",
        "Risk",
        "Risk segment assigned to the account",
        lambda r: fmt.label(fmt.RISK_LABELS, r.risk_segment),
        lambda r: fmt.RISK_RANK.get(r.risk_segment),
    ),
    Column(
        "open_holds",
        "Open holds",
        "Shipments of this account on hold now",
        lambda r: fmt.fmt_int(r.open_holds),
        lambda r: r.open_holds,
        numeric=True,
        header="Open\nholds",
    ),
    Column(
        "oldest_open_hold_age_days",
        "Oldest hold (business days)",
        "Age of the oldest open hold in business days (weekends and federal holidays not counted)",
        lambda r: fmt.fmt_int(r.oldest_open_hold_age_days),
        lambda r: r.oldest_open_hold_age_days,
        numeric=True,
        header="Oldest hold\n(bus. days)",
    ),
    Column(
        "entries_12m",
        "Entries (12 mo)",
        "Entries filed in the last 12 months",
        lambda r: fmt.fmt_int(r.entries_12m),
        lambda r: r.entries_12m,
        numeric=True,
        header="Entries\n(12 mo)",
    ),
    Column(
        "exam_rate_12m",
        "Exam rate",
        "Entries of the last 12 months with at least one examination hold",
        lambda r: fmt.fmt_percent(r.exam_rate_12m),
        lambda r: r.exam_rate_12m,
        numeric=True,
        header="Exam\nrate",
    ),
    Column(
        "compliance_rate_12m",
        "Compliance rate",
        "1 − compliance-measurement discrepancies ÷ entry lines, last 12 months",
        lambda r: fmt.fmt_percent(r.compliance_rate_12m),
        lambda r: r.compliance_rate_12m,
        numeric=True,
        header="Compliance\nrate",
    ),
    Column(
        "next_validation_due",
        "Next validation",
        "When the next CTPAT validation is due (red: overdue)",
        lambda r: fmt.fmt_date(r.next_validation_due),
        lambda r: r.next_validation_due,
        header="Next\nvalidation",
    ),
    Column(
        "last_contact_at",
        "Last contact",
        "Most recent logged call, e-mail, meeting or visit",
        lambda r: fmt.fmt_date(fmt.local_date(r.last_contact_at)),
        lambda r: r.last_contact_at,
        header="Last\ncontact",
    ),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)


def column_index(key: str) -> int:
    return COLUMN_KEYS.index(key)


def search_text(row: PortfolioRow) -> str:
    """What the filter box matches: name, importer number (as shown and without separators) and Center."""
    ior = row.primary_importer_number or ""
    compact = "".join(ch for ch in ior if ch.isalnum())
    return f"{row.name}\n{ior}\n{compact}\n{row.center}".casefold()
