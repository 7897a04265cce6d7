"""Account 360 → Notes & activity: the account's timeline of notes beside a composer to add or edit them.

Picking a note in the timeline loads it into the composer in edit mode ("Save changes" / "Cancel", Esc);
Delete (or the button) deletes the selected note. Every add, edit and delete is a command on the account
view's undo stack, so Ctrl+Z / Ctrl+Shift+Z take it back and forth; each write announces NOTES, which also
refreshes the follow-ups screen.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.activity import HoldChoice, NoteActivity
from app.domain.errors import ValidationError
from app.services import notes as service
from app.ui.account.base import AccountTab
from app.ui.account.note_commands import AddNoteCommand, DeleteNoteCommand, EditNoteCommand
from app.ui.account.note_composer import NoteComposer, NoteDraft
from app.ui.changes import NOTES
from app.ui.formatting import plural
from app.ui.models.notes import COLUMNS, NotesModel
from app.ui.views.base import MessageBar, ScreenContext, handle_task_error
from app.ui.widgets.empty_hint import EmptyHint
from app.ui.widgets.grid import make_grid

HEADER_KEY = "account-notes"
SPLITTER_KEY = "account-notes"
COLUMN_WIDTHS = {
    "when": 120,
    "kind": 100,
    "author": 100,
    "text": 300,
    "linked": 200,
    "follow_up": 110,
    "flags": 110,
}


class NotesTab(AccountTab):
    key = "notes"
    title = "&Notes && activity"

    def __init__(
        self,
        context: ScreenContext,
        account_id: uuid.UUID,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(context, account_id, undo_stack, parent)
        self._generation = 0  # results of a reload overtaken by a newer one are dropped
        self._has_loaded = False
        self._syncing = False  # selection set by the tab itself: do not load it into the composer
        self.model = NotesModel(self)
        self.message_bar = MessageBar(self)
        self.composer = NoteComposer(self, today=today)
        self.composer.submitted.connect(self._on_submitted)
        self.composer.cancelled.connect(self._clear_selection)
        self.table = self._make_table()
        EmptyHint(self.table, "No notes yet. Log a call, email, meeting or visit in the composer (Ctrl+N).")
        self._make_controls()
        self._layout()

    # --- widgets --------------------------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = make_grid(
            self, "account-notes-table", "Notes and activity, newest first", self.model, movable_columns=False
        )
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        state = self.context.settings.ui.header_state(HEADER_KEY)
        if state is None or not header.restoreState(state):
            for position, column in enumerate(COLUMNS):
                header.resizeSection(position, COLUMN_WIDTHS[column.key])
        table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        table.activated.connect(self._on_activated)  # Enter, or a double click: edit it now
        return table

    def _make_controls(self) -> None:
        self.timeline_label = QLabel("Timeline", self)
        self.timeline_label.setBuddy(self.table)
        self.count_label = QLabel("Loading…", self)
        self.count_label.setObjectName("account-notes-count")
        self.delete_button = QPushButton("Delete note", self)
        self.delete_button.setAccessibleName("Delete the selected note")
        self.delete_button.setToolTip("Delete the selected note (Delete); Ctrl+Z brings it back")
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_button.setEnabled(False)
        # Delete only on the table: in the composer it must delete text.
        self._delete_key = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.delete_selected)
        self._delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.timeline_label)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.delete_button)
        timeline = QWidget(self)
        timeline_layout = QVBoxLayout(timeline)
        timeline_layout.setContentsMargins(0, 0, 0, 0)
        timeline_layout.addLayout(top)
        timeline_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("account-notes-splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(timeline)
        self.splitter.addWidget(self.composer)
        self.splitter.setStretchFactor(0, 2)  # the timeline is what is read; the composer needs less
        self.splitter.setStretchFactor(1, 1)
        state = self.context.settings.ui.splitter_state(SPLITTER_KEY)
        if state is not None:
            self.splitter.restoreState(state)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)
        QWidget.setTabOrder(self.table, self.delete_button)
        QWidget.setTabOrder(self.delete_button, self.composer.kind_combo)

    def save_state(self) -> None:
        self.context.settings.ui.save_header_state(HEADER_KEY, self.table.horizontalHeader().saveState())
        self.context.settings.ui.save_splitter_state(SPLITTER_KEY, self.splitter.saveState())

    def focus_composer(self) -> None:
        """Put the cursor in the note text (the account view binds a shortcut to this)."""
        self.composer.focus_text()

    # --- loading --------------------------------------------------------------------------------------------

    def reacts_to(self) -> frozenset[str]:
        return frozenset({NOTES})

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        workspace, account_id = self.context.workspace, self.account_id

        def work(_progress: object, _cancel: object) -> tuple[list[NoteActivity], list[HoldChoice]]:
            return (
                service.account_activity(workspace, account_id),
                service.account_open_holds(workspace, account_id),
            )

        self.context.runner.run(
            work,
            name="load notes",
            owner=self,
            on_result=lambda result: self._on_loaded(generation, *result),
            on_error=lambda exc: self._on_failed(generation, exc),
        )

    def _on_loaded(self, generation: int, items: list[NoteActivity], holds: list[HoldChoice]) -> None:
        if generation != self._generation:
            return
        self.message_bar.clear_error()
        self._syncing = True
        try:
            self.model.set_rows(items)
            self.composer.set_holds(holds)
            self._select_edited_note()
        finally:
            self._syncing = False
        self._has_loaded = True
        self.count_label.setText(self.summary())
        self._update_actions()
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.count_label.setText("")
        handle_task_error(exc, self.message_bar)
        self.load_failed.emit(exc)

    def summary(self) -> str:
        if not self._has_loaded:
            return ""
        notes = plural(self.model.rowCount(), "note")
        return f"{notes}, {plural(self.model.open_follow_up_count(), 'open follow-up')}"

    # --- selection ------------------------------------------------------------------------------------------

    def selected_item(self) -> NoteActivity | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item_at(rows[0].row()) if rows else None

    def select_note(self, note_id: uuid.UUID) -> bool:
        """Select the note's row (which loads it into the composer); False if it is not in the timeline."""
        row = self.model.row_of(note_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_actions()
        if self._syncing:
            return
        item = self.selected_item()
        if item is not None:
            self.composer.load(item)

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self.composer.load(self.model.item_at(index.row()))
            self.composer.focus_text()

    def _select_edited_note(self) -> None:
        """After a reload, keep the note being edited highlighted (and only that one)."""
        editing = self.composer.editing
        row = None if editing is None else self.model.row_of(editing.note.id)
        if row is None:
            if editing is not None:
                self.composer.start_new()  # deleted elsewhere: nothing left to edit
            self.table.clearSelection()
        else:
            self.table.selectRow(row)
            self.composer.editing = self.model.item_at(row)  # its fresh version, for the next save

    def _clear_selection(self) -> None:
        self._syncing = True
        try:
            self.table.clearSelection()
        finally:
            self._syncing = False

    def _update_actions(self, *_args: object) -> None:
        self.delete_button.setEnabled(self.selected_item() is not None)

    # --- writing --------------------------------------------------------------------------------------------

    def _on_submitted(self, draft: NoteDraft) -> None:
        self.message_bar.clear_error()
        editing = self.composer.editing
        if editing is None:
            self.undo_stack.push(AddNoteCommand(self, draft))
        else:
            self.undo_stack.push(EditNoteCommand(self, editing, draft))

    def delete_selected(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.message_bar.clear_error()
            self.undo_stack.push(DeleteNoteCommand(self, item))
            if self.delete_button.hasFocus():  # it is disabled now: keep the keyboard user in the list
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def note_written(self) -> None:
        """Called by the commands after each successful write: refresh, and tell the rest of the app."""
        self._clear_selection()
        self.reload()
        self.context.changes.announce({NOTES}, source=self)

    def show_write_error(self, exc: BaseException, *, from_composer: bool) -> None:
        """A problem with what the composer holds goes next to its field; anything else to the bar."""
        if from_composer and isinstance(exc, ValidationError):
            self.composer.show_error(exc.field, str(exc))
        else:
            handle_task_error(exc, self.message_bar)
