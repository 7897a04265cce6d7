"""The Entries tab: every line of every entry of the account, in one grid sorted and filtered in SQL.

The grid is an `EntryLinesModel` (the ordered line keys of the current filter + sort, rows read a page at a
time), so a busy account's thousands of lines cost one key query per change and one query per page shown.
Typing in the filter waits for a pause before querying; the selection is kept by line key across reloads.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.entry_lines import LineKey
from app.services import entry_lines
from app.services.workspace import Workspace
from app.ui.account.base import AccountTab
from app.ui.changes import TRADE
from app.ui.formatting import plural
from app.ui.models.entry_lines import COLUMNS, EntryLinesModel, LineFilter, column_index
from app.ui.models.paged import SortSpec
from app.ui.views.base import MessageBar, ScreenContext, handle_task_error
from app.ui.widgets.grid import make_grid

HEADER_KEY = "account-entries"
FILTER_DELAY_MS = 150  # one query per pause in typing, not one per key


def count_text(shown: int, shown_entries: int, total: int | None, filtered: bool) -> str:
    """ "1,630 lines in 412 entries", or with a filter "37 of 1,630 lines"."""
    if not filtered:
        if shown == 0:
            return "No entry lines"
        return f"{plural(shown, 'line')} in {plural(shown_entries, 'entry', 'entries')}"
    if total is None:
        return plural(shown, "line")
    return f"{shown:,} of {plural(total, 'line')}"


# Typical widest content per column, for first-use widths (data would need a page read to measure).
WIDTH_SAMPLES = {
    "entry_number": "XXX-0000000-0",
    "entry_date": "00/00/0000",
    "hts": "0000.00.0000",
    "mid": "CNHENFUR2823SHA",
    "value": "$00,000,000.00",
    "duty": "$0,000,000.00",
    "release_date": "00/00/0000",
}
SORT_ARROW_ROOM = 28  # the sort indicator and the section's padding


class EntriesTab(AccountTab):
    title = "Entr&ies"
    key = "entries"

    def __init__(
        self,
        context: ScreenContext,
        account_id: uuid.UUID,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, undo_stack, parent)
        workspace = context.workspace
        self.model = EntryLinesModel(
            context.runner,
            lambda sort, where: _fetch_keys(workspace, account_id, sort, where),
            lambda keys: entry_lines.line_rows(workspace, keys),
            self,
        )
        self.model.set_query(SortSpec("entry_date", descending=True), LineFilter())
        self._total_lines: int | None = None  # the account's lines, unfiltered: for "37 of 1,630 lines"
        self._keys_loaded = False  # a key list is in place (the label may count it)
        self._restore_selection: list[LineKey] = []
        self.message_bar = MessageBar(self)
        self.filter_edit = self._make_filter()
        self.held_check = QCheckBox("Held onl&y", self)
        self.held_check.setObjectName("entries-held-only")
        self.held_check.setAccessibleName("Show held entries only")
        self.held_check.toggled.connect(self._apply_filter)
        self.count_label = QLabel("Loading…", self)
        self.count_label.setObjectName("entries-count")
        self.table = self._make_table()
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.copy_action = self._make_copy_action()
        self._layout()
        self._restore_header()
        # Whatever starts a new key list (sort, filter, reload), the selection is kept by line key.
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.reloaded.connect(self._on_reloaded)
        self.model.reload_failed.connect(self._on_failed)
        self.model.fetch_failed.connect(lambda exc: handle_task_error(exc, self.message_bar))

    # --- widgets --------------------------------------------------------------------------------------------

    def _make_filter(self) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName("entries-filter")
        edit.setAccessibleName("Filter entry lines")
        edit.setPlaceholderText("Entry number, HTS, origin country, MID or port")
        edit.setToolTip(
            "Words, each an entry-number prefix (dashes optional), an HTS prefix (dots optional), "
            "a country of origin, a MID prefix or a port code; a line must match every word"
        )
        edit.setClearButtonEnabled(True)
        edit.textChanged.connect(lambda _text: self._filter_timer.start())
        return edit

    def _make_table(self) -> QTableView:
        table = make_grid(self, "entries-table", "Entry lines", self.model)
        header = table.horizontalHeader()
        header.setDefaultSectionSize(table.fontMetrics().horizontalAdvance("XXX-0000000-0") + 24)
        table.setSortingEnabled(True)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_menu)
        return table

    def _make_copy_action(self) -> QAction:
        action = QAction("&Copy entry number", self)
        action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: self.copy_entry_number())
        self.addAction(action)
        return action

    def _layout(self) -> None:
        label = QLabel("Fi&lter:", self)
        label.setBuddy(self.filter_edit)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.held_check)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.message_bar)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        for first, second in itertools.pairwise([self.filter_edit, self.held_check, self.table]):
            QWidget.setTabOrder(first, second)

    # --- state ----------------------------------------------------------------------------------------------

    def _restore_header(self) -> None:
        header = self.table.horizontalHeader()
        state = self.context.settings.ui.header_state(HEADER_KEY)
        if state is not None and header.restoreState(state):
            self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        else:
            self._default_widths()
            self.table.sortByColumn(column_index("entry_date"), Qt.SortOrder.DescendingOrder)

    def _default_widths(self) -> None:
        """First use: each column as wide as its typical content (or its heading), so all fit on a laptop."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        for column, key in enumerate(c.key for c in COLUMNS):
            heading = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            widest = max(
                metrics.horizontalAdvance(WIDTH_SAMPLES.get(key, "")), metrics.horizontalAdvance(heading)
            )
            header.resizeSection(column, widest + SORT_ARROW_ROOM)

    def save_state(self) -> None:
        self.context.settings.ui.save_header_state(HEADER_KEY, self.table.horizontalHeader().saveState())

    # --- loading, filter ------------------------------------------------------------------------------------

    def reacts_to(self) -> frozenset[str]:
        return frozenset({TRADE})

    def reload(self) -> None:
        """The account's line total (for "37 of 1,630"), then the keys of the current filter and sort."""
        workspace, account_id = self.context.workspace, self.account_id
        self.context.runner.run(
            lambda _progress, _cancel: entry_lines.line_count(workspace, account_id).lines,
            name="count entry lines",
            owner=self,
            on_result=self._on_total,
            on_error=self._on_failed,
        )
        self.model.reload()

    def _on_total(self, total: int) -> None:
        self._total_lines = total
        if self._keys_loaded and not self.model.loading:
            self._show_count()

    def _apply_filter(self, *_args: Any) -> None:
        self._filter_timer.stop()
        where = LineFilter(self.filter_edit.text().strip(), self.held_check.isChecked())
        if where != self.model.filter:
            self.model.set_query(self.model.sort_spec, where)

    def _on_reloaded(self) -> None:
        self._keys_loaded = True
        self.message_bar.clear_error()
        self._select(self._restore_selection)
        if not self._filtered():
            self._total_lines = self.model.rowCount()  # fresher than a count that may still be on its way
        self._show_count()
        self.loaded.emit()

    def _filtered(self) -> bool:
        where = self.model.filter or LineFilter()
        return bool(where.text) or where.held_only

    def _show_count(self) -> None:
        filtered = self._filtered()
        shown = self.model.rowCount()
        entries = 0 if filtered else self.model.entry_count()
        self.count_label.setText(count_text(shown, entries, self._total_lines, filtered))

    def _on_failed(self, exc: BaseException) -> None:
        self.count_label.setText("")
        handle_task_error(exc, self.message_bar)
        self.load_failed.emit(exc)

    def summary(self) -> str:
        return self.count_label.text()

    def show_entry(self, entry_number: str) -> None:
        """Narrow the grid to one entry's lines at once (a quick-find hit), without the typing delay."""
        self.held_check.setChecked(False)
        self.filter_edit.setText(entry_number)
        self._apply_filter()

    # --- selection, actions ---------------------------------------------------------------------------------

    def selected_keys(self) -> list[LineKey]:
        rows = self.table.selectionModel().selectedRows()
        found = (self.model.id_at(index.row()) for index in rows)
        return [key for key in found if key is not None]

    def _remember_selection(self) -> None:
        self._restore_selection = self.selected_keys()

    def _select(self, keys: Sequence[LineKey]) -> None:
        """Re-select by line key after a reload (a row number means nothing once the order has changed)."""
        rows = [row for row in (self.model.row_of(key) for key in keys) if row >= 0]
        if not rows:
            return
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(self.model.index(rows[0], 0), flags)
        self.table.scrollTo(self.model.index(rows[0], 0))

    def select_key(self, key: LineKey) -> bool:
        """Select the line with this key if it is in the grid; False when it is not."""
        self._select([key])
        return key in self.selected_keys()

    def copy_entry_number(self) -> None:
        index = self.table.selectionModel().currentIndex()
        line = self.model.line_at(index.row()) if index.isValid() else None
        clipboard = QGuiApplication.clipboard()
        if line is not None and clipboard is not None:
            clipboard.setText(line.entry_number)

    def _show_menu(self, position: QPoint) -> None:
        if not self.table.selectionModel().currentIndex().isValid():
            return
        menu = QMenu(self)
        menu.addAction(self.copy_action)
        menu.popup(self.table.viewport().mapToGlobal(position))


def _fetch_keys(
    workspace: Workspace, account_id: uuid.UUID, sort: SortSpec, where: LineFilter | None
) -> list[LineKey]:
    where = where or LineFilter()
    return entry_lines.line_keys(
        workspace,
        account_id,
        sort=sort.key or "entry_date",
        descending=sort.descending,
        text=where.text,
        held_only=where.held_only,
    )
