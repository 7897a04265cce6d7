"""The portfolio report and workbook: one row per account with its 12-month figures, totals, two charts,
then the open holds, the entries of the last 12 months, compliance events and open follow-ups.

The printed portfolio is the accounts with their totals and charts (a few pages for a meeting); the other
tables are for the workbook only, to sort and filter (the entries alone are tens of thousands of rows, and
the held shipments have their own report). `WORKBOOK_ONLY_SHEETS` names them and `for_pdf` drops them before
the PDF is laid out.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from app.domain.compliance import ComplianceFilter, ComplianceItem, ComplianceState
from app.domain.enums import CTPATTier
from app.domain.followups import FollowUp
from app.domain.views import PortfolioRow
from app.reports.dataset import (
    Chart,
    Column,
    Fact,
    Facts,
    ReportDataset,
    RowStyle,
    Section,
    Series,
    Table,
    ValueKind,
)
from app.services.report_builders import common, labels
from app.services.report_builders.common import Stamp
from app.services.report_builders.holds import open_holds_oldest_first
from app.store.queries import (
    accounts as account_queries,
    compliance as compliance_queries,
    followups as followup_queries,
    metrics,
    reports as report_queries,
    window_start,
)

K = ValueKind
WORKBOOK_ONLY_SHEETS = frozenset({"Open holds", "Entries", "Compliance events", "Follow-ups"})
SENSITIVE_TEXT = "(sensitive note: open it in the workbench)"


def accounts_table(rows: Sequence[PortfolioRow]) -> Table:
    columns = (
        Column("name", "Account", width=30),
        Column("importer_number", "Importer number", width=15),
        Column("center", "Center", width=8),
        Column("ctpat_tier", "CTPAT tier", width=8),
        Column("ctpat_state", "CTPAT state", width=12),
        Column("risk", "Risk", width=8),
        Column("open_holds", "Open holds", K.INTEGER, width=8),
        Column("oldest_hold_age", "Oldest hold (business days)", K.INTEGER, width=10),
        Column("entries_12m", "Entries (12 months)", K.INTEGER, width=10),
        Column("exam_rate", "Exam rate", K.PERCENT, width=8),
        Column("compliance_rate", "Compliance rate", K.PERCENT, width=12),
        Column("next_validation_due", "Next validation due", K.DATE, width=11),
        Column("last_contact_at", "Last contact", K.DATETIME, width=16),
    )
    values = [
        (
            row.name,
            row.primary_importer_number,
            str(row.center),
            labels.TIER_LABELS[row.ctpat_tier] if row.ctpat_tier else "",
            labels.STATE_LABELS[row.ctpat_state] if row.ctpat_state else "",
            str(row.risk_segment).capitalize(),
            row.open_holds,
            row.oldest_open_hold_age_days,
            row.entries_12m,
            row.exam_rate_12m,
            row.compliance_rate_12m,
            row.next_validation_due,
            row.last_contact_at,
        )
        for row in rows
    ]
    return Table("Accounts", columns, values, sheet="Accounts", empty_text="No accounts.")


def totals(rows: Sequence[PortfolioRow]) -> Facts:
    partners = sum(1 for row in rows if row.ctpat_tier not in (None, CTPATTier.NONE))
    return Facts(
        "Portfolio totals",
        [
            Fact("Accounts", len(rows), K.INTEGER),
            Fact("CTPAT partners", partners, K.INTEGER),
            Fact("Open holds", sum(row.open_holds for row in rows), K.INTEGER),
            Fact("Accounts with open holds", sum(1 for row in rows if row.open_holds), K.INTEGER),
            Fact("Entries (12 months)", sum(row.entries_12m for row in rows), K.INTEGER),
        ],
    )


def charts(rows: Sequence[PortfolioRow]) -> list[Chart]:
    holds_by_center: Counter[str] = Counter()
    for row in rows:
        holds_by_center[str(row.center)] += row.open_holds
    centers = sorted(holds_by_center)
    tiers = Counter(row.ctpat_tier or CTPATTier.NONE for row in rows)
    tier_order = list(CTPATTier)
    return [
        Chart(
            "Open holds by Center",
            centers,
            [Series("Open holds", [float(holds_by_center[c]) for c in centers])],
        ),
        Chart(
            "Accounts by CTPAT tier",
            [labels.TIER_LABELS[tier] or "Not a partner" for tier in tier_order],
            [Series("Accounts", [float(tiers[tier]) for tier in tier_order])],
        ),
    ]


def entries_table(session: Session, stamp: Stamp, account_ids: Collection[uuid.UUID] = ()) -> Table:
    columns = (
        Column("account", "Account", width=30),
        Column("entry_number", "Entry", width=17),
        Column("entry_date", "Entry date", K.DATE, width=11),
        Column("entry_type", "Type", width=5),
        Column("port", "Port", width=6),
        Column("mode", "Mode", width=5),
        Column("release_date", "Released", K.DATE, width=11),
        Column("entered_value", "Entered value", K.MONEY, width=14),
        Column("duty", "Duty", K.MONEY, width=12),
        Column("fees", "Fees", K.MONEY, width=12),
    )
    entries = report_queries.window_entries(session, stamp.today, account_ids)
    rows = [tuple(entry) for entry in entries]
    return Table("Entries of the last 12 months", columns, rows, sheet="Entries", empty_text="No entries.")


def compliance_table(items: Sequence[ComplianceItem]) -> Table:
    columns = (
        Column("account", "Account", width=30),
        Column("type", "Type", width=22),
        Column("reference", "Reference", width=14),
        Column("entry_number", "Entry", width=17),
        Column("opened_on", "Opened", K.DATE, width=11),
        Column("due_on", "Due", K.DATE, width=11),
        Column("responded_on", "Responded", K.DATE, width=11),
        Column("closed_on", "Closed", K.DATE, width=11),
        Column("state", "State", width=11),
        Column("days_to_due", "Days to due", K.INTEGER, width=8),
        Column("proposed", "Proposed", K.MONEY, width=13),
        Column("assessed", "Assessed", K.MONEY, width=13),
    )
    rows = [
        (
            item.account_name,
            item.type_label or labels.code_words(item.event_type),
            item.reference,
            item.entry_number,
            item.opened_on,
            item.due_on,
            item.responded_on,
            item.closed_on,
            str(item.state).capitalize(),
            item.days_to_due,
            item.proposed_cents,
            item.assessed_cents,
        )
        for item in items
    ]
    styles = [RowStyle.ALERT if item.state == ComplianceState.OVERDUE else RowStyle.NORMAL for item in items]
    return Table(
        "Compliance events: open, or opened in the last 12 months",
        columns,
        rows,
        styles,
        sheet="Compliance events",
        empty_text="No compliance events.",
    )


def followups_table(items: Sequence[FollowUp]) -> Table:
    columns = (
        Column("account", "Account", width=30),
        Column("due_on", "Due", K.DATE, width=11),
        Column("bucket", "When", width=10),
        Column("kind", "Kind", width=8),
        Column("text", "Follow-up", width=50),
        Column("owner", "Owner", width=14),
    )
    rows = [
        (
            item.account_name,
            item.due_on,
            labels.code_words(str(item.bucket)).capitalize(),
            item.kind,
            SENSITIVE_TEXT if item.sensitive else item.text,
            item.owner,
        )
        for item in items
    ]
    styles = [RowStyle.ALERT if item.bucket == "overdue" else RowStyle.NORMAL for item in items]
    return Table(
        "Open follow-ups", columns, rows, styles, sheet="Follow-ups", empty_text="No open follow-ups."
    )


def build_portfolio(session: Session, stamp: Stamp, account_ids: Collection[uuid.UUID] = ()) -> ReportDataset:
    """Every live account, or only `account_ids` when given (a trip's accounts), in every table."""
    today = stamp.today
    chosen = frozenset(account_ids)

    def in_scope(item_account_id: uuid.UUID) -> bool:
        return not chosen or item_account_id in chosen

    metrics.ensure_account_metrics(session, today)
    rows = [row for row in account_queries.portfolio_rows(session, today) if in_scope(row.account_id)]
    since = window_start(today)
    events = [
        item
        for item in compliance_queries.list_compliance(session, today, ComplianceFilter())
        if in_scope(item.account_id)
        and (item.opened_on > since or item.state in (ComplianceState.OPEN, ComplianceState.OVERDUE))
    ]
    holds = [row for row in open_holds_oldest_first(session, stamp) if in_scope(row.account_id)]
    followups = [
        item for item in followup_queries.list_followups(session, today) if in_scope(item.account_id)
    ]
    sections = [
        Section("Portfolio", [totals(rows), *charts(rows), accounts_table(rows)]),
        Section("Open holds", [common.board_holds_table(holds, title="")], new_page=True),
        Section("Entries", [entries_table(session, stamp, chosen)], new_page=True),
        Section("Compliance events", [compliance_table(events)], new_page=True),
        Section("Follow-ups", [followups_table(followups)], new_page=True),
    ]
    scope = f"{len(chosen):,} chosen accounts" if chosen else "All live accounts"
    return ReportDataset(
        kind="portfolio",
        title="Portfolio",
        subtitle=f"{len(rows):,} accounts",
        sections=sections,
        generated_at=stamp.generated_at,
        data_as_of=stamp.data_as_of,
        generated_by=stamp.generated_by,
        marking=stamp.marking,
        filters=(Fact("Accounts", scope), Fact("As of", today, K.DATE)),
    )


def for_pdf(dataset: ReportDataset) -> ReportDataset:
    """A portfolio dataset without its workbook-only tables (and sections left empty by that); any other
    report as it is (an account summary's open holds are its own, and printed)."""
    if dataset.kind != "portfolio":
        return dataset
    sections = []
    for section in dataset.sections:
        blocks = [b for b in section.blocks if not (isinstance(b, Table) and b.sheet in WORKBOOK_ONLY_SHEETS)]
        if blocks:
            sections.append(replace(section, blocks=blocks))
    return replace(dataset, sections=sections)
