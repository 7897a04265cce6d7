"""The Entries grid model: a `PagedTableModel` over one account's line keys, formatted a page at a time.

The keys are (canonical entry number, line number), sorted and filtered in SQL (services/entry_lines.py)
on the TaskRunner; a page of rows is read by key when first painted and formatted once (`Formatted`), so
`cell()` is a tuple lookup and `data()` never queries per cell. An account has a few thousand lines at most,
so its key list is small; the whole portfolio's grid reads by position instead (see queries/entry_lines.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.domain.entry_lines import EntryLineView, LineKey
from app.domain.errors import ValidationError
from app.domain.identifiers import format_hts
from app.ui import formatting as fmt
from app.ui.models.columns import Column, column_header
from app.ui.models.paged import PagedTableModel, SortSpec
from app.ui.tasks import TaskRunner

LINE_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex


COLUMNS: tuple[Column, ...] = (
    Column("entry_number", "Entry", "Entry number (filer code, transaction number, check digit)"),
    Column("line_number", "Line", "Line number within the entry", numeric=True),
    Column("entry_date", "Entry date", "Date of entry"),
    Column("entry_type", "Type", "Entry type code (01 consumption, 11 informal, 06 FTZ …)"),
    Column("port", "Port", "Port of entry (Schedule D code)"),
    Column("mode", "MOT", "Mode of transportation code"),
    Column("hts", "HTS", "HTSUS number of the line's first tariff"),
    Column("country", "Origin", "Country of origin (ISO alpha-2)"),
    Column("mid", "MID", "Manufacturer identification code"),
    Column("value", "Entered value", "Entered value of the line (USD)", numeric=True),
    Column("duty", "Duty", "Duty on the line (USD)", numeric=True),
    Column("release_date", "Released", "Release date of the entry; empty while not released"),
    Column("held", "Held", "Whether the entry has had a hold"),
)


@dataclass(frozen=True)
class LineFilter:
    """What the grid shows: filter words (entry number, HTS, country, MID or port) and "held only"."""

    text: str = ""
    held_only: bool = False


def column_index(key: str) -> int:
    return next(i for i, column in enumerate(COLUMNS) if column.key == key)


def _hts(number: str) -> str:
    try:
        return format_hts(number) if number else ""
    except ValidationError:  # a malformed stored value is shown as it is
        return number


def format_row(row: EntryLineView) -> tuple[str, ...]:
    return (
        row.entry_number,
        str(row.line_number),
        fmt.fmt_date(row.entry_date),
        row.entry_type,
        row.port_of_entry,
        row.mode_of_transport,
        _hts(row.hts_number),
        row.country_of_origin,
        row.mid,
        fmt.fmt_money(row.entered_value_cents),
        fmt.fmt_money(row.duty_cents),
        fmt.fmt_date(row.release_date),
        fmt.fmt_yes_no(row.held),
    )


@dataclass(frozen=True, slots=True)
class Formatted:
    row: EntryLineView
    texts: tuple[str, ...]


class EntryLinesModel(PagedTableModel[LineKey, Formatted]):
    def __init__(
        self,
        runner: TaskRunner,
        fetch_ids: Callable[[SortSpec, Any], list[LineKey]],
        fetch_rows: Callable[[Sequence[LineKey]], list[EntryLineView]],
        parent: Any = None,
    ) -> None:
        super().__init__(
            runner,
            fetch_ids,
            lambda keys: [Formatted(row, format_row(row)) for row in fetch_rows(keys)],
            lambda formatted: formatted.row.key,
            parent,
        )

    def line_at(self, row: int) -> EntryLineView | None:
        formatted = self.row_at(row)
        return None if formatted is None else formatted.row

    def entry_count(self) -> int:
        """Entries among the current keys (the key list is one account's: a few thousand at most)."""
        return len({key[0] for key in (self.id_at(row) for row in range(self.rowCount())) if key})

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(COLUMNS)

    def cell(self, row: Formatted, column: int, role: int) -> Any:
        if not 0 <= column < len(COLUMNS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.texts[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if COLUMNS[column].numeric else LEFT
        if role == LINE_KEY_ROLE:
            return row.row.key
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        return column_header(COLUMNS, section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the key query's (SQL): every column can be sorted there."""
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(SortSpec(COLUMNS[column].key, descending), self.filter)
