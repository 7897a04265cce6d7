"""The audit trail: database triggers record every change of an account's records with who and when, on both
backends; an account's history reads back masked, labelled and newest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.domain.enums import RiskSegment
from app.services.workspace import Workspace
from app.store import orm
from app.store.audit import account_history, record_user
from app.store.sync.state import quiet_outbox
from tests.store.factories import add_account, add_note

WHEN = datetime(2026, 11, 2, 9, 0)
SSN = "123-45-6789"


def test_changes_are_recorded_with_who_and_read_back_readably(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        record_user(session.connection(), "Dana Reyes")
        account = add_account(session, "Harbor Goods", [SSN])
        row = session.get(orm.AccountRow, account)
        assert row is not None
        row.risk_segment = RiskSegment.HIGH
        note = add_note(session, account, "Called the broker about the exam", WHEN)
        note_row = session.get(orm.NoteRow, note)
        assert note_row is not None
        note_row.text = "Called the broker: exam on Thursday"
        note_row.sensitive = True
        session.flush()
        history = account_history(session, account)
        session.commit()
    assert {line.changed_by for line in history} == {"Dana Reyes"}
    created = [(line.record, line.summary) for line in history if line.action == "insert"]
    assert ("Account", "Harbor Goods") in created
    assert ("Importer number", "***-**-6789") in created  # an SSN-based number is never shown whole
    assert ("Note", "Called the broker about the exam") in created
    risk = next(line for line in history if line.field == "Risk segment")
    assert (risk.record, risk.summary, risk.after) == ("Account", "Harbor Goods", RiskSegment.HIGH.value)
    text = next(line for line in history if line.record == "Note" and line.field == "Text")
    assert (text.before, text.after) == (
        "Called the broker about the exam",
        "Called the broker: exam on Thursday",
    )
    assert text.sensitive
    flag = next(line for line in history if line.field == "Sensitive")
    assert (flag.before, flag.after) == ("No", "Yes")
    assert all(SSN.replace("-", "") not in f"{line.summary}{line.before}{line.after}" for line in history)
    bookkeeping = {"Version", "Updated at", "Created at", "Sync seq"}
    assert not {line.field for line in history} & bookkeeping


def test_rows_written_by_a_pull_or_the_demo_generator_are_not_audited(workspace: Workspace) -> None:
    if workspace.dialect != "sqlite":
        return  # the server records every write, pushes included
    with workspace.database.session() as session:
        with quiet_outbox(session.connection()):
            add_account(session, "Harbor Goods")
        session.commit()
        assert session.scalar(select(func.count()).select_from(orm.AuditRow)) == 0


def test_the_compliance_workbook_lists_the_changes_but_never_a_sensitive_notes_words(
    workspace: Workspace, tmp_path
) -> None:
    from openpyxl import load_workbook

    from app.services.reports import ReportRequest, write_report

    with workspace.database.session() as session:
        record_user(session.connection(), "Dana Reyes")
        account = add_account(session, "Harbor Goods", [SSN])
        note = add_note(session, account, "Owner under investigation", WHEN)
        row = session.get(orm.NoteRow, note)
        assert row is not None
        row.sensitive = True
        session.flush()
        row.text = "Owner cleared"
        session.commit()
    out = tmp_path / "compliance.xlsx"
    write_report(workspace, ReportRequest(kind="compliance", fmt="xlsx", account_ids=(account,)), out)
    sheet = load_workbook(out)["Change history"]
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "Dana Reyes" in cells and "***-**-6789" in cells
    assert not [cell for cell in cells if "investigation" in cell or "cleared" in cell]
    assert not [cell for cell in cells if "6789" in cell and "*" not in cell]  # the SSN only ever masked


def test_the_workbench_names_its_user_in_the_trail(db_url: str, monkeypatch) -> None:
    """Opening a workspace records who works in it (AE_WORKBENCH_USER here): SQLite in the file, PostgreSQL
    on every server session of the pool."""
    from app.services.account360 import account_history as history_of
    from app.services.notes import add_note as log_note

    monkeypatch.setenv("AE_WORKBENCH_USER", "Dana Reyes")
    with Workspace.open(db_url) as ws:
        with ws.database.session() as session:
            account = add_account(session, "Harbor Goods")
            session.commit()
        log_note(ws, str(account), "Called the broker")
        lines = history_of(ws, account)
    assert {line.changed_by for line in lines} == {"Dana Reyes"}
    assert [line.record for line in lines if line.action == "insert"] == ["Note", "Account"]
