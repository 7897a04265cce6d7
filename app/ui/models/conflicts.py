"""The Conflicts grid: one row per field both this laptop and the team server changed since the last sync.

Conflicts are few (a handful after a sync at most), so `ConflictsModel` holds the `Conflict`s that
`services.sync_conflicts.list_conflicts` returns, oldest first, in memory. Values are shown for people: dates
in the workbench's format, yes/no for flags, the labels the rest of the GUI uses for risk, tier and program
state, and "—" for an empty value (which is a real side of a conflict here, unlike in other grids).

Roles: DisplayRole is the text; `CONFLICT_ROLE` the row's `Conflict` on every column.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.sync_conflicts import Conflict
from app.ui import formatting as fmt
from app.ui.models.columns import Column, column_header

Index = QModelIndex | QPersistentModelIndex

CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 1
NOTHING = "—"

COLUMNS: tuple[Column, ...] = (
    Column("record", "Record", "The record both sides changed"),
    Column("field", "Field", "The field both sides changed"),
    Column("base", "Base", "The value both sides started from (at the last sync)"),
    Column("mine", "Mine", "The value changed on this laptop"),
    Column("theirs", "Theirs", "The value on the team server, which the record holds now"),
    Column("detected_at", "Detected", "When the sync found the conflict (local time)"),
)

# Fields whose stored codes have labels elsewhere in the GUI; anything else shows as stored.
_CODE_LABELS: dict[str, dict[str, str]] = {
    "risk_segment": {str(code): text for code, text in fmt.RISK_LABELS.items()},
    "tier": {str(code): text for code, text in fmt.TIER_LABELS.items()},
    "state": {str(code): text for code, text in fmt.STATE_LABELS.items()},
}
_FIELD_NAMES = {"ae_id": "Account executive", "dba": "DBA", "ior": "Importer number"}


def field_text(field: str) -> str:
    """`risk_segment` → "Risk segment"."""
    return _FIELD_NAMES.get(field, field.replace("_", " ").capitalize())


def value_text(field: str, value: Any) -> str:
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return fmt.fmt_yes_no(value)
    if isinstance(value, datetime):  # the app's own timestamps, stored in UTC
        return fmt.fmt_datetime(fmt.utc_to_local(value))
    if isinstance(value, date):
        return fmt.fmt_date(value)
    if isinstance(value, int):
        return fmt.fmt_int(value)
    labels = _CODE_LABELS.get(field)
    if labels is not None and str(value) in labels:
        return labels[str(value)]
    return " ".join(str(value).split())  # one line in the grid; the tooltip keeps the whole text


def conflict_texts(conflict: Conflict) -> tuple[str, ...]:
    return (
        conflict.record or conflict.table_name,
        field_text(conflict.field),
        value_text(conflict.field, conflict.base),
        value_text(conflict.field, conflict.mine),
        value_text(conflict.field, conflict.theirs),
        fmt.fmt_datetime(fmt.utc_to_local(conflict.detected_at)),
    )


class ConflictsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._conflicts: list[Conflict] = []
        self._texts: list[tuple[str, ...]] = []

    def set_rows(self, conflicts: Sequence[Conflict]) -> None:
        self.beginResetModel()
        self._conflicts = list(conflicts)
        self._texts = [conflict_texts(conflict) for conflict in self._conflicts]
        self.endResetModel()

    def conflict_at(self, row: int) -> Conflict:
        return self._conflicts[row]

    def row_of(self, conflict_id: int) -> int | None:
        return next((row for row, item in enumerate(self._conflicts) if item.id == conflict_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._conflicts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._conflicts):
            return None
        conflict = self._conflicts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == CONFLICT_ROLE:
            return conflict
        if role == Qt.ItemDataRole.ToolTipRole:
            key = COLUMNS[index.column()].key
            if key in ("base", "mine", "theirs"):
                value = getattr(conflict, key)
                return NOTHING if value is None else str(value)
            return self._texts[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        return column_header(COLUMNS, section, orientation, role)
