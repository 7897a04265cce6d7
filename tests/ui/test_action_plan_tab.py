"""Action plan tab: the model (overdue in colour and text), add / edit / delete / move, undo and redo."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QUndoStack
from sqlalchemy import select

from app.domain.enums import ActionStatus
from app.services import action_plan as service
from app.services.action_plan import ActionFields
from app.services.workspace import Workspace
from app.store import orm
from app.ui.account.action_dialog import ActionDialog
from app.ui.account.action_plan_tab import ActionPlanTab
from app.ui.changes import ACTION_ITEMS
from tests.store import factories as f

pytestmark = pytest.mark.gui

TODAY = date(2025, 3, 12)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A database of its own: these tests write."""
    ws = Workspace.open(str(tmp_path / "plan.sqlite3"))
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def account_id(workspace: Workspace) -> uuid.UUID:
    with workspace.database.session() as s:
        account = f.add_account(s, "Acme Imports LLC", ["12-3456789AB"])
    for fields in [
        ActionFields("Valuation gaps", "Review assists", "Tooling not declared", "Dana", date(2025, 3, 1)),
        ActionFields("ISF late", "Train the team", due_on=date(2025, 3, 1), status=ActionStatus.DONE),
        ActionFields("CF-28 backlog", "Weekly call", owner="Lee", due_on=date(2025, 4, 1)),
    ]:
        service.add_action_item(workspace, account, fields)
    return account


@pytest.fixture
def tab(qtbot, make_context, workspace: Workspace, account_id: uuid.UUID) -> ActionPlanTab:
    stack = QUndoStack()
    widget = ActionPlanTab(make_context(workspace), account_id, stack)
    widget._test_stack = stack  # keep the stack alive as long as the tab
    widget.today = TODAY
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded):
        widget.reload()
    return widget


def stored(workspace: Workspace) -> list[tuple]:
    """Every action item as stored, tombstones included."""
    with workspace.database.session() as s:
        rows = s.scalars(select(orm.ActionItemRow).order_by(orm.ActionItemRow.id))
        return [
            (
                r.issue,
                r.root_cause,
                r.action,
                r.owner,
                r.due_on,
                r.status,
                r.position,
                r.deleted_at is not None,
            )
            for r in rows
        ]


def issues(tab: ActionPlanTab) -> list[str]:
    return [tab.model.index(row, 0).data() for row in range(tab.model.rowCount())]


def answer_dialog(
    monkeypatch: pytest.MonkeyPatch, fill: Callable[[ActionDialog], None]
) -> list[ActionDialog]:
    seen: list[ActionDialog] = []

    def fake_exec(dialog: ActionDialog) -> int:
        seen.append(dialog)
        fill(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ActionDialog, "exec", fake_exec)
    return seen


def test_model_passes_the_model_tester(qtmodeltester, tab: ActionPlanTab) -> None:
    qtmodeltester.check(tab.model)


def test_columns_in_plan_order_with_overdue_in_colour_and_text(tab: ActionPlanTab) -> None:
    headings = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.model.columnCount())]
    assert headings == ["Issue", "Root cause", "Action", "Owner", "Due", "Status"]
    assert issues(tab) == ["Valuation gaps", "ISF late", "CF-28 backlog"]
    assert tab.model.index(0, 4).data() == "03/01/2025 · overdue"
    assert tab.model.index(0, 4).data(Qt.ItemDataRole.ForegroundRole).color().red() == 176
    assert tab.model.index(1, 4).data() == "03/01/2025"  # done: never overdue
    assert tab.model.index(1, 4).data(Qt.ItemDataRole.ForegroundRole) is None
    assert tab.model.index(1, 5).data() == "Done"
    assert tab.summary() == "3 action items"
    assert tab.reacts_to() == frozenset({ACTION_ITEMS})
    assert (tab.key, tab.title) == ("plan", "Action &plan")


