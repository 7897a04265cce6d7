"""The account's History tab: its audit trail, newest first — every change to the account and to its
importer numbers, contacts, partnership statuses, notes, action items and compliance events, with who made
it and when (migration 0012 records them; SSN-based importer numbers arrive masked)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.account360 import account_history
from app.ui.account.list_tab import ListColumn, RowsModel
from app.ui.account.overview_tab import ReadTab
from app.ui.changes import ACCOUNTS, ACTION_ITEMS, COMPLIANCE, CONTACTS, NOTES
from app.ui.formatting import fmt_datetime, plural, utc_to_local
from app.ui.views.base import ScreenContext
from app.ui.widgets.empty_hint import EmptyHint
from app.ui.widgets.grid import make_grid

COLUMNS = (
    ListColumn("when", "When", lambda line: fmt_datetime(utc_to_local(line.changed_at)), 130),
    ListColumn("who", "Who", lambda line: line.changed_by or "—", 120),
    ListColumn("record", "Record", lambda line: line.record, 120),
    ListColumn("which", "Which", lambda line: line.summary, 220),
    ListColumn("change", "Change", lambda line: line.change, 140),
    ListColumn("before", "Before", lambda line: line.before, 180),
    ListColumn("after", "After", lambda line: line.after, 180),
)


class HistoryModel(RowsModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)

    def row_of(self, item_id: uuid.UUID) -> int | None:
        return None  # history lines are never selected by id


class HistoryTab(ReadTab):
    key = "history"
    title = "History"

    def __init__(
        self,
        context: ScreenContext,
        account_id: uuid.UUID,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, undo_stack, parent)
        self.model = HistoryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # any column
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("history-filter")
        self.filter_edit.setAccessibleName("Filter the history")
        self.filter_edit.setPlaceholderText("Filter by who, record, field or value")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.count_label = QLabel("Loading…", self)
        self.table = make_grid(self, "history-table", "Changes to this account, newest first", self.proxy)
        for index, column in enumerate(COLUMNS):
            self.table.setColumnWidth(index, column.width)
        EmptyHint(self.table, "No change recorded for this account yet")
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def fetch(self) -> Callable[[], Any]:
        workspace, account_id = self.context.workspace, self.account_id
        return lambda: account_history(workspace, account_id)

    def show_data(self, data: Any) -> None:
        self.model.set_rows(data)
        self._update_count()

    def reacts_to(self) -> frozenset[str]:
        return frozenset({ACCOUNTS, CONTACTS, NOTES, ACTION_ITEMS, COMPLIANCE})

    def _on_filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(
            plural(total, "change") if shown == total else f"{shown:,} of {plural(total, 'change')}"
        )

    def summary(self) -> str:
        return plural(self.model.rowCount(), "change")
