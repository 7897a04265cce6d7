"""The follow-ups table: one row per note or action item with a date, from `services.followups`.

Rows arrive already in the screen's order (bucket, then due date), which is also the only order: the list is
a to-do list grouped by urgency, so the header does not sort. Open follow-ups number in the thousands at most
(~13,000 in the large demo), so they live in memory and `FollowUpsProxyModel` filters them in Python.

Roles: DisplayRole is the formatted text; `ITEM_ROLE` the row's `FollowUp` on every column;
`ACCOUNT_ID_ROLE` its account's id, for the screens that open an account.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.followups import ACTION_KIND, Bucket, FollowUp
from app.ui import formatting as fmt
from app.ui.models.columns import Column, column_header

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

BUCKET_LABELS = {
    Bucket.OVERDUE: "Overdue",
    Bucket.TODAY: "Today",
    Bucket.THIS_WEEK: "This week",
    Bucket.LATER: "Later",
}
# Colour doubles the text, never replaces it: dark red and dark amber stay readable on both row colours.
BUCKET_COLOURS = {Bucket.OVERDUE: QColor(176, 0, 32), Bucket.TODAY: QColor(150, 90, 0)}
MUTED = QColor(120, 120, 120)
KIND_LABELS = {"call": "Call", "email": "Email", "meeting": "Meeting", "visit": "Visit", "note": "Note"}
KIND_LABELS[ACTION_KIND] = "Action item"


COLUMNS: tuple[Column, ...] = (
    Column("when", "When", "Overdue, today, this week (through Sunday) or later"),
    Column("due_on", "Due", "The follow-up date of the note, or the action item's due date"),
    Column("account", "Account", "The account the follow-up belongs to"),
    Column("kind", "Kind", "The note's kind (call, email, …) or action item"),
    Column("text", "Follow-up", "The note's first line, or the action item's issue → action"),
    Column("owner", "Owner", "Who wrote the note, or who owns the action item"),
)


def column_index(key: str) -> int:
    return next(position for position, column in enumerate(COLUMNS) if column.key == key)


def _texts(item: FollowUp) -> tuple[str, ...]:
    kind = fmt.label(KIND_LABELS, item.kind)
    return (
        "Done" if item.done else BUCKET_LABELS[item.bucket],
        fmt.fmt_date(item.due_on),
        item.account_name,
        f"{kind} · sensitive" if item.sensitive else kind,
        item.text,
        item.owner,
    )


class FollowUpsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[FollowUp] = []
        self._texts: list[tuple[str, ...]] = []
        self._haystacks: list[str] = []
        self._rows_by_id: dict[uuid.UUID, int] = {}

    def set_rows(self, items: Sequence[FollowUp]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._texts = [_texts(item) for item in self._items]
        # The filter matches account and text, as the filter box says; casefolded once here, not per keypress.
        self._haystacks = [f"{item.account_name}\n{item.text}".casefold() for item in self._items]
        self._rows_by_id = {item.id: row for row, item in enumerate(self._items)}
        self.endResetModel()

    def item_at(self, row: int) -> FollowUp:
        return self._items[row]

    def haystack(self, row: int) -> str:
        return self._haystacks[row]

    def set_done(self, item_id: uuid.UUID, done: bool) -> bool:
        """Show a follow-up as done (or open again); False if it is not loaded (the caller reloads)."""
        row = self._rows_by_id.get(item_id)
        if row is None:
            return False
        self._items[row] = replace(self._items[row], done=done)
        self._texts[row] = _texts(self._items[row])
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True

    def open_count(self) -> int:
        return sum(1 for item in self._items if not item.done)

    def overdue_count(self) -> int:
        return sum(1 for item in self._items if not item.done and item.bucket is Bucket.OVERDUE)

    # --- QAbstractTableModel --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == ITEM_ROLE:
            return item
        if role == ACCOUNT_ID_ROLE:
            return item.account_id
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(item, key)
        if (
            role == Qt.ItemDataRole.FontRole
            and key == "when"
            and not item.done
            and item.bucket in BUCKET_COLOURS
        ):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, key)
        return None

    @staticmethod
    def _foreground(item: FollowUp, key: str) -> QBrush | None:
        if item.done:
            return QBrush(MUTED)
        colour = BUCKET_COLOURS.get(item.bucket) if key == "when" else None
        return QBrush(colour) if colour is not None else None

    @staticmethod
    def _tooltip(item: FollowUp, key: str) -> str | None:
        if key == "text":
            return item.text
        if key == "kind" and item.sensitive:
            return "Sensitive note: shown here because this list is yours; excluded from reports by default"
        if key == "account":
            return item.account_name
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        return column_header(COLUMNS, section, orientation, role)


class FollowUpsProxyModel(QSortFilterProxyModel):
    """Filters by every word of the filter text (account name or text, any case), by bucket, and hides done
    rows unless `show_done`. Never sorts: the source's order is the screen's."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._terms: tuple[str, ...] = ()
        self._bucket: Bucket | None = None
        self._show_done = False

    def followups(self) -> FollowUpsModel:
        model = self.sourceModel()
        assert isinstance(model, FollowUpsModel)
        return model

    def set_filter_text(self, text: str) -> None:
        terms = tuple(text.casefold().split())
        if terms != self._terms:
            self._change_filter(lambda: setattr(self, "_terms", terms))

    def set_bucket(self, bucket: Bucket | None) -> None:
        if bucket != self._bucket:
            self._change_filter(lambda: setattr(self, "_bucket", bucket))

    def set_show_done(self, show: bool) -> None:
        if show != self._show_done:
            self._change_filter(lambda: setattr(self, "_show_done", show))

    def _change_filter(self, change: Any) -> None:
        if hasattr(self, "endFilterChange"):  # Qt >= 6.10; invalidateRowsFilter is on its way out
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.followups()
        item = model.item_at(source_row)
        if item.done and not self._show_done:
            return False
        if self._bucket is not None and item.bucket != self._bucket:
            return False
        haystack = model.haystack(source_row)
        return all(term in haystack for term in self._terms)

    def item_at(self, proxy_row: int) -> FollowUp:
        item = self.index(proxy_row, 0).data(ITEM_ROLE)
        assert isinstance(item, FollowUp)
        return item
