"""The Tools menu: three calculators over the domain rules, each a non-modal dialog kept open on demand.

`tool_actions(parent)` returns the menu's actions; the main window adds them to its Tools menu. A dialog is
created the first time its action fires and shown again (raised, not duplicated) afterwards, so what the AE
typed is still there when they come back to it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from app.services.reference import known_country_codes
from app.ui.dialogs.deadlines import DeadlineDialog
from app.ui.dialogs.entry_check import EntryCheckDialog
from app.ui.dialogs.mid_builder import MidBuilderDialog


class _DialogOpener:
    """Creates the dialog once (parented to `parent`, so it dies with the window) and re-shows it."""

    def __init__(self, parent: QWidget, factory: Callable[[QWidget], QDialog]) -> None:
        self._parent = parent
        self._factory = factory
        self.dialog: QDialog | None = None

    def open(self) -> QDialog:
        if self.dialog is None:
            self.dialog = self._factory(self._parent)
            self.dialog.destroyed.connect(self._forget)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _forget(self) -> None:
        self.dialog = None


def tool_actions(parent: QWidget) -> list[QAction]:
    """Entry check digit (Ctrl+Alt+E), MID builder (Ctrl+Alt+M), deadline calculator (Ctrl+Alt+D)."""
    tools: list[tuple[str, str, str, Callable[[QWidget], QDialog]]] = [
        ("entry-check", "&Entry-number check-digit calculator…", "Ctrl+Alt+E", EntryCheckDialog),
        ("mid-builder", "&MID builder…", "Ctrl+Alt+M", lambda p: MidBuilderDialog(known_country_codes(), p)),
        (
            "deadlines",
            "&Deadline calculator (PSC, protest, detention, CF-28/29)…",
            "Ctrl+Alt+D",
            lambda p: DeadlineDialog(p),
        ),
    ]
    actions = []
    for key, text, shortcut, factory in tools:
        action = QAction(text, parent)
        action.setObjectName(f"action-{key}")
        action.setShortcut(QKeySequence(shortcut))
        opener = _DialogOpener(parent, factory)
        action.setData(opener)  # keeps the opener alive as long as the action
        action.triggered.connect(opener.open)
        actions.append(action)
    return actions
