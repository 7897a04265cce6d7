"""Action plan tab: issue → root cause → action → owner → due → status, in the order the AE works them.

Add, edit, delete and move up / down are QUndoCommands on the account view's stack. An open item past its due
date says "overdue" in its Due cell and shows it in dark red: colour doubles the text, never replaces it.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton

from app.domain.enums import ActionStatus
from app.domain.model import ActionItem
from app.services import action_plan as service
from app.services.action_plan import ActionFields
from app.services.workspace import Workspace
from app.ui import formatting as fmt
from app.ui.account.action_dialog import STATUS_LABELS, ActionDialog
from app.ui.account.editing import WriteCommand
from app.ui.account.list_tab import ListColumn, ListTab, RowsModel
from app.ui.changes import ACTION_ITEMS

OVERDUE_COLOUR = QColor(176, 0, 32)  # the follow-ups' overdue red
CLOSED = (ActionStatus.DONE, ActionStatus.CANCELLED)


def is_overdue(item: ActionItem, today: date) -> bool:
    return item.due_on is not None and item.due_on < today and item.status not in CLOSED


class ActionPlanModel(RowsModel):
    def __init__(self, parent: Any = None) -> None:
        self.today = date.today()  # set by the tab at each load: the tab may stay open past midnight
        columns = (
            ListColumn("issue", "Issue", lambda i: i.issue, 200),
            ListColumn("root_cause", "Root cause", lambda i: i.root_cause, 180),
            ListColumn("action", "Action", lambda i: i.action, 220),
            ListColumn("owner", "Owner", lambda i: i.owner, 120),
            ListColumn("due_on", "Due", self._due_text, 150),
            ListColumn("status", "Status", lambda i: fmt.label(STATUS_LABELS, i.status), 100),
        )
        super().__init__(columns, parent)

    def _due_text(self, item: ActionItem) -> str:
        text = fmt.fmt_date(item.due_on)
        return f"{text} · overdue" if is_overdue(item, self.today) else text

    def decoration(self, item: Any, key: str, role: int) -> Any:
        if key != "due_on" or not is_overdue(item, self.today):
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None


class ActionCommand(WriteCommand):
    """Add (item None), edit (both given) or delete (fields None) one action item."""

    def __init__(self, tab: ActionPlanTab, item: ActionItem | None, fields: ActionFields | None) -> None:
        if item is None:
            text = "Add action item"
        else:
            text = f"{'Edit' if fields else 'Delete'} action item {item.issue[:40]}"
        super().__init__(
            text,
            tab.context,
            {ACTION_ITEMS},
            report_error=tab.report_error,
            after_write=tab.after_write,
            source=tab,
        )
        self._account_id = tab.account_id
        self._before = None if item is None else ActionFields.of(item)
        self._after = fields
        self.item_id = None if item is None else item.id

    def forward(self) -> None:
        ws = self.context.workspace
        if self._before is None:  # add: the first time a new row, after an undo the same row back
            assert self._after is not None
            if self.item_id is None:
                self.item_id = service.add_action_item(ws, self._account_id, self._after).id
            else:
                service.restore_action_item(ws, self.item_id)
        elif self._after is None:
            service.delete_action_item(ws, self._id())
        else:
            service.update_action_item(ws, self._id(), self._after)

    def backward(self) -> None:
        ws = self.context.workspace
        if self._before is None:
            service.delete_action_item(ws, self._id())
        elif self._after is None:
            service.restore_action_item(ws, self._id())
        else:
            service.update_action_item(ws, self._id(), self._before)

    def _id(self) -> uuid.UUID:
        assert self.item_id is not None
        return self.item_id


class MoveActionCommand(WriteCommand):
    """Move an item one place up (-1) or down (+1); undo puts every item back at its old position."""

    def __init__(self, tab: ActionPlanTab, item: ActionItem, offset: int) -> None:
        text = f"Move action item {'up' if offset < 0 else 'down'}"
        super().__init__(
            text,
            tab.context,
            {ACTION_ITEMS},
            report_error=tab.report_error,
            after_write=tab.after_write,
            source=tab,
        )
        self.item_id = item.id
        self._offset = offset
        self._positions: dict[uuid.UUID, int] = {}

    def forward(self) -> None:
        assert self.item_id is not None
        self._positions = service.move_action_item(self.context.workspace, self.item_id, self._offset)

    def backward(self) -> None:
        service.restore_positions(self.context.workspace, self._positions)


class ActionPlanTab(ListTab):
    key = "plan"
    title = "Action &plan"
    noun = "action item"

    today: date | None = None  # None: the local date at each load; tests set a fixed day

    def make_model(self) -> RowsModel:
        return ActionPlanModel(self)

    def extra_buttons(self) -> list[QPushButton]:
        self.up_button = self._button("Move up", "Move the selected action item up (Ctrl+Up)", self.move_up)
        self.down_button = self._button(
            "Move down", "Move the selected action item down (Ctrl+Down)", self.move_down
        )
        for key, slot in (("Ctrl+Up", self.move_up), ("Ctrl+Down", self.move_down)):
            QShortcut(QKeySequence(key), self.table, slot).setContext(Qt.ShortcutContext.WidgetShortcut)
        return [self.up_button, self.down_button]

    def fetch(self, workspace: Workspace, account_id: uuid.UUID) -> list[Any]:
        return service.list_action_items(workspace, account_id)

    def reload(self, select: uuid.UUID | None = None) -> None:
        model = self.model
        assert isinstance(model, ActionPlanModel)
        model.today = self.today or date.today()
        super().reload(select)

    def reacts_to(self) -> frozenset[str]:
        return frozenset({ACTION_ITEMS})

    def update_buttons(self, *_args: object) -> None:
        super().update_buttons()
        row = self.table.currentIndex().row() if self.table.currentIndex().isValid() else -1
        if hasattr(self, "up_button"):
            self.up_button.setEnabled(row > 0)
            self.down_button.setEnabled(0 <= row < self.model.rowCount() - 1)

    def ask_for_fields(self, item: ActionItem | None) -> ActionFields | None:
        """Open the action item dialog; the checked fields, or None when cancelled."""
        fields = None if item is None else ActionFields.of(item)
        dialog = ActionDialog(fields, self, today=self.today)
        accepted = bool(dialog.exec())
        result = dialog.result_fields if accepted else None
        dialog.deleteLater()
        return result

    def add(self) -> None:
        fields = self.ask_for_fields(None)
        if fields is not None:
            self.undo_stack.push(ActionCommand(self, None, fields))

    def edit_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        fields = self.ask_for_fields(item)
        if fields is not None and fields != ActionFields.of(item):
            self.undo_stack.push(ActionCommand(self, item, fields))

    def delete_selected(self) -> None:
        item = self.selected_item()
        if item is not None:  # no "are you sure?": Ctrl+Z brings it back
            self.undo_stack.push(ActionCommand(self, item, None))

    def move_up(self) -> None:
        self._move(-1)

    def move_down(self) -> None:
        self._move(1)

    def _move(self, offset: int) -> None:
        item = self.selected_item()
        row = self.table.currentIndex().row()
        if item is not None and 0 <= row + offset < self.model.rowCount():
            self.undo_stack.push(MoveActionCommand(self, item, offset))
