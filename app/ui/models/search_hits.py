"""The quick-find result list: search hits grouped by kind under header rows, with highlighted text.

Flat list (not a tree) so the popup is one QListView: a header row ("Accounts") precedes each kind's hits and
is neither selectable nor enabled. Highlighting is accent- and case-insensitive like the search itself
("societe" bolds "Société"): `fold_text` maps one character to one character, so a match's position in the
folded text is its position in the original.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QStyle

from app.domain.views import SearchHit, SearchHitKind

HitRole = Qt.ItemDataRole.UserRole + 1  # the SearchHit (None on a header row)
HtmlRole = Qt.ItemDataRole.UserRole + 2  # rich text with the query words in bold
HeaderRole = Qt.ItemDataRole.UserRole + 3  # True on a group header row

# Display order of the groups: what the search ranks first (identifiers) comes first.
KIND_ORDER: tuple[SearchHitKind, ...] = ("entry", "importer_number", "account", "note")
KIND_LABELS: dict[str, str] = {
    "entry": "Entries",
    "importer_number": "Importer numbers",
    "account": "Accounts",
    "note": "Notes",
}
KIND_SINGULAR: dict[str, str] = {
    "entry": "Entry",
    "importer_number": "Importer number",
    "account": "Account",
    "note": "Note",
}
_KIND_ICONS: dict[str, QStyle.StandardPixmap] = {
    "entry": QStyle.StandardPixmap.SP_FileIcon,
    "importer_number": QStyle.StandardPixmap.SP_DriveHDIcon,
    "account": QStyle.StandardPixmap.SP_DirHomeIcon,
    "note": QStyle.StandardPixmap.SP_FileDialogContentsView,
}
_WORD = re.compile(r"\w+")
Index = QModelIndex | QPersistentModelIndex


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    folded = base.casefold()
    # "ß" casefolds to "ss": keep one character per character so positions line up.
    return folded if len(folded) == 1 else ch.lower()[:1] or ch


def fold_text(text: str) -> str:
    """Case- and accent-folded `text`, exactly as long as `text`."""
    return "".join(_fold_char(ch) for ch in text)


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) spans of `text` matching a word of `query` at the start of a word, as the search matches
    (prefixes of words), accents and case ignored; overlapping spans merged, in order."""
    folded = fold_text(text)
    spans = []
    for word in {m.group() for m in _WORD.finditer(fold_text(query))}:
        for match in re.finditer(r"(?<!\w)" + re.escape(word), folded):
            spans.append((match.start(), match.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight_html(text: str, query: str) -> str:
    """`text` escaped for rich text, with the spans of `highlight_spans` in <b>."""
    parts, last = [], 0
    for start, end in highlight_spans(text, query):
        parts += [html.escape(text[last:start]), "<b>", html.escape(text[start:end]), "</b>"]
        last = end
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def _title_line(hit: SearchHit) -> str:
    # An account hit's title is the account name; the others say whose entry, number or note it is.
    return hit.title if hit.kind == "account" else f"{hit.title} · {hit.account_name}"


class SearchHitsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SearchHit | str] = []  # a str is a header row: the kind
        self._query = ""

    def set_hits(self, hits: Sequence[SearchHit], query: str) -> None:
        """Show `hits` (the service's order kept within a kind) for `query` (used for highlighting)."""
        rows: list[SearchHit | str] = []
        for kind in KIND_ORDER:
            of_kind = [hit for hit in hits if hit.kind == kind]
            if of_kind:
                rows += [kind, *of_kind]
        self.beginResetModel()
        self._rows, self._query = rows, query
        self.endResetModel()

    def hit_count(self) -> int:
        return sum(1 for row in self._rows if not isinstance(row, str))

    def hit_at(self, row: int) -> SearchHit | None:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return None if item is None or isinstance(item, str) else item

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], str):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if isinstance(item, str):
            return self._header_data(item, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{_title_line(item)}\n{item.detail}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{KIND_SINGULAR[item.kind]}: {_title_line(item)}. {item.detail}"
        if role == Qt.ItemDataRole.DecorationRole:
            return QApplication.style().standardIcon(_KIND_ICONS[item.kind])
        if role == HtmlRole:
            title = highlight_html(_title_line(item), self._query)
            return f"{title}<br><small>{highlight_html(item.detail, self._query)}</small>"
        if role == HitRole:
            return item
        if role == HeaderRole:
            return False
        return None

    @staticmethod
    def _header_data(kind: str, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return KIND_LABELS[kind]
        if role == HtmlRole:
            return f"<b>{html.escape(KIND_LABELS[kind])}</b>"
        if role == HeaderRole:
            return True
        return None
