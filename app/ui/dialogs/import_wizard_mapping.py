"""The import wizard's second page: each file's kind and column mapping, with a preview of its first rows."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.domain.enums import ImportKind
from app.services.importing.headers import REQUIRED
from app.services.importing.preview import kind_columns
from app.ui.dialogs.import_wizard import KIND_TITLES, ImportFile
from app.ui.formatting import plural
from app.ui.models.imports import PreviewModel
from app.ui.widgets.grid import make_grid

if TYPE_CHECKING:
    from app.ui.dialogs.import_wizard import ImportWizard

NOT_IMPORTED = "— not imported —"
UNMATCHED_TINT = QColor(255, 240, 200)
MISSING_STYLE = "color: #8a1c14; font-weight: bold;"


def column_label(canonical: str) -> str:
    return canonical.replace("_", " ")


class MappingPage(QWizardPage):
    """Step 2: per file, the kind and the mapping of file columns to the import's columns, with a preview of
    the first rows (invalid cells highlighted, each issue listed below)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("Check the columns")
        self.setSubTitle(
            "Each file column is matched to a column of the import; fix any that are wrong or not matched. "
            "The first 200 rows are checked as the import would check them."
        )
        self._filling = False  # while the page itself fills the combos, their signals are not user edits
        self._make_controls()
        self._layout()
        wizard.file_changed.connect(self._on_file_changed)

    def _make_controls(self) -> None:
        self.file_combo = QComboBox(self)
        self.file_combo.setAccessibleName("File")
        self.file_combo.currentIndexChanged.connect(self._show_current)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName("Kind of import")
        for kind in ImportKind:
            self.kind_combo.addItem(KIND_TITLES[kind], str(kind))
        self.kind_combo.activated.connect(self._on_kind_chosen)
        self.recognition_label = QLabel(self)
        self.recognition_label.setWordWrap(True)
        self.missing_label = QLabel(self)
        self.missing_label.setObjectName("import-missing-columns")
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet(MISSING_STYLE)
        self.mapping_table = QTableWidget(0, 3, self)
        self.mapping_table.setObjectName("import-mapping")
        self.mapping_table.setAccessibleName("Column mapping")
        self.mapping_table.setHorizontalHeaderLabels(["File column", "Imports as", "First value"])
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.setWordWrap(False)  # one line a column; the cell's tooltip has the rest
        self.mapping_table.setTabKeyNavigation(False)
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.mapping_table.setColumnWidth(0, 200)
        self.mapping_table.setColumnWidth(1, 210)
        # Rows as tall as a combo box, so the combo in each row is never squeezed.
        rows = self.mapping_table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.kind_combo.sizeHint().height() + 2)
        self.preview_model = PreviewModel(self)
        self.preview_table = make_grid(
            self, "import-preview", "Preview of the first rows", self.preview_model, stretch_last=False
        )
        self.preview_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.issue_list = QListWidget(self)
        self.issue_list.setObjectName("import-issues")
        self.issue_list.setAccessibleName("Problems found in the preview")
        self.issue_list.setWordWrap(True)
        self.issue_list.itemActivated.connect(self._go_to_issue)
        self.issue_label = QLabel(self)

    def _layout(self) -> None:
        form = QFormLayout()
        for text, buddy in (("&File:", self.file_combo), ("&Kind:", self.kind_combo)):
            label = QLabel(text, self)
            label.setBuddy(buddy)
            form.addRow(label, buddy)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.recognition_label)
        left_layout.addWidget(self.missing_label)
        left_layout.addWidget(self.mapping_table, 1)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.preview_table)
        issues = QWidget(self)
        issues_layout = QVBoxLayout(issues)
        issues_layout.setContentsMargins(0, 0, 0, 0)
        issues_layout.addWidget(self.issue_label)
        issues_layout.addWidget(self.issue_list, 1)
        right.addWidget(issues)
        right.setSizes([380, 160])
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("import-mapping-splitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([560, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        order = [self.file_combo, self.kind_combo, self.mapping_table, self.preview_table, self.issue_list]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # --- filling --------------------------------------------------------------------------------------------

    def initializePage(self) -> None:
        self._filling = True
        self.file_combo.clear()
        for item in self._wizard.files:
            self.file_combo.addItem(item.name)
        self.file_combo.setEnabled(len(self._wizard.files) > 1)
        self._filling = False
        self.file_combo.setCurrentIndex(0)
        self._show_current()

    def current_file(self) -> ImportFile | None:
        row = self.file_combo.currentIndex()
        files = self._wizard.files
        return files[row] if 0 <= row < len(files) else None

    def _on_file_changed(self, item: ImportFile) -> None:
        if item is self.current_file():
            self._show_current()
        self.completeChanged.emit()

    def _show_current(self, *_args: object) -> None:
        item = self.current_file()
        if self._filling or item is None or item.preview is None:
            return
        preview = item.preview
        self._filling = True
        kind = item.effective_kind
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(str(kind)) if kind else -1)
        self.recognition_label.setText(
            f"{item.name}: {preview.recognition_message}"
            if item.kind is None
            else f"{item.name}: kind chosen by hand"
        )
        self._fill_mapping(item)
        self._filling = False
        missing = preview.missing_required
        self.missing_label.setVisible(bool(missing) or kind is None)
        if kind is None:
            self.missing_label.setText("Choose the kind of import for this file.")
        elif missing:
            names = ", ".join(column_label(column) for column in missing)
            self.missing_label.setText(f"Required but missing: {names}. Pick the file column that holds it.")
        self.preview_model.set_preview(preview)
        self.preview_table.resizeColumnsToContents()
        self._fill_issues(item)

    def _fill_mapping(self, item: ImportFile) -> None:
        preview = item.preview
        assert preview is not None
        kind = item.effective_kind
        choices = kind_columns(kind) if kind else []
        headers = [text for text in preview.header if text.strip()]
        first_row = preview.rows[0].cells if preview.rows else []
        self.mapping_table.setRowCount(len(headers))
        for row, text in enumerate(headers):
            name_cell = QTableWidgetItem(text)
            self.mapping_table.setItem(row, 0, name_cell)
            combo = QComboBox(self.mapping_table)
            combo.setAccessibleName(f"Import file column {text} as")
            combo.addItem(NOT_IMPORTED, None)
            for canonical in choices:
                required = kind is not None and canonical in REQUIRED[kind]
                combo.addItem(f"{column_label(canonical)}{' (required)' if required else ''}", canonical)
            mapped = preview.mapping.get(text)
            combo.setCurrentIndex(max(combo.findData(mapped), 0) if mapped else 0)
            combo.setEnabled(kind is not None)
            combo.activated.connect(
                lambda _index, header=text, box=combo: self._on_column_chosen(header, box)
            )
            self.mapping_table.setCellWidget(row, 1, combo)
            index = preview.header.index(text)
            sample = QTableWidgetItem(first_row[index] if index < len(first_row) else "")
            sample.setToolTip(sample.text())
            self.mapping_table.setItem(row, 2, sample)
            tint = None if mapped else UNMATCHED_TINT
            for cell in (name_cell, sample):
                if tint is not None:
                    cell.setBackground(tint)
                    cell.setForeground(QColor(20, 20, 20))
                    cell.setToolTip("Not matched to any column of the import: this column is left out")

    def _fill_issues(self, item: ImportFile) -> None:
        preview = item.preview
        assert preview is not None
        self.issue_list.clear()
        issues = [*preview.header_issues, *(issue for row in preview.rows for issue in row.issues)]
        for issue in issues:
            where = "Header" if issue.row == 0 else f"Row {issue.row}"
            entry = QListWidgetItem(f"{where}, {column_label(issue.column)}: {issue.message}")
            icon = "SP_MessageBoxCritical" if issue.severity == "error" else "SP_MessageBoxWarning"
            entry.setIcon(self.style().standardIcon(getattr(self.style().StandardPixmap, icon)))
            entry.setData(Qt.ItemDataRole.UserRole, issue.row)
            self.issue_list.addItem(entry)
        errors = sum(1 for issue in issues if issue.severity == "error")
        warnings = len(issues) - errors
        shown = len(preview.rows)
        self.issue_label.setText(
            f"First {shown:,} rows: {plural(errors, 'error')}, {plural(warnings, 'warning')}"
            if issues
            else f"First {shown:,} rows: no problems found"
        )

    def _go_to_issue(self, entry: QListWidgetItem) -> None:
        """Enter or double click on an issue shows its row in the preview."""
        row_number = entry.data(Qt.ItemDataRole.UserRole)
        item = self.current_file()
        if item is None or item.preview is None:
            return
        for row, preview_row in enumerate(item.preview.rows):
            if preview_row.row == row_number:
                self.preview_table.scrollTo(self.preview_model.index(row, 0))
                self.preview_table.setCurrentIndex(self.preview_model.index(row, 0))

    # --- user edits -----------------------------------------------------------------------------------------

    def _on_kind_chosen(self, _index: int) -> None:
        item = self.current_file()
        if self._filling or item is None:
            return
        item.kind = ImportKind(self.kind_combo.currentData())
        item.overrides = {}  # columns mapped for another kind mean nothing for this one
        item.changed_by_user = True
        self._wizard.request_preview(item)

    def _on_column_chosen(self, header: str, combo: QComboBox) -> None:
        item = self.current_file()
        if self._filling or item is None:
            return
        item.kind = item.effective_kind  # the mapping belongs to the kind it was made for
        item.overrides[header] = combo.currentData()
        item.changed_by_user = True
        self._wizard.request_preview(item)

    def set_column(self, header: str, canonical: str | None) -> None:
        """Map a file column as the user would with its combo box (for tests and scripts)."""
        cells = [self.mapping_table.item(row, 0) for row in range(self.mapping_table.rowCount())]
        headers = [cell.text() if cell is not None else "" for cell in cells]
        combo = self.mapping_table.cellWidget(headers.index(header), 1)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(canonical) if canonical else 0)
        self._on_column_chosen(header, combo)

    def isComplete(self) -> bool:
        files = self._wizard.files
        return bool(files) and all(item.ready for item in files)

    def validatePage(self) -> bool:
        self._wizard.remember_mappings()
        return True