def test_add_appends_and_undo_redo_restore(qtbot, monkeypatch, tab: ActionPlanTab, workspace) -> None:
    before = stored(workspace)

    def fill(dialog: ActionDialog) -> None:
        dialog.issue.setText("MID errors")
        dialog.action.setPlainText("Send the MID builder guide")
        dialog.has_due.setChecked(True)
        dialog.due.setDate(QDate(2025, 5, 2))
        dialog.status.setCurrentIndex(dialog.status.findData(ActionStatus.IN_PROGRESS.value))

    answer_dialog(monkeypatch, fill)
    with qtbot.waitSignal(tab.context.changes.changed) as announced:
        tab.add_button.click()
    assert announced.args == [frozenset({ACTION_ITEMS})]
    assert issues(tab)[-1] == "MID errors"
    assert tab.model.index(3, 4).data() == "05/02/2025"
    assert tab.model.index(3, 5).data() == "In progress"
    after = stored(workspace)
    tab.undo_stack.undo()
    assert issues(tab) == ["Valuation gaps", "ISF late", "CF-28 backlog"]
    assert [row for row in stored(workspace) if not row[-1]] == before
    tab.undo_stack.redo()
    assert stored(workspace) == after


def test_edit_and_undo_restore_exact_values(monkeypatch, tab: ActionPlanTab, workspace) -> None:
    before = stored(workspace)
    tab.select_row(0)
    answer_dialog(monkeypatch, lambda d: (d.has_due.setChecked(False), d.owner.setText("Morgan")))
    tab.edit_selected()
    edited = stored(workspace)
    assert (
        "Valuation gaps",
        "Tooling not declared",
        "Review assists",
        "Morgan",
        None,
        "open",
        0,
        False,
    ) in edited
    assert tab.model.index(0, 4).data() == ""
    tab.undo_stack.undo()
    assert stored(workspace) == before
    tab.undo_stack.redo()
    assert stored(workspace) == edited


def test_issue_and_action_are_required(monkeypatch, tab: ActionPlanTab, workspace) -> None:
    before = stored(workspace)
    seen = answer_dialog(monkeypatch, lambda d: d.action.setPlainText("Do something"))
    tab.add()
    assert seen[0].form.error_text("issue") == "an action item needs the issue it addresses"
    seen = answer_dialog(monkeypatch, lambda d: d.issue.setText("Something wrong"))
    tab.add()
    assert seen[0].form.error_text("action") == "an action item needs the action to take"
    assert stored(workspace) == before
    assert tab.undo_stack.count() == 0


def test_move_down_and_up_with_undo(qtbot, tab: ActionPlanTab, workspace) -> None:
    before = stored(workspace)
    tab.select_row(0)
    assert not tab.up_button.isEnabled() and tab.down_button.isEnabled()
    tab.down_button.click()
    assert issues(tab) == ["ISF late", "Valuation gaps", "CF-28 backlog"]
    assert tab.selected_item().issue == "Valuation gaps"  # the moved row stays selected
    tab.show()
    qtbot.waitExposed(tab)
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus)
    qtbot.keyClick(tab.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert issues(tab) == ["ISF late", "CF-28 backlog", "Valuation gaps"]
    assert not tab.down_button.isEnabled()
    tab.undo_stack.undo()
    tab.undo_stack.undo()
    assert stored(workspace) == before
    assert issues(tab) == ["Valuation gaps", "ISF late", "CF-28 backlog"]


def test_delete_key_tombstones_and_undo_restores(qtbot, tab: ActionPlanTab, workspace) -> None:
    before = stored(workspace)
    tab.show()
    qtbot.waitExposed(tab)
    tab.select_row(1)
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert issues(tab) == ["Valuation gaps", "CF-28 backlog"]
    assert sum(row[-1] for row in stored(workspace)) == 1
    assert tab.selected_item().issue == "CF-28 backlog"  # the next row takes the place
    tab.undo_stack.undo()
    assert stored(workspace) == before
    assert issues(tab) == ["Valuation gaps", "ISF late", "CF-28 backlog"]


def test_controls_have_accessible_names(tab: ActionPlanTab) -> None:
    assert [button.text() for button in tab.buttons] == [
        "Add action item…",
        "Edit…",
        "Delete",
        "Move up",
        "Move down",
    ]
    assert all(button.accessibleName() for button in tab.buttons)
    dialog = ActionDialog(None, tab, today=TODAY)
    for widget in dialog.form.fields.values():
        assert widget.accessibleName()
    assert dialog.due.date() == QDate(2025, 4, 11)
    dialog.deleteLater()
