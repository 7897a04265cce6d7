"""The portfolio table: one row per account, from `app.services.accounts.list_portfolio`.

Accounts number in the thousands, so the whole list lives in memory (ARCHITECTURE.md §4, "Large grids").
`set_rows()` formats every cell once, so `data()` is a lookup and never computes or raises; sorting and
filtering run in `PortfolioProxyModel` against raw values precomputed next to the text.

Roles: DisplayRole is the formatted text; `SORT_ROLE` the raw value (int, float, date, str, or None for
"missing"); `ACCOUNT_ID_ROLE` the account's id on every column, for the screens that open an account.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.views import PortfolioRow
from app.ui import formatting as fmt

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 2

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
OVERDUE = QColor(176, 0, 32)  # dark red: readable on both alternating row colours of Fusion's light palette
MUTED = QColor(140, 140, 140)

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # on one line, in full: for menus, exports, messages
    tooltip: str
    text: Callable[[PortfolioRow], str]
    raw: Callable[[PortfolioRow], Any]
    numeric: bool = False
    # What the header shows, when not the title: two short lines keep the 14 columns on a 1920-pixel screen.
    header: str = ""

    @property
    def heading(self) -> str:
        return self.header or self.title


COLUMNS: tuple[Column, ...] = (
    Column("name", "Account", "Account (importer) name", lambda r: r.name, lambda r: r.name.casefold()),
    Column(
        "primary_importer_number",
        "Importer number",
        "Primary importer of record number (SSN-based numbers masked)",
        lambda r: r.primary_importer_number,
        lambda r: r.primary_importer_number,
        header="Importer\nnumber",
    ),
    Column(
        "center",
        "Center",
        "Center of Excellence and Expertise",
        lambda r: str(r.center),
        lambda r: str(r.center),
    ),
    Column(
        "ctpat_tier",
        "CTPAT tier",
        "CTPAT security tier (— : not a partner)",
        lambda r: fmt.label(fmt.TIER_LABELS, r.ctpat_tier),
        lambda r: fmt.TIER_RANK.get(r.ctpat_tier) if r.ctpat_tier else None,
        header="CTPAT\ntier",
    ),
    Column(
        "ctpat_state",
        "CTPAT status",
        "Where the account stands in the CTPAT partnership",
        lambda r: fmt.label(fmt.STATE_LABELS, r.ctpat_state),
        lambda r: fmt.label(fmt.STATE_LABELS, r.ctpat_state) or None,
        header="CTPAT\nstatus",
    ),
    Column(
        "trade_compliance_member",
        "Trade Compliance",
        "Member of CTPAT Trade Compliance (formerly ISA)",
        lambda r: fmt.fmt_yes_no(r.trade_compliance_member),
        lambda r: r.trade_compliance_member,
        header="Trade\nCompliance",
    ),
    Column(
        "risk_segment",
        "Risk",
        "Risk segment assigned to the account",
        lambda r: fmt.label(fmt.RISK_LABELS, r.risk_segment),
        lambda r: fmt.RISK_RANK.get(r.risk_segment),
    ),
    Column(
        "open_holds",
        "Open holds",
        "Shipments of this account on hold now",
        lambda r: fmt.fmt_int(r.open_holds),
        lambda r: r.open_holds,
        numeric=True,
        header="Open\nholds",
    ),
    Column(
        "oldest_open_hold_age_days",
        "Oldest hold (business days)",
        "Age of the oldest open hold in business days (weekends and federal holidays not counted)",
        lambda r: fmt.fmt_int(r.oldest_open_hold_age_days),
        lambda r: r.oldest_open_hold_age_days,
        numeric=True,
        header="Oldest hold\n(bus. days)",
    ),
    Column(
        "entries_12m",
        "Entries (12 mo)",
        "Entries filed in the last 12 months",
        lambda r: fmt.fmt_int(r.entries_12m),
        lambda r: r.entries_12m,
        numeric=True,
        header="Entries\n(12 mo)",
    ),
    Column(
        "exam_rate_12m",
        "Exam rate",
        "Entries of the last 12 months with at least one examination hold",
        lambda r: fmt.fmt_percent(r.exam_rate_12m),
        lambda r: r.exam_rate_12m,
        numeric=True,
        header="Exam\nrate",
    ),
    Column(
        "compliance_rate_12m",
        "Compliance rate",
        "1 − compliance-measurement discrepancies ÷ entry lines, last 12 months",
        lambda r: fmt.fmt_percent(r.compliance_rate_12m),
        lambda r: r.compliance_rate_12m,
        numeric=True,
        header="Compliance\nrate",
    ),
    Column(
        "next_validation_due",
        "Next validation",
        "When the next CTPAT validation is due (red: overdue)",
        lambda r: fmt.fmt_date(r.next_validation_due),
        lambda r: r.next_validation_due,
        header="Next\nvalidation",
    ),
    Column(
        "last_contact_at",
        "Last contact",
        "Most recent logged call, e-mail, meeting or visit",
        lambda r: fmt.fmt_date(fmt.local_date(r.last_contact_at)),
        lambda r: r.last_contact_at,
        header="Last\ncontact",
    ),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)


def column_index(key: str) -> int:
    return COLUMN_KEYS.index(key)


def search_text(row: PortfolioRow) -> str:
    """What the filter box matches: name, importer number (as shown and without separators) and Center."""
    ior = row.primary_importer_number or ""
    compact = "".join(ch for ch in ior if ch.isalnum())
    return f"{row.name}\n{ior}\n{compact}\n{row.center}".casefold()


@dataclass(frozen=True, slots=True)
class _Prepared:
    row: PortfolioRow
    texts: tuple[str, ...]
    raws: tuple[Any, ...]
    haystack: str


class PortfolioModel(QAbstractTableModel):
    def __init__(self, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Prepared] = []
        self._today = today

    @property
    def today(self) -> date:
        return self._today or date.today()

    # --- loading --------------------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[PortfolioRow]) -> None:
        self.beginResetModel()
        self._rows = [self._prepare(row) for row in rows]
        self.endResetModel()

    @staticmethod
    def _prepare(row: PortfolioRow) -> _Prepared:
        return _Prepared(
            row=row,
            texts=tuple(column.text(row) for column in COLUMNS),
            raws=tuple(column.raw(row) for column in COLUMNS),
            haystack=search_text(row),
        )

    def row_at(self, source_row: int) -> PortfolioRow:
        return self._rows[source_row].row

    def raw_value(self, source_row: int, column: int) -> Any:
        return self._rows[source_row].raws[column]

    def haystack(self, source_row: int) -> str:
        return self._rows[source_row].haystack

    def total_open_holds(self) -> int:
        return sum(prepared.row.open_holds for prepared in self._rows)

    # --- QAbstractTableModel --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        prepared = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return prepared.texts[column]
        if role == SORT_ROLE:
            return prepared.raws[column]
        if role == ACCOUNT_ID_ROLE:
            return prepared.row.account_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if COLUMNS[column].numeric else LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(prepared.row, COLUMNS[column].key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(prepared.row, COLUMNS[column].key)
        return None

    def _foreground(self, row: PortfolioRow, key: str) -> QBrush | None:
        if self._overdue(row, key):
            return QBrush(OVERDUE)
        if key == "open_holds" and row.open_holds == 0:
            return QBrush(MUTED)  # so the accounts that do have holds stand out in the column
        return None

    def _overdue(self, row: PortfolioRow, key: str) -> bool:
        return (
            key == "next_validation_due"
            and row.next_validation_due is not None
            and (row.next_validation_due < self.today)
        )

    def _tooltip(self, row: PortfolioRow, key: str) -> str | None:
        """Cell tooltips add what the cell cannot show; None falls back to nothing (not the header's text)."""
        if key == "name":
            return f"{row.name}\n{row.primary_importer_number} · {row.center}"
        if key == "oldest_open_hold_age_days" and row.oldest_open_hold_age_days is not None:
            age = fmt.plural(row.oldest_open_hold_age_days, "business day")
            placed = row.oldest_open_hold_placed_at
            return f"Oldest open hold placed {fmt.fmt_datetime(placed)}: {age} ago" if placed else age
        if key == "next_validation_due" and row.next_validation_due is not None:
            when = fmt.days_ago(row.next_validation_due, self.today)
            prefix = "Overdue: was due" if self._overdue(row, key) else "Due"
            return f"{prefix} {fmt.fmt_date(row.next_validation_due)} ({when})"
        if key == "last_contact_at" and row.last_contact_at is not None:
            local = fmt.utc_to_local(row.last_contact_at)
            return f"{fmt.fmt_datetime(local)} ({fmt.days_ago(local.date(), self.today)})"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.heading
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        return None


class PortfolioProxyModel(QSortFilterProxyModel):
    """Filters by every word of the filter text (name, IOR, Center; any case) and sorts by raw values.

    Missing values (None) sort last in both directions: an account with no validation date is never the
    "most urgent" one, whichever way the user sorts.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._terms: tuple[str, ...] = ()
        self.setSortRole(SORT_ROLE)

    def portfolio(self) -> PortfolioModel:
        model = self.sourceModel()
        assert isinstance(model, PortfolioModel)
        return model

    def set_filter_text(self, text: str) -> None:
        terms = tuple(text.casefold().split())
        if terms == self._terms:
            return
        if hasattr(self, "endFilterChange"):  # Qt >= 6.10; invalidateRowsFilter is on its way out
            self.beginFilterChange()
            self._terms = terms
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._terms = terms
            self.invalidateRowsFilter()

    @property
    def filter_terms(self) -> tuple[str, ...]:
        return self._terms

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._terms:
            return True
        haystack = self.portfolio().haystack(source_row)
        return all(term in haystack for term in self._terms)

    def lessThan(self, left: Index, right: Index) -> bool:
        model = self.portfolio()
        a = model.raw_value(left.row(), left.column())
        b = model.raw_value(right.row(), right.column())
        if a is None or b is None:
            # Qt sorts descending by asking lessThan(right, left), so "None is largest" when ascending and
            # "None is smallest" when descending keeps it at the bottom either way.
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            if a is None and b is None:
                return False
            return (b is None) if ascending else (a is None)
        return a < b

    def account_id_at(self, proxy_row: int) -> Any:
        return self.index(proxy_row, 0).data(ACCOUNT_ID_ROLE)
