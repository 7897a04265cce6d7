"""The Compliance screen: model checks, filters, the list opened from Today's card, opening an account, saved
view state, and reloading when compliance data changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.domain.compliance import ComplianceItem, ComplianceState
from app.services.today import today_summary
from app.services.workspace import Workspace
from app.store import orm
from app.ui.changes import COMPLIANCE, NOTES
from app.ui.models.compliance import COLUMNS, ComplianceModel, ComplianceProxyModel, column_index
from app.ui.views.compliance import ComplianceView
from app.ui.views.today import CARDS
from tests.store import factories as f

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 20)


def _day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A small database of its own: one test writes."""
    ws = Workspace.open(str(tmp_path / "compliance.sqlite3"))
    with ws.database.session() as s:
        acme = f.add_account(s, "Acme Tools")
        cafe = f.add_account(s, "Café Élan Imports")
        f.add_due_event(s, acme, "CF28", _day(3))
        f.add_due_event(s, cafe, "CF29_PROPOSED", _day(7))
        f.add_due_event(s, acme, "CF28", _day(8))  # outside Today's week
        f.add_due_event(s, cafe, "CF28", _day(-2))  # overdue
        f.add_due_event(s, acme, "CF28", _day(1), responded_on=TODAY)
        f.add_due_event(s, cafe, "PROTEST", _day(-5), closed_on=_day(-1))
        penalty = f.add_due_event(s, acme, "PENALTY_1592", _day(40))
        row = s.get(orm.ComplianceEventRow, penalty)
        assert row is not None
        row.reference, row.proposed_cents = "PEN-2026-0042", 1_250_000
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def view(qtbot, make_context, workspace: Workspace) -> ComplianceView:
    screen = ComplianceView(make_context(workspace), today=TODAY)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded):
        screen.reload()
    return screen


