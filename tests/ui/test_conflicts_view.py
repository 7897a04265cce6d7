"""The Conflicts screen: `sync_conflicts` rows shown readably; Keep mine / Keep theirs on a selection."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.services.sync import sync_status
from app.services.sync_conflicts import Conflict, list_conflicts
from app.services.workspace import Workspace
from app.store import orm
from app.ui import changes
from app.ui.models.conflicts import NOTHING, ConflictsModel, value_text
from app.ui.views.conflicts import EMPTY_TEXT, ConflictsView
from tests.store.factories import add_account

pytestmark = pytest.mark.gui

DETECTED = datetime(2026, 11, 20, 14, 30)


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[tuple[Workspace, uuid.UUID]]:
    """A laptop database with one account (risk "low" locally: theirs) and nothing waiting to be sent."""
    ws = Workspace.open(str(tmp_path / "laptop.sqlite3"))
    try:
        with ws.database.session() as session:
            account = add_account(session, "Acme Microdevices Inc.", ["20-584410200"], dba="Acme", risk="low")
            session.commit()
        with ws.database.engine.begin() as connection:
            connection.execute(text("DELETE FROM sync_outbox"))  # as after a sync: everything sent
        yield ws, account
    finally:
        ws.close()


def add_conflict(ws: Workspace, account: uuid.UUID, field: str, base: str, mine: str, theirs: str) -> None:
    insert = text(
        "INSERT INTO sync_conflicts (table_name, row_key, field, base, mine, theirs, detected_at) "
        "VALUES ('accounts', :key, :field, :base, :mine, :theirs, :detected)"
    )
    values = {"key": account.hex, "field": field, "base": base, "mine": mine, "theirs": theirs}
    with ws.database.engine.begin() as connection:
        connection.execute(insert, {**values, "detected": DETECTED})


def risk_of(ws: Workspace, account: uuid.UUID) -> str:
    with ws.database.session() as session:
        row = session.get(orm.AccountRow, account)
        assert row is not None
        return row.risk_segment


@pytest.fixture
def two_conflicts(laptop: tuple[Workspace, uuid.UUID]) -> tuple[Workspace, uuid.UUID]:
    ws, account = laptop
    add_conflict(ws, account, "risk_segment", '"medium"', '"high"', '"low"')
    add_conflict(ws, account, "dba", '"Acme"', '"Acme One"', "null")
    return ws, account


def make_view(qtbot, make_context, ws: Workspace) -> ConflictsView:
    view = ConflictsView(make_context(ws))
    qtbot.addWidget(view)
    view.show()
    view.reload()
    return view


def texts(view: ConflictsView) -> list[list[str]]:
    model = view.model
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_the_model_passes_the_model_tester(qtmodeltester) -> None:
    model = ConflictsModel()
    conflict = Conflict(
        1, "accounts", "ab" * 16, "risk_segment", "medium", "high", None, DETECTED, "Account X"
    )
    model.set_rows([conflict])
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_values_are_shown_for_people() -> None:
    assert value_text("risk_segment", "high") == "High"
    assert value_text("dba", None) == NOTHING
    assert value_text("dba", "") == NOTHING
    assert value_text("next_validation_due", date(2026, 3, 4)) == "03/04/2026"
    assert value_text("is_primary", True) == "Yes"
    assert value_text("name", "Acme\n  Microdevices") == "Acme Microdevices"


def test_the_view_lists_the_conflicts_readably(qtbot, make_context, two_conflicts) -> None:
    ws, _account = two_conflicts
    view = make_view(qtbot, make_context, ws)
    rows = texts(view)
    assert [row[:5] for row in rows] == [
        ["Account Acme Microdevices Inc.", "Risk segment", "Medium", "High", "Low"],
        ["Account Acme Microdevices Inc.", "DBA", "Acme", "Acme One", NOTHING],
    ]
    assert rows[0][5].startswith("11/2")  # local time of 11/20/2026 14:30 UTC
    assert view.summary() == "2 conflicts"
    assert view.empty_hint.isHidden()
    assert not view.keep_mine_button.isEnabled()  # nothing selected yet


def test_keep_theirs_removes_the_row_and_leaves_the_record_alone(qtbot, make_context, two_conflicts) -> None:
    ws, account = two_conflicts
    view = make_view(qtbot, make_context, ws)
    view.table.selectRow(0)
    assert view.keep_theirs_button.isEnabled()
    view.keep_theirs_button.click()
    assert [row[1] for row in texts(view)] == ["DBA"]
    assert [conflict.field for conflict in list_conflicts(ws)] == ["dba"]
    assert risk_of(ws, account) == "low"
    assert sync_status(ws).pending == 0


def test_keep_mine_writes_mine_locally_and_queues_it_for_the_next_sync(
    qtbot, make_context, two_conflicts
) -> None:
    ws, account = two_conflicts
    context = make_context(ws)
    view = ConflictsView(context)
    qtbot.addWidget(view)
    view.show()
    view.reload()
    announced: list[frozenset[str]] = []
    context.changes.changed.connect(announced.append)
    view.table.selectRow(0)
    view.keep_mine_action.trigger()
    assert risk_of(ws, account) == "high"
    assert sync_status(ws).pending == 1
    assert announced == [frozenset({changes.ACCOUNTS})]
    assert [row[1] for row in texts(view)] == ["DBA"]
    assert "kept mine for 1 field" in view.count_label.text()


def test_both_selected_rows_are_settled_at_once_and_the_empty_state_says_so(
    qtbot, make_context, two_conflicts
) -> None:
    ws, _account = two_conflicts
    view = make_view(qtbot, make_context, ws)
    view.table.selectAll()
    assert len(view.selected_conflicts()) == 2
    view.keep_theirs_action.trigger()
    assert view.model.rowCount() == 0 and list_conflicts(ws) == []
    assert view.empty_hint.isVisible() and view.empty_hint.text() == EMPTY_TEXT
    assert not view.keep_theirs_button.isEnabled()


def test_a_conflict_settled_elsewhere_is_named_and_the_others_still_go_through(
    qtbot, make_context, two_conflicts
) -> None:
    ws, account = two_conflicts
    view = make_view(qtbot, make_context, ws)
    view.table.selectAll()
    with ws.database.engine.begin() as connection:  # another window settles the first one meanwhile
        connection.execute(
            text("UPDATE sync_conflicts SET resolved_at = :now WHERE field = 'risk_segment'"),
            {"now": DETECTED},
        )
    view.keep_mine_action.trigger()
    assert view.message_bar.isVisible()
    assert view.message_bar.text().startswith("Not settled: Account Acme Microdevices Inc., Risk segment: ")
    assert list_conflicts(ws) == [] and risk_of(ws, account) == "low"


def test_the_list_reloads_after_a_sync_announces_its_changes(qtbot, make_context, laptop) -> None:
    ws, account = laptop
    context = make_context(ws)
    view = ConflictsView(context)
    qtbot.addWidget(view)
    view.show()
    view.reload()
    assert view.model.rowCount() == 0
    add_conflict(ws, account, "risk_segment", '"medium"', '"high"', '"low"')
    context.changes.announce(changes.KINDS)
    assert view.model.rowCount() == 1
