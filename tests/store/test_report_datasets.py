"""Report datasets built from the database (both backends): what each report says, and what it never says."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import update

from app.domain.deadlines import hold_age_business_days
from app.domain.errors import NotFoundError, ValidationError
from app.reports.dataset import Chart, Facts, ReportDataset, RowStyle, Table, Text, Value
from app.services.reports import build_dataset
from app.services.workspace import Workspace
from app.store import orm
from tests.store.factories import (
    add_account,
    add_action_item,
    add_due_event,
    add_entry,
    add_event,
    add_hold,
    add_importer_number,
    add_note,
    add_partnership,
    set_note_follow_up,
)

TODAY = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 15, 0)
SSN = "123-45-6789"


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour))


def build(ws: Workspace, kind: str, **kwargs: object) -> ReportDataset:
    return build_dataset(ws, kind, today=TODAY, now=NOW, **kwargs)  # type: ignore[arg-type]


def table(dataset: ReportDataset, title: str) -> Table:
    return next(t for t in dataset.tables() if t.title == title)


def sheet(dataset: ReportDataset, name: str) -> Table:
    return next(t for t in dataset.tables() if t.sheet == name)


def column(t: Table, key: str) -> list[Value]:
    index = [c.key for c in t.columns].index(key)
    return [row[index] for row in t.rows]


def facts(dataset: ReportDataset, title: str) -> dict[str, Value]:
    """The facts block titled `title`, or the first one of the section titled `title`."""
    block = next(
        b
        for s in dataset.sections
        for b in s.blocks
        if isinstance(b, Facts) and (b.title or s.title) == title
    )
    return {fact.label: fact.value for fact in block.facts}


def texts(dataset: ReportDataset, section: str) -> list[str]:
    block = next(b for s in dataset.sections if s.title == section for b in s.blocks if isinstance(b, Text))
    return list(block.paragraphs)


def every_string(dataset: ReportDataset) -> Iterator[str]:
    """Every text the dataset could print or store, to check that something is nowhere in it."""
    yield from (dataset.title, dataset.subtitle)
    for section in dataset.sections:
        yield section.title
        for block in section.blocks:
            yield block.title
            if isinstance(block, Table):
                yield from (str(value) for row in block.rows for value in row)
            elif isinstance(block, Facts):
                yield from (f"{fact.value} {fact.detail}" for fact in block.facts)
            elif isinstance(block, Text):
                yield from block.paragraphs
            elif isinstance(block, Chart):
                yield from block.categories


@pytest.fixture
def busy_account(workspace: Workspace) -> uuid.UUID:
    """An account with an SSN-based importer number, entries, holds, events, notes, contacts and an AE."""
    with workspace.database.session() as session:
        ae = orm.AccountExecutiveRow(
            name="Dana Reyes", center_code="ELEC", phone="555-0100", email="d@cbp.example"
        )
        session.add(ae)
        session.flush()
        account_id = add_account(session, "Acme Imports", ["98-7654321-00"])
        add_importer_number(session, account_id, SSN)
        session.execute(update(orm.AccountRow).where(orm.AccountRow.id == account_id).values(ae_id=ae.id))
        add_partnership(session, account_id, "CTPAT_SECURITY", "CERTIFIED", date(2024, 3, 1), tier="TIER1")
        add_partnership(session, account_id, "CTPAT_SECURITY", "VALIDATED", date(2025, 6, 1), tier="TIER2")
        old = add_entry(session, account_id, 1, date(2026, 9, 1))
        young = add_entry(session, account_id, 2, date(2026, 11, 19))
        add_entry(session, account_id, 3, date(2025, 1, 5))  # outside the 12-month window
        add_hold(session, old, account_id, at(date(2026, 9, 2)))
        add_hold(session, young, account_id, at(date(2026, 11, 20)))
        add_due_event(session, account_id, "CF28", TODAY + timedelta(days=3))
        add_event(session, account_id, "PROTEST", date(2025, 1, 10))  # 22 months back: in the summary
        # opened 10/01/2024, 25 months back: in the history only; closed, so not in the portfolio either
        add_due_event(session, account_id, "PSC", date(2024, 10, 31), closed_on=date(2024, 12, 1))
        flagged = add_note(session, account_id, "Agreed a validation visit in March.", at(date(2026, 10, 1)))
        secret = add_note(
            session, account_id, "Informant says: undervaluation.", at(date(2026, 10, 2)), sensitive=True
        )
        add_note(session, account_id, "Internal scratch note.", at(date(2026, 10, 3)))
        session.execute(
            update(orm.NoteRow).where(orm.NoteRow.id.in_([flagged, secret])).values(include_in_summary=True)
        )
        add_action_item(
            session, account_id, "Late ISF filings", "Train the new forwarder", due_on=date(2026, 12, 1)
        )
        session.add(orm.ContactRow(account_id=account_id, name="Ana Walker", role="broker", phone="555-0163"))
    return account_id


def test_account_summary_sections_in_order(workspace: Workspace, busy_account: uuid.UUID) -> None:
    dataset = build(workspace, "account", account_id=busy_account)
    assert (dataset.kind, dataset.title, dataset.marking) == ("account", "Acme Imports", "CUI // LES")
    assert dataset.generated_at == NOW
    assert [s.title for s in dataset.sections] == [
        "Account",
        "Partnership programs",
        "Last 12 months",
        "Open holds",
        "Open deadlines",
        "Compliance events (last 24 months)",
        "Action plan",
        "Notes",
        "Contacts",
        "Account Executive",
    ]


def test_account_summary_masks_ssn_importer_numbers(workspace: Workspace, busy_account: uuid.UUID) -> None:
    dataset = build(workspace, "account", account_id=busy_account)
    assert facts(dataset, "Account")["Importer numbers"] == "98-765432100, ***-**-6789"
    for text in every_string(dataset):
        assert "6789" not in text.replace("***-**-6789", "")
        assert "123456789" not in text.replace("-", "")


def test_account_summary_notes_flagged_never_sensitive(workspace: Workspace, busy_account: uuid.UUID) -> None:
    dataset = build(workspace, "account", account_id=busy_account)
    notes = texts(dataset, "Notes")
    assert len(notes) == 1
    assert "Agreed a validation visit in March." in notes[0]
    assert not any("Informant" in text or "scratch" in text for text in every_string(dataset))


def test_account_summary_figures_holds_and_deadlines(workspace: Workspace, busy_account: uuid.UUID) -> None:
    dataset = build(workspace, "account", account_id=busy_account)
    kpis = facts(dataset, "Last 12 months")
    assert (kpis["Entries"], kpis["Entered value"], kpis["Hold rate"]) == (2, 200_000, 1.0)
    chart = next(b for s in dataset.sections for b in s.blocks if isinstance(b, Chart))
    assert len(chart.categories) == 12 and chart.categories[-1] == "Nov 2026"
    assert [sum(series.values) for series in chart.series] == [2.0, 2.0]

    holds = sheet(dataset, "Open holds")
    assert column(holds, "age") == [
        hold_age_business_days(date(2026, 9, 2), TODAY),
        hold_age_business_days(date(2026, 11, 20), TODAY),
    ]
    assert column(holds, "threshold") == ["Deemed exclusion (day 30)", "OK"]
    assert list(holds.row_styles) == [RowStyle.ALERT, RowStyle.NORMAL]

    deadlines = sheet(dataset, "Deadlines")
    # the protest's due date is the rule's (180 days after it was opened), long passed; the CF-28 due soon
    assert column(deadlines, "due_on") == [date(2025, 7, 9), TODAY + timedelta(days=3)]
    assert column(deadlines, "state") == ["Overdue", "Due within 7 days"]
    assert list(deadlines.row_styles) == [RowStyle.ALERT, RowStyle.WARNING]


def test_account_summary_events_of_24_months(workspace: Workspace, busy_account: uuid.UUID) -> None:
    dataset = build(workspace, "account", account_id=busy_account)
    events = sheet(dataset, "Compliance events")
    cf28_opened = TODAY + timedelta(days=3) - timedelta(days=30)
    assert sorted(column(events, "opened_on")) == [date(2025, 1, 10), cf28_opened]  # type: ignore[type-var]
    history = build(workspace, "compliance", account_id=busy_account)
    assert len(sheet(history, "Compliance events").rows) == 3  # all time, the PSC too


def test_account_summary_plan_contacts_signature(workspace: Workspace, busy_account: uuid.UUID) -> None:
    dataset = build(workspace, "account", account_id=busy_account)
    assert column(sheet(dataset, "Action plan"), "issue") == ["Late ISF filings"]
    assert column(sheet(dataset, "Contacts"), "role") == ["Customs broker"]
    assert texts(dataset, "Account Executive")[:2] == ["Dana Reyes", "Account Executive"]
    assert "Phone: 555-0100" in texts(dataset, "Account Executive")
    current = table(dataset, "Current status")
    assert column(current, "state") == ["Validated"]
    assert len(table(dataset, "History").rows) == 2


def test_empty_account_gets_a_clean_summary(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        account_id = add_account(session, "Quiet Co")
    dataset = build(workspace, "account", account_id=account_id)
    for t in dataset.tables():
        assert t.rows == [] and t.empty_text
    assert facts(dataset, "Last 12 months")["Entries"] == 0
    assert texts(dataset, "Notes") == ["No notes selected for the summary."]
    assert texts(dataset, "Account Executive") == ["No Account Executive is assigned to this account."]
    history = build(workspace, "compliance", account_id=account_id)
    assert all(t.rows == [] for t in history.tables() if t.sheet != "Change history")
    (changes,) = [t for t in history.tables() if t.sheet == "Change history"]
    assert [row[2:5] for row in changes.rows] == [("Account", "Quiet Co", "Added")]  # its creation, no more


def test_unknown_account_kind_and_age(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        gone = add_account(session, "Gone", deleted=True)
    for account_id in (uuid.uuid4(), gone):
        with pytest.raises(NotFoundError):
            build(workspace, "account", account_id=account_id)
    with pytest.raises(ValidationError):
        build(workspace, "balance")
    with pytest.raises(ValidationError):
        build(workspace, "account")
    with pytest.raises(ValidationError):
        build(workspace, "holds", min_age_days=-1)
    with pytest.raises(ValidationError):
        build(workspace, "holds", marking="  ")


def test_holds_report_min_age_in_business_days(workspace: Workspace, busy_account: uuid.UUID) -> None:
    everything = build(workspace, "holds")
    assert len(sheet(everything, "Open holds").rows) == 2
    old_age = hold_age_business_days(date(2026, 9, 2), TODAY)
    filtered = build(workspace, "holds", min_age_days=old_age)
    holds = sheet(filtered, "Open holds")
    assert column(holds, "age") == [old_age]
    assert column(holds, "account") == ["Acme Imports"]
    assert holds.row_styles == [RowStyle.ALERT]
    assert build(workspace, "holds", min_age_days=old_age + 1).tables()[0].rows == []
    assert filtered.filters[0].value == old_age


def test_portfolio_sheets_and_entries_window(workspace: Workspace, busy_account: uuid.UUID) -> None:
    with workspace.database.session() as session:
        other = add_account(session, "Beta Traders", [SSN.replace("6789", "6780")])
        note = add_note(
            session, other, "Sensitive follow-up about a tip.", at(date(2026, 11, 1)), sensitive=True
        )
        set_note_follow_up(session, note, TODAY - timedelta(days=1))
    dataset = build(workspace, "portfolio")
    assert [t.sheet for t in dataset.tables()] == [
        "Accounts",
        "Open holds",
        "Entries",
        "Compliance events",
        "Follow-ups",
    ]
    accounts = sheet(dataset, "Accounts")
    assert column(accounts, "name") == ["Acme Imports", "Beta Traders"]
    assert column(accounts, "importer_number") == ["98-765432100", "***-**-6780"]
    assert column(accounts, "open_holds") == [2, 0]
    assert facts(dataset, "Portfolio totals")["Open holds"] == 2
    entries = sheet(dataset, "Entries")
    assert column(entries, "entry_date") == [date(2026, 9, 1), date(2026, 11, 19)]
    assert column(entries, "entered_value") == [100_000, 100_000]
    followups = sheet(dataset, "Follow-ups")
    assert "Sensitive follow-up" not in " ".join(str(v) for v in column(followups, "text"))
    assert column(followups, "text")[1] == "Late ISF filings → Train the new forwarder"
    assert list(followups.row_styles) == [RowStyle.ALERT, RowStyle.NORMAL]
    events = sheet(dataset, "Compliance events")
    # the CF-28 (recent) and the protest (still open); not the PSC closed in 2024
    assert sorted(str(v) for v in column(events, "type")) == ["CF-28", "Protest"]


def test_signature_block_uses_the_aes_own_signature(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        ae = orm.AccountExecutiveRow(
            name="Dana Reyes",
            center_code="ELEC",
            email="dana.reyes@cbp.example",
            signature="Dana Reyes\nAccount Executive, Electronics\nPhone 555-0100",
            phone="555-0100",
        )
        session.add(ae)
        session.flush()
        account_id = add_account(session, "Signed Co")
        session.execute(update(orm.AccountRow).where(orm.AccountRow.id == account_id).values(ae_id=ae.id))
    dataset = build(workspace, "account", account_id=account_id)
    assert texts(dataset, "Account Executive") == [
        "Dana Reyes",
        "Account Executive, Electronics",
        "Phone 555-0100",
        "E-mail: dana.reyes@cbp.example",
    ]
