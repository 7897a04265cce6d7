"""Compliance history of one account: every compliance event (all time) and the partnership history."""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy.orm import Session

from app.domain.views import HistoryLine
from app.reports.dataset import Chart, Column, Fact, Facts, ReportDataset, Section, Series, Table, ValueKind
from app.services.report_builders import common, labels
from app.services.report_builders.account import header_facts, require_header
from app.services.report_builders.common import Stamp
from app.store import audit
from app.store.queries import account360

K = ValueKind


def type_chart(types: list[tuple[str, int]]) -> list[Chart]:
    """Events by type, most frequent first; no chart at all for an account without events."""
    if not types:
        return []
    return [
        Chart("Events by type", [name for name, _ in types], [Series("Events", [float(n) for _, n in types])])
    ]


SENSITIVE_CHANGE = "(a sensitive note: open it in the workbench)"


def audit_table(lines: list[HistoryLine]) -> Table:
    """The account's audit trail, newest first. A change to a sensitive note is listed without its words
    (reports never carry a sensitive note's text)."""
    columns = (
        Column("changed_at", "When", K.DATETIME, width=17),
        Column("changed_by", "Who", width=18),
        Column("record", "Record", width=16),
        Column("summary", "Which", width=30),
        Column("change", "Change", width=18),
        Column("before", "Before", width=30),
        Column("after", "After", width=30),
    )
    rows = [
        (
            line.changed_at,
            line.changed_by,
            line.record,
            SENSITIVE_CHANGE if line.sensitive else line.summary,
            line.change,
            "" if line.sensitive else line.before,
            "" if line.sensitive else line.after,
        )
        for line in lines
    ]
    return Table(
        "Every change to the account and its records, newest first",
        columns,
        rows,
        sheet="Change history",
        empty_text="No change recorded for this account.",
    )


def build_compliance_history(session: Session, account_id: uuid.UUID, stamp: Stamp) -> ReportDataset:
    header = require_header(session, account_id)
    events = account360.compliance_events(session, account_id, stamp.today)
    history = account360.partnership_history(session, account_id)
    states = Counter(event.due_state for event in events)
    by_type = Counter(event.type_label or labels.code_words(event.event_type) for event in events)
    summary = Facts(
        "Summary",
        [
            Fact("Compliance events", len(events), K.INTEGER),
            Fact("Open", states["open"] + states["due_soon"] + states["overdue"], K.INTEGER),
            Fact("Overdue", states["overdue"], K.INTEGER),
            Fact("First opened", min((event.opened_on for event in events), default=None), K.DATE),
        ],
    )
    types = sorted(by_type.items(), key=lambda item: (-item[1], item[0]))
    sections = [
        Section("Account", [header_facts(header), summary]),
        Section(
            "Compliance events",
            [
                common.events_table(
                    events,
                    title="All compliance events, newest first",
                    sheet="Compliance events",
                    empty_text="No compliance events on record.",
                ),
                *type_chart(types),
            ],
        ),
        Section(
            "Partnership history",
            [
                common.history_table(
                    history, title="Program statuses, newest first", sheet="Partnership history"
                )
            ],
        ),
        Section("Change history", [audit_table(audit.account_history(session, account_id))]),
    ]
    return ReportDataset(
        kind="compliance",
        title=header.name,
        subtitle="Compliance history",
        sections=sections,
        generated_at=stamp.generated_at,
        data_as_of=stamp.data_as_of,
        generated_by=stamp.generated_by,
        marking=stamp.marking,
        filters=(Fact("Account", header.name), Fact("As of", stamp.today, K.DATE)),
    )
