"""The Holds tab: the account's open and past holds, open ones first, with dwell in business days.

An account has tens of holds, a few thousand at the very most, so the rows live in memory; "Open only" filters
them in Python. Open holds show their clock state in words, with the board's tint and icon repeating it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QUndoStack
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.deadlines import RESPONSE_CLOCK_CATEGORIES
from app.domain.enums import HoldOutcome, HoldOwner
from app.domain.views import AccountHoldRow, AccountHolds
from app.services.account360 import account_holds
from app.ui import formatting as fmt
from app.ui.account.overview_tab import ReadTab
from app.ui.changes import COMPLIANCE, TRADE
from app.ui.models.holds import OWNER_LABELS, THRESHOLD_COLOURS, THRESHOLD_LABELS, UFLPA_LABELS
from app.ui.views.base import ScreenContext
from app.ui.widgets.empty_hint import EmptyHint
from app.ui.widgets.grid import make_grid

HOLD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADER_KEY = "account-holds"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

COLUMNS: tuple[tuple[str, str], ...] = (
    ("Entry", "Entry number"),
    ("Category", "Hold category"),
    ("Owner", "Who can lift the hold: port, PGA (with agency) or Center"),
    ("Port", "Port of the hold (Schedule D)"),
    ("Placed", "When the hold was placed"),
    ("Removed", "When the hold was removed; empty while open"),
    ("Dwell", "Business days from placed to removed, or to today while open"),
    ("Clock", "For open holds: where the hold stands against its deadlines"),
    ("Outcome", "How the hold ended"),
    ("Disposition", "Disposition code and status text"),
)
DWELL_COLUMN, CLOCK_COLUMN = 6, 7

OUTCOME_LABELS = {
    HoldOutcome.OPEN: "Open",
    HoldOutcome.RELEASED: "Released",
    HoldOutcome.RELEASED_AFTER_EXAM: "Released after exam",
    HoldOutcome.REFUSED_EXCLUDED: "Refused / excluded",
    HoldOutcome.DEEMED_EXCLUDED: "Deemed excluded",
    HoldOutcome.EXPORTED: "Exported",
    HoldOutcome.DESTROYED: "Destroyed",
    HoldOutcome.SEIZED: "Seized",
    HoldOutcome.GO: "General Order",
}

Index = QModelIndex | QPersistentModelIndex


def clock_text(hold: AccountHoldRow) -> str:
    if hold.threshold is None:
        return ""
    if hold.category in RESPONSE_CLOCK_CATEGORIES and hold.threshold in UFLPA_LABELS:
        return UFLPA_LABELS[hold.threshold]
    return THRESHOLD_LABELS[hold.threshold]


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _disposition(code: str, text: str) -> str:
    """Code and text, the code once: broker systems often repeat it in the text ("1H - CBP HOLD ...")."""
    if code and text.upper().startswith(code.upper()):
        return text
    return _joined(code, text)


def format_hold(hold: AccountHoldRow) -> tuple[str, ...]:
    owner = fmt.label(OWNER_LABELS, hold.owner)
    return (
        hold.entry_number,
        hold.category.value.replace("_", " "),
        _joined(owner, hold.agency_code) if hold.owner == HoldOwner.PGA else owner,
        _joined(hold.port_code, hold.port_name),
        fmt.fmt_datetime(hold.placed_at),
        fmt.fmt_datetime(hold.removed_at),
        fmt.plural(hold.dwell_business_days, "day"),
        clock_text(hold),
        fmt.label(OUTCOME_LABELS, hold.outcome),
        _disposition(hold.disposition_code, hold.status_text),
    )


class AccountHoldsModel(QAbstractTableModel):
    """The account's holds in the service's order; `set_open_only` hides the past ones."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[AccountHoldRow] = []
        self._rows: list[AccountHoldRow] = []
        self._texts: list[tuple[str, ...]] = []
        self.open_only = False

    def set_holds(self, holds: Sequence[AccountHoldRow]) -> None:
        self._all = list(holds)
        self._refill()

    def set_open_only(self, open_only: bool) -> None:
        if open_only != self.open_only:
            self.open_only = open_only
            self._refill()

    def _refill(self) -> None:
        self.beginResetModel()
        self._rows = [hold for hold in self._all if hold.is_open or not self.open_only]
        self._texts = [format_hold(hold) for hold in self._rows]
        self.endResetModel()

    def hold_at(self, row: int) -> AccountHoldRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hold = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == HOLD_ID_ROLE:
            return hold.hold_id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == DWELL_COLUMN:
            return RIGHT
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == CLOCK_COLUMN and hold.threshold:
            colour = THRESHOLD_COLOURS.get(hold.threshold)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == CLOCK_COLUMN and hold.threshold:
            # The tints are light: black text on them in every theme.
            return QBrush(Qt.GlobalColor.black) if hold.threshold in THRESHOLD_COLOURS else None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == len(COLUMNS) - 1:
            return self._texts[index.row()][index.column()] or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section][1]
        return None


class HoldsTab(ReadTab):
    key = "holds"
    title = "Hol&ds"

    def __init__(
        self,
        context: ScreenContext,
        account_id: uuid.UUID,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, undo_stack, parent)
        self.data: AccountHolds | None = None
        self.model = AccountHoldsModel(self)
        self.open_only = QCheckBox("Open onl&y", self)  # Alt+O is the Overview tab's
        self.open_only.setAccessibleName("Show open holds only")
        self.open_only.toggled.connect(self._on_open_only)
        self.count_label = QLabel("", self)
        self.count_label.setObjectName("holds-count")
        self.table = make_grid(
            self, "account-holds-table", "Holds of this account", self.model, movable_columns=False
        )
        EmptyHint(self.table, "No holds in the data for this account.")
        header = self.table.horizontalHeader()
        state = self.context.settings.ui.header_state(HEADER_KEY)
        if state is not None:
            header.restoreState(state)
        QWidget.setTabOrder(self.open_only, self.table)
        top = QHBoxLayout()
        top.addWidget(self.open_only)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.message_bar)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def reacts_to(self) -> frozenset[str]:
        return frozenset({TRADE, COMPLIANCE})

    def fetch(self) -> Callable[[], AccountHolds]:
        workspace, account_id, today = self.context.workspace, self.account_id, self.today
        return lambda: account_holds(workspace, account_id, today)

    def show_data(self, data: AccountHolds) -> None:
        self.data = data
        self.model.set_holds(data.holds)
        self.count_label.setText(self.summary())
        if self.context.settings.ui.header_state(HEADER_KEY) is None:
            self.table.resizeColumnsToContents()

    def _on_open_only(self, checked: bool) -> None:
        self.model.set_open_only(checked)

    def summary(self) -> str:
        if self.data is None:
            return ""
        open_holds = fmt.plural(self.data.open_count, "open hold")
        return f"{open_holds}, {fmt.plural(len(self.data.holds), 'hold')} in all"

    def save_state(self) -> None:
        self.context.settings.ui.save_header_state(HEADER_KEY, self.table.horizontalHeader().saveState())
