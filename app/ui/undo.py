"""Window-level undo and redo: one pair of Edit-menu actions over every undo stack of the window.

Each place that edits keeps its own QUndoStack (an account view, the follow-ups screen); they all join one
QUndoGroup, and the window makes the stack of whatever is on screen the active one. Ctrl+Z and Ctrl+Shift+Z
therefore undo the edit the user can see, and the menu says what that is ("Undo Mark done").
Text boxes keep their own Ctrl+Z: Qt offers the key to the focused editor first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QWidget

UNDO_KEY = "Ctrl+Z"
REDO_KEY = "Ctrl+Shift+Z"


def _shortcuts(standard: QKeySequence.StandardKey, documented: str) -> list[QKeySequence]:
    """The platform's bindings, with the documented key first whatever the platform (Ctrl+Y on Windows…)."""
    bindings = QKeySequence.keyBindings(standard)
    wanted = QKeySequence(documented)
    return [wanted, *[key for key in bindings if key != wanted]]


class WindowUndo:
    def __init__(self, window: QWidget) -> None:
        self.group = QUndoGroup(window)
        self.undo_action: QAction = self.group.createUndoAction(window, "&Undo")
        self.undo_action.setShortcuts(_shortcuts(QKeySequence.StandardKey.Undo, UNDO_KEY))
        self.redo_action: QAction = self.group.createRedoAction(window, "&Redo")
        self.redo_action.setShortcuts(_shortcuts(QKeySequence.StandardKey.Redo, REDO_KEY))
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)

    def add_stack(self, stack: QUndoStack) -> None:
        if stack not in self.group.stacks():
            self.group.addStack(stack)

    def activate(self, stack: QUndoStack | None) -> None:
        """Make `stack` the one the Edit menu acts on; None: nothing on screen can be undone."""
        if stack is not None:
            self.add_stack(stack)
        self.group.setActiveStack(stack)  # type: ignore[arg-type]  # None is allowed: "no active stack"
