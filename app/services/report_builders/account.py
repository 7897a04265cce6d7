"""The printed account summary (2–4 Letter pages): what an AE takes to a partner meeting.

Sections in this order: account facts, partnership programs, 12-month figures with a monthly chart, open
holds, open deadlines, compliance events of the last 24 months, action plan, notes flagged for the summary
(never a sensitive one), contacts, and the AE's signature block.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from app.domain.activity import NoteActivity
from app.domain.errors import NotFoundError
from app.domain.model import AccountExecutive, ActionItem, Contact
from app.domain.today import RESPONSE_WINDOW_DAYS
from app.domain.views import AccountHeader, AccountKpis, ComplianceEventLine, MonthActivity, ProgramStatus
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
    Text,
    ValueKind,
)
from app.services.report_builders import common, labels
from app.services.report_builders.common import Stamp
from app.store.queries import (
    account360,
    action_items as action_queries,
    contacts as contact_queries,
    notes as note_queries,
    reports as report_queries,
)

K = ValueKind
EVENT_MONTHS = 24
US_DATE = "%m/%d/%Y"


def require_header(session: Session, account_id: uuid.UUID) -> AccountHeader:
    header = account360.account_header(session, account_id)
    if header is None:
        raise NotFoundError(f"no account with id {account_id}")
    return header


def header_facts(header: AccountHeader, title: str = "") -> Facts:
    facts = [
        Fact("Name", header.name),
        Fact("Doing business as", header.dba) if header.dba else None,
        Fact("Importer numbers", ", ".join(header.importer_numbers) or "None on file"),
        Fact("Center", header.center_name or str(header.center), detail=str(header.center)),
        Fact("Account Executive", header.ae_name or "Not assigned"),
        Fact("Backup AE", header.backup_ae_name or "Not assigned"),
        Fact("Risk segment", labels.code_words(header.risk_segment).capitalize()),
        Fact("Status", str(header.status).capitalize()),
    ]
    return Facts(title, [fact for fact in facts if fact is not None])


def kpi_facts(kpis: AccountKpis) -> Facts:
    return Facts(
        "",  # the section says it
        [
            Fact("Period from", kpis.period_start, K.DATE, detail=f"to {kpis.period_end.strftime(US_DATE)}"),
            Fact("Entries", kpis.entries, K.INTEGER, detail=f"{kpis.lines:,} lines"),
            Fact("Entered value", kpis.entered_value_cents, K.MONEY),
            Fact("Duty and fees", kpis.duty_fees_cents, K.MONEY),
            Fact("Exam rate", kpis.exam_rate, K.PERCENT),
            Fact("Hold rate", kpis.hold_rate, K.PERCENT),
            Fact("Median hold (business days)", kpis.hold_days_median, K.DECIMAL),
            Fact("P90 hold (business days)", kpis.hold_days_p90, K.DECIMAL),
            Fact("Compliance rate", kpis.compliance_rate, K.PERCENT),
            Fact("CF-28s", kpis.cf28_count, K.INTEGER),
            Fact(
                "CF-29s",
                kpis.cf29_proposed + kpis.cf29_taken,
                K.INTEGER,
                detail=f"{kpis.cf29_proposed} proposed, {kpis.cf29_taken} taken",
            ),
        ],
    )


def monthly_chart(months: Sequence[MonthActivity]) -> Chart:
    return Chart(
        "Entries and holds placed per month",
        [month.month.strftime("%b %Y") for month in months],
        [
            Series("Entries", [float(month.entries) for month in months]),
            Series("Holds placed", [float(month.holds_placed) for month in months]),
        ],
    )


def _due_words(due: date, today: date) -> tuple[str, RowStyle]:
    if due < today:
        return "Overdue", RowStyle.ALERT
    if (due - today).days <= RESPONSE_WINDOW_DAYS:
        return "Due within 7 days", RowStyle.WARNING
    return "Open", RowStyle.NORMAL


def deadlines_table(
    events: Sequence[ComplianceEventLine], programs: Sequence[ProgramStatus], today: date
) -> Table:
    """Open CF-28 / CF-29 responses and other post-entry deadlines, and program dates still ahead or missed
    (CTPAT validation, annual notification), soonest first."""
    found: list[tuple[date, str, str, str]] = []
    for event in events:
        if event.due_on is not None and event.due_state in ("overdue", "due_soon", "open"):
            what = event.type_label or labels.code_words(event.event_type)
            found.append((event.due_on, what, event.reference, event.entry_number))
    for status in programs:
        program = labels.PROGRAM_LABELS[status.program]
        if status.next_validation_due is not None:
            found.append((status.next_validation_due, f"{program}: validation", status.reference, ""))
        if status.annual_notification_due is not None:
            found.append((status.annual_notification_due, f"{program}: annual notification", "", ""))
    found.sort(key=lambda item: (item[0], item[1]))
    rows, styles = [], []
    for due, what, reference, entry in found:
        words, style = _due_words(due, today)
        rows.append((what, reference, entry, due, (due - today).days, words))
        styles.append(style)
    columns = (
        Column("what", "Deadline", width=30),
        Column("reference", "Reference", width=14),
        Column("entry_number", "Entry", width=17),
        Column("due_on", "Due", K.DATE, width=11),
        Column("days_left", "Days left", K.INTEGER, width=8),
        Column("state", "State", width=18),
    )
    return Table("", columns, rows, styles, sheet="Deadlines", empty_text="No open deadlines.")


def action_plan_table(items: Sequence[ActionItem]) -> Table:
    columns = (
        Column("issue", "Issue", width=26),
        Column("root_cause", "Root cause", width=22),
        Column("action", "Action", width=26),
        Column("owner", "Owner", width=14),
        Column("due_on", "Due", K.DATE, width=11),
        Column("status", "Status", width=11),
    )
    rows = [
        (
            item.issue,
            item.root_cause,
            item.action,
            item.owner,
            item.due_on,
            labels.ACTION_STATUS_LABELS[item.status],
        )
        for item in items
    ]
    return Table("", columns, rows, sheet="Action plan", empty_text="No action plan items.")


def summary_notes(activity: Sequence[NoteActivity]) -> Text:
    """Notes the AE flagged for the summary, oldest first; a sensitive note never, even when flagged."""
    chosen = [item.note for item in activity if item.note.include_in_summary and not item.note.sensitive]
    chosen.sort(key=lambda note: note.created_at)
    paragraphs = [
        f"{note.created_at.strftime(US_DATE)} ({note.kind}, {note.author or 'unknown author'}): {note.text}"
        for note in chosen
    ]
    return Text("", paragraphs or ["No notes selected for the summary."])


def contacts_table(contacts: Sequence[Contact]) -> Table:
    columns = (
        Column("name", "Name", width=22),
        Column("role", "Role", width=22),
        Column("organization", "Organization", width=22),
        Column("phone", "Phone", width=16),
        Column("email", "E-mail", width=26),
    )
    rows = [
        (
            contact.name,
            labels.CONTACT_ROLE_LABELS[contact.role],
            contact.organization,
            contact.phone,
            contact.email,
        )
        for contact in contacts
    ]
    return Table("", columns, rows, sheet="Contacts", empty_text="No contacts on file.")


def signature(header: AccountHeader, ae: AccountExecutive | None) -> Text:
    """The AE's own signature text when there is one (it already names the AE, title and Center), else
    name, title and Center; phone and e-mail added when the signature does not carry them."""
    if ae is None and not header.ae_name:
        return Text("", ["No Account Executive is assigned to this account."])
    if ae is not None and ae.signature.strip():
        lines = [line.strip() for line in ae.signature.splitlines()]
    else:
        name = ae.name if ae is not None else header.ae_name
        lines = [name, "Account Executive", header.center_name or str(header.center)]
    if ae is not None:
        if ae.phone and ae.phone not in ae.signature:
            lines.append(f"Phone: {ae.phone}")
        if ae.email and ae.email not in ae.signature:
            lines.append(f"E-mail: {ae.email}")
    return Text("", [line for line in lines if line])


def build_account_summary(session: Session, account_id: uuid.UUID, stamp: Stamp) -> ReportDataset:
    header = require_header(session, account_id)
    today = stamp.today
    events = account360.compliance_events(session, account_id, today)
    since = common.months_back(today, EVENT_MONTHS)
    recent = [event for event in events if event.opened_on >= since]
    history = account360.partnership_history(session, account_id)
    sections = [
        Section("Account", [header_facts(header)]),
        Section(
            "Partnership programs",
            [
                common.history_table(header.programs, title="Current status", highlight=True),
                common.history_table(history, title="History"),
            ],
        ),
        Section(
            "Last 12 months",
            [
                kpi_facts(account360.account_kpis(session, account_id, today)),
                monthly_chart(account360.monthly_activity(session, account_id, today)),
            ],
        ),
        Section(
            "Open holds",
            [common.account_open_holds_table(account360.account_holds(session, account_id, today), title="")],
        ),
        Section("Open deadlines", [deadlines_table(events, header.programs, today)]),
        Section(
            f"Compliance events (last {EVENT_MONTHS} months)",
            [
                common.events_table(
                    recent,
                    title=f"Opened since {since.strftime(US_DATE)}",
                    sheet="Compliance events",
                    empty_text=f"No compliance events in the last {EVENT_MONTHS} months.",
                    compact=True,
                )
            ],
        ),
        Section("Action plan", [action_plan_table(action_queries.list_action_items(session, account_id))]),
        Section("Notes", [summary_notes(note_queries.account_activity(session, account_id))]),
        Section("Contacts", [contacts_table(contact_queries.list_contacts(session, account_id))]),
        Section(
            "Account Executive", [signature(header, report_queries.account_executive(session, account_id))]
        ),
    ]
    return ReportDataset(
        kind="account",
        title=header.name,
        subtitle=f"Account summary · {header.center_name or header.center}",
        sections=sections,
        generated_at=stamp.generated_at,
        data_as_of=stamp.data_as_of,
        generated_by=stamp.generated_by,
        marking=stamp.marking,
        filters=(Fact("Account", header.name), Fact("As of", today, K.DATE)),
    )
