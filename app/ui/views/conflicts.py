"""Conflicts: the fields this laptop and the team server both changed, and keeping mine or theirs for each.

After a sync the record already holds the server's value ("theirs"); the laptop's ("mine") waits here. Keep
theirs closes the conflict; Keep mine writes mine into the record like any edit, so the next sync sends it.
Both act on every selected row at once, in one background write; a conflict someone settled meanwhile is
named in the message bar and the rest still go through. The list reloads after a sync (which announces every
kind of change) and after any other change, since the status bar's counts follow the same announcements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QPushButton, QWidget

from app.domain.errors import UserError
from app.services.sync_conflicts import Conflict, list_conflicts, resolve_conflict
from app.services.workspace import Workspace
from app.ui import changes
from app.ui.formatting import plural
from app.ui.models.conflicts import COLUMNS, ConflictsModel, field_text
from app.ui.views.base import MessageBar, Screen, ScreenContext, handle_task_error, lay_out_list_screen
from app.ui.widgets.empty_hint import EmptyHint
from app.ui.widgets.grid import make_grid

HEADER_KEY = "conflicts"
EMPTY_TEXT = "No conflicts: every change has been merged"
SCOPE = Qt.ShortcutContext.WidgetWithChildrenShortcut
# The kind of change a settled conflict's record belongs to, so the screens showing it reload.
TABLE_KINDS = {
    "account_executives": changes.ACCOUNTS,
    "accounts": changes.ACCOUNTS,
    "importer_numbers": changes.ACCOUNTS,
    "partnership_statuses": changes.ACCOUNTS,
    "contacts": changes.CONTACTS,
    "notes": changes.NOTES,
    "action_items": changes.ACTION_ITEMS,
    "compliance_events": changes.COMPLIANCE,
}

Keep = Literal["mine", "theirs"]


@dataclass
class Settled:
    """What one Keep mine / Keep theirs did: the conflicts settled and the ones that could not be."""

    keep: Keep
    done: list[Conflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def settle(workspace: Workspace, conflicts: Sequence[Conflict], keep: Keep) -> Settled:
    """Resolve each conflict in turn (each is its own transaction): one already settled elsewhere, or whose
    record has gone, must not stop the others."""
    result = Settled(keep)
    for conflict in conflicts:
        try:
            resolve_conflict(workspace, conflict.id, keep)
        except UserError as exc:
            result.problems.append(
                f"{conflict.record or conflict.table_name}, {field_text(conflict.field)}: {exc}"
            )
        else:
            result.done.append(conflict)
    return result


class ConflictsView(Screen):
    key = "conflicts"
    title = "Conflicts"

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._generation = 0
        self._has_loaded = False
        self._busy = False
        self._note = ""
        self.model = ConflictsModel(self)
        self.message_bar = MessageBar(self)
        self.keep_mine_action = self._make_action(
            "Keep &mine", "Write this laptop's value into the record; the next sync sends it", "mine"
        )
        self.keep_theirs_action = self._make_action(
            "Keep thei&rs", "Keep the team server's value, which the record already holds", "theirs"
        )
        self.keep_mine_button = self._make_button(
            self.keep_mine_action, "Keep my value for the selected rows"
        )
        self.keep_theirs_button = self._make_button(
            self.keep_theirs_action, "Keep the team server's value for the selected rows"
        )
        self.count_label = QLabel("Loading…", self)
        self.count_label.setObjectName("conflicts-count")
        self.table = make_grid(self, "conflicts-table", "Sync conflicts", self.model, multi_select=True)
        self._size_columns()
        self.table.addActions([self.keep_mine_action, self.keep_theirs_action])
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.empty_hint = EmptyHint(self.table, EMPTY_TEXT)
        self._layout()
        self._update_actions()
        context.changes.changed.connect(self._on_data_changed)

    def _make_action(self, text: str, tip: str, keep: Keep) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setShortcutContext(SCOPE)
        action.triggered.connect(lambda: self.keep_selected(keep))
        return action

    def _make_button(self, action: QAction, accessible_name: str) -> QPushButton:
        button = QPushButton(action.text(), self)
        button.setAccessibleName(accessible_name)
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        return button

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        state = self.context.settings.ui.header_state(HEADER_KEY)
        if state is not None and header.restoreState(state):
            return
        widths = {"record": 300, "field": 140, "detected_at": 130}
        for position, column in enumerate(COLUMNS):
            header.resizeSection(position, widths.get(column.key, 170))

    def _layout(self) -> None:
        buttons = [self.keep_mine_button, self.keep_theirs_button]
        lay_out_list_screen(
            self,
            self.message_bar,
            buttons,
            self.count_label,
            self.table,
            [self.table, self.keep_mine_button, self.keep_theirs_button],
        )

    def save_state(self) -> None:
        self.context.settings.ui.save_header_state(HEADER_KEY, self.table.horizontalHeader().saveState())

    # --- loading --------------------------------------------------------------------------------------------

    def _on_data_changed(self, _kinds: frozenset[str]) -> None:
        # Any change may be a sync (which announces every kind) or an edit of a record in conflict.
        if self._has_loaded and self.context.changes.source is not self:
            self.reload_now_or_when_shown()

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: list_conflicts(workspace),
            name="load sync conflicts",
            owner=self,
            on_result=lambda conflicts: self._on_loaded(generation, conflicts),
            on_error=lambda exc: self._on_failed(generation, exc),
        )

    def _on_loaded(self, generation: int, conflicts: list[Conflict]) -> None:
        if generation != self._generation:
            return
        selected = {conflict.id for conflict in self.selected_conflicts()}
        self.model.set_rows(conflicts)
        self._has_loaded = True
        rows = (self.model.row_of(conflict_id) for conflict_id in selected)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            if row is not None:
                self.table.selectionModel().select(self.model.index(row, 0), flags)
        note, self._note = self._note, ""  # what the last Keep did, shown once after the list
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
        return plural(self.model.rowCount(), "conflict")

    # --- actions --------------------------------------------------------------------------------------------

    def selected_conflicts(self) -> list[Conflict]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.conflict_at(row) for row in rows]

    def _update_actions(self, *_args: object) -> None:
        enabled = not self._busy and bool(self.table.selectionModel().selectedRows())
        for action, button in (
            (self.keep_mine_action, self.keep_mine_button),
            (self.keep_theirs_action, self.keep_theirs_button),
        ):
            action.setEnabled(enabled)
            button.setEnabled(enabled)

    def keep_selected(self, keep: Keep) -> None:
        conflicts = self.selected_conflicts()
        if not conflicts or self._busy:
            return
        self.message_bar.clear_error()
        self._busy = True
        self._update_actions()
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: settle(workspace, conflicts, keep),
            name=f"keep {keep} for {plural(len(conflicts), 'sync conflict')}",
            write=True,
            owner=self,
            on_result=self._on_settled,
            on_error=self._on_settle_failed,
        )

    def _on_settled(self, result: Settled) -> None:
        self._busy = False
        if result.problems:
            self.message_bar.show_error("Not settled: " + "; ".join(result.problems))
        if result.done:
            self._note = f"kept {result.keep} for {plural(len(result.done), 'field')}"
            # Keep theirs leaves the record as it is, but the status bar's conflict count listens too.
            kinds = {TABLE_KINDS.get(conflict.table_name, changes.ACCOUNTS) for conflict in result.done}
            self.context.changes.announce(kinds, source=self)
        self.reload()

    def _on_settle_failed(self, exc: BaseException) -> None:
        self._busy = False
        handle_task_error(exc, self.message_bar)
        self._update_actions()

    def _show_context_menu(self, position: QPoint) -> None:
        self._update_actions()
        menu = QMenu(self)
        menu.addActions([self.keep_mine_action, self.keep_theirs_action])
        menu.popup(self.table.viewport().mapToGlobal(position))
