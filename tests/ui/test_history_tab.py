"""The account's History tab: the audit trail newest first, readable, filterable, and fresh after an edit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from app.domain.enums import RiskSegment
from app.services.workspace import Workspace
from app.store import orm
from app.store.audit import record_user
from app.ui.account.history_tab import COLUMNS, HistoryTab
from app.ui.changes import ACCOUNTS
from tests.store import factories as f


@pytest.fixture
def edited(tmp_path: Path) -> Iterator[tuple[Workspace, uuid.UUID]]:
    """An account added with an SSN-based importer number, then moved to a higher risk segment."""
    workspace = Workspace.open(str(tmp_path / "history.sqlite3"))
    with workspace.database.session() as session:
        record_user(session.connection(), "Dana Reyes")
        account = f.add_account(session, "Harbor Goods", ["123-45-6789"])
        session.commit()
    set_risk(workspace, account, RiskSegment.HIGH)
    try:
        yield workspace, account
    finally:
        workspace.close()


def set_risk(workspace: Workspace, account: uuid.UUID, risk: RiskSegment) -> None:
    with workspace.database.session() as session:
        row = session.get(orm.AccountRow, account)
        assert row is not None
        row.risk_segment = risk
        session.commit()


def texts(tab: HistoryTab) -> list[list[str]]:
    return [
        [tab.proxy.index(row, column).data() for column in range(len(COLUMNS))]
        for row in range(tab.proxy.rowCount())
    ]


@pytest.fixture
def tab(qtbot, make_context, edited) -> HistoryTab:
    workspace, account = edited
    history = HistoryTab(make_context(workspace), account, QUndoStack())
    qtbot.addWidget(history)
    with qtbot.waitSignal(history.loaded):
        history.reload()
    return history


def test_the_newest_change_comes_first_with_who_what_before_and_after(tab: HistoryTab) -> None:
    rows = texts(tab)
    assert rows[0][1:5] == ["Dana Reyes", "Account", "Harbor Goods", "Risk segment"]
    assert rows[0][6] == RiskSegment.HIGH.value
    added = {(row[2], row[3], row[4]) for row in rows[1:]}
    assert ("Importer number", "***-**-6789", "Added") in added
    assert ("Account", "Harbor Goods", "Added") in added
    assert all("123-45" not in cell for row in rows for cell in row)
    assert tab.count_label.text() == f"{len(rows)} changes"


def test_the_filter_narrows_and_counts(tab: HistoryTab) -> None:
    total = tab.proxy.rowCount()
    tab.filter_edit.setText("importer")
    assert tab.proxy.rowCount() == 1
    assert tab.count_label.text() == f"1 of {total} changes"


def test_it_reloads_after_an_account_edit(qtbot, tab: HistoryTab, edited) -> None:
    workspace, account = edited
    before = tab.proxy.rowCount()
    set_risk(workspace, account, RiskSegment.LOW)
    assert ACCOUNTS in tab.reacts_to()
    with qtbot.waitSignal(tab.loaded):
        tab.reload()
    assert tab.proxy.rowCount() == before + 1
    assert texts(tab)[0][6] == RiskSegment.LOW.value
