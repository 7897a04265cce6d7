"""Imports: every imported file as a batch with its counts, newest first, and Undo for a whole batch.

Undo asks first (naming the file and what it did), then runs in the background as a write; a batch that
cannot be undone (a later import touched the same records, a record was edited since, already undone) is
explained in the message bar. Undone batches stay listed, in grey.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QPushButton, QWidget

from app.domain.enums import ImportKind
from app.services.importing.batches import list_batches, undo_batch
from app.services.importing.results import BatchSummary, UndoResult
from app.ui import changes
from app.ui.dialogs.import_wizard import open_import_wizard
from app.ui.dialogs.import_wizard_run import CHANGED_KINDS
from app.ui.formatting import fmt_datetime, plural, utc_to_local
from app.ui.models.imports import BATCH_COLUMNS, BatchesModel
from app.ui.views.base import MessageBar, Screen, ScreenContext, handle_task_error, lay_out_list_screen
from app.ui.widgets.empty_hint import EmptyHint
from app.ui.widgets.grid import make_grid

HEADER_KEY = "imports"
# Every import changes at least one of these; undo too. (There is no change kind of its own for batches.)
RELOAD_ON = frozenset({changes.ACCOUNTS, changes.TRADE, changes.COMPLIANCE})
SCOPE = Qt.ShortcutContext.WidgetWithChildrenShortcut


class ImportsView(Screen):
    key = "imports"
    title = "Imports"

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._generation = 0
        self._has_loaded = False
        self._note = ""
        self.model = BatchesModel(self)
        self.message_bar = MessageBar(self)
        self.import_button = QPushButton("&Import files…", self)
        self.import_button.setAccessibleName("Import files")
        self.import_button.setToolTip("Import accounts, entries, holds or compliance extracts (Ctrl+I)")
        self.import_button.clicked.connect(self.open_wizard)
        self.undo_button = QPushButton("&Undo import…", self)
        self.undo_button.setAccessibleName("Undo the selected import")
        self.undo_button.setToolTip("Remove what the selected import added and restore what it changed (Del)")
        self.undo_button.clicked.connect(self.undo_selected)
        self.count_label = QLabel("Loading…", self)
        self.count_label.setObjectName("imports-count")
        self.table = make_grid(self, "imports-table", "Import batches", self.model, stretch_last=False)
        self._size_columns()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.empty_hint = EmptyHint(self.table, "No imports yet — Import files… (Ctrl+I)")
        # Not `undo_action`: the main window takes that name for a screen's own Ctrl+Z (an edit undo stack);
        # undoing an import is a deliberate act with a confirmation, on Del in the table.
        self.undo_import_action = QAction("Undo import…", self)
        self.undo_import_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.undo_import_action.setShortcutContext(SCOPE)
        self.undo_import_action.triggered.connect(self.undo_selected)
        self.table.addAction(self.undo_import_action)
        self._layout()
        self._update_actions()
        context.changes.changed.connect(self._on_data_changed)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        state = self.context.settings.ui.header_state(HEADER_KEY)
        if state is not None and header.restoreState(state):
            return
        widths = {"imported_at": 140, "imported_by": 110, "kind": 100, "source_name": 260, "state": 170}
        for position, column in enumerate(BATCH_COLUMNS):
            header.resizeSection(
                position, widths.get(column.key, 125 if column.key == "accounts_created" else 85)
            )

    def _layout(self) -> None:
        buttons = [self.import_button, self.undo_button]
        lay_out_list_screen(
            self,
            self.message_bar,
            buttons,
            self.count_label,
            self.table,
            [self.import_button, self.undo_button, self.table],
        )

    def save_state(self) -> None:
        self.context.settings.ui.save_header_state(HEADER_KEY, self.table.horizontalHeader().saveState())

    # --- loading --------------------------------------------------------------------------------------------

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if not self._has_loaded or not kinds & RELOAD_ON or self.context.changes.source is self:
            return  # an undo here reloads by itself
        self.reload_now_or_when_shown()

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: list_batches(workspace),
            name="load imports",
            owner=self,
            on_result=lambda batches: self._on_loaded(generation, batches),
            on_error=lambda exc: self._on_failed(generation, exc),
        )

    def _on_loaded(self, generation: int, batches: list[BatchSummary]) -> None:
        if generation != self._generation:
            return
        selected = self.selected_batch()
        self.model.set_rows(batches)
        self._has_loaded = True
        row = self.model.row_of(selected.id) if selected is not None else None
        if row is not None:
            self.table.selectRow(row)
        note, self._note = self._note, ""  # what the last undo did, shown once after the list
        self.count_label.setText(f"{self.summary()} · {note}" if note else self.summary())
        self._update_actions()
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.count_label.setText("")
        handle_task_error(exc, self.message_bar)
        self.load_failed.emit(exc)

    def summary(self) -> str:
        standing = sum(1 for row in range(self.model.rowCount()) if not self.model.batch_at(row).undone)
        return f"{plural(self.model.rowCount(), 'import')} ({standing:,} standing)"

    # --- actions --------------------------------------------------------------------------------------------

    def open_wizard(self) -> None:
        open_import_wizard(self.context, self.window())

    def selected_batch(self) -> BatchSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.batch_at(rows[0].row()) if rows else None

    def _update_actions(self, *_args: object) -> None:
        batch = self.selected_batch()
        enabled = batch is not None and not batch.undone
        self.undo_button.setEnabled(enabled)
        self.undo_import_action.setEnabled(enabled)

    def confirm_undo(self, batch: BatchSummary) -> bool:
        """Ask before undoing, naming the file and what will change; tests replace this."""
        when = fmt_datetime(utc_to_local(batch.imported_at))
        text = (
            f"Undo the import of {batch.source_name} ({when})?\n\n"
            f"{plural(batch.inserted, 'record')} it added will be removed and "
            f"{plural(batch.updated, 'record')} it changed will get their earlier values back."
        )
        if batch.accounts_created and ImportKind(batch.kind) is not ImportKind.ACCOUNTS:
            text += f" {plural(batch.accounts_created, 'account')} it created will be removed."
        answer = QMessageBox.question(
            self,
            "Undo import",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def undo_selected(self) -> None:
        batch = self.selected_batch()
        if batch is None or batch.undone or not self.confirm_undo(batch):
            return
        self.message_bar.clear_error()
        workspace = self.context.workspace
        self.undo_button.setEnabled(False)
        self.context.runner.run(
            lambda _progress, _cancel: undo_batch(workspace, batch.id),
            name=f"undo import {batch.source_name}",
            write=True,
            owner=self,
            on_result=lambda result: self._on_undone(batch, result),
            on_error=self._on_undo_failed,
        )

    def _on_undone(self, batch: BatchSummary, result: UndoResult) -> None:
        self._note = f"undone {result.source_name}: {result.removed:,} removed, {result.restored:,} restored"
        self.context.changes.announce(CHANGED_KINDS[ImportKind(batch.kind)], source=self)
        self.reload()

    def _on_undo_failed(self, exc: BaseException) -> None:
        handle_task_error(exc, self.message_bar)
        self._update_actions()

    def _show_context_menu(self, position: QPoint) -> None:
        self._update_actions()
        menu = QMenu(self)
        menu.addAction(self.undo_import_action)
        menu.popup(self.table.viewport().mapToGlobal(position))
