"""Follow-ups: every note and action item with a date, most urgent first, to tick off one by one.

Keyboard first: arrows select, Ctrl+D or Space marks the selected rows done, Ctrl+Z brings them back, Enter
(or a double click) opens the account. Marking done writes at once, on the GUI thread: it is one small
update per row, and the row must not linger on screen while a worker gets to it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import ActionStatus
from app.domain.followups import Bucket, FollowUp
from app.services import followups as service
from app.ui.changes import ACTION_ITEMS, NOTES
from app.ui.formatting import plural
from app.ui.models.followups import BUCKET_LABELS, COLUMNS, FollowUpsModel, FollowUpsProxyModel
from app.ui.saved_views import apply_header_columns, header_view_state
from app.ui.views.base import MessageBar, Screen, ScreenContext, handle_task_error
from app.ui.widgets.grid import make_grid

HEADER_KEY = "followups"
SCOPE = Qt.ShortcutContext.WidgetWithChildrenShortcut


class MarkDoneCommand(QUndoCommand):
    """Marks follow-ups done on redo and reopens them (action items in their old status) on undo."""

    def __init__(self, view: FollowUpsView, items: Sequence[FollowUp]) -> None:
        super().__init__(f"Mark {plural(len(items), 'follow-up')} done")
        self._view = view
        self._items = list(items)
        self._written: list[FollowUp] = []  # only what was written is undone, should a row fail midway

    def redo(self) -> None:
        ws = self._view.context.workspace
        self._written = []
        try:
            for item in self._items:
                service.mark_done(ws, item.source, item.id)
                self._written.append(item)
        except Exception as exc:  # shown in the bar, or sent to the crash handler, right here
            handle_task_error(exc, self._view.message_bar)
        finally:
            self.setObsolete(not self._written)  # nothing written: the stack drops the command
            self._view.show_done_state([item.id for item in self._written], done=True)

    def undo(self) -> None:
        ws = self._view.context.workspace
        reopened: list[FollowUp] = []
        try:
            for item in self._written:
                status = item.action_status or ActionStatus.OPEN
                service.reopen(ws, item.source, item.id, status=status)
                reopened.append(item)
        except Exception as exc:
            handle_task_error(exc, self._view.message_bar)
        finally:
            self._view.show_done_state([item.id for item in reopened], done=False)


class FollowUpsView(Screen):
    key = "followups"
    title = "Follow-ups"
    supports_saved_views = True

    open_account = Signal(object)  # the account's UUID: the main window opens its 360 view

    def __init__(
        self, context: ScreenContext, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(context, parent)
        self._today = today  # None: the local date at each reload (the screen may stay open past midnight)
        self._generation = 0  # results of a reload overtaken by a newer one are dropped
        self._has_loaded = False
        self.model = FollowUpsModel(self)
        self.proxy = FollowUpsProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.undo_stack = QUndoStack(self)
        self.message_bar = MessageBar(self)
        self._make_controls()
        self.table = self._make_table()
        self._make_actions()
        self._layout()
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset):
            signal.connect(self._update_count)
        context.changes.changed.connect(self._on_data_changed)

    # --- widgets --------------------------------------------------------------------------------------------

    def _make_controls(self) -> None:
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("followups-filter")
        self.filter_edit.setAccessibleName("Filter follow-ups")
        self.filter_edit.setPlaceholderText("Filter by account or text  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_filter_text)
        self.filter_edit.textChanged.connect(self._update_count)
        self.bucket_combo = QComboBox(self)
        self.bucket_combo.setObjectName("followups-bucket")
        self.bucket_combo.setAccessibleName("Show follow-ups due")
        self.bucket_combo.addItem("All", None)
        for bucket in Bucket:
            self.bucket_combo.addItem(BUCKET_LABELS[bucket], bucket)
        self.bucket_combo.currentIndexChanged.connect(self._on_bucket_changed)
        self.show_done_check = QCheckBox("Show &done", self)
        self.show_done_check.setAccessibleName("Show done follow-ups")
        self.show_done_check.toggled.connect(self._on_show_done_toggled)
        self.mark_done_button = QPushButton("&Mark done", self)
        self.mark_done_button.setAccessibleName("Mark the selected follow-ups done")
        self.mark_done_button.setToolTip("Mark the selected follow-ups done (Ctrl+D or Space)")
        self.mark_done_button.clicked.connect(self.mark_selected_done)
        self.undo_button = QPushButton("&Undo", self)
        self.undo_button.setAccessibleName("Undo the last mark done")
        self.undo_button.setToolTip("Undo the last mark done (Ctrl+Z)")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.count_label = QLabel("Loading…", self)
        self.count_label.setObjectName("followups-count")

    def _make_table(self) -> QTableView:
        table = make_grid(
            self,
            "followups-table",
            "Follow-ups",
            self.proxy,
            multi_select=True,
            movable_columns=False,
            stretch_last=False,
        )
        header = table.horizontalHeader()
        state = self.context.settings.ui.header_state(HEADER_KEY)
        if state is None or not header.restoreState(state):
            widths = {"when": 90, "due_on": 90, "account": 240, "kind": 130, "text": 460, "owner": 120}
            for position, column in enumerate(COLUMNS):
                header.resizeSection(position, widths[column.key])
        table.activated.connect(self._on_activated)  # Enter, or a double click
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_context_menu)
        table.selectionModel().selectionChanged.connect(self._update_actions)
        return table

    def _make_actions(self) -> None:
        self.mark_done_action = QAction("Mark done", self)
        self.mark_done_action.setShortcut(QKeySequence("Ctrl+D"))
        self.mark_done_action.setShortcutContext(SCOPE)
        self.mark_done_action.triggered.connect(self.mark_selected_done)
        self.addAction(self.mark_done_action)
        # Space only on the table: in the filter box it must type a space.
        self._space = QShortcut(QKeySequence(Qt.Key.Key_Space), self.table, self.mark_selected_done)
        self._space.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(SCOPE)
        self.addAction(self.undo_action)
        self.open_account_action = QAction("Open account", self)
        self.open_account_action.triggered.connect(lambda: self._on_activated(self.table.currentIndex()))
        self._update_actions()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.bucket_combo)
        top.addWidget(self.show_done_check)
        top.addWidget(self.mark_done_button)
        top.addWidget(self.undo_button)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.message_bar)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        order = [self.filter_edit, self.bucket_combo, self.show_done_check, self.table]
        order += [self.mark_done_button, self.undo_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def save_state(self) -> None:
        self.context.settings.ui.save_header_state(HEADER_KEY, self.table.horizontalHeader().saveState())

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def view_state(self) -> dict[str, Any]:
        # No sort: the list is ordered by urgency, always.
        header = header_view_state(self.table.horizontalHeader(), [c.key for c in COLUMNS], sortable=False)
        return {
            "text": self.filter_edit.text(),
            "bucket": self.bucket_combo.currentData(),
            "show_done": self.show_done_check.isChecked(),
            **header,
        }

    def apply_view_state(self, state: dict[str, Any]) -> None:
        self.filter_edit.setText(str(state.get("text") or ""))
        self.apply_filter({"bucket": state.get("bucket")})
        self.show_done_check.setChecked(state.get("show_done") is True)
        apply_header_columns(self.table.horizontalHeader(), [c.key for c in COLUMNS], state)

    # --- loading --------------------------------------------------------------------------------------------

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        """A note or action item was written elsewhere: reload now if on screen, else when next shown."""
        if not self._has_loaded or not kinds & {NOTES, ACTION_ITEMS}:
            return  # never loaded: the first show loads it anyway
        self.reload_now_or_when_shown()

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        workspace, today = self.context.workspace, self._today
        include_done = self.show_done_check.isChecked()
        self.context.runner.run(
            lambda _progress, _cancel: service.list_followups(
                workspace, today=today, include_done=include_done
            ),
            name="load follow-ups",
            owner=self,
            on_result=lambda items: self._on_loaded(generation, items),
            on_error=lambda exc: self._on_failed(generation, exc),
        )

    def _on_loaded(self, generation: int, items: list[FollowUp]) -> None:
        if generation != self._generation:
            return
        selected = [item.id for item in self.selected_items()]
        self.message_bar.clear_error()
        self.model.set_rows(items)
        self._has_loaded = True
        self._select_ids(selected)
        self._update_count()
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.count_label.setText("")
        handle_task_error(exc, self.message_bar)
        self.load_failed.emit(exc)

    # --- filters --------------------------------------------------------------------------------------------

    def apply_filter(self, criteria: dict[str, object]) -> None:
        """A filtered list opened from elsewhere (Today's cards): `bucket` picks the bucket shown."""
        wanted = criteria.get("bucket")
        index = self.bucket_combo.findData(wanted) if wanted else 0
        self.bucket_combo.setCurrentIndex(max(index, 0))

    def _on_bucket_changed(self, _index: int) -> None:
        data = self.bucket_combo.currentData()  # Qt hands a StrEnum back as its plain str value
        self.proxy.set_bucket(Bucket(data) if data else None)
        self._update_count()

    def _on_show_done_toggled(self, checked: bool) -> None:
        self.proxy.set_show_done(checked)
        if checked:
            self.reload()  # done rows are only loaded on demand: there are years of them

    def _update_count(self, *_args: object) -> None:
        if self._has_loaded:
            self.count_label.setText(self.summary())

    def summary(self) -> str:
        text = f"{plural(self.model.open_count(), 'open follow-up')} ({self.model.overdue_count():,} overdue)"
        filtered = bool(self.filter_edit.text().strip()) or self.bucket_combo.currentData() is not None
        return f"{text}, {self.proxy.rowCount():,} shown" if filtered else text

    # --- selection, actions ---------------------------------------------------------------------------------

    def selected_items(self) -> list[FollowUp]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.proxy.item_at(row) for row in rows]

    def mark_selected_done(self) -> None:
        items = [item for item in self.selected_items() if not item.done]
        if items:
            self.message_bar.clear_error()
            self.undo_stack.push(MarkDoneCommand(self, items))

    def show_done_state(self, item_ids: list[uuid.UUID], *, done: bool) -> None:
        """Called by the undo command once written: update the rows, keep the keyboard user's place."""
        if not item_ids:
            return
        first_row = min((index.row() for index in self.table.selectionModel().selectedRows()), default=0)
        missing = [item_id for item_id in item_ids if not self.model.set_done(item_id, done)]
        if missing:
            self.reload()  # a row undone after a reload that dropped it: fetch it back
        elif done and not self.show_done_check.isChecked():
            self._select_row(min(first_row, self.proxy.rowCount() - 1))  # the next row takes the place
        else:
            self._select_ids(item_ids)
        self._update_count()
        self._update_actions()

    def _select_row(self, row: int) -> None:
        self.table.selectionModel().clearSelection()
        if row >= 0:
            index = self.proxy.index(row, 0)
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().setCurrentIndex(index, flags)

    def _select_ids(self, item_ids: Sequence[uuid.UUID]) -> None:
        wanted = set(item_ids)
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        rows = [row for row in range(self.proxy.rowCount()) if self.proxy.item_at(row).id in wanted]
        if rows:
            selection.clearSelection()
            selection.setCurrentIndex(self.proxy.index(rows[0], 0), flags)
            for row in rows[1:]:
                selection.select(self.proxy.index(row, 0), flags)

    def _update_actions(self, *_args: object) -> None:
        has_open = any(not item.done for item in self.selected_items())
        self.mark_done_action.setEnabled(has_open)
        self.mark_done_button.setEnabled(has_open)
        self.open_account_action.setEnabled(self.table.currentIndex().isValid())

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_account.emit(self.proxy.item_at(index.row()).account_id)

    def _show_context_menu(self, position: QPoint) -> None:
        self._update_actions()
        menu = QMenu(self)
        menu.addAction(self.mark_done_action)
        menu.addAction(self.undo_action)
        menu.addSeparator()
        menu.addAction(self.open_account_action)
        menu.popup(self.table.viewport().mapToGlobal(position))
