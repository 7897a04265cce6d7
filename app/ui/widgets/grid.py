"""The one way the workbench sets up a read-only grid, so every table looks and behaves alike.

Whole rows are selected, cells are not edited in place, rows are dense (an AE scans hundreds of them) and of
a fixed height (a paged model is then never asked the size of rows off screen, which would read every page),
headings are left-aligned like the text under them, columns can be resized, and Tab leaves the grid for the
next control instead of walking its cells.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

ROW_PADDING = 8  # pixels above and below a line of text


def make_grid(
    parent: QWidget,
    name: str,
    accessible_name: str,
    model: QAbstractItemModel,
    *,
    multi_select: bool = False,
    movable_columns: bool = True,
    stretch_last: bool = True,
) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi_select
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)  # one line a row; a cell's tooltip has the whole text
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + ROW_PADDING)
    header = table.horizontalHeader()
    header.setSectionsMovable(movable_columns)
    header.setHighlightSections(False)
    header.setStretchLastSection(stretch_last)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table
