"""Portfolio: every account of the AE at a glance, filterable and sortable by any column."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.views import PortfolioRow
from app.services.accounts import list_portfolio
from app.ui.changes import ACCOUNTS, COMPLIANCE, NOTES, TRADE
from app.ui.formatting import plural
from app.ui.models.portfolio import (
    ACCOUNT_ID_ROLE,
    COLUMNS,
    PortfolioModel,
    PortfolioProxyModel,
    RowFilter,
    column_index,
)
from app.ui.saved_views import apply_header_columns, header_view_state, sort_of
from app.ui.views.base import MessageBar, Screen, ScreenContext, handle_task_error
from app.ui.views.portfolio_controls import (
    PortfolioFilterBar,
    column_chooser,
    filter_from_values,
    filter_to_values,
)
from app.ui.widgets.grid import make_grid

HEADER_KEY = "portfolio"
RELOAD_KINDS = frozenset({ACCOUNTS, TRADE, COMPLIANCE, NOTES})
# Resizing to contents would let a long company name take half the screen; the tooltip shows it in full.
MAX_INITIAL_COLUMN_WIDTH = 300
SIZE_SAMPLE_ROWS = 200
MIN_NAME_WIDTH = 180
HEADER_SLACK = 6  # pixels, so that a header's text never touches the sort arrow

EMPTY_TEXT = (
    "<h3>No accounts in this database yet</h3>"
    "<p>Import your portfolio roster with <code>ae-workbench import roster.csv</code>,<br>"
    "or explore the demo portfolio with <code>ae-workbench --demo</code>.</p>"
)


class PortfolioView(Screen):
    key = "portfolio"
    title = "Portfolio"
    open_account = Signal(object)  # an account's id: Enter or a double click on its row
    open_list = Signal(str, dict)  # (screen key, criteria): the Reports screen for the selected accounts
    supports_saved_views = True

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = PortfolioModel(self)
        self.proxy = PortfolioProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self._generation = 0  # results of a reload overtaken by a newer one are dropped
        self._has_loaded = False
        self._pending_account: Any = None  # an account to select once the first load arrives
        self._columns_sized = False

        self.message_bar = MessageBar(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("portfolio-filter")
        self.filter_edit.setPlaceholderText("Filter by account name, importer number or Center  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.filter_edit.setAccessibleName("Filter accounts")
        self.filter_bar = PortfolioFilterBar(self)
        self.filter_bar.changed.connect(self._on_row_filter_changed)
        self.count_label = QLabel("Loading…", self)
        self.count_label.setObjectName("portfolio-count")
        # Shown while a list opened from Today narrows the accounts; clicking it removes that filter.
        self.contact_chip = QPushButton(self)
        self.contact_chip.setObjectName("portfolio-contact-filter")
        self.contact_chip.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogCloseButton))
        self.contact_chip.setToolTip("Show all accounts again")
        self.contact_chip.hide()
        self.contact_chip.clicked.connect(lambda: self.apply_filter({}))
        self.table = self._make_table()
        self.columns_button = column_chooser(self.table, self)
        self.empty_label = QLabel(EMPTY_TEXT, self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty_label)
        self._layout()
        self._restore_header()
        self.filter_bar.set_row_filter(filter_from_values(self.context.settings.ui.filter_values(HEADER_KEY)))
        self._set_tab_order()
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        context.changes.changed.connect(self._on_data_changed)

    def _make_table(self) -> QTableView:
        table = make_grid(self, "portfolio-table", "Accounts", self.proxy, multi_select=True)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = table.horizontalHeader()
        # Fitting a column measures every row it looks at: bound that, or 2,000 accounts take a second.
        header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        table.setSortingEnabled(True)
        table.activated.connect(self._on_activated)  # Enter, or a double click: Account 360
        self.report_action = QAction("Report on selected accounts…", self)
        self.report_action.triggered.connect(self.report_on_selection)
        self.addAction(self.report_action)  # in the command palette, and the grid's context menu
        table.addAction(self.report_action)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        return table

    def report_on_selection(self) -> None:
        self.open_list.emit("reports", {"account_ids": self.selected_account_ids()})

    def _on_activated(self, index: QModelIndex) -> None:
        account_id = index.data(ACCOUNT_ID_ROLE) if index.isValid() else None
        if account_id is not None:
            self.open_account.emit(account_id)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.filter_bar)
        top.addWidget(self.contact_chip)
        top.addWidget(self.count_label)
        top.addWidget(self.columns_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.message_bar)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

    def _set_tab_order(self) -> None:
        chain = [
            self.filter_edit,
            *self.filter_bar.controls(),
            self.contact_chip,
            self.columns_button,
            self.table,
        ]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # --- state ----------------------------------------------------------------------------------------------

    def _restore_header(self) -> None:
        header = self.table.horizontalHeader()
        state = self.context.settings.ui.header_state(HEADER_KEY)
        if state is not None and header.restoreState(state):
            self._columns_sized = True  # the user's widths win over "resize to contents"
            self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        else:
            self.table.sortByColumn(column_index("name"), Qt.SortOrder.AscendingOrder)
        # Never lose the Account column, whatever an older state (or a hand-edited file) says.
        header.setSectionHidden(column_index("name"), False)

    def save_state(self) -> None:
        self.context.settings.ui.save_header_state(HEADER_KEY, self.table.horizontalHeader().saveState())
        self.context.settings.ui.save_filter_values(HEADER_KEY, filter_to_values(self.proxy.row_filter))

    def view_state(self) -> dict[str, Any]:
        state = header_view_state(self.table.horizontalHeader(), [column.key for column in COLUMNS])
        return {"text": self.filter_edit.text(), "filters": filter_to_values(self.proxy.row_filter), **state}

    def apply_view_state(self, state: dict[str, Any]) -> None:
        keys = [column.key for column in COLUMNS]
        self.apply_filter({})
        self.filter_edit.setText(str(state.get("text") or ""))
        filters = state.get("filters")
        values = {str(k): str(v) for k, v in filters.items()} if isinstance(filters, dict) else {}
        self.filter_bar.set_row_filter(filter_from_values(values))
        apply_header_columns(self.table.horizontalHeader(), keys, state, always_shown="name")
        sort = sort_of(state, keys)
        if sort is not None:
            self.table.sortByColumn(*sort)

    # --- loading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: list_portfolio(workspace),
            name="load portfolio",
            owner=self,
            on_result=lambda rows: self._on_loaded(generation, rows),
            on_error=lambda exc: self._on_failed(generation, exc),
        )

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        """An account, its trade, compliance history or notes (last contact) changed elsewhere."""
        if not self._has_loaded or not kinds & RELOAD_KINDS:
            return  # never loaded: the first show loads it anyway
        self.reload_now_or_when_shown()

    def _on_loaded(self, generation: int, rows: list[PortfolioRow]) -> None:
        if generation != self._generation:
            return
        selected = self.selected_account_ids()
        self.message_bar.clear_error()
        self.model.set_rows(rows)
        self._has_loaded = True
        self.pages.setCurrentWidget(self.table if rows else self.empty_label)
        if rows and not self._columns_sized:
            self._size_columns()
        self._select_accounts(selected)
        self._update_count()
        if self._pending_account is not None:
            pending, self._pending_account = self._pending_account, None
            self.show_account(pending)
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.count_label.setText("")
        handle_task_error(exc, self.message_bar)
        self.load_failed.emit(exc)

    def _size_columns(self) -> None:
        """Fit columns to their contents once, on the first data (later loads keep the user's widths)."""
        self._columns_sized = True
        header = self.table.horizontalHeader()
        for section in range(header.count()):
            width = max(self.table.sizeHintForColumn(section), self._header_text_width(section))
            header.resizeSection(section, min(width, MAX_INITIAL_COLUMN_WIDTH))
        # On a smaller screen, narrow the account names (elided; the tooltip has them in full) rather than
        # push the last columns out of sight.
        # The vertical scroll bar appears only after this first layout: leave room for it now.
        available = self.table.viewport().width() - self.table.verticalScrollBar().sizeHint().width()
        excess = header.length() - available
        name = column_index("name")
        if self.table.isVisible() and excess > 0:
            header.resizeSection(name, max(MIN_NAME_WIDTH, header.sectionSize(name) - excess))

    def _header_text_width(self, section: int) -> int:
        """Room for a header's text and the sort arrow, as QCommonStyle lays them out.

        QHeaderView's own size hint reserves the header's full height for the arrow: with two-line headers
        that wastes ~20 px in each of the 14 columns, enough to push the last two off a 1600-pixel screen.
        """
        header = self.table.horizontalHeader()
        text = str(self.model.headerData(section, Qt.Orientation.Horizontal) or "")
        metrics = header.fontMetrics()
        text_width = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        arrow = header.sizeHint().height() // 2
        return text_width + arrow + 6 * margin + HEADER_SLACK

    # --- filter, selection ----------------------------------------------------------------------------------

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _on_filter_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_count()

    def _on_row_filter_changed(self, row_filter: RowFilter) -> None:
        self.proxy.set_row_filter(row_filter)
        self._update_count()

    def _update_count(self, *_args: Any) -> None:
        if not self._has_loaded:
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = plural(total, "account") if shown == total else f"{shown:,} of {plural(total, 'account')}"
        self.count_label.setText(text)

    def apply_filter(self, criteria: dict[str, Any]) -> None:
        """A filtered list opened from elsewhere (Today's cards): `no_contact_days` keeps the accounts with no
        call, email, meeting or visit in that many days; an empty dict shows every account again."""
        days = criteria.get("no_contact_days")
        if days is None:
            self.proxy.set_no_contact_since(None)
            self.contact_chip.hide()
        else:
            # Show exactly the accounts Today counted: no other filter narrows them further.
            self.filter_edit.clear()
            self.filter_bar.set_row_filter(RowFilter())
            self.proxy.set_no_contact_since(
                datetime.now(UTC).replace(tzinfo=None) - timedelta(days=int(days))
            )
            self.contact_chip.setText(f"No contact in {days} days")
            self.contact_chip.setAccessibleName(f"Remove filter: no contact in {days} days")
            self.contact_chip.show()
        self._update_count()

    def show_account(self, account_id: Any) -> None:
        """Clear the filters and select one account (e.g. a quick-find hit); waits for data if loading."""
        self.filter_edit.clear()
        self.filter_bar.set_row_filter(RowFilter())
        self.apply_filter({})
        if not self._has_loaded:
            self._pending_account = account_id
            return
        self.table.clearSelection()
        self._select_accounts([account_id])
        selected = self.table.selectionModel().selectedRows()
        if selected:
            self.table.scrollTo(selected[0], QAbstractItemView.ScrollHint.PositionAtCenter)
            self.table.setCurrentIndex(selected[0])
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def selected_account_ids(self) -> list[Any]:
        rows = self.table.selectionModel().selectedRows()
        return [index.data(ACCOUNT_ID_ROLE) for index in rows]

    def _select_accounts(self, account_ids: list[Any]) -> None:
        """Re-select by id after a reload, so Refresh does not lose the user's place."""
        if not account_ids:
            return
        wanted = set(account_ids)
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in range(self.proxy.rowCount()):
            if self.proxy.account_id_at(row) in wanted:
                selection.select(self.proxy.index(row, 0), flags)

    def summary(self) -> str:
        return plural(self.proxy.rowCount(), "row")
