"""File › Restore from backup…: put an earlier copy of the database back.

The dialog lists the automatic backups of the open database and the copies kept before earlier restores
(services/backups.py), newest first; "Choose file…" takes any other backup (`ae-workbench backup FILE`).
Restoring checks the backup, asks for confirmation, keeps a copy of the current database (online backup
API), then closes the window with a `RestoreRequest` on it: the file can only be replaced once the window's
database is closed and no background work holds it. `run_gui` (ui/main.py) then replaces the file
(`carry_out`, admin.restore) and opens a new window on the restored database; a restore that fails leaves the
database as it was, and the window reopens on it.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.services.backups import (
    BackupInfo,
    backups_folder,
    before_restore_path,
    check_backup,
    database_file,
    keep_before_restore,
    list_backups,
    taken_at_of,
)
from app.services.progress import Cancelled
from app.ui.formatting import fmt_datetime
from app.ui.tasks import run_with_progress_dialog
from app.ui.views.base import MessageBar, ScreenContext

if TYPE_CHECKING:
    from app.ui.mainwindow import MainWindow

TITLE = "Restore from backup"
REQUEST_ATTRIBUTE = "restore_request"  # set on the main window, read by run_gui once the window has closed


@dataclass(frozen=True)
class RestoreRequest:
    source: Path  # the backup to put back
    taken_at: datetime
    target_url: str  # the database it replaces (the window's)
    kept_as: Path  # the copy of that database taken just before
    passphrase: str | None = field(default=None, repr=False)  # an encrypted database's, for its backups


def fmt_size(size_bytes: int) -> str:
    """A file size as file managers show it: 812 bytes, 96.0 KB, 1.4 MB, 2.1 GB (binary multiples)."""
    if size_bytes < 1024:
        return f"{size_bytes:,} bytes"
    size, unit = size_bytes / 1024, "KB"
    for bigger in ("MB", "GB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    return f"{size:,.1f} {unit}"


def confirmation_text(taken_at: datetime, kept_as: Path) -> str:
    return (
        f"Replace the current database with the backup of {fmt_datetime(taken_at)}? Changes made since then "
        f"are lost. The current database is kept as {kept_as.name} in the backups folder.\n\n"
        "The window closes and opens again on the restored database."
    )


def confirm_restore(parent: QWidget, text: str) -> bool:
    """Ask before replacing the database; Cancel is the default button."""
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, text, QMessageBox.StandardButton.NoButton, parent)
    restore = box.addButton("Restore", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is restore


def pending_restore(window: QWidget) -> RestoreRequest | None:
    """The restore the window was closed for, if any."""
    request = getattr(window, REQUEST_ATTRIBUTE, None)
    return request if isinstance(request, RestoreRequest) else None


def carry_out(request: RestoreRequest) -> str:
    """Replace the database (closed by now) with the backup; the line the reopened window shows.
    UserError when the backup cannot be restored: the database is then as it was."""
    from app.services.admin import restore  # the store's maintenance code: only needed here

    restore(request.target_url, request.source, request.passphrase)
    return (
        f"Restored the backup of {fmt_datetime(request.taken_at)}. The database as it was before is kept "
        f"as {request.kept_as.name}."
    )


class RestoreBackupDialog(QDialog):
    restore_requested = Signal(object)  # the RestoreRequest, once the safety copy is written

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.backups: list[BackupInfo] = []
        self.setObjectName("restore-backup-dialog")
        self.setWindowTitle(TITLE)
        self._make_widgets()
        self._layout()
        self.load()

    def _make_widgets(self) -> None:
        self.message_bar = MessageBar(self)
        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        self.intro_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.list = QTreeWidget(self)
        self.list.setObjectName("restore-backup-list")
        self.list.setAccessibleName("Backups of the database, newest first")
        self.list.setHeaderLabels(["Taken at", "Size", "Kind"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.itemSelectionChanged.connect(self.update_state)
        self.list.itemActivated.connect(lambda *_args: self.restore_selected())
        self.choose_button = QPushButton("Choose &file…", self)
        self.choose_button.setAccessibleName("Choose another backup file")
        self.choose_button.clicked.connect(self.choose_file)
        self.restore_button = QPushButton("&Restore", self)
        self.restore_button.setAccessibleName("Restore the chosen backup")
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self.reject)

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        order = [self.list, self.choose_button, self.restore_button, self.close_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self.resize(560, 420)

    # --- the list -------------------------------------------------------------------------------------------

    def load(self) -> None:
        workspace = self.context.workspace
        self.backups = list_backups(workspace)  # one folder listing: quick enough for the GUI thread
        self.list.clear()
        for info in self.backups:
            kind = "Automatic" if info.automatic else "Kept before a restore"
            item = QTreeWidgetItem([fmt_datetime(info.taken_at), fmt_size(info.size_bytes), kind])
            item.setToolTip(0, str(info.path))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
        for column in range(self.list.columnCount()):
            self.list.resizeColumnToContents(column)
        if database_file(workspace) is None:
            self.intro_label.setText(
                "This database cannot be restored here: this window is read-only (a trip pack, or a "
                "database open in another window), or it is a team server's database, restored on the server."
            )
        elif self.backups:
            self.intro_label.setText(f"Backups of {workspace.name} in {backups_folder()}:")
            self.list.setCurrentItem(self.list.topLevelItem(0) or QTreeWidgetItem())
        else:
            self.intro_label.setText(
                f"No backups of {workspace.name} yet: one is taken at every start (Edit › Preferences… › "
                "Backups). Choose file… restores a backup written elsewhere."
            )
        self.update_state()

    def selected_backup(self) -> BackupInfo | None:
        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return None
        return self.backups[self.list.indexOfTopLevelItem(item)]

    def update_state(self) -> None:
        restorable = database_file(self.context.workspace) is not None
        self.restore_button.setEnabled(restorable and self.selected_backup() is not None)
        self.choose_button.setEnabled(restorable)

    # --- restoring ------------------------------------------------------------------------------------------

    def restore_selected(self) -> RestoreRequest | None:
        info = self.selected_backup()
        return self.restore_from(info.path, info.taken_at) if info is not None else None

    def choose_file(self) -> RestoreRequest | None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "Choose a backup",
            str(backups_folder()),
            "AE Workbench databases (*.sqlite3 *.db);;All files (*)",
        )
        return self.restore_from(Path(chosen)) if chosen else None

    def restore_from(self, source: Path, taken_at: datetime | None = None) -> RestoreRequest | None:
        """Check `source`, confirm, keep a copy of the current database; then ask for the restore. None when
        declined or refused (the reason on the message bar): nothing has changed then."""
        workspace = self.context.workspace
        live = database_file(workspace)
        if live is None:
            return None
        self.message_bar.clear_error()
        if source.resolve() == live.resolve():
            self.message_bar.show_error(f"{source.name} is the open database itself: choose a backup")
            return None
        if not self._run(lambda: check_backup(source, workspace.passphrase), "Checking the backup…"):
            return None
        now = datetime.now()
        kept_as = before_restore_path(workspace, now)
        when = taken_at or taken_at_of(source)
        if kept_as is None or not confirm_restore(self, confirmation_text(when, kept_as)):
            return None
        if not self._run(
            lambda: keep_before_restore(workspace, now), "Keeping a copy of the current database…"
        ):
            return None
        request = RestoreRequest(source, when, workspace.url, kept_as, workspace.passphrase)
        self.accept()
        self.restore_requested.emit(request)
        return request

    def _run(self, step: Callable[[], Any], label: str) -> bool:
        """Run `step` in the background behind a progress dialog; False (said on the message bar) if it
        failed or was cancelled."""
        try:
            run_with_progress_dialog(
                self.context.runner, lambda _progress, _cancel: step(), title=TITLE, label=label, parent=self
            )
        except Cancelled:
            self.message_bar.show_error("Cancelled: nothing was changed.")
            return False
        except UserError as exc:
            self.message_bar.show_error(f"{exc}. Nothing was changed.")
            return False
        return True


def request_restart(window: MainWindow, request: RestoreRequest) -> None:
    """Close the window (saving its layout) so run_gui can restore with its database closed, then reopen."""
    setattr(window, REQUEST_ATTRIBUTE, request)
    for pack_window in window.findChildren(QMainWindow):  # trip packs opened from it: their own databases
        pack_window.close()
    QTimer.singleShot(0, window, window.close)  # after the dialog's own event handling has finished


def open_restore_dialog(window: MainWindow) -> RestoreBackupDialog:
    """File › Restore from backup… (window-modal)."""
    dialog = RestoreBackupDialog(window.context, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.restore_requested.connect(lambda request: request_restart(window, request))
    dialog.open()
    return dialog


def report_restore_error(parent: QWidget | None, exc: BaseException) -> None:
    """A restore that failed after the window closed: say so; the window reopens on the unchanged database."""
    if not isinstance(exc, UserError):
        sys.excepthook(type(exc), exc, exc.__traceback__)
        return
    QMessageBox.warning(
        parent, TITLE, f"The backup could not be restored: {exc}. The database was not changed."
    )