def column_texts(view: ComplianceView, key: str) -> list[str]:
    column = column_index(key)
    return [view.proxy.index(row, column).data() for row in range(view.proxy.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester, view: ComplianceView) -> None:
    qtmodeltester.check(view.model, force_py=True)
    qtmodeltester.check(view.proxy, force_py=True)


def test_model_on_the_demo_portfolio(qtmodeltester, demo_workspace: Workspace) -> None:
    from app.services.compliance import list_compliance

    items = list_compliance(demo_workspace)
    assert items
    model = ComplianceModel()
    model.set_rows(items)
    proxy = ComplianceProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(column_index("due_on"), Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy, force_py=True)


def test_rows_open_first_with_states_days_and_amounts(view: ComplianceView) -> None:
    assert view.model.rowCount() == 7
    assert column_texts(view, "state")[:2] == ["Overdue", "Open"]
    assert column_texts(view, "days")[:2] == ["2 days overdue", "in 3 days"]
    assert column_texts(view, "account")[0] == "Café Élan Imports"
    penalty = column_texts(view, "reference").index("PEN-2026-0042")
    assert column_texts(view, "proposed")[penalty] == "$12,500.00"
    assert column_texts(view, "type")[penalty] == "Penalty (19 U.S.C. 1592)"
    assert view.summary() == "7 events (1 overdue)"


def test_overdue_due_date_has_text_icon_and_colour(view: ComplianceView) -> None:
    due = view.proxy.index(0, column_index("due_on"))
    assert due.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "Overdue" in due.data(Qt.ItemDataRole.ToolTipRole)
    assert due.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert view.proxy.index(0, column_index("state")).data() == "Overdue"
    assert view.proxy.index(1, column_index("due_on")).data(Qt.ItemDataRole.DecorationRole) is None


def test_text_type_and_state_filters(qtbot, view: ComplianceView) -> None:
    qtbot.keyClicks(view.filter_edit, "cafe")  # no accent typed: no match (the filter is accent-exact)
    assert view.proxy.rowCount() == 0
    view.filter_edit.setText("café")
    assert view.proxy.rowCount() == 3
    view.filter_edit.setText("pen-2026")
    assert column_texts(view, "reference") == ["PEN-2026-0042"]
    view.filter_edit.clear()
    view.state_combo.setCurrentIndex(view.state_combo.findText("Responded"))
    assert column_texts(view, "state") == ["Responded"]
    view.state_combo.setCurrentIndex(view.state_combo.findText("To act on (open or overdue)"))
    assert view.proxy.rowCount() == 5
    view.types_button.toggle_type("CF29_PROPOSED", True)
    assert column_texts(view, "type") == ["CF-29 (proposed)"]
    assert view.types_button.text() == "Types: CF-29 (proposed)"
    assert view.summary() == "1 of 7 events (1 overdue)"


def test_today_card_opens_exactly_what_it_counts(view: ComplianceView, workspace: Workspace) -> None:
    spec = next(spec for spec in CARDS if spec.name == "responses-due")
    assert spec.screen_key == view.key
    view.filter_edit.setText("acme")  # an earlier filter must not narrow the card's list
    view.apply_filter(spec.filter)
    summary = today_summary(workspace, today=TODAY)
    assert view.proxy.rowCount() == summary.responses_due_soon + summary.responses_overdue == 3
    assert view.filter_edit.text() == ""
    assert view.today_chip.isVisibleTo(view)
    assert "7 days" in view.today_chip.text()
    assert view.today_chip.accessibleName().startswith("Remove filter")
    view.today_chip.click()
    assert not view.today_chip.isVisibleTo(view)
    assert view.proxy.rowCount() == 7


def test_enter_and_double_click_open_the_account(qtbot, view: ComplianceView) -> None:
    first: ComplianceItem = view.proxy.item_at(0)
    view.table.setFocus()
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    with qtbot.waitSignal(view.open_account, timeout=1000) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == [first.account_id]
    with qtbot.waitSignal(view.open_account, timeout=1000) as blocker:
        view.open_account_action.trigger()
    assert blocker.args == [first.account_id]


def test_view_state_round_trip(make_context, qtbot, view: ComplianceView, workspace: Workspace) -> None:
    view.filter_edit.setText("acme")
    view.types_button.toggle_type("CF28", True)
    view.state_combo.setCurrentIndex(view.state_combo.findText("Open"))
    view.table.sortByColumn(column_index("due_on"), Qt.SortOrder.DescendingOrder)
    view.table.horizontalHeader().setSectionHidden(column_index("outcome"), True)
    state = view.view_state()
    assert json.loads(json.dumps(state)) == state
    assert (state["text"], state["types"], state["states"]) == ("acme", ["CF28"], ["open"])
    assert (state["sort"], state["descending"]) == ("due_on", True)
    assert "outcome" in state["hidden"]
    shown = column_texts(view, "due_on")

    other = ComplianceView(make_context(workspace), today=TODAY)
    qtbot.addWidget(other)
    other.reload()
    other.apply_view_state(state)
    assert other.view_state() == state
    assert len(shown) == 2 and shown[0] > shown[1]  # ISO dates: text order is date order
    assert column_texts(other, "due_on") == shown
    assert other.table.horizontalHeader().isSectionHidden(column_index("outcome"))


def test_apply_view_state_tolerates_missing_and_unknown_keys(view: ComplianceView) -> None:
    view.filter_edit.setText("acme")
    view.apply_view_state({"states": ["nonsense", "overdue"], "types": [3, "CF28"], "sort": "gone", "x": 1})
    assert view.filter_edit.text() == ""
    assert column_texts(view, "state") == ["Overdue"]
    view.apply_view_state({})
    assert view.proxy.rowCount() == 7
    assert view.table.horizontalHeader().sortIndicatorSection() == -1
    assert len(COLUMNS) == view.proxy.columnCount()


def test_reloads_when_compliance_changes(view: ComplianceView, workspace: Workspace) -> None:
    with workspace.database.session() as s:
        account = s.query(orm.AccountRow).filter_by(name="Acme Tools").one().id
        f.add_due_event(s, account, "CF28", _day(5))
    view.context.changes.announce({NOTES})  # not shown here: no reload
    assert view.model.rowCount() == 7
    view.context.changes.announce({COMPLIANCE})  # hidden: on the next show
    assert view.model.rowCount() == 7
    view.show()
    assert view.model.rowCount() == 8
    with workspace.database.session() as s:
        f.add_due_event(s, account, "CF28", _day(6))
    view.context.changes.announce({COMPLIANCE})  # visible: now
    assert view.model.rowCount() == 9
    assert view.model.count(ComplianceState.OPEN) == 6


def test_type_menu_filters_and_all_types_clears(view: ComplianceView) -> None:
    actions = {action.text(): action for action in view.types_button.menu().actions() if action.text()}
    assert actions["CF-28"].isCheckable() and actions["All types"].isChecked()
    actions["CF-28"].trigger()
    assert set(column_texts(view, "type")) == {"CF-28"}
    assert not actions["All types"].isChecked()
    actions["Post-Summary Correction"].trigger()
    assert view.types_button.text() == "Types: 2 types"
    actions["All types"].trigger()
    assert view.proxy.rowCount() == 7
    assert actions["All types"].isChecked() and not actions["CF-28"].isChecked()
