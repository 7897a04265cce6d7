"""File › Make trip pack… and File › Open trip pack…

`TripPackDialog` collects the accounts (the Portfolio's selection checked when there is one), the trip date,
the folder and the passphrase (twice), then runs `services.trip_pack.make_trip_pack` on the TaskRunner with
progress and Cancel, and says where the folder is. `open_trip_pack(window)` asks for a `.aewpack` file and its
passphrase and opens it read-only in a window of its own; edits there fail in the store, and the screens show
its message in their usual error bar.
"""

from __future__ import annotations

import itertools
import sys
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.views import PortfolioRow
from app.services.accounts import list_portfolio
from app.services.progress import Cancelled
from app.services.sealed import MIN_PASSPHRASE, PACK_SUFFIX
from app.services.trip_pack import TripPackResult, make_trip_pack
from app.services.workspace import TRIP_PACK_LABEL, Workspace
from app.ui.formatting import plural
from app.ui.tasks import Task
from app.ui.views.base import MessageBar, ScreenContext, handle_task_error

if TYPE_CHECKING:
    from app.ui.mainwindow import MainWindow

FOLDER_KEY = "trip_pack/folder"
DAYS_AHEAD = 7  # the trip date starts a week out: packs are made before the trip


class TripPackDialog(QDialog):
    made = Signal(object)  # the TripPackResult, once the folder is in place

    def __init__(
        self,
        context: ScreenContext,
        selected: Sequence[uuid.UUID] = (),
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.selected = set(selected)
        self.task: Task | None = None
        self.result_value: TripPackResult | None = None
        self.setObjectName("trip-pack-dialog")
        self.setWindowTitle("Make trip pack")
        self._make_widgets(today or date.today())
        self._layout()
        self.update_state()
        self.load_accounts()

    # --- building -------------------------------------------------------------------------------------------

    def _make_widgets(self, today: date) -> None:
        self.message_bar = MessageBar(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setAccessibleName("Filter accounts")
        self.filter_edit.setPlaceholderText("Filter by name or importer number")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.account_list = QListWidget(self)
        self.account_list.setAccessibleName("Accounts for the trip")
        self.account_list.itemChanged.connect(self.update_state)
        self.count_label = QLabel(self)
        self.date_edit = QDateEdit(self)
        self.date_edit.setAccessibleName("Trip date")
        self.date_edit.setCalendarPopup(True)
        trip = today + timedelta(days=DAYS_AHEAD)
        self.date_edit.setDate(QDate(trip.year, trip.month, trip.day))
        self.date_edit.setDisplayFormat("MM/dd/yyyy")  # as every date the workbench shows
        self.folder_edit = QLineEdit(self._last_folder(), self)
        self.folder_edit.setAccessibleName("Folder to put the trip folder in")
        self.folder_edit.textChanged.connect(self.update_state)
        self.browse_button = QPushButton("&Browse…", self)
        self.browse_button.setAccessibleName("Choose the folder")
        self.browse_button.clicked.connect(self.choose_folder)
        self.passphrase_edit = self._password_field("Passphrase")
        self.repeat_edit = self._password_field("Passphrase again")
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("trip-pack-hint")
        self.hint_label.setWordWrap(True)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName("Trip pack progress")
        self.progress_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.make_button = QPushButton("&Make pack", self)
        self.make_button.setAccessibleName("Make the trip pack")
        self.make_button.setDefault(True)
        self.make_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.clicked.connect(self.cancel)

    def _password_field(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.textChanged.connect(self.update_state)
        return edit

    def _layout(self) -> None:
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow("Trip &date:", self.date_edit)
        form.addRow("&Folder:", folder_row)
        form.addRow("&Passphrase:", self.passphrase_edit)
        form.addRow("&Again:", self.repeat_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.make_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        accounts_label = QLabel("A&ccounts:", self)
        accounts_label.setBuddy(self.account_list)
        layout.addWidget(accounts_label)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.account_list, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(form)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        order = [self.filter_edit, self.account_list, self.date_edit, self.folder_edit, self.browse_button]
        order += [self.passphrase_edit, self.repeat_edit, self.make_button, self.cancel_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self.resize(560, 620)

    # --- the accounts ---------------------------------------------------------------------------------------

    def load_accounts(self) -> None:
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: list_portfolio(workspace),
            name="trip pack accounts",
            owner=self,
            on_result=self._on_accounts,
            on_error=lambda exc: handle_task_error(exc, self.message_bar),
        )

    def _on_accounts(self, rows: list[PortfolioRow]) -> None:
        self.account_list.blockSignals(True)
        self.account_list.clear()
        for row in rows:
            number = f" ({row.primary_importer_number})" if row.primary_importer_number else ""
            item = QListWidgetItem(f"{row.name}{number}", self.account_list)
            item.setData(Qt.ItemDataRole.UserRole, row.account_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = row.account_id in self.selected
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.account_list.blockSignals(False)
        self._apply_filter(self.filter_edit.text())
        self.update_state()

    def _apply_filter(self, text: str) -> None:
        words = text.casefold().split()
        for row in range(self.account_list.count()):
            item = self.account_list.item(row)
            label = item.text().casefold()
            item.setHidden(not all(word in label for word in words))

    def set_checked(self, account_ids: Sequence[uuid.UUID]) -> None:
        wanted = set(account_ids)
        for row in range(self.account_list.count()):
            item = self.account_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_accounts(self) -> list[uuid.UUID]:
        items = (self.account_list.item(row) for row in range(self.account_list.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    # --- the form -------------------------------------------------------------------------------------------

    def _last_folder(self) -> str:
        value = self.context.settings.store.value(FOLDER_KEY)
        folder = Path(str(value)) if value else Path.home()
        return str(folder if folder.is_dir() else Path.home())

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder for the trip pack", self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    def trip_date(self) -> date:
        value = self.date_edit.date()
        return date(value.year(), value.month(), value.day())

    def problem(self) -> str:
        """What still stops the pack from being made, for a person; "" when the form is complete."""
        if not self.checked_accounts():
            return "Tick at least one account."
        if not self.folder_edit.text().strip():
            return "Choose the folder to put the trip folder in."
        passphrase = self.passphrase_edit.text()
        if len(passphrase) < MIN_PASSPHRASE:
            return f"The passphrase needs at least {MIN_PASSPHRASE} characters."
        if passphrase != self.repeat_edit.text():
            return "The two passphrases do not match."
        return ""

    def update_state(self, *_args: Any) -> None:
        count = len(self.checked_accounts())
        self.count_label.setText(f"{plural(count, 'account')} ticked")
        problem = self.problem()
        folder = Path(self.folder_edit.text().strip() or ".") / f"Trip {self.trip_date().isoformat()}"
        self.hint_label.setText(problem or f"The pack will be written to {folder}")
        self.make_button.setEnabled(not problem and self.task is None)

    # --- making the pack ------------------------------------------------------------------------------------

    def start(self) -> Task | None:
        if self.task is not None or self.problem():
            return None
        self.message_bar.clear_error()
        workspace, accounts, trip = self.context.workspace, self.checked_accounts(), self.trip_date()
        parent, passphrase = Path(self.folder_edit.text().strip()), self.passphrase_edit.text()
        self.context.settings.store.setValue(FOLDER_KEY, str(parent))
        self.status_label.setText("Making the trip pack…")
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.task = self.context.runner.run(
            lambda progress, cancel: make_trip_pack(
                workspace, accounts, trip, parent, passphrase, progress=progress, cancel=cancel
            ),
            name="trip pack",
            owner=self,
            on_result=self._on_made,
            on_error=self._on_failed,
            on_progress=self._on_progress,
        )
        task = self.task
        if task.done:  # a synchronous runner has already called back
            self.task = None
        self.update_state()
        return task

    def cancel(self) -> None:
        """Cancel the running pack (nothing is left behind), or close the dialog when none runs."""
        if self.task is not None:
            self.task.cancel()
            self.status_label.setText("Cancelling…")
            return
        self.reject()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress_bar.setRange(0, max(total, 0))
        self.progress_bar.setValue(min(done, total) if total else 0)
        if message:
            self.status_label.setText(message)

    def _finish(self) -> None:
        self.task = None
        self.progress_bar.hide()
        self.update_state()

    def _on_made(self, result: TripPackResult) -> None:
        self._finish()
        self.result_value = result
        self.status_label.setText(
            f"The trip pack for {plural(result.accounts, 'account')} is in {result.folder}"
        )
        self.cancel_button.setText("Close")
        self.made.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, Cancelled):
            self.status_label.setText("Cancelled: nothing was written.")
            return
        self.status_label.setText("")
        handle_task_error(exc, self.message_bar)


def open_make_dialog(window: MainWindow) -> TripPackDialog:
    """File › Make trip pack…: the Portfolio's selection checked, when the Portfolio has been shown."""
    selected: list[uuid.UUID] = []
    if window.has_shown("portfolio"):
        portfolio: Any = window.screen_for("portfolio")
        selected = [uuid.UUID(str(value)) for value in portfolio.selected_account_ids()]
    dialog = TripPackDialog(window.context, selected, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_trip_pack(window: MainWindow, path: Path | None = None, passphrase: str | None = None) -> None:
    """File › Open trip pack…: ask for the file and the passphrase, then open it read-only in a new window."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            window, "Open trip pack", str(Path.home()), f"Trip packs (*{PACK_SUFFIX})"
        )
        if not chosen:
            return
        path = Path(chosen)
    if passphrase is None:
        text, ok = QInputDialog.getText(
            window, "Open trip pack", f"Passphrase for {path.name}:", QLineEdit.EchoMode.Password
        )
        if not ok:
            return
        passphrase = text
    window.context.runner.run(
        lambda _progress, _cancel: Workspace.open_trip_pack(path, passphrase),
        name="open trip pack",
        owner=window,
        on_result=partial(_show_pack, window),
        on_error=lambda exc: _report_open_error(window, exc),
    )


def show_trip_pack_window(window: MainWindow, workspace: Workspace) -> MainWindow:
    """A second main window over the pack; closing it closes the pack (its memory is freed)."""
    from app.ui.mainwindow import MainWindow  # the window class imports this module's menu wiring

    context = ScreenContext(workspace, window.context.runner, window.context.settings)
    pack_window = MainWindow(context, window)
    pack_window.setObjectName("trip-pack-window")
    pack_window.setWindowTitle(f"{workspace.name} — {TRIP_PACK_LABEL}")
    pack_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    pack_window.destroyed.connect(lambda *_args: workspace.close())
    pack_window.show()
    return pack_window


def _show_pack(window: MainWindow, workspace: Workspace) -> None:
    show_trip_pack_window(window, workspace)


def _report_open_error(window: QWidget, exc: BaseException) -> None:
    if isinstance(exc, UserError):
        QMessageBox.warning(window, "Open trip pack", f"The trip pack could not be opened: {exc}")
        return
    sys.excepthook(type(exc), exc, exc.__traceback__)
