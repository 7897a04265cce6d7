"""A tab that lists rows of one account (contacts, action items) and edits them one at a time.

`ListTab` owns the table, the Add / Edit / Delete buttons (subclasses add more), the keys (Insert adds, Enter
or a double click edits, Delete deletes the selected row) and the background reload, which keeps the selection
on the row written last. Subclasses say how to fetch the rows and what each button does; `RowsModel` holds
the rows (a few dozen per account) in memory.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import Workspace
from app.ui.account.base import AccountTab
from app.ui.views.base import MessageBar, ScreenContext, handle_task_error
from app.ui.widgets.empty_hint import EmptyHint
from app.ui.widgets.grid import make_grid

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class ListColumn:
    key: str
    heading: str
    text: Callable[[Any], str]
    width: int = 140  # the default width in pixels, until the person resizes it (saved per tab)


class RowsModel(QAbstractTableModel):
    """Rows with an `id`, in the order given; DisplayRole from each column's `text`, ITEM_ROLE the row."""

    def __init__(self, columns: Sequence[ListColumn], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._items: list[Any] = []

    def set_rows(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[Any]:
        return list(self._items)

    def item_at(self, row: int) -> Any:
        return self._items[row]

    def row_of(self, item_id: uuid.UUID) -> int | None:
        return next((row for row, item in enumerate(self._items) if item.id == item_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = column.text(item)
            # Long text is cut to its first line in the cell; the tooltip has all of it.
            return text.split("\n", 1)[0] if role == Qt.ItemDataRole.DisplayRole else (text or None)
        if role == ITEM_ROLE:
            return item
        return self.decoration(item, column.key, role)

    def decoration(self, item: Any, key: str, role: int) -> Any:
        """Colours and fonts of a cell: none here."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        return self.columns[section].heading if role == Qt.ItemDataRole.DisplayRole else None


class ListTab(AccountTab):
    noun = "row"  # "contact": the count label and the accessible names

    def __init__(
        self,
        context: ScreenContext,
        account_id: uuid.UUID,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, undo_stack, parent)
        self._generation = 0  # results of a reload overtaken by a newer one are dropped
        self._has_loaded = False
        self.message_bar = MessageBar(self)
        self.model = self.make_model()
        self.table = self._make_table()
        EmptyHint(self.table, f"No {self.noun}s yet. Add {self.noun}… (Insert) records the first.")
        self.count_label = QLabel("Loading…", self)
        self.add_button = self._button(f"Add {self.noun}…", f"Add a new {self.noun} (Insert)", self.add)
        self.edit_button = self._button("Edit…", f"Edit the selected {self.noun} (Enter)", self.edit_selected)
        self.delete_button = self._button(
            "Delete", f"Delete the selected {self.noun} (Delete)", self.delete_selected
        )
        self.buttons = [self.add_button, self.edit_button, self.delete_button, *self.extra_buttons()]
        for key, slot in (
            (Qt.Key.Key_Delete, self.delete_selected),
            (Qt.Key.Key_Insert, self.add),
        ):
            shortcut = QShortcut(QKeySequence(key), self.table, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)  # Delete in a text box deletes text
        self._layout()
        self.table.selectionModel().currentRowChanged.connect(self.update_buttons)
        self.update_buttons()

    # --- what subclasses provide ----------------------------------------------------------------------------

    def make_model(self) -> RowsModel:
        raise NotImplementedError

    def fetch(self, workspace: Workspace, account_id: uuid.UUID) -> list[Any]:
        """The rows, in order (runs on a worker thread)."""
        raise NotImplementedError

    def extra_buttons(self) -> list[QPushButton]:
        return []

    def add(self) -> None:
        raise NotImplementedError

    def edit_selected(self) -> None:
        raise NotImplementedError

    def delete_selected(self) -> None:
        raise NotImplementedError

    # --- widgets --------------------------------------------------------------------------------------------

    def _button(self, text: str, tooltip: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(tooltip.split(" (")[0])
        button.setToolTip(tooltip)
        button.clicked.connect(slot)
        return button

    def _make_table(self) -> QTableView:
        table = make_grid(
            self,
            f"{self.key}-table",
            f"{self.noun.capitalize()}s of the account",
            self.model,
            movable_columns=False,
        )
        header = table.horizontalHeader()
        state = self.context.settings.ui.header_state(f"account-{self.key}")
        if state is None or not header.restoreState(state):
            for position, column in enumerate(self.model.columns):
                header.resizeSection(position, column.width)
        table.activated.connect(lambda _index: self.edit_selected())  # Enter, or a double click
        return table

    def _layout(self) -> None:
        row = QHBoxLayout()
        for button in self.buttons:
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        for first, second in itertools.pairwise([self.table, *self.buttons]):
            QWidget.setTabOrder(first, second)

    def save_state(self) -> None:
        self.context.settings.ui.save_header_state(
            f"account-{self.key}", self.table.horizontalHeader().saveState()
        )

    # --- loading --------------------------------------------------------------------------------------------

    def reload(self, select: uuid.UUID | None = None) -> None:
        """Fetch the rows again; then select `select`, else the row selected before (by id, else by place)."""
        self._generation += 1
        generation = self._generation
        current = self.selected_item()
        wanted = select or (current.id if current is not None else None)
        place = max(self.table.currentIndex().row(), 0)
        workspace, account_id = self.context.workspace, self.account_id
        self.context.runner.run(
            lambda _progress, _cancel: self.fetch(workspace, account_id),
            name=f"load {self.noun}s",
            owner=self,
            on_result=lambda items: self._on_loaded(generation, items, wanted, place),
            on_error=lambda exc: self._on_failed(generation, exc),
        )

    def _on_loaded(self, generation: int, items: list[Any], wanted: uuid.UUID | None, place: int) -> None:
        if generation != self._generation:
            return
        self.model.set_rows(items)
        self._has_loaded = True
        row = self.model.row_of(wanted) if wanted is not None else None
        self.select_row(row if row is not None else min(place, self.model.rowCount() - 1))
        self.count_label.setText(self.summary())
        self.update_buttons()
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.count_label.setText("")
        handle_task_error(exc, self.message_bar)
        self.load_failed.emit(exc)

    def summary(self) -> str:
        count = self.model.rowCount()
        return f"{count:,} {self.noun}{'' if count == 1 else 's'}" if self._has_loaded else ""

    # --- selection ------------------------------------------------------------------------------------------

    def selected_item(self) -> Any | None:
        index = self.table.currentIndex()
        return self.model.item_at(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        selection = self.table.selectionModel()
        if row < 0 or row >= self.model.rowCount():
            selection.clear()
            return
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        selection.setCurrentIndex(self.model.index(row, 0), flags)

    def update_buttons(self, *_args: object) -> None:
        has_row = self.selected_item() is not None
        self.edit_button.setEnabled(has_row)
        self.delete_button.setEnabled(has_row)

    def report_error(self, exc: BaseException) -> None:
        handle_task_error(exc, self.message_bar)

    def after_write(self, item_id: uuid.UUID | None) -> None:
        """A command wrote: clear an old problem and show the rows as stored, `item_id` selected."""
        self.message_bar.clear_error()
        self.reload(select=item_id)
