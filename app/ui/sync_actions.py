"""The Sync menu and the status bar's sync indicator: Sync now (F9), Team server…, Conflicts, and keeping an
account on this laptop.

`build_sync_menu(window)` adds the "Sync" menu to the menu bar, the indicator (widgets/sync_indicator.py) to
the status bar, and sets `window.sync_actions`. Sync now runs `services.sync.sync` on the task runner as a
write; afterwards the status bar says what moved, every kind of data is announced as changed (a sync may
touch any of it), and a non-modal "Since last sync" window lists what the sync brought, when anything.

Sync runs against the laptop's own SQLite database: on the team server's PostgreSQL database itself the
actions that need a laptop are disabled and say why.
"""

from __future__ import annotations

import sys
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from app.domain.errors import UserError
from app.services.progress import Cancelled
from app.services.sync import SyncResult, pin_account, pinned_accounts, sync
from app.ui import changes
from app.ui.dialogs.sync_digest import SyncDigestDialog
from app.ui.dialogs.team_server import TeamServerDialog
from app.ui.widgets.sync_indicator import SyncIndicator

if TYPE_CHECKING:
    from app.ui.mainwindow import MainWindow

SERVER_ITSELF = "This database is the team server itself"
TRIP_PACK = "A trip pack is a read-only copy: sync from your own database"
NO_SERVER = "Set the team server first (Sync › Team server…)"
SYNC_TIP = "Send this laptop's changes to the team server and bring down your accounts' news (F9)"
CONFLICTS_SCREEN = "conflicts"
MESSAGE_MS = 15_000


def build_sync_menu(window: MainWindow) -> SyncActions:
    actions = SyncActions(window)
    # No Alt+letter: every letter of "Sync" is already taken on some screen or account tab (Alt+S by a note's
    # Sensitive box, Alt+Y by "Held only"…), and two controls on one letter make Qt pick neither. Alt or F10,
    # then the arrow keys, reach it; F9 and the command palette reach its actions.
    menu = window.menuBar().addMenu("Sync")
    menu.setObjectName("sync-menu")
    menu.addActions([actions.sync_action, actions.server_action])
    menu.addSeparator()
    menu.addActions([actions.conflicts_action, actions.pin_action])
    menu.aboutToShow.connect(actions.update_actions)
    window.sync_actions = actions
    return actions


class SyncActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.context = window.context
        self.running = False
        self._pinned: set[uuid.UUID] = set()
        self.digest_dialog: SyncDigestDialog | None = None
        self.error_box: QMessageBox | None = None
        self.sync_action = self._action("sync-now", "&Sync now", self.sync_now, "F9")
        self.server_action = self._action("team-server", "&Team server…", self.open_server_dialog)
        self.server_action.setToolTip("The team server's address, your password and your name as AE")
        self.conflicts_action = self._action("conflicts", "&Conflicts", self.show_conflicts)
        self.conflicts_action.setToolTip("Fields changed both on this laptop and on the team server")
        self.pin_action = self._action("keep-account", "&Keep this account on this laptop", self.toggle_pin)
        self.pin_action.setCheckable(True)
        self.indicator = SyncIndicator(self.context, window.statusBar())
        self.indicator.setAccessibleName("Sync status")
        self.indicator.conflicts_clicked.connect(self.show_conflicts)
        window.statusBar().addPermanentWidget(self.indicator)
        self.update_actions()
        if self.is_laptop:
            self._load_pins()

    def _action(self, key: str, text: str, slot: object, shortcut: str = "") -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"action-{key}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.window.addAction(action)  # its shortcut works with the menu shut; the palette lists it
        return action

    @property
    def is_laptop(self) -> bool:
        """A laptop's own database: not the team server, and not a (read-only) trip pack."""
        workspace = self.context.workspace
        return workspace.dialect == "sqlite" and not workspace.read_only

    def server_url(self) -> str:
        return self.context.settings.preferences.team_server_url.strip()

    def update_actions(self) -> None:
        """Sync now needs a laptop database, a server and no sync running; keeping an account, an account."""
        account_id = self._current_account_id()
        if not self.is_laptop:
            workspace = self.context.workspace
            why = (workspace.read_only_reason or TRIP_PACK) if workspace.read_only else SERVER_ITSELF
            for action in (self.sync_action, self.pin_action):
                action.setEnabled(False)
                action.setToolTip(why)
                action.setStatusTip(why)
            return
        self.sync_action.setEnabled(bool(self.server_url()) and not self.running)
        tip = "Syncing…" if self.running else SYNC_TIP if self.server_url() else NO_SERVER
        self.sync_action.setToolTip(tip)
        self.sync_action.setStatusTip(tip)
        self.pin_action.setEnabled(account_id is not None)
        self.pin_action.setChecked(account_id in self._pinned)
        self.pin_action.setToolTip(
            "Bring this account down on every sync, even if it is not yours"
            if account_id is not None
            else "Open an account first"
        )

    def _current_account_id(self) -> uuid.UUID | None:
        view = self.window.current_account_view()
        account_id = getattr(view, "account_id", None)
        return account_id if isinstance(account_id, uuid.UUID) else None

    # --- Sync now -------------------------------------------------------------------------------------------

    def sync_now(self) -> None:
        url = self.server_url()
        if self.running or not url or not self.is_laptop:
            return
        self.running = True
        self.update_actions()
        workspace = self.context.workspace
        user = self.context.settings.preferences.ae_name.strip() or None
        self.window.statusBar().showMessage("Syncing with the team server…")
        self.context.runner.run(
            lambda _progress, _cancel: sync(workspace, url, user=user),
            name="sync with the team server",
            write=True,
            owner=self.window,
            on_result=self._on_synced,
            on_error=self._on_sync_failed,
        )

    def _on_synced(self, result: SyncResult) -> None:
        self.running = False
        self.update_actions()
        self.window.statusBar().showMessage(
            f"Synced: {result.pushed:,} sent, {result.pulled:,} received", MESSAGE_MS
        )
        self._load_pins()
        # Every screen reloads (the one in front at once, the others when next shown), and so does the account
        # in front; the indicator re-reads its counts.
        self.context.changes.announce(changes.KINDS)
        self.indicator.check_server()
        if not result.digest.empty:
            self.show_digest(result)

    def _on_sync_failed(self, exc: BaseException) -> None:
        self.running = False
        self.update_actions()
        self.window.statusBar().clearMessage()
        self.indicator.refresh()
        if isinstance(exc, Cancelled):
            return
        if not isinstance(exc, UserError):
            sys.excepthook(type(exc), exc, exc.__traceback__)
            return
        # Window-modal but not blocking: the AE reads why, and the work behind stays as it was.
        box = QMessageBox(QMessageBox.Icon.Warning, "Sync failed", f"Sync failed: {exc}", parent=self.window)
        box.setObjectName("sync-error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda: setattr(self, "error_box", None))
        box.open()
        self.error_box = box

    def show_digest(self, result: SyncResult) -> None:
        if self.digest_dialog is not None:
            self.digest_dialog.close()
        dialog = SyncDigestDialog(result.digest, self.window)
        dialog.destroyed.connect(lambda: setattr(self, "digest_dialog", None))
        dialog.show()
        self.digest_dialog = dialog

    # --- the others -----------------------------------------------------------------------------------------

    def open_server_dialog(self) -> TeamServerDialog:
        dialog = TeamServerDialog(self.context, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.on_server_saved)
        dialog.open()
        return dialog

    def on_server_saved(self) -> None:
        """The team server's address may have changed (here or in Edit › Preferences…): re-read it."""
        self.update_actions()
        self.indicator.refresh()

    def show_conflicts(self) -> None:
        self.window.show_screen(CONFLICTS_SCREEN)

    def toggle_pin(self, checked: bool) -> None:
        account_id = self._current_account_id()
        if account_id is None or not self.is_laptop:
            self.update_actions()
            return
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: pin_account(workspace, account_id, checked),
            name="keep an account on this laptop",
            write=True,
            owner=self.window,
            on_result=lambda _none: self._on_pinned(account_id, checked),
            on_error=self._on_pin_failed,
        )

    def _on_pinned(self, account_id: uuid.UUID, pinned: bool) -> None:
        (self._pinned.add if pinned else self._pinned.discard)(account_id)
        self.update_actions()
        message = "kept on this laptop from the next sync" if pinned else "no longer kept on this laptop"
        self.window.statusBar().showMessage(f"This account is {message}", MESSAGE_MS)

    def _on_pin_failed(self, exc: BaseException) -> None:
        self.update_actions()
        if isinstance(exc, UserError):
            self.window.statusBar().showMessage(f"Could not keep the account: {exc}", MESSAGE_MS)
        elif not isinstance(exc, Cancelled):
            sys.excepthook(type(exc), exc, exc.__traceback__)

    def _load_pins(self) -> None:
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: pinned_accounts(workspace),
            name="accounts kept on this laptop",
            owner=self.window,
            on_result=self._on_pins_loaded,
            on_error=self._on_pin_failed,
        )

    def _on_pins_loaded(self, pins: set[uuid.UUID]) -> None:
        self._pinned = set(pins)
        self.update_actions()
