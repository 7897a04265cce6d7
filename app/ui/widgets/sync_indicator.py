"""The status bar's sync indicator: "Online · Last sync 14:32 · 3 changes to send · 2 conflicts".

Whether the team server answers is checked on the task runner (never on the GUI thread) when the indicator
starts, after each sync and every CHECK_INTERVAL_MS; with no server set there is no check at all and it says
"Local only". The local half (last sync, changes waiting, conflicts) is re-read after every announced change,
since any edit may add a change to send. Each state has its words and an icon: colour alone says nothing to
some users and to screen readers. The conflicts count is a button that opens the Conflicts screen.
"""

from __future__ import annotations

import sys
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from app.domain.errors import UserError
from app.services.progress import Cancelled
from app.services.sync import SyncStatus, sync_status
from app.services.team_server import check_server
from app.ui.formatting import fmt_datetime, plural, utc_to_local
from app.ui.views.base import ScreenContext

CHECK_INTERVAL_MS = 2 * 60 * 1000
LOCAL_ONLY = "Local only"
ONLINE = "Online"
OFFLINE = "Offline"
CHECKING = "Checking…"
SERVER_ITSELF = "Team server"
NEVER_SYNCED = "Never synced"

_ICONS = {
    LOCAL_ONLY: QStyle.StandardPixmap.SP_ComputerIcon,
    ONLINE: QStyle.StandardPixmap.SP_DriveNetIcon,
    OFFLINE: QStyle.StandardPixmap.SP_MessageBoxWarning,
    CHECKING: QStyle.StandardPixmap.SP_BrowserReload,
    SERVER_ITSELF: QStyle.StandardPixmap.SP_DriveNetIcon,
}


def last_sync_text(status: SyncStatus, today: date | None = None) -> str:
    if status.last_sync_at is None:
        return NEVER_SYNCED
    local = utc_to_local(status.last_sync_at)
    if local.date() == (today or date.today()):
        return f"Last sync {local:%H:%M}"
    return f"Last sync {fmt_datetime(local)}"


class SyncIndicator(QWidget):
    conflicts_clicked = Signal()

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync-indicator")
        self.context = context
        self.state = ""
        self._status_generation = 0
        self._check_generation = 0
        self.icon_label = QLabel(self)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("sync-state")
        self.last_label = QLabel(self)
        self.last_label.setObjectName("sync-last")
        self.pending_label = QLabel(self)
        self.pending_label.setObjectName("sync-pending")
        self.pending_label.setToolTip(
            "Changes made on this laptop that the next sync sends to the team server"
        )
        self.conflicts_button = QToolButton(self)
        self.conflicts_button.setObjectName("sync-conflicts")
        self.conflicts_button.setAutoRaise(True)
        self.conflicts_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.conflicts_button.setIcon(self._icon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        self.conflicts_button.setToolTip("Fields changed both here and on the team server: open Conflicts")
        self.conflicts_button.clicked.connect(self.conflicts_clicked)
        self.conflicts_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        for widget in (self.icon_label, self.state_label, self.last_label, self.pending_label):
            layout.addWidget(widget)
        layout.addWidget(self.conflicts_button)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check_server)
        context.changes.changed.connect(lambda _kinds: self.refresh_status())
        self.refresh()

    @property
    def is_server_itself(self) -> bool:
        return self.context.workspace.dialect != "sqlite"

    def server_url(self) -> str:
        return self.context.settings.preferences.team_server_url.strip()

    def refresh(self) -> None:
        """Re-read everything: the local status, and whether the server answers (when one is set)."""
        if self.is_server_itself:
            self._set_state(SERVER_ITSELF, "This database is the team server itself")
            for widget in (self.last_label, self.pending_label, self.conflicts_button):
                widget.hide()
            return
        if self.server_url():
            self.timer.start()  # restarted: the next periodic check is a full interval after this one
        else:
            self.timer.stop()
        self.refresh_status()
        self.check_server()

    # --- the local half -------------------------------------------------------------------------------------

    def refresh_status(self) -> None:
        if self.is_server_itself:
            return
        self._status_generation += 1
        generation = self._status_generation
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: sync_status(workspace),
            name="sync status",
            owner=self,
            on_result=lambda status: self._show_status(generation, status),
            on_error=self._on_status_failed,
        )

    def _show_status(self, generation: int, status: SyncStatus) -> None:
        if generation != self._status_generation:
            return
        self.last_label.setText(last_sync_text(status))
        self.last_label.setToolTip(f"Team server: {status.server}" if status.server else "")
        self.last_label.setVisible(bool(self.server_url()) or status.last_sync_at is not None)
        self.pending_label.setText(f"{plural(status.pending, 'change')} to send")
        self.pending_label.setVisible(status.pending > 0)
        text = plural(status.conflicts, "conflict")
        self.conflicts_button.setText(text)
        self.conflicts_button.setAccessibleName(f"{text}: open Conflicts")
        self.conflicts_button.setVisible(status.conflicts > 0)

    def _on_status_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):  # secondary information: the screens explain a database problem
            self.last_label.setText("Sync status unavailable")
            self.last_label.setToolTip(str(exc))
        elif not isinstance(exc, Cancelled):
            sys.excepthook(type(exc), exc, exc.__traceback__)

    # --- the server -----------------------------------------------------------------------------------------

    def check_server(self) -> None:
        self._check_generation += 1
        generation = self._check_generation
        url = self.server_url()
        if not url:
            self._set_state(LOCAL_ONLY, "No team server is set (Sync › Team server…)")
            return
        self._set_state(CHECKING, f"Checking whether {url} answers")
        self.context.runner.run(
            lambda _progress, _cancel: check_server(url),
            name="check the team server",
            owner=self,
            on_result=lambda _none: self._on_checked(generation, url, None),
            on_error=lambda exc: self._on_checked(generation, url, exc),
        )

    def _on_checked(self, generation: int, url: str, exc: BaseException | None) -> None:
        if generation != self._check_generation:
            return
        if exc is None:
            self._set_state(ONLINE, f"The team server answers: {url}")
        elif isinstance(exc, UserError):
            self._set_state(OFFLINE, str(exc))
        elif not isinstance(exc, Cancelled):
            sys.excepthook(type(exc), exc, exc.__traceback__)

    def _set_state(self, state: str, tooltip: str) -> None:
        self.state = state
        self.state_label.setText(state)
        self.icon_label.setPixmap(self._icon(_ICONS[state]).pixmap(16, 16))
        for widget in (self.icon_label, self.state_label):
            widget.setToolTip(tooltip)
        self.setAccessibleName(f"Sync: {state}")

    @staticmethod
    def _icon(kind: QStyle.StandardPixmap) -> QIcon:
        return QApplication.style().standardIcon(kind)
