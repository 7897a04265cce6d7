"""What the grids' models share about their columns: key, heading, tooltip, and how a header shows them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import Qt


class HasHeading(Protocol):
    @property
    def heading(self) -> str: ...

    @property
    def tooltip(self) -> str: ...


@dataclass(frozen=True)
class Column:
    key: str  # stable: saved views, header state, the service's sort key where the grid sorts in SQL
    heading: str
    tooltip: str
    numeric: bool = False  # right-aligned


def column_header(columns: Sequence[HasHeading], section: int, orientation: Qt.Orientation, role: int) -> Any:
    """`headerData()` for a grid of `columns`: the heading, and the tooltip that explains it."""
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(columns):
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return columns[section].heading
    if role == Qt.ItemDataRole.ToolTipRole:
        return columns[section].tooltip
    return None
