"""The read-only account tabs (overview, holds, compliance) and the account header, on the demo and on a
small database of known rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from app.domain.errors import NotFoundError
from app.services.account360 import account_header
from app.services.accounts import list_portfolio
from app.services.workspace import Workspace
from app.ui.account.compliance_tab import ComplianceTab
from app.ui.account.header import AccountHeader
from app.ui.account.holds_tab import CLOCK_COLUMN, HoldsTab
from app.ui.account.overview_tab import OverviewTab
from app.ui.changes import ACCOUNTS, COMPLIANCE, TRADE
from tests.store import factories as f

TODAY = date(2026, 11, 23)


@pytest.fixture
def known(tmp_path: Path) -> Iterator[tuple[Workspace, uuid.UUID]]:
    """One account with an SSN-based importer number, CTPAT Tier 3, a suspended Trade Compliance status,
    an open and a past hold, an overdue CF-28 and an answered one."""
    workspace = Workspace.open(str(tmp_path / "known.sqlite3"))
    with workspace.database.session() as session:
        account_id = f.add_account(session, "Harbor Goods", ["123-45-6789", "12-3456789-00"], dba="HG")
        f.add_partnership(session, account_id, "CTPAT_SECURITY", "VALIDATED", date(2024, 1, 5), tier="TIER3")
        f.add_partnership(session, account_id, "CTPAT_TRADE_COMPLIANCE", "SUSPENDED", date(2025, 6, 1))
        entry = f.add_entry(session, account_id, 1, TODAY - timedelta(days=45), lines=4)
        f.add_entry(session, account_id, 2, TODAY - timedelta(days=10), lines=2)
        f.add_hold(session, entry, account_id, datetime(2026, 10, 1, 9), category="CET")
        f.add_hold(
            session,
            entry,
            account_id,
            datetime(2026, 9, 1, 9),
            removed_at=datetime(2026, 9, 4, 9),
            category="NII",
        )
        f.add_due_event(session, account_id, "CF28", TODAY - timedelta(days=3))
        f.add_due_event(session, account_id, "CF28", TODAY + timedelta(days=20), responded_on=TODAY)
    try:
        yield workspace, account_id
    finally:
        workspace.close()


def _tab(cls, make_context, workspace: Workspace, account_id: uuid.UUID, qtbot):
    tab = cls(make_context(workspace), account_id, QUndoStack())
    qtbot.addWidget(tab)
    tab.today = TODAY
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.reload()
    return tab


def test_header_masks_ssn_numbers_and_shows_badges(qtbot, known) -> None:
    workspace, account_id = known
    header = AccountHeader()
    qtbot.addWidget(header)
    header.show_header(account_header(workspace, account_id))

    assert header.name_label.text() == "Harbor Goods"
    assert header.dba_label.text() == "DBA HG"
    numbers = header.numbers_label.text()
    assert "6789" in numbers and "123-45-6789" not in numbers and "123456789" not in numbers
    assert numbers.index("6789") < numbers.index("12-345678900")  # the primary (SSN-based) comes first
    assert header.badge_texts() == ["CTPAT Tier 3 · Validated", "Trade Compliance · Suspended"]
    suspended = header.badges[1]
    assert "#b00020" in suspended.styleSheet()  # red
    assert suspended.accessibleName() == "Program status: Trade Compliance · Suspended"
    assert "ELEC" in header.center_label.text() and "Electronics" in header.center_label.text()
    assert "unassigned" in header.ae_label.text()


def test_overview_tab(qtbot, make_context, known) -> None:
    workspace, account_id = known
    tab = _tab(OverviewTab, make_context, workspace, account_id, qtbot)

    assert tab.reacts_to() == frozenset({TRADE, COMPLIANCE})
    assert tab.cards["entries"].value_text == "2"
    assert tab.cards["lines"].value_text == "6"
    assert tab.cards["hold-rate"].value_text == "50.0%"
    assert tab.cards["cf28"].value_text == "2"
    assert tab.cards["cf28"].accessibleName() == "CF-28s: 2"
    assert tab.cards["psc"].detail_label.text() == "Net duty change: —"
    assert tab.summary() == "2 entries, 6 lines in 12 months"
    entries_series = tab.entries_chart.series_list()
    assert len(entries_series) == 1
    assert "11/26: 1" in tab.entries_chart.accessibleDescription()
    assert "10/26: 1" in tab.holds_chart.accessibleDescription()


def test_holds_tab_open_first_and_open_only(qtbot, qtmodeltester, make_context, known) -> None:
    workspace, account_id = known
    tab = _tab(HoldsTab, make_context, workspace, account_id, qtbot)
    model = tab.model

    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.hold_at(0).is_open and not model.hold_at(1).is_open
    assert model.index(0, CLOCK_COLUMN).data() == "Deemed exclusion (day 30)"  # placed 53 days ago
    assert model.index(0, CLOCK_COLUMN).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(1, 6).data() == "3 days"  # Tue 1 Sep to Fri 4 Sep (Labor Day is the 7th)
    assert tab.summary() == "1 open hold, 2 holds in all"
    tab.open_only.setChecked(True)
    assert model.rowCount() == 1
    qtmodeltester.check(model)
    assert tab.open_only.accessibleName() and tab.table.accessibleName()
    assert tab.reacts_to() == frozenset({TRADE, COMPLIANCE})


def test_compliance_tab(qtbot, qtmodeltester, make_context, known) -> None:
    workspace, account_id = known
    tab = _tab(ComplianceTab, make_context, workspace, account_id, qtbot)

    qtmodeltester.check(tab.events_model)
    qtmodeltester.check(tab.history_model)
    states = [tab.events_model.index(row, 5).data() for row in range(tab.events_model.rowCount())]
    assert sorted(states) == ["Done", "Overdue"]
    overdue_row = states.index("Overdue")
    assert tab.events_model.index(overdue_row, 4).data() == (TODAY - timedelta(days=3)).strftime("%m/%d/%Y")
    assert tab.events_model.index(overdue_row, 5).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert tab.events_model.index(overdue_row, 0).data() == "CF-28"
    history = [
        [tab.history_model.index(row, column).data() for column in range(3)]
        for row in range(tab.history_model.rowCount())
    ]
    assert history == [["CTPAT", "Validated", "Tier 3"], ["Trade Compliance", "Suspended", ""]]
    assert tab.summary() == "2 compliance events (1 overdue), 2 status rows"
    assert tab.reacts_to() == frozenset({COMPLIANCE, ACCOUNTS})
    tab.save_state()


def test_tabs_load_on_the_demo(qtbot, qtmodeltester, make_context, demo_workspace) -> None:
    rows = list_portfolio(demo_workspace)
    busiest = max(rows, key=lambda row: (row.open_holds, row.entries_12m))
    header = AccountHeader()
    qtbot.addWidget(header)
    header.show_header(account_header(demo_workspace, busiest.account_id))
    assert header.name_label.text() == busiest.name
    assert header.badges
    for cls in (OverviewTab, HoldsTab, ComplianceTab):
        tab = cls(make_context(demo_workspace), busiest.account_id, QUndoStack())
        qtbot.addWidget(tab)
        with qtbot.waitSignal(tab.loaded, timeout=10000):
            tab.reload()
        assert tab.summary()
    holds = HoldsTab(make_context(demo_workspace), busiest.account_id, QUndoStack())
    qtbot.addWidget(holds)
    holds.reload()
    assert holds.model.rowCount() >= busiest.open_holds
    qtmodeltester.check(holds.model)


def test_unknown_account_shows_the_error(qtbot, make_context, known) -> None:
    workspace, _account_id = known
    tab = OverviewTab(make_context(workspace), uuid.uuid4(), QUndoStack())
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.load_failed, timeout=5000) as failure:
        tab.reload()
    assert isinstance(failure.args[0], NotFoundError)
    assert not tab.message_bar.isHidden()
    assert "no longer exists" in tab.message_bar.text()


def test_an_account_an_import_created_says_so_until_it_is_edited(qtbot, known) -> None:
    from sqlalchemy import text

    from app.services import account_edit

    workspace, account_id = known
    with workspace.database.session() as session:
        session.execute(text("UPDATE accounts SET created_by_import = :yes"), {"yes": True})
    header = AccountHeader()
    qtbot.addWidget(header)
    header.show_header(account_header(workspace, account_id))
    assert header.badge_texts()[0] == "Created by import"
    assert "Center" in header.badges[0].toolTip()
    version = account_edit.get_account(workspace, account_id).version
    account_edit.update_account(workspace, account_id, {"city": "Laredo"}, version)
    header.show_header(account_header(workspace, account_id))
    assert "Created by import" not in header.badge_texts()
