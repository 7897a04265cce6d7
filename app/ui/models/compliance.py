"""The compliance table: one row per compliance event of the portfolio, from `services.compliance`.

Events number in the thousands at most (~4,300 in the large demo), so they live in memory: the proxy filters
them with `domain.compliance.matches` (the rule the store applies in SQL) and sorts them on keys computed
once per column. With no sort column the rows keep the service's order: open events first, soonest due first.

Roles: DisplayRole is the formatted text; `ITEM_ROLE` the row's `ComplianceItem` on every column;
`ACCOUNT_ID_ROLE` its account's id, for opening the account.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from app.domain.compliance import ComplianceFilter, ComplianceItem, ComplianceState, matches
from app.ui import formatting as fmt
from app.ui.models.columns import column_header

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

STATE_LABELS = {
    ComplianceState.OPEN: "Open",
    ComplianceState.OVERDUE: "Overdue",
    ComplianceState.RESPONDED: "Responded",
    ComplianceState.CLOSED: "Closed",
}
# Colour doubles the text and the icon, never replaces them (dark red stays readable on both row colours).
OVERDUE_COLOUR = QColor(176, 0, 32)
MUTED = QColor(120, 120, 120)


def days_text(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return f"{fmt.plural(-days, 'day')} overdue"
    return "due today" if days == 0 else f"in {fmt.plural(days, 'day')}"


def _date_key(value: date | None) -> tuple[int, int]:
    return (1, 0) if value is None else (0, value.toordinal())  # blanks last when ascending


def _number_key(value: int | None) -> tuple[int, int]:
    return (1, 0) if value is None else (0, value)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    heading: str
    tooltip: str
    text: Callable[[ComplianceItem], str]
    sort_key: Callable[[ComplianceItem], Any]
    numeric: bool = False


def _money_column(key: str, heading: str, tooltip: str) -> Column:
    def cents(item: ComplianceItem) -> int | None:
        value: int | None = getattr(item, f"{key}_cents")
        return value

    return Column(
        key,
        heading,
        tooltip,
        lambda i: fmt.fmt_money(cents(i)),
        lambda i: _number_key(cents(i)),
        numeric=True,
    )


COLUMNS: tuple[Column, ...] = (
    Column("account", "Account", "The account the event belongs to", lambda i: i.account_name,
           lambda i: (i.account_name.casefold(), str(i.account_id))),
    Column("type", "Type", "The kind of compliance event (CF-28, CF-29, protest, penalty…)",
           lambda i: i.type_label, lambda i: i.type_label.casefold()),
    Column("reference", "Reference", "The case, notice or protest number", lambda i: i.reference,
           lambda i: i.reference.casefold()),
    Column("entry", "Entry", "The entry the event concerns", lambda i: i.entry_number,
           lambda i: i.entry_number),
    Column("opened_on", "Opened", "When the event was opened (the notice's issue date)",
           lambda i: fmt.fmt_date(i.opened_on), lambda i: _date_key(i.opened_on)),
    Column("due_on", "Due", "The recorded response or filing deadline", lambda i: fmt.fmt_date(i.due_on),
           lambda i: _date_key(i.due_on)),
    Column("days", "Days to due", "Calendar days left to respond; negative when overdue",
           lambda i: days_text(i.days_to_due), lambda i: _number_key(i.days_to_due), numeric=True),
    Column("state", "State", "Open, overdue (due before today, not answered), responded or closed",
           lambda i: STATE_LABELS[i.state], lambda i: list(ComplianceState).index(i.state)),
    Column("responded_on", "Responded", "When the importer responded", lambda i: fmt.fmt_date(i.responded_on),
           lambda i: _date_key(i.responded_on)),
    Column("closed_on", "Closed", "When the event was closed", lambda i: fmt.fmt_date(i.closed_on),
           lambda i: _date_key(i.closed_on)),
    _money_column("proposed", "Proposed", "Amount proposed (penalty or liquidated damages)"),
    _money_column("assessed", "Assessed", "Amount assessed"),
    _money_column("mitigated", "Mitigated", "Amount after mitigation"),
    _money_column("paid", "Paid", "Amount paid"),
    Column("outcome", "Outcome", "How the event ended, or where it stands", lambda i: i.outcome,
           lambda i: i.outcome.casefold()),
)  # fmt: skip
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
OVERDUE_COLUMNS = frozenset({"due_on", "days", "state"})


def column_index(key: str) -> int:
    return COLUMN_KEYS.index(key)


class ComplianceModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[ComplianceItem] = []
        self._texts: list[tuple[str, ...]] = []
        self._sort_keys: dict[int, list[Any]] = {}  # per column, computed on first sort by it

    def set_rows(self, items: Sequence[ComplianceItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._texts = [tuple(column.text(item) for column in COLUMNS) for item in self._items]
        self._sort_keys = {}
        self.endResetModel()

    def item_at(self, row: int) -> ComplianceItem:
        return self._items[row]

    def items(self) -> list[ComplianceItem]:
        return list(self._items)

    def sort_key(self, row: int, column: int) -> Any:
        keys = self._sort_keys.get(column)
        if keys is None:
            keys = self._sort_keys[column] = [COLUMNS[column].sort_key(item) for item in self._items]
        return keys[row]

    def count(self, state: ComplianceState) -> int:
        return sum(1 for item in self._items if item.state is state)

    # --- QAbstractTableModel --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == ITEM_ROLE:
            return item
        if role == ACCOUNT_ID_ROLE:
            return item.account_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        overdue = item.state is ComplianceState.OVERDUE and column.key in OVERDUE_COLUMNS
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue:
                return QBrush(OVERDUE_COLOUR)
            return QBrush(MUTED) if item.state is ComplianceState.CLOSED else None
        if role == Qt.ItemDataRole.FontRole and overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and overdue and column.key == "due_on":
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column.key)
        return None

    @staticmethod
    def _tooltip(item: ComplianceItem, key: str) -> str | None:
        if key == "due_on" and item.state is ComplianceState.OVERDUE:
            return f"Overdue: {days_text(item.days_to_due)}"
        if key in ("account", "outcome", "type"):
            return {"account": item.account_name, "outcome": item.outcome, "type": item.type_label}[
                key
            ] or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        return column_header(COLUMNS, section, orientation, role)


class ComplianceProxyModel(QSortFilterProxyModel):
    """Keeps the rows `domain.compliance.matches` accepts for the criteria as of `today`; sorts on the
    columns' keys (no sort column: the service's order)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._criteria = ComplianceFilter()
        self._today = date.today()

    @property
    def criteria(self) -> ComplianceFilter:
        return self._criteria

    def compliance(self) -> ComplianceModel:
        model = self.sourceModel()
        assert isinstance(model, ComplianceModel)
        return model

    def set_criteria(self, criteria: ComplianceFilter, today: date | None = None) -> None:
        day = today or self._today
        if criteria != self._criteria or day != self._today:
            self._change_filter(lambda: self._set(criteria, day))

    def update_criteria(self, **changes: Any) -> None:
        self.set_criteria(replace(self._criteria, **changes))

    def _set(self, criteria: ComplianceFilter, today: date) -> None:
        self._criteria, self._today = criteria, today

    def _change_filter(self, change: Any) -> None:
        if hasattr(self, "endFilterChange"):  # Qt >= 6.10; invalidateRowsFilter is on its way out
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return matches(self.compliance().item_at(source_row), self._criteria, self._today)

    def lessThan(self, source_left: Index, source_right: Index) -> bool:
        model = self.compliance()
        column = source_left.column()
        left = model.sort_key(source_left.row(), column)
        right = model.sort_key(source_right.row(), column)
        return bool(left < right)

    def item_at(self, proxy_row: int) -> ComplianceItem:
        item = self.index(proxy_row, 0).data(ITEM_ROLE)
        assert isinstance(item, ComplianceItem)
        return item
