"""What every tab of an account view has in common, and what it is handed.

An `AccountView` (ui/account/view.py) shows one account: a header and a QTabWidget of `AccountTab`s. Each tab
loads its own data in the background on `reload()` (first when it is first shown), says so with `loaded`, and
after it has written something announces the kinds of data it changed on `context.changes` (ui/changes.py), so
the header, the other tabs and the main screens can refresh. Edits go through the view's `undo_stack` as
QUndoCommands, so Ctrl+Z / Ctrl+Shift+Z undo and redo them from anywhere in the window.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.ui.views.base import ScreenContext


class AccountTab(QWidget):
    title = ""  # the tab's label, with an & for its mnemonic
    key = ""  # stable name: object names, saved state, --smoke

    loaded = Signal()
    load_failed = Signal(object)
    open_account = Signal(object)  # another account's id (rare: a contact or note naming it)

    def __init__(
        self,
        context: ScreenContext,
        account_id: uuid.UUID,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.account_id = account_id
        self.undo_stack = undo_stack
        self.setObjectName(f"account-tab-{self.key}")

    def reload(self) -> None:
        """Fetch the tab's data again in the background; emit `loaded` or `load_failed` when done."""
        raise NotImplementedError

    def reacts_to(self) -> frozenset[str]:
        """The change kinds (ui/changes.py) after which this tab must reload."""
        return frozenset()

    def summary(self) -> str:
        """One line for `--smoke` and tests: what the tab shows now, e.g. "412 entries, 1,630 lines"."""
        return ""

    def save_state(self) -> None:
        """Remember header and splitter state in `context.settings.ui` (shared by all accounts' tabs)."""
