"""One account's notes & activity timeline: its notes newest first, from `services.notes.account_activity`.

An account has hundreds of notes at most (a few thousand for the busiest), so they live in memory, in the
service's order (newest first), which is the timeline's only order.

Roles: DisplayRole is the formatted text; `ITEM_ROLE` the row's `NoteActivity` on every column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.activity import HoldChoice, NoteActivity
from app.domain.enums import NoteKind
from app.ui import formatting as fmt
from app.ui.models.columns import Column, column_header

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex

KIND_LABELS = {
    NoteKind.CALL: "Call",
    NoteKind.EMAIL: "Email",
    NoteKind.MEETING: "Meeting",
    NoteKind.VISIT: "Site visit",
    NoteKind.NOTE: "Note",
}
# A short mark before the kind so the eye finds contacts among plain notes; the text says it too.
KIND_MARKS = {
    NoteKind.CALL: "☎",
    NoteKind.EMAIL: "✉",
    NoteKind.MEETING: "◎",
    NoteKind.VISIT: "⌂",
    NoteKind.NOTE: "✎",
}
MUTED = QColor(120, 120, 120)
TEXT_PREVIEW_CHARS = 120


COLUMNS: tuple[Column, ...] = (
    Column("when", "When", "When the note was written (local time)"),
    Column("kind", "Kind", "Call, email, meeting, site visit or note"),
    Column("author", "Author", "Who wrote the note"),
    Column("text", "Note", "The note's first line; the whole text is in the tooltip and the editor"),
    Column("linked", "Linked to", "The entry or held shipment the note is about"),
    Column("follow_up", "Follow-up", "The follow-up date, and whether it is done"),
    Column("flags", "Flags", "In summary: included in account summaries; sensitive: left out of reports"),
)


def column_index(key: str) -> int:
    return next(position for position, column in enumerate(COLUMNS) if column.key == key)


def hold_label(hold: HoldChoice) -> str:
    """ "entry · category · port · placed date", the way the hold picker and the timeline name a hold."""
    category = hold.category.value.replace("_", " ")
    port = f"{hold.port_code} {hold.port_name}".strip()
    state = "" if hold.is_open else " (released)"
    return f"{hold.entry_number} · {category} · {port} · placed {fmt.fmt_date(hold.placed_at.date())}{state}"


def kind_label(kind: NoteKind) -> str:
    return f"{KIND_MARKS.get(kind, '')} {fmt.label(KIND_LABELS, kind)}".strip()


def _preview(text: str) -> str:
    first, _, rest = text.partition("\n")
    more = bool(rest.strip()) or len(first) > TEXT_PREVIEW_CHARS
    return first[:TEXT_PREVIEW_CHARS].rstrip() + ("…" if more else "")


def _follow_up_text(item: NoteActivity) -> str:
    note = item.note
    if note.follow_up_on is None:
        return ""
    return fmt.fmt_date(note.follow_up_on) + (" ✓ done" if note.follow_up_done else "")


def _flags_text(item: NoteActivity) -> str:
    flags = ["in summary"] if item.note.include_in_summary else []
    flags += ["sensitive"] if item.note.sensitive else []
    return ", ".join(flags)


def _texts(item: NoteActivity) -> tuple[str, ...]:
    note = item.note
    linked = hold_label(item.hold) if item.hold is not None else item.entry_number
    return (
        fmt.fmt_datetime(fmt.utc_to_local(note.created_at)),
        kind_label(note.kind),
        note.author,
        _preview(note.text),
        linked,
        _follow_up_text(item),
        _flags_text(item),
    )


class NotesModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[NoteActivity] = []
        self._texts: list[tuple[str, ...]] = []

    def set_rows(self, items: Sequence[NoteActivity]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._texts = [_texts(item) for item in self._items]
        self.endResetModel()

    def item_at(self, row: int) -> NoteActivity:
        return self._items[row]

    def items(self) -> list[NoteActivity]:
        return list(self._items)

    def row_of(self, note_id: object) -> int | None:
        return next((row for row, item in enumerate(self._items) if item.note.id == note_id), None)

    def open_follow_up_count(self) -> int:
        return sum(1 for item in self._items if item.note.follow_up_on and not item.note.follow_up_done)

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
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "follow_up" and item.note.follow_up_done:
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._texts[index.row()][index.column()]
        return None

    @staticmethod
    def _tooltip(item: NoteActivity, key: str) -> str | None:
        if key == "text":
            return item.note.text
        if key == "linked" and item.hold is not None:
            return f"Hold: {hold_label(item.hold)}"
        if key == "flags" and item.note.sensitive:
            return "Sensitive: left out of reports and summaries by default"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        return column_header(COLUMNS, section, orientation, role)
