"""The Follow-ups screen: model checks, filters, mark done + undo, and the keyboard-only path."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.followups import Bucket
from app.services.followups import list_followups
from app.services.workspace import Workspace
from app.store import orm
from app.ui.views.followups import FollowUpsView
from tests.store import factories as f

pytestmark = pytest.mark.gui

TODAY = date(2025, 3, 12)  # a Wednesday
CREATED = datetime(2025, 3, 1, 9, 0)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A small database of its own: these tests write."""
    ws = Workspace.open(str(tmp_path / "followups.sqlite3"))
    with ws.database.session() as s:
        acme = f.add_account(s, "Acme Imports LLC", ["12-3456789AB"])
        zeta = f.add_account(s, "Zeta Trading Co", ["98-7654321CD"])
        for account, text, due, kind in [
            (acme, "Call broker about CF-28", date(2025, 3, 10), "call"),
            (zeta, "Email TCM about ISF", TODAY, "email"),
            (acme, "Confirm visit agenda", date(2025, 3, 14), "note"),
            (zeta, "Send validation checklist", date(2025, 4, 2), "email"),
        ]:
            note_id = f.add_note(s, account, text, CREATED, kind=kind)
            f.set_note_follow_up(s, note_id, due)
        f.add_action_item(
            s, acme, "Valuation gaps", "Review assists", due_on=date(2025, 3, 3), status="in_progress"
        )
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def view(qtbot, make_context, workspace: Workspace) -> FollowUpsView:
    screen = FollowUpsView(make_context(workspace), today=TODAY)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded):
        screen.reload()
    return screen


def shown_texts(view: FollowUpsView, column: int = 4) -> list[str]:
    return [view.proxy.index(row, column).data() for row in range(view.proxy.rowCount())]


def show_and_focus_table(qtbot, view: FollowUpsView) -> None:
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)


def test_models_pass_the_model_tester(qtmodeltester, view: FollowUpsView) -> None:
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)


def test_lists_by_bucket_with_labels_and_counts(view: FollowUpsView) -> None:
    assert shown_texts(view, 0) == ["Overdue", "Overdue", "Today", "This week", "Later"]
    assert shown_texts(view)[0] == "Valuation gaps → Review assists"
    assert view.proxy.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).color().red() > 150
    assert view.summary() == "5 open follow-ups (2 overdue)"


def test_filter_text_and_bucket(view: FollowUpsView) -> None:
    view.filter_edit.setText("zeta")
    assert shown_texts(view) == ["Email TCM about ISF", "Send validation checklist"]
    view.filter_edit.setText("ZETA isf")
    assert shown_texts(view) == ["Email TCM about ISF"]
    view.filter_edit.clear()
    view.bucket_combo.setCurrentIndex(view.bucket_combo.findData(Bucket.OVERDUE))
    assert shown_texts(view, 0) == ["Overdue", "Overdue"]
    assert view.summary() == "5 open follow-ups (2 overdue), 2 shown"


def test_mark_done_then_undo(view: FollowUpsView, workspace: Workspace) -> None:
    view.table.selectRow(1)
    view.mark_done_button.click()
    assert "Call broker about CF-28" not in shown_texts(view)
    assert len(list_followups(workspace, today=TODAY)) == 4
    assert view.summary() == "4 open follow-ups (1 overdue)"
    assert view.undo_button.isEnabled()
    view.undo_button.click()
    assert shown_texts(view)[1] == "Call broker about CF-28"
    assert len(list_followups(workspace, today=TODAY)) == 5
    assert view.selected_items()[0].text == "Call broker about CF-28"


def test_show_done_keeps_done_rows_visible(qtbot, view: FollowUpsView) -> None:
    view.table.selectRow(0)
    view.mark_selected_done()
    with qtbot.waitSignal(view.loaded):
        view.show_done_check.setChecked(True)
    assert shown_texts(view, 0)[0] == "Done"
    assert view.summary() == "4 open follow-ups (1 overdue)"


def test_keyboard_only_select_mark_done_undo_open(qtbot, view: FollowUpsView, workspace: Workspace) -> None:
    show_and_focus_table(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert len(view.selected_items()) == 2
    qtbot.keyClick(view.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert shown_texts(view, 0) == ["Overdue", "This week", "Later"]
    assert view.selected_items()[0].text == "Confirm visit agenda"  # the next row took the place
    qtbot.keyClick(view.table, Qt.Key.Key_Up)
    assert view.selected_items()[0].text == "Valuation gaps → Review assists"
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert view.model.open_count() == 2
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.model.open_count() == 3
    status = {item.id: item.action_status for item in list_followups(workspace, today=TODAY)}
    assert "in_progress" in status.values()  # undo restored the action item's own status
    with qtbot.waitSignal(view.open_account) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [view.selected_items()[0].account_id]


def test_space_in_the_filter_box_types_a_space(qtbot, view: FollowUpsView) -> None:
    show_and_focus_table(qtbot, view)
    view.table.selectRow(0)
    view.focus_filter()
    qtbot.keyClicks(view.filter_edit, "a b")
    assert view.filter_edit.text() == "a b"
    assert view.model.open_count() == 5


def test_row_deleted_elsewhere_shows_the_error(view: FollowUpsView, workspace: Workspace) -> None:
    view.table.selectRow(0)
    item = view.selected_items()[0]
    with workspace.database.session() as s:
        row = s.get(orm.ActionItemRow, item.id)
        assert row is not None
        row.deleted_at = datetime(2025, 3, 12)
    view.mark_selected_done()
    assert view.message_bar.isVisibleTo(view) and str(item.id) in view.message_bar.text()
    assert view.undo_stack.count() == 0 and view.model.open_count() == 5


def test_demo_portfolio_loads(qtbot, make_context, demo_workspace: Workspace) -> None:
    screen = FollowUpsView(make_context(demo_workspace))
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded):
        screen.reload()
    assert screen.model.rowCount() > 0
    assert screen.summary().endswith("overdue)")


def test_open_account_from_the_context_menu_action(qtbot, view: FollowUpsView) -> None:
    view.table.selectRow(3)
    with qtbot.waitSignal(view.open_account) as opened:
        view.open_account_action.trigger()
    assert opened.args == [view.proxy.item_at(3).account_id]


def test_every_control_has_an_accessible_name(view: FollowUpsView) -> None:
    controls = [view.filter_edit, view.bucket_combo, view.show_done_check, view.table]
    controls += [view.mark_done_button, view.undo_button]
    assert all(control.accessibleName() for control in controls)
