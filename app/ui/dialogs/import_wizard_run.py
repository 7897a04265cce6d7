"""The import wizard's last two pages: the dry run's summary, then the import itself with progress and Cancel.

Files are imported one after another in dependency order (accounts, entries, holds, compliance), each in its
own transaction: Cancel rolls back the file being imported; files finished before it stay imported (their
batches can be undone on the Imports screen).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.domain.enums import ImportKind
from app.domain.errors import UserError
from app.services.importing.results import ImportResult
from app.services.importing.run import FileSpec, dry_run_files, import_file
from app.services.progress import Cancelled, CancelToken, Progress
from app.ui import changes
from app.ui.dialogs.import_wizard import KIND_TITLES, ImportFile, ordered

if TYPE_CHECKING:
    from app.ui.dialogs.import_wizard import ImportWizard

ISSUES_SHOWN = 200
DRY_RUN_HEADINGS = (
    "File", "Kind", "Rows", "Would insert", "Would update", "Unchanged", "Errors", "Warnings",
    "Accounts to create",
)  # fmt: skip
RESULT_HEADINGS = (
    "File", "Kind", "Rows", "Inserted", "Updated", "Unchanged", "Skipped", "Errors", "Accounts created",
    "Batch",
)  # fmt: skip
# What each kind of import may change, for the views that show it (accounts: an entries file creates one
# for an unknown importer number).
CHANGED_KINDS = {
    ImportKind.ACCOUNTS: {changes.ACCOUNTS},
    ImportKind.ENTRIES: {changes.TRADE, changes.ACCOUNTS},
    ImportKind.HOLDS: {changes.TRADE},
    ImportKind.COMPLIANCE: {changes.COMPLIANCE},
}


def _counts_table(parent: QWizardPage, name: str, headings: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headings), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headings))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill_counts(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if column >= 2:  # the counts: numbers line up on the right
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)
    table.resizeColumnsToContents()


def _issue_lines(result: ImportResult) -> list[str]:
    lines = []
    for issue in [*result.errors, *result.warnings][:ISSUES_SHOWN]:
        where = "header" if issue.row == 0 else f"row {issue.row}"
        column = issue.column.replace("_", " ")
        lines.append(f"{result.file}, {where}, {column}: {issue.message} ({issue.severity})")
    return lines


class DryRunPage(QWizardPage):
    """Step 3: every file checked in full without writing; counts of what the import would do."""

    HEADINGS = DRY_RUN_HEADINGS

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.results: list[ImportResult] = []
        self._generation = 0
        self._done = False
        self.setTitle("Dry run")
        self.setSubTitle("Every row checked; nothing has been written yet.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.status_label = QLabel("Checking…", self)
        self.status_label.setWordWrap(True)
        self.counts_table = _counts_table(self, "import-dry-run", self.HEADINGS)
        self.counts_table.setAccessibleName("What the import would do")
        self.skip_invalid_check = QCheckBox("&Skip invalid rows (import the valid ones, list the rest)", self)
        self.skip_invalid_check.setAccessibleName("Skip invalid rows")
        self.skip_invalid_check.toggled.connect(self.completeChanged)
        self.skip_invalid_check.toggled.connect(self._show_status)
        self.issue_list = QListWidget(self)
        self.issue_list.setAccessibleName("Problems found by the dry run")
        note = QLabel(
            "Files are tried in the order they will be imported (accounts, entries, holds, compliance): "
            "each one sees the rows of the files before it, as if those had been imported.",
            self,
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.counts_table, 1)
        layout.addWidget(self.skip_invalid_check)
        layout.addWidget(self.issue_list, 1)
        layout.addWidget(note)

    def initializePage(self) -> None:
        self._generation += 1
        generation = self._generation
        self._done = False
        self.results = []
        self.counts_table.setRowCount(0)
        self.issue_list.clear()
        self.status_label.setText("Checking every row…")
        workspace = self._wizard.context.workspace
        files = ordered(self._wizard.files)

        def work(progress: Progress, cancel: CancelToken) -> list[ImportResult]:
            specs = [FileSpec(item.path, item.effective_kind, None, item.overrides or None) for item in files]
            return dry_run_files(workspace, specs, progress=progress, cancel=cancel)

        self._wizard.context.runner.run(
            work,
            name="import dry run",
            owner=self,
            on_result=lambda results: self._on_results(generation, results),
            on_error=lambda exc: self._on_failed(generation, exc),
            on_progress=lambda _done, _total, message: self.status_label.setText(message),
        )
        self.completeChanged.emit()

    def _on_results(self, generation: int, results: list[ImportResult]) -> None:
        if generation != self._generation:
            return
        self.results, self._done = results, True
        rows = [
            [r.file, KIND_TITLES[ImportKind(r.kind)], f"{r.rows:,}", f"{r.inserted:,}", f"{r.updated:,}",
             f"{r.unchanged:,}", f"{r.error_count:,}", f"{r.warning_count:,}", f"{r.accounts_created:,}"]
            for r in results
        ]  # fmt: skip
        _fill_counts(self.counts_table, rows)
        for result in results:
            self.issue_list.addItems(_issue_lines(result))
        self._show_status()
        self.completeChanged.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, UserError):
            self.status_label.setText(f"The dry run stopped: {exc}")
        elif not isinstance(exc, Cancelled):  # a bug: the crash dialog, as for any task
            self.status_label.setText("The dry run failed.")
            sys.excepthook(type(exc), exc, exc.__traceback__)

    @property
    def error_count(self) -> int:
        return sum(result.error_count for result in self.results)

    def _show_status(self, *_args: object) -> None:
        if not self._done:
            return
        errors = self.error_count
        if not errors:
            text = "No errors: ready to import. Nothing has been written yet."
        elif self.skip_invalid_check.isChecked():
            text = f"{errors:,} rows with errors will be left out, listed, and written to an error workbook."
        else:
            text = (
                f"{errors:,} errors: a file with any error imports nothing. Fix the file and start again, or "
                "tick “Skip invalid rows” to import its valid rows."
            )
        if errors and len(self.results) > 1:
            text += " Entries or accounts missing from the database are fine if a file above brings them."
        self.status_label.setText(text)

    def isComplete(self) -> bool:
        # Errors do not block: a file that needs another file's entries or accounts (imported first) may only
        # look wrong here, and a file that is wrong is refused as a whole by the import itself.
        return self._done


class ImportPage(QWizardPage):
    """Step 4: the import, with a progress bar and Cancel; then what each file did."""

    HEADINGS = RESULT_HEADINGS
    progressed = Signal(int, int, str)  # done, total, message, as they reach the GUI thread

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.running = False
        self._done = False
        self._token: CancelToken | None = None
        self.results: list[ImportResult] = []
        self.setTitle("Import")
        self.setSubTitle(
            "Each file is imported in one transaction: Cancel rolls back the file being imported."
        )
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName("Import progress")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("import-status")
        self.status_label.setWordWrap(True)
        self.cancel_button = QPushButton("&Cancel import", self)
        self.cancel_button.setAccessibleName("Cancel the import")
        self.cancel_button.clicked.connect(self.cancel_import)
        self.counts_table = _counts_table(self, "import-results", self.HEADINGS)
        self.counts_table.setAccessibleName("What the import did")
        self.workbook_label = QLabel(self)
        self.workbook_label.setWordWrap(True)
        self.open_folder_button = QPushButton("&Open folder", self)
        self.open_folder_button.setAccessibleName("Open the folder of the error workbook")
        self.open_folder_button.clicked.connect(self.open_workbook_folder)
        self.issue_list = QListWidget(self)
        self.issue_list.setAccessibleName("Rows not imported")
        top = QHBoxLayout()
        top.addWidget(self.progress_bar, 1)
        top.addWidget(self.cancel_button)
        workbook = QHBoxLayout()
        workbook.addWidget(self.workbook_label, 1)
        workbook.addWidget(self.open_folder_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.counts_table, 1)
        layout.addLayout(workbook)
        layout.addWidget(self.issue_list, 1)

    @property
    def workbooks(self) -> list[Path]:
        return [result.error_workbook for result in self.results if result.error_workbook is not None]

    def initializePage(self) -> None:
        self.running, self._done, self._token = True, False, None
        self.results = []
        self.progress_bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.counts_table.setRowCount(0)
        self.issue_list.clear()
        self._show_workbooks()
        self.status_label.setText("Importing…")
        workspace = self._wizard.context.workspace
        files = ordered(self._wizard.files)
        skip_invalid = self._wizard.dry_run_page.skip_invalid_check.isChecked()
        finished = self.results  # filled as files finish, so a cancel still knows what was written

        def work(progress: Progress, cancel: CancelToken) -> list[ImportResult]:
            self._token = cancel
            for item in files:
                if cancel.cancelled:
                    raise Cancelled()
                finished.append(self._import_one(workspace, item, skip_invalid, progress, cancel))
            return finished

        self._wizard.context.runner.run(
            work,
            name="import files",
            write=True,
            owner=self,
            on_result=lambda _results: self._on_finished(None),
            on_error=self._on_finished,
            on_progress=self._on_progress,
        )

    @staticmethod
    def _import_one(
        workspace: Any, item: ImportFile, skip_invalid: bool, progress: Progress, cancel: CancelToken
    ) -> ImportResult:
        return import_file(
            workspace,
            item.path,
            kind=item.effective_kind,
            mapping=item.overrides or None,
            skip_invalid=skip_invalid,
            progress=progress,
            cancel=cancel,
        )

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
        if message and not (self._token is not None and self._token.cancelled):
            self.status_label.setText(message)
        self.progressed.emit(done, total, message)

    def cancel_import(self) -> None:
        if self.running and self._token is not None:
            self._token.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Cancelling… (the file being imported is rolled back)")

    def _on_finished(self, exc: BaseException | None) -> None:
        self.running, self._done = False, True
        self.cancel_button.hide()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        written = [result for result in self.results if result.written]
        kinds: set[str] = set()
        for result in written:
            kinds |= CHANGED_KINDS[ImportKind(result.kind)]
        if kinds:
            self._wizard.context.changes.announce(kinds)
        self._show_results()
        self.status_label.setText(self._summary(exc))
        if exc is not None and not isinstance(exc, (Cancelled, UserError)):
            sys.excepthook(type(exc), exc, exc.__traceback__)
        self.completeChanged.emit()

    def _summary(self, exc: BaseException | None) -> str:
        done = ", ".join(result.file for result in self.results if result.written)
        before = f" Imported before it: {done}." if done else ""
        current = ordered(self._wizard.files)[len(self.results)].name if exc is not None else ""
        if isinstance(exc, Cancelled):
            return f"Import cancelled: nothing from {current} was written (rolled back).{before}"
        if exc is not None:
            return f"The import of {current} stopped, nothing from it was written: {exc}{before}"
        if any(not result.written for result in self.results):
            return "Files with errors were not imported (nothing written from them); see the rows below."
        skipped = sum(result.skipped for result in self.results)
        left_out = f"; {skipped:,} invalid rows left out (listed below)" if skipped else ""
        return f"Imported {len(self.results)} file{'s' if len(self.results) != 1 else ''}{left_out}."

    def _show_results(self) -> None:
        rows = [
            [r.file, KIND_TITLES[ImportKind(r.kind)], f"{r.rows:,}", f"{r.inserted:,}", f"{r.updated:,}",
             f"{r.unchanged:,}", f"{r.skipped:,}", f"{r.error_count:,}", f"{r.accounts_created:,}",
             (r.batch_id or "") if r.written else "not written"]
            for r in self.results
        ]  # fmt: skip
        _fill_counts(self.counts_table, rows)
        for result in self.results:
            self.issue_list.addItems(_issue_lines(result))
        self._show_workbooks()

    def _show_workbooks(self) -> None:
        workbooks = self.workbooks
        self.workbook_label.setText(
            "Rejected rows, with an Error column, are in: " + "; ".join(str(path) for path in workbooks)
            if workbooks
            else ""
        )
        self.workbook_label.setVisible(bool(workbooks))
        self.open_folder_button.setVisible(bool(workbooks))

    def open_workbook_folder(self) -> None:
        if self.workbooks:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.workbooks[0].parent)))

    def isComplete(self) -> bool:
        return self._done
