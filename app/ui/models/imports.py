"""The import grids: stored batches (the Imports screen) and a file's first rows (the import wizard).

`BatchesModel` holds the batches `list_batches` returns, newest first; there is one per imported file, so
they stay few and live in memory. `PreviewModel` shows a `FilePreview`: a "Row" column with the file row
number, then every file column as written; a cell with an issue is tinted (red for an error, amber for a
warning), carries the matching icon and explains itself in its tooltip. Issues about a column the file lacks
land on the "Row" cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QStyle

from app.domain.import_rows import Issue
from app.services.importing.preview import FilePreview
from app.services.importing.results import BatchSummary
from app.ui import formatting as fmt
from app.ui.models.columns import Column, column_header

Index = QModelIndex | QPersistentModelIndex

BATCH_ROLE = Qt.ItemDataRole.UserRole + 1
ISSUES_ROLE = Qt.ItemDataRole.UserRole + 2  # PreviewModel: the cell's issues (a list, maybe empty)

MUTED = QColor(120, 120, 120)
ERROR_TINT = QColor(253, 220, 218)
WARNING_TINT = QColor(255, 240, 200)
ISSUE_TEXT = QColor(20, 20, 20)  # dark on the light tints, in every theme

KIND_LABELS = {"accounts": "Accounts", "entries": "Entries", "holds": "Holds", "compliance": "Compliance"}

BATCH_COLUMNS: tuple[Column, ...] = (
    Column("imported_at", "When", "When the file was imported (local time)"),
    Column("imported_by", "Who", "Who imported it"),
    Column("kind", "Kind", "Accounts roster, entry summary lines, holds or compliance events"),
    Column("source_name", "File", "The imported file's name"),
    Column("rows", "Rows", "Data rows read from the file", numeric=True),
    Column("inserted", "Inserted", "Records the import added", numeric=True),
    Column("updated", "Updated", "Records the import changed", numeric=True),
    Column("unchanged", "Unchanged", "Rows that matched what the database already held", numeric=True),
    Column("skipped", "Skipped", "Invalid rows left out (imported with “skip invalid rows”)", numeric=True),
    Column("accounts_created", "Accounts created", "Accounts created for new importer numbers", numeric=True),
    Column("state", "State", "Imported, or undone (and when)"),
)


def batch_texts(batch: BatchSummary) -> tuple[str, ...]:
    state = f"Undone {fmt.fmt_datetime(fmt.utc_to_local(batch.undone_at))}" if batch.undone_at else "Imported"
    return (
        fmt.fmt_datetime(fmt.utc_to_local(batch.imported_at)),
        batch.imported_by,
        fmt.label(KIND_LABELS, str(batch.kind)),
        batch.source_name,
        fmt.fmt_int(batch.rows),
        fmt.fmt_int(batch.inserted),
        fmt.fmt_int(batch.updated),
        fmt.fmt_int(batch.unchanged),
        fmt.fmt_int(batch.skipped),
        fmt.fmt_int(batch.accounts_created),
        state,
    )


class BatchesModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._batches: list[BatchSummary] = []
        self._texts: list[tuple[str, ...]] = []

    def set_rows(self, batches: Sequence[BatchSummary]) -> None:
        self.beginResetModel()
        self._batches = list(batches)
        self._texts = [batch_texts(batch) for batch in self._batches]
        self.endResetModel()

    def batch_at(self, row: int) -> BatchSummary:
        return self._batches[row]

    def row_of(self, batch_id: str) -> int | None:
        return next((row for row, batch in enumerate(self._batches) if batch.id == batch_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._batches)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(BATCH_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._batches):
            return None
        batch = self._batches[index.row()]
        column = BATCH_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == BATCH_ROLE:
            return batch
        if role == Qt.ItemDataRole.ForegroundRole and batch.undone:
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.key in ("source_name", "state"):
            return f"{batch.source_name}\nBatch {batch.id}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        return column_header(BATCH_COLUMNS, section, orientation, role)


class PreviewModel(QAbstractTableModel):
    """The first rows of a file, issues highlighted (see the module docstring)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._preview: FilePreview | None = None
        self._headings: list[str] = []
        # (row, model column) -> the issues shown on that cell
        self._cell_issues: dict[tuple[int, int], list[Issue]] = {}

    def set_preview(self, preview: FilePreview | None) -> None:
        self.beginResetModel()
        self._preview = preview
        self._headings = ["Row", *(preview.header if preview else [])]
        self._cell_issues = {}
        for row, preview_row in enumerate(preview.rows if preview else []):
            for issue in preview_row.issues:
                file_column = preview.column_index(issue.column) if preview else None
                column = 0 if file_column is None else file_column + 1
                self._cell_issues.setdefault((row, column), []).append(issue)
        self.endResetModel()

    def cell_issues(self, row: int, column: int) -> list[Issue]:
        return list(self._cell_issues.get((row, column), []))

    def rows_with_errors(self) -> int:
        if self._preview is None:
            return 0
        return sum(1 for row in self._preview.rows if any(i.severity == "error" for i in row.issues))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._preview is None:
            return 0
        return len(self._preview.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._preview is None else len(self._headings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        preview = self._preview
        if preview is None or not index.isValid() or not 0 <= index.row() < len(preview.rows):
            return None
        preview_row = preview.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return str(preview_row.row) if column == 0 else preview_row.cells[column - 1]
        issues = self._cell_issues.get((index.row(), column))
        if role == ISSUES_ROLE:
            return list(issues or [])
        if not issues:
            return None
        is_error = any(issue.severity == "error" for issue in issues)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(ERROR_TINT if is_error else WARNING_TINT)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(ISSUE_TEXT)
        if role == Qt.ItemDataRole.DecorationRole:
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if is_error
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            return QApplication.style().standardIcon(icon)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(f"{issue.severity.capitalize()}: {issue.message}" for issue in issues)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headings):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headings[section]
        if role == Qt.ItemDataRole.ToolTipRole and self._preview is not None and section > 0:
            canonical = self._preview.mapping.get(self._headings[section])
            return f"Imported as {canonical}" if canonical else "Not imported"
        return None
