"""Compliance: every CF-28, CF-29, protest, penalty, audit… of the portfolio in one list (DOMAIN.md §6).

Keyboard first: Ctrl+F filters, arrows select, Enter (or a double click) opens the account. The list opened
from Today's "responses due" card shows exactly the events that card counts (its due-soon figure and the
overdue ones beside it), with a chip saying so; clicking the chip shows every event again.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.compliance import ComplianceFilter, ComplianceItem, ComplianceState
from app.services import compliance as service
from app.ui.changes import ACCOUNTS, COMPLIANCE
from app.ui.formatting import plural
from app.ui.models.compliance import COLUMN_KEYS, COLUMNS, ComplianceModel, ComplianceProxyModel
from app.ui.saved_views import apply_header_columns, header_view_state, sort_of
from app.ui.views.base import MessageBar, Screen, ScreenContext, handle_task_error
from app.ui.views.compliance_controls import STATE_CHOICES, EventTypeButton, state_choice, states_from
from app.ui.views.portfolio_controls import column_chooser
from app.ui.widgets.grid import make_grid

HEADER_KEY = "compliance"
RELOAD_KINDS = frozenset({COMPLIANCE, ACCOUNTS})
WIDTHS = {"account": 240, "type": 150, "reference": 120, "entry": 120, "days": 130, "outcome": 220}
DATE_SAMPLE = "00/00/0000"
ICON_ROOM = 30  # the overdue icon and the cell's padding


class ComplianceView(Screen):
    key = "compliance"
    title = "Compliance"
    supports_saved_views = True

    open_account = Signal(object)  # the account's UUID: the main window opens it

    def __init__(
        self, context: ScreenContext, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(context, parent)
        self._today = today  # None: the local date at each reload (the screen may stay open past midnight)
        self._generation = 0  # results of a reload overtaken by a newer one are dropped
        self._has_loaded = False
        self.model = ComplianceModel(self)
        self.proxy = ComplianceProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.message_bar = MessageBar(self)
        self._make_controls()
        self.table = self._make_table()
        self.columns_button = column_chooser(self.table, self)
        self.columns_button.setObjectName("compliance-columns")
        self._make_actions()
        self._layout()
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset):
            signal.connect(self._update_count)
        self.context.changes.changed.connect(self._on_data_changed)

    # --- widgets --------------------------------------------------------------------------------------------

    def _make_controls(self) -> None:
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("compliance-filter")
        self.filter_edit.setAccessibleName("Filter compliance events")
        self.filter_edit.setPlaceholderText("Filter by account, reference or entry number  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda text: self.proxy.update_criteria(text=text))
        self.types_button = EventTypeButton(self)
        self.types_button.changed.connect(self._on_types_changed)
        self.state_combo = QComboBox(self)
        self.state_combo.setObjectName("compliance-state")
        self.state_combo.setAccessibleName("Event state shown")
        for label, states in STATE_CHOICES:
            self.state_combo.addItem(label, list(states))
        self.state_combo.currentIndexChanged.connect(self._on_state_changed)
        # Shown while the list opened from Today narrows the events; clicking it removes that filter.
        self.today_chip = QPushButton(self)
        self.today_chip.setObjectName("compliance-today-filter")
        self.today_chip.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogCloseButton))
        self.today_chip.setToolTip("Show every event again")
        self.today_chip.hide()
        self.today_chip.clicked.connect(lambda: self.apply_filter({}))
        self.count_label = QLabel("Loading…", self)
        self.count_label.setObjectName("compliance-count")

    def _make_table(self) -> QTableView:
        table = make_grid(self, "compliance-table", "Compliance events", self.proxy, multi_select=True)
        header = table.horizontalHeader()
        header.setSortIndicatorClearable(True)  # a third click goes back to the service's order
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        state = self.context.settings.ui.header_state(HEADER_KEY)
        if state is None or not header.restoreState(state):
            # Dates as wide as a date in the current font (plus the overdue icon), whatever the text size.
            date_width = table.fontMetrics().horizontalAdvance(DATE_SAMPLE) + ICON_ROOM
            for position, column in enumerate(COLUMNS):
                header.resizeSection(position, max(WIDTHS.get(column.key, 100), date_width))
        header.setSectionHidden(COLUMN_KEYS.index("account"), False)
        table.setSortingEnabled(True)
        table.activated.connect(self._on_activated)  # Enter, or a double click
        return table

    def _make_actions(self) -> None:
        self.open_account_action = QAction("Open account", self)
        self.open_account_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.open_account_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.open_account_action.triggered.connect(lambda: self._on_activated(self.table.currentIndex()))
        self.addAction(self.open_account_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addAction(self.open_account_action)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.types_button)
        top.addWidget(self.state_combo)
        top.addWidget(self.today_chip)
        top.addWidget(self.columns_button)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.message_bar)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        order = [self.filter_edit, self.types_button, self.state_combo, self.today_chip]
        order += [self.columns_button, self.table]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def save_state(self) -> None:
        self.context.settings.ui.save_header_state(HEADER_KEY, self.table.horizontalHeader().saveState())

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # --- loading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        workspace, today = self.context.workspace, self._today or date.today()
        self.context.runner.run(
            lambda _progress, _cancel: (
                service.event_type_labels(workspace),
                service.list_compliance(workspace, today=today),
            ),
            name="load compliance events",
            owner=self,
            on_result=lambda result: self._on_loaded(generation, today, *result),
            on_error=lambda exc: self._on_failed(generation, exc),
        )

    def _on_loaded(
        self, generation: int, today: date, labels: dict[str, str], items: list[ComplianceItem]
    ) -> None:
        if generation != self._generation:
            return
        self.message_bar.clear_error()
        self.types_button.set_labels(labels)
        self.proxy.set_criteria(self.proxy.criteria, today)  # states were computed as of `today`
        self.model.set_rows(items)
        self._has_loaded = True
        self._update_count()
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.count_label.setText("")
        handle_task_error(exc, self.message_bar)
        self.load_failed.emit(exc)

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if not kinds & RELOAD_KINDS or not self._has_loaded:
            return  # never loaded: the first show loads anyway
        self.reload_now_or_when_shown()

    # --- filters --------------------------------------------------------------------------------------------

    def apply_filter(self, criteria: dict[str, Any]) -> None:
        """A filtered list opened from elsewhere (Today's cards): `{"bucket": "responses_due", "within_days":
        N}` shows the CF-28 / CF-29 (proposed) responses due within N days and the overdue ones; {}: all."""
        days = criteria.get("within_days") if criteria.get("bucket") == "responses_due" else None
        if days is None:
            self.proxy.update_criteria(due_within_days=None)
            self.today_chip.hide()
        else:
            # Show exactly what Today counted: no other filter narrows the events further.
            self._set_controls(ComplianceFilter(due_within_days=int(days)))
            text = f"Responses due in {plural(int(days), 'day')}, and overdue"
            self.today_chip.setText(text)
            self.today_chip.setAccessibleName(f"Remove filter: {text}")
            self.today_chip.show()
        self._update_count()

    def _set_controls(self, criteria: ComplianceFilter) -> None:
        """Put `criteria` in the controls and the proxy at once (one filter pass, not one per control)."""
        widgets = (self.filter_edit, self.state_combo)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.filter_edit.setText(criteria.text)
            self.state_combo.setCurrentIndex(state_choice(criteria.states))
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.types_button.set_chosen(criteria.event_types)
        states = states_from(STATE_CHOICES[self.state_combo.currentIndex()][1])
        self.proxy.set_criteria(replace(criteria, states=states))

    def _on_state_changed(self, index: int) -> None:
        self.proxy.update_criteria(states=states_from(STATE_CHOICES[max(index, 0)][1]))
        self._update_count()

    def _on_types_changed(self, codes: frozenset[str]) -> None:
        self.proxy.update_criteria(event_types=codes)
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        if self._has_loaded:
            self.count_label.setText(self.summary())

    def summary(self) -> str:
        total = self.model.rowCount()
        text = f"{plural(total, 'event')} ({self.model.count(ComplianceState.OVERDUE):,} overdue)"
        shown = self.proxy.rowCount()
        return text if shown == total else f"{shown:,} of {text}"

    # --- saved views ----------------------------------------------------------------------------------------

    def view_state(self) -> dict[str, Any]:
        criteria = self.proxy.criteria
        return {
            "text": criteria.text,
            "types": sorted(criteria.event_types),
            "states": sorted(state.value for state in criteria.states),
            **header_view_state(self.table.horizontalHeader(), COLUMN_KEYS),
        }

    def apply_view_state(self, state: dict[str, Any]) -> None:
        types = state.get("types")
        codes = (
            frozenset(code for code in types if isinstance(code, str))
            if isinstance(types, list)
            else frozenset()
        )
        self.today_chip.hide()  # a saved view replaces a filter that came from Today
        self._set_controls(
            ComplianceFilter(
                text=str(state.get("text") or ""), event_types=codes, states=states_from(state.get("states"))
            )
        )
        header = self.table.horizontalHeader()
        apply_header_columns(header, COLUMN_KEYS, state, always_shown="account")
        sort = sort_of(state, COLUMN_KEYS)
        if sort is not None:
            self.table.sortByColumn(*sort)
        else:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._update_count()

    # --- actions --------------------------------------------------------------------------------------------

    def selected_items(self) -> list[ComplianceItem]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.proxy.item_at(row) for row in rows]

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_account.emit(self.proxy.item_at(index.row()).account_id)
