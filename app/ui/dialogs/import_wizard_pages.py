"""The import wizard's first page: choosing the files (button or drag and drop), each with its kind."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.services.importing.readers import CSV_SUFFIXES, WORKBOOK_SUFFIXES
from app.ui.dialogs.import_wizard import KIND_TITLES, ImportFile

if TYPE_CHECKING:
    from app.ui.dialogs.import_wizard import ImportWizard

IMPORTABLE = tuple(sorted({*CSV_SUFFIXES, *WORKBOOK_SUFFIXES}))


class FilesPage(QWizardPage):
    """Step 1: the files, added with the button or dropped on the page, each with its recognised kind."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("Choose the files to import")
        self.setSubTitle(
            "CSV or Excel extracts: accounts roster, entry summary lines, holds, compliance events. Add them "
            "with the button or drop them here; they are imported accounts first, then entries, holds and "
            "compliance."
        )
        self.setAcceptDrops(True)
        self.file_table = QTableWidget(0, 2, self)
        self.file_table.setObjectName("import-files")
        self.file_table.setAccessibleName("Files to import")
        self.file_table.setHorizontalHeaderLabels(["File", "Kind"])
        self.file_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.file_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.file_table.setTabKeyNavigation(False)
        self.file_table.verticalHeader().hide()
        self.file_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.file_table.horizontalHeader().setStretchLastSection(True)
        self.file_table.setColumnWidth(0, 360)
        self.file_table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton("&Add files…", self)
        self.add_button.setAccessibleName("Add files to import")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.setAccessibleName("Remove the selected file")
        self.remove_button.setToolTip("Remove the selected file from the list (Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        self._delete = QShortcut(QKeySequence.StandardKey.Delete, self.file_table, self.remove_selected)
        self._delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        hint = QLabel("Drop CSV or XLSX files anywhere on this page.", self)
        hint.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.file_table, 1)
        QWidget.setTabOrder(self.add_button, self.remove_button)
        QWidget.setTabOrder(self.remove_button, self.file_table)
        wizard.file_changed.connect(self._show_file)
        self._update_buttons()

    # --- adding and removing --------------------------------------------------------------------------------

    def choose_files(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in IMPORTABLE)
        paths, _filter = QFileDialog.getOpenFileNames(
            self, "Import files", "", f"Extracts ({patterns});;All files (*)"
        )
        self.add_paths([Path(path) for path in paths])

    def add_paths(self, paths: list[Path]) -> None:
        known = {item.path.resolve() for item in self._wizard.files}
        for path in paths:
            if path.resolve() in known:
                continue  # dropping a file twice does not import it twice
            known.add(path.resolve())
            item = ImportFile(path)
            self._wizard.files.append(item)
            row = self.file_table.rowCount()
            self.file_table.insertRow(row)
            name_cell = QTableWidgetItem(item.name)
            name_cell.setToolTip(str(path))
            self.file_table.setItem(row, 0, name_cell)
            self.file_table.setItem(row, 1, QTableWidgetItem("Reading…"))
            self._wizard.request_preview(item)
        self.completeChanged.emit()
        self._update_buttons()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.file_table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.file_table.removeRow(row)
            del self._wizard.files[row]
        self.completeChanged.emit()
        self._update_buttons()

    def _show_file(self, item: ImportFile) -> None:
        if item not in self._wizard.files:
            return
        row = self._wizard.files.index(item)
        kind = item.effective_kind
        if item.error:
            text = f"Cannot be read: {item.error}"
        elif kind is None:
            text = "Kind not recognised: choose it on the next page"
        else:
            text = KIND_TITLES[kind]
        cell = self.file_table.item(row, 1)
        if cell is None:
            return
        cell.setText(text)
        cell.setToolTip(item.error or (item.preview.recognition_message if item.preview else ""))
        cell.setForeground(QColor(138, 28, 20) if item.error else self.palette().text().color())
        self.completeChanged.emit()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.file_table.selectedIndexes()))

    # --- drag and drop --------------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        self.add_paths([path for path in paths if path.is_file()])
        event.acceptProposedAction()

    def isComplete(self) -> bool:
        files = self._wizard.files
        return bool(files) and all(item.preview is not None and not item.error for item in files)
