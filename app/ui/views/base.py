"""What every main screen has in common, and what it is handed.

A screen is a QWidget the main window puts in its central area when its sidebar entry is chosen. It loads its
data in the background (`reload()`), says so with `loaded`, and can describe itself in one line (`summary()`,
which `--smoke` prints). The main window and `--smoke` only use this interface, so a new screen joins both by
being listed in `mainwindow.SCREENS`.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.domain.errors import UserError
from app.services.progress import Cancelled
from app.services.workspace import Workspace
from app.ui.changes import ChangeHub
from app.ui.settings import Settings
from app.ui.tasks import TaskRunner


@dataclass(frozen=True)
class ScreenContext:
    """Everything a screen may use: no globals, so tests hand in a synchronous runner and tmp settings."""

    workspace: Workspace
    runner: TaskRunner
    settings: Settings
    changes: ChangeHub = field(default_factory=ChangeHub)  # what finished writes changed (ui/changes.py)


class Screen(QWidget):
    key = ""
    title = ""
    # True when view_state()/apply_view_state() are implemented: the sidebar then offers saved views.
    supports_saved_views: bool = False

    loaded = Signal()  # after a reload() has put fresh data on screen
    load_failed = Signal(object)  # the exception; the screen has already shown it

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._stale = False  # what it shows changed while it was hidden: reload when next shown
        self.setObjectName(f"screen-{self.key}")

    def reload(self) -> None:
        """Fetch the data again in the background; emit `loaded` or `load_failed` when done."""
        raise NotImplementedError

    def reload_now_or_when_shown(self) -> None:
        """What the screen shows changed elsewhere: reload at once if it is on screen, else when next shown
        (a hidden screen does not query for nothing)."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    def summary(self) -> str:
        """One line for `--smoke` and the log: what is on screen now, e.g. "40 rows"."""
        return ""

    def focus_filter(self) -> None:
        """Ctrl+F: put the cursor in the screen's filter box, if it has one."""

    def save_state(self) -> None:
        """Remember layout (header state, splitters) in `context.settings.ui`."""

    def view_state(self) -> dict[str, Any]:
        """What a saved view remembers (JSON-ready): filter values, sort column and order, the columns shown
        and their order, grouping. Columns are named by key, never by position (app/ui/saved_views.py)."""
        return {}

    def apply_view_state(self, state: dict[str, Any]) -> None:
        """Show the screen as `state` describes; missing keys mean the default, unknown ones are ignored."""


class MessageBar(QLabel):
    """A one-line problem report above a screen's content (the environment's fault, not a crash)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message-bar")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setStyleSheet(
            "QLabel#message-bar { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
            " border-radius: 3px; padding: 6px 8px; }"
        )
        self.hide()

    def show_error(self, message: str) -> None:
        self.setText(message)
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()


def handle_task_error(exc: BaseException, bar: MessageBar) -> None:
    """A user-fixable error goes to the bar, a cancellation nowhere, anything else to the crash handler."""
    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, UserError):
        bar.show_error(str(exc))
        return
    sys.excepthook(type(exc), exc, exc.__traceback__)


def lay_out_list_screen(
    screen: QWidget,
    message_bar: MessageBar,
    buttons: Sequence[QWidget],
    count_label: QLabel,
    table: QWidget,
    tab_order: Sequence[QWidget],
) -> None:
    """The layout of a list screen (Imports, Conflicts): message bar, a row of buttons with the count on the
    right, then the table taking the rest; `tab_order` is the keyboard's path through them."""
    top = QHBoxLayout()
    for button in buttons:
        top.addWidget(button)
    top.addStretch(1)
    top.addWidget(count_label)
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(8, 8, 8, 0)
    layout.addWidget(message_bar)
    layout.addLayout(top)
    layout.addWidget(table, 1)
    for first, second in itertools.pairwise(tab_order):
        QWidget.setTabOrder(first, second)
