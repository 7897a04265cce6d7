"""Reports: pick a report, its scope and format, and create it — PDFs open in the preview to print.

The form (reports_form.py) offers only what each report supports. Create… asks where to save (a folder for
one file per account; the last folder is remembered), then writes in the background with a progress bar and
Cancel (Esc). The writers use a temporary file renamed at the end, so a cancelled or failed report leaves
nothing behind. A single PDF opens in the preview (Print…, Save as…).

`preview_account_summary()` is Account › Print summary… (Ctrl+P): one account's summary in a temporary file,
straight into the preview.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.views import PortfolioRow
from app.services import reports as report_service
from app.services.accounts import list_portfolio
from app.services.progress import Cancelled
from app.ui.changes import ACCOUNTS
from app.ui.dialogs.pdf_preview import PdfPreviewDialog
from app.ui.formatting import plural
from app.ui.tasks import Task
from app.ui.views.base import MessageBar, Screen, ScreenContext, handle_task_error
from app.ui.views.reports_form import REPORTS, ReportForm

SCOPE = Qt.ShortcutContext.WidgetWithChildrenShortcut
FOLDER_KEY = "ui/reports/folder"  # where the last report went: the next one starts there
FILE_FILTERS = {"pdf": "PDF (*.pdf)", "xlsx": "Excel workbook (*.xlsx)"}


class ReportsView(Screen):
    key = "reports"
    title = "Reports"
    supports_saved_views = False

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._generation = 0
        self.task: Task | None = None  # the report being written
        self.preview: PdfPreviewDialog | None = None
        self.written: list[Path] = []  # the files of the last report
        self.message_bar = MessageBar(self)
        self.form = ReportForm(context.settings.preferences.report_marking, self)
        self._make_run_controls()
        self._make_actions()
        self._layout()
        context.changes.changed.connect(self._on_data_changed)

    def follow_preferences(self) -> None:
        """Edit › Preferences… saved: a new report marking reaches the form."""
        self.form.follow_default_marking(self.context.settings.preferences.report_marking)

    def _make_run_controls(self) -> None:
        self.create_button = QPushButton("&Create…", self)
        self.create_button.setAccessibleName("Create the report")
        self.create_button.setToolTip("Choose where to save it, then write it (Ctrl+Enter)")
        self.create_button.clicked.connect(self.create_report)
        self.cancel_button = QPushButton("Ca&ncel", self)
        self.cancel_button.setAccessibleName("Cancel the report")
        self.cancel_button.setToolTip("Stop writing the report; no file is left behind (Esc)")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("reports-progress")
        self.progress_bar.setAccessibleName("Report progress")
        self.progress_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("reports-status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _make_actions(self) -> None:
        self.create_action = QAction("Create report…", self)
        self.create_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.create_action.setShortcutContext(SCOPE)
        self.create_action.triggered.connect(self.create_report)
        self.cancel_action = QAction("Cancel report", self)
        self.cancel_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancel_action.setShortcutContext(SCOPE)
        self.cancel_action.setEnabled(False)
        self.cancel_action.triggered.connect(self.cancel)
        self.addActions([self.create_action, self.cancel_action])

    def _layout(self) -> None:
        run = QHBoxLayout()
        run.addWidget(self.create_button)
        run.addWidget(self.cancel_button)
        run.addWidget(self.progress_bar, 1)
        run.addStretch(1)  # the button keeps its size while no progress bar is shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.form)
        layout.addLayout(run)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        QWidget.setTabOrder(self.form.controls()[-1], self.create_button)
        QWidget.setTabOrder(self.create_button, self.cancel_button)

    # --- what the main window hands over --------------------------------------------------------------------

    def set_selection(self, account_ids: Sequence[Any]) -> None:
        """The accounts selected in the Portfolio."""
        self.form.set_selection(account_ids)

    def apply_filter(self, criteria: dict[str, Any]) -> None:
        """Opened from elsewhere: `account_ids` (the Portfolio's selection: their account summaries) or
        `account_id` (one account), and optionally `kind`."""
        if "account_ids" in criteria:
            self.form.set_kind("account")
            self.form.set_selection(list(criteria["account_ids"] or ()))
        if criteria.get("account_id"):
            self.form.select_account(uuid.UUID(str(criteria["account_id"])))
        if criteria.get("kind") in {kind.key for kind in REPORTS}:
            self.form.set_kind(str(criteria["kind"]))

    # --- loading the account picker -------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: list_portfolio(workspace),
            name="load report accounts",
            owner=self,
            on_result=lambda rows: self._on_loaded(generation, rows),
            on_error=lambda exc: self._on_load_failed(generation, exc),
        )

    def _on_loaded(self, generation: int, rows: list[PortfolioRow]) -> None:
        if generation == self._generation:
            self.form.set_accounts(rows)
            self.loaded.emit()

    def _on_load_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            handle_task_error(exc, self.message_bar)
            self.load_failed.emit(exc)

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if ACCOUNTS in kinds:  # a renamed or new account: the picker must offer it
            self.reload()

    # --- creating -------------------------------------------------------------------------------------------

    def last_folder(self) -> Path:
        value = self.context.settings.store.value(FOLDER_KEY)
        folder = Path(str(value)) if value else Path.home()
        return folder if folder.is_dir() else Path.home()

    def ask_output(self, request: report_service.ReportRequest) -> Path | None:
        """Where to write: a file, or a folder for one file per account; None when the user cancels."""
        if request.one_file_per_account:
            title = "Folder for the account summaries"
            chosen = QFileDialog.getExistingDirectory(self, title, str(self.last_folder()))
            return Path(chosen) if chosen else None
        start = str(self.last_folder() / self.form.default_file_name(request))
        chosen, _ = QFileDialog.getSaveFileName(self, "Save report", start, FILE_FILTERS[request.fmt])
        if not chosen:
            return None
        suffix = f".{request.fmt}"
        return Path(chosen) if chosen.lower().endswith(suffix) else Path(chosen + suffix)

    def create_report(self) -> None:
        """Create…: check the form, ask where, then write the report in the background."""
        if self.task is not None:
            return
        self.message_bar.clear_error()
        try:
            request = self.form.request()
        except ValidationError as exc:
            self.message_bar.show_error(str(exc))
            return
        out = self.ask_output(request)
        if out is not None:
            self.start(request, out)

    def start(self, request: report_service.ReportRequest, out: Path) -> Task:
        workspace = self.context.workspace
        folder = out if request.one_file_per_account else out.parent
        self.context.settings.store.setValue(FOLDER_KEY, str(folder))
        self.written = []
        self.status_label.setText("Writing the report…")
        self.progress_bar.setRange(0, 0)  # busy until the first progress report
        self.progress_bar.show()
        self.cancel_button.show()
        self.cancel_action.setEnabled(True)
        self.create_button.setEnabled(False)
        self.create_action.setEnabled(False)
        self.task = self.context.runner.run(
            lambda progress, cancel: report_service.write_report(
                workspace, request, out, progress=progress, cancel=cancel
            ),
            name="report",
            owner=self,
            on_result=self._on_written,
            on_error=self._on_failed,
            on_progress=self._on_progress,
        )
        task = self.task
        if task.done:  # a synchronous runner has already called back
            self.task = None
        return task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status_label.setText("Cancelling…")

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress_bar.setRange(0, max(total, 0))
        self.progress_bar.setValue(min(done, total) if total else 0)
        if message:
            self.status_label.setText(message)

    def _finish(self) -> None:
        self.task = None
        self.progress_bar.hide()
        self.cancel_button.hide()
        self.cancel_action.setEnabled(False)
        self.create_button.setEnabled(True)
        self.create_action.setEnabled(True)

    def _on_written(self, paths: list[Path]) -> None:
        self._finish()
        self.written = [Path(path) for path in paths]
        if len(self.written) == 1:
            self.status_label.setText(f"Saved {self.written[0]}")
        elif self.written:
            folder = self.written[0].parent
            self.status_label.setText(f"Saved {plural(len(self.written), 'file')} in {folder}")
        pdfs = [path for path in self.written if path.suffix.lower() == ".pdf"]
        if len(pdfs) == 1:  # one file per account: the folder has them; a preview each would be a flood
            self.show_preview(pdfs[0])

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, Cancelled):
            self.status_label.setText("Cancelled: no report was written.")
            return
        self.status_label.setText("")
        handle_task_error(exc, self.message_bar)

    def show_preview(self, path: Path) -> PdfPreviewDialog:
        if self.preview is not None:  # one preview at a time: the newest report replaces the last
            self.preview.close()
            self.preview.deleteLater()
        self.preview = PdfPreviewDialog(path, self)
        self.preview.show()
        return self.preview

    def summary(self) -> str:
        return plural(len(REPORTS), "report")


def preview_account_summary(
    context: ScreenContext,
    account_id: uuid.UUID,
    account_name: str,
    parent: QWidget,
    on_error: Callable[[BaseException], None],
) -> Task:
    """Write one account's summary to a temporary PDF in the background, then show it in the preview (which
    removes the file when closed: Save as… keeps a copy)."""
    folder = Path(tempfile.mkdtemp(prefix="ae-workbench-summary-"))
    out = folder / report_service.summary_file_name(account_name or "Account")
    marking = context.settings.preferences.report_marking
    request = report_service.ReportRequest(
        kind="account", fmt="pdf", account_ids=(account_id,), marking=marking
    )
    workspace = context.workspace

    def show(paths: list[Path]) -> None:
        dialog = PdfPreviewDialog(Path(paths[0]), parent, temporary=True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # Ctrl+P again makes a new one
        dialog.show()

    def fail(exc: BaseException) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        on_error(exc)

    return context.runner.run(
        lambda progress, cancel: report_service.write_report(
            workspace, request, out, progress=progress, cancel=cancel
        ),
        name="account summary",
        owner=parent,
        on_result=show,
        on_error=fail,
    )


__all__ = ["ReportsView", "preview_account_summary"]
