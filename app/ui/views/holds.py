"""Held shipments: every open hold across the portfolio, against its clock, with quick actions per row.

The grid is a `HoldsModel` (ids of the current filter + sort from SQL, rows a page at a time), so it stays
fast at 50k holds: typing in the filter waits for a pause (150 ms) and then re-queries off the GUI thread.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
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

from app.domain.views import OpenHoldRow
from app.services import holdboard
from app.services.notes import add_note
from app.services.workspace import Workspace
from app.ui.changes import ACCOUNTS, NOTES, TRADE
from app.ui.dialogs.log_contact import ContactInput, LogContactDialog
from app.ui.formatting import plural
from app.ui.models.holds import COLUMNS, SORTABLE, THRESHOLD_LABELS, HoldFilter, HoldsModel, column_index
from app.ui.models.paged import SortSpec
from app.ui.saved_views import apply_header_columns, header_view_state, sort_of
from app.ui.views.base import MessageBar, Screen, ScreenContext, handle_task_error
from app.ui.widgets.grid import make_grid

HEADER_KEY = "holds"
RELOAD_KINDS = frozenset({TRADE, ACCOUNTS, NOTES})
GROUP_COLUMNS = {"port": "port", "agency": "owner", "account": "account"}  # group key -> its column
FILTER_DELAY_MS = 150  # one query per pause in typing, not one per key
GROUPS = (
    ("No grouping", None),
    ("Group by port", "port"),
    ("Group by agency", "agency"),
    ("Group by account", "account"),
)


class HoldsView(Screen):
    key = "holds"
    title = "Held shipments"
    supports_saved_views = True

    open_account = Signal(object)  # the account's uuid.UUID

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        workspace = context.workspace
        self.model = HoldsModel(
            context.runner,
            lambda sort, where: _fetch_ids(workspace, sort, where),
            lambda ids: holdboard.open_hold_rows(workspace, ids),
            self,
        )
        self.model.set_query(SortSpec("age", descending=True), HoldFilter())
        self._restore_selection: list[uuid.UUID] = []
        self.message_bar = MessageBar(self)
        self.filter_edit = self._make_filter()
        states = [("All states", None), *((label, state) for state, label in THRESHOLD_LABELS.items())]
        self.threshold_combo = self._combo("holds-threshold", "Show threshold state", states)
        self.group_combo = self._combo("holds-group", "Group held shipments", GROUPS)
        self.count_label = QLabel("Loading…", self)
        self.count_label.setObjectName("holds-count")
        self.table = self._make_table()
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self._make_actions()
        self._layout()
        self._restore_header()
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._keep_sortable_indicator)
        # Whatever starts a new id list (sort, filter, reload), the selection is kept by hold id.
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.reloaded.connect(self._on_reloaded)
        self.model.reload_failed.connect(self._on_failed)
        self.model.fetch_failed.connect(lambda exc: handle_task_error(exc, self.message_bar))
        context.changes.changed.connect(self._on_data_changed)

    # --- widgets --------------------------------------------------------------------------------------------

    def _make_filter(self) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName("holds-filter")
        edit.setAccessibleName("Filter held shipments")
        edit.setPlaceholderText("Filter by entry number, account, port or status  (Ctrl+F)")
        edit.setClearButtonEnabled(True)
        edit.textChanged.connect(lambda _text: self._filter_timer.start())
        return edit

    def _combo(self, name: str, accessible: str, items: Sequence[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for label, value in items:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self._apply_filter)
        return combo

    def _make_table(self) -> QTableView:
        table = make_grid(self, "holds-table", "Held shipments", self.model)
        header = table.horizontalHeader()
        header.setDefaultSectionSize(140)
        table.setSortingEnabled(True)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_menu)
        table.doubleClicked.connect(lambda _index: self._open_account())
        return table

    def _make_actions(self) -> None:
        self.log_action = self._action(
            "&Log contact…", "Ctrl+L", lambda: self._ask_note(follow_up_only=False)
        )
        self.follow_up_action = self._action(
            "Set &follow-up…", "Ctrl+Shift+L", lambda: self._ask_note(follow_up_only=True)
        )
        self.open_action = self._action("&Open account", "Ctrl+Return", self._open_account)
        self.buttons = [
            self._button(action) for action in (self.log_action, self.follow_up_action, self.open_action)
        ]

    def _action(self, text: str, shortcut: str, slot: Any) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QPushButton:
        button = QPushButton(action.text().replace("&", ""), self)
        button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        button.setToolTip(
            f"{button.text()} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        button.clicked.connect(action.trigger)
        return button

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.threshold_combo)
        top.addWidget(self.group_combo)
        top.addWidget(self.count_label)
        actions = QHBoxLayout()
        for button in self.buttons:
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.message_bar)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        order = [self.filter_edit, self.threshold_combo, self.group_combo, self.table, *self.buttons]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # --- state ----------------------------------------------------------------------------------------------

    def _restore_header(self) -> None:
        header = self.table.horizontalHeader()
        state = self.context.settings.ui.header_state(HEADER_KEY)
        if state is not None and header.restoreState(state):
            self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        else:
            self.table.sortByColumn(column_index("age"), Qt.SortOrder.DescendingOrder)

    def _keep_sortable_indicator(self, section: int, _order: Qt.SortOrder) -> None:
        """A click on a column SQL cannot sort by (Last action) leaves the arrow where the order really is."""
        if COLUMNS[section].key in SORTABLE:
            return
        spec = self.model.sort_spec
        order = Qt.SortOrder.DescendingOrder if spec.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        blocked = header.blockSignals(True)
        header.setSortIndicator(column_index(spec.key), order)
        header.blockSignals(blocked)

    def save_state(self) -> None:
        self.context.settings.ui.save_header_state(HEADER_KEY, self.table.horizontalHeader().saveState())

    def view_state(self) -> dict[str, Any]:
        state = header_view_state(self.table.horizontalHeader(), [column.key for column in COLUMNS])
        spec = self.model.sort_spec  # the order SQL really uses (a click on Last action does not sort)
        return {
            "text": self.filter_edit.text(),
            "threshold": self.threshold_combo.currentData(),
            "group_by": self.group_combo.currentData(),
            **state,
            "sort": spec.key,
            "descending": spec.descending,
        }

    def apply_view_state(self, state: dict[str, Any]) -> None:
        keys = [column.key for column in COLUMNS]
        combos = [self.filter_edit, self.threshold_combo, self.group_combo]
        for widget in combos:  # one query for the whole state, not one per control
            widget.blockSignals(True)
        try:
            self.filter_edit.setText(str(state.get("text") or ""))
            for combo, key in ((self.threshold_combo, "threshold"), (self.group_combo, "group_by")):
                combo.setCurrentIndex(max(0, combo.findData(state.get(key))) if state.get(key) else 0)
        finally:
            for widget in combos:
                widget.blockSignals(False)
        header = self.table.horizontalHeader()
        apply_header_columns(header, keys, state)
        spec = self.model.sort_spec
        sort = sort_of(state, [key if key in SORTABLE else "" for key in keys])
        if sort is not None:
            blocked = header.blockSignals(True)  # the query below sorts: one query, not two
            header.setSortIndicator(*sort)
            header.blockSignals(blocked)
            spec = SortSpec(keys[sort[0]], descending=sort[1] == Qt.SortOrder.DescendingOrder)
        text = self.filter_edit.text().strip()
        where = HoldFilter(text, self.threshold_combo.currentData(), self.group_combo.currentData())
        self.model.set_query(spec, where)

    # --- loading, filter ------------------------------------------------------------------------------------

    def reload(self) -> None:
        self.model.reload()

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        """Holds, their accounts or notes (the "Last action" column) changed elsewhere: an import, a sync, a
        note on the account screen."""
        if not self.model.started or not kinds & RELOAD_KINDS or self.context.changes.source is self:
            return  # never loaded: the first show loads it anyway
        self.reload_now_or_when_shown()

    def _apply_filter(self, *_args: Any) -> None:
        self._filter_timer.stop()
        where = HoldFilter(
            self.filter_edit.text().strip(),
            self.threshold_combo.currentData(),
            self.group_combo.currentData(),
        )
        if where.group_by is not None and where.group_by != self.model.filter.group_by:
            self._bring_to_front(GROUP_COLUMNS[where.group_by])
        self.model.set_query(self.model.sort_spec, where)

    def _bring_to_front(self, key: str) -> None:
        """Show the grouping column first, so the groups read down the left edge of the grid."""
        header = self.table.horizontalHeader()
        header.moveSection(header.visualIndex(column_index(key)), 0)

    def _on_reloaded(self) -> None:
        self.message_bar.clear_error()
        self._select(self._restore_selection)
        count = self.model.rowCount()
        self.count_label.setText(plural(count, "open hold") if count else "No open holds match")
        self.loaded.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.count_label.setText("")
        handle_task_error(exc, self.message_bar)
        self.load_failed.emit(exc)

    def apply_filter(self, criteria: dict[str, Any]) -> None:
        """A list opened from Today's cards: every open hold, oldest first, so the aged ones lead.

        The cards count holds by age alone, while the threshold filter here follows each category's own
        clock (a PGA hold has none), so an age card is shown as the full board sorted by age, not filtered.
        """
        self.filter_edit.clear()
        self.threshold_combo.setCurrentIndex(0)
        if criteria:
            self.table.sortByColumn(column_index("age"), Qt.SortOrder.DescendingOrder)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def summary(self) -> str:
        return plural(self.model.rowCount(), "row")

    # --- selection, actions ---------------------------------------------------------------------------------

    def selected_hold_ids(self) -> list[uuid.UUID]:
        rows = self.table.selectionModel().selectedRows()
        found = (self.model.id_at(index.row()) for index in rows)
        return [hold_id for hold_id in found if hold_id is not None]

    def _remember_selection(self) -> None:
        self._restore_selection = self.selected_hold_ids()

    def _select(self, hold_ids: Sequence[uuid.UUID]) -> None:
        """Re-select by hold id after a reload (a row number means nothing once the order has changed)."""
        rows = [row for row in (self.model.row_of(hold_id) for hold_id in hold_ids) if row >= 0]
        if not rows:
            return
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(self.model.index(rows[0], 0), flags)
        self.table.scrollTo(self.model.index(rows[0], 0))

    def current_hold(self) -> OpenHoldRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.hold_at(index.row()) if index.isValid() else None

    def _show_menu(self, position: QPoint) -> None:
        if self.current_hold() is None:
            return
        menu = QMenu(self)
        menu.addActions([self.log_action, self.follow_up_action])
        menu.addSeparator()
        menu.addAction(self.open_action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _open_account(self) -> None:
        hold = self.current_hold()
        if hold is not None:
            self.open_account.emit(hold.account_id)

    def _ask_note(self, *, follow_up_only: bool) -> None:
        hold = self.current_hold()
        if hold is None:
            return
        subject = f"{hold.entry_number} · {hold.account_name} · {hold.category.value.replace('_', ' ')}"
        dialog = LogContactDialog(subject, self, follow_up_only=follow_up_only)
        if dialog.exec() == LogContactDialog.DialogCode.Accepted:
            self.save_note(hold, dialog.value())

    def save_note(self, hold: OpenHoldRow, value: ContactInput) -> None:
        """Write the note in the background; the board reloads so "Last action" shows it."""
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: add_note(
                workspace,
                str(hold.account_id),
                value.text,
                kind=value.kind,
                follow_up=value.follow_up,
                entry_number=hold.entry_number,
                hold_id=hold.hold_id,
            ),
            name="log contact",
            write=True,
            owner=self,
            on_result=lambda _note: self._on_note_saved(),
            on_error=lambda exc: handle_task_error(exc, self.message_bar),
        )

    def _on_note_saved(self) -> None:
        self.reload()
        self.context.changes.announce({NOTES}, source=self)  # Follow-ups, the account's notes


def _fetch_ids(workspace: Workspace, sort: SortSpec, where: HoldFilter | None) -> list[uuid.UUID]:
    where = where or HoldFilter()
    return holdboard.open_hold_ids(
        workspace,
        sort=sort.key or "age",
        descending=sort.descending,
        text=where.text,
        threshold=where.threshold,
        group_by=where.group_by,
    )
