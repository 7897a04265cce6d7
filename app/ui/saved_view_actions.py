"""What the user does with saved views: save the current one under a name, apply, rename, update, delete.

The main window owns one `SavedViewsController`. It keeps the sidebar's children in step with the store
(app/ui/saved_views.py) and offers the actions: "Save current view as…" (Ctrl+Shift+S, window-wide, also in
the View menu) and, on the sidebar's saved view items, Update with current view, Rename (F2, edited in
place) and Delete (Del). Delete and Update go on an undo stack, as marking follow-ups done does: Ctrl+Z in
the sidebar (or "Undo" in its context menu) brings the old view back; the status bar says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMainWindow, QMessageBox, QWidget

from app.ui.saved_views import SavedViewError, SavedViewStore
from app.ui.views.base import Screen
from app.ui.widgets.sidebar import Sidebar

MESSAGE_MS = 6000


def ask_name(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    """The name typed, or None if cancelled (tests replace this function)."""
    name, accepted = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return name if accepted else None


def tell(parent: QWidget, message: str) -> None:
    """A name that cannot be used, explained (tests replace this function)."""
    QMessageBox.warning(parent, "Saved views", message)


class _StoreCommand(QUndoCommand):
    """An undoable change to one saved view; the controller refreshes the sidebar after each step."""

    def __init__(self, text: str, controller: SavedViewsController, key: str, name: str) -> None:
        super().__init__(text)
        self.controller, self.key, self.name = controller, key, name

    @property
    def store(self) -> SavedViewStore:
        return self.controller.store


class DeleteViewCommand(_StoreCommand):
    def redo(self) -> None:
        self.position, self.view = self.store.delete(self.key, self.name)
        message = f"Deleted saved view “{self.view.name}” (Ctrl+Z in the sidebar brings it back)"
        self.controller.views_changed(self.key, message)

    def undo(self) -> None:
        self.store.add(self.key, self.view.name, self.view.state, position=self.position)
        message = f"Saved view “{self.view.name}” is back"
        self.controller.views_changed(self.key, message, select=self.view.name)


class UpdateViewCommand(_StoreCommand):
    def __init__(self, controller: SavedViewsController, key: str, name: str, state: dict[str, Any]) -> None:
        super().__init__(f"Update saved view {name}", controller, key, name)
        self.new_state = state
        found = self.store.find(key, name)
        self.old_state = found.state if found else {}

    def redo(self) -> None:
        self.store.update(self.key, self.name, self.new_state)
        self.controller.views_changed(self.key, f"Saved view “{self.name}” now shows the current view")

    def undo(self) -> None:
        self.store.update(self.key, self.name, self.old_state)
        self.controller.views_changed(self.key, f"Saved view “{self.name}” is as it was")


class SavedViewsController(QObject):
    def __init__(
        self,
        window: QMainWindow,
        sidebar: Sidebar,
        store: SavedViewStore,
        show_screen: Callable[[str], Screen],
        current_screen: Callable[[], Screen | None],
        saved_view_screens: list[str],
    ) -> None:
        super().__init__(window)
        self.window, self.sidebar, self.store = window, sidebar, store
        self._show_screen, self._current_screen = show_screen, current_screen
        self.screens = saved_view_screens  # keys of the screens that support saved views
        self.undo_stack = QUndoStack(self)
        self._make_actions()
        sidebar.view_chosen.connect(self.apply)
        sidebar.rename_requested.connect(self.rename)
        sidebar.currentItemChanged.connect(lambda *_args: self.update_actions())
        for key in self.screens:
            sidebar.set_views(key, store.names(key))

    def _make_actions(self) -> None:
        self.save_as_action = self._action("&Save current view as…", "Ctrl+Shift+S", self.save_current_as)
        self.save_as_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.window.addAction(self.save_as_action)
        self.update_action = self._action("&Update with current view", None, self.update_current)
        self.rename_action = self._action("&Rename", "F2", self.rename_current)
        self.delete_action = self._action("&Delete", "Del", self.delete_current)
        # No shortcut of its own: the window's Ctrl+Z acts on this stack while the sidebar has the focus.
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        for action in (self.update_action, self.rename_action, self.delete_action, self.undo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # only while the sidebar has focus
            self.sidebar.addAction(action)
        self.sidebar.context_actions = [
            self.save_as_action,
            self.update_action,
            None,
            self.rename_action,
            self.delete_action,
            None,
            self.undo_action,
        ]
        self.update_actions()

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def update_actions(self) -> None:
        screen = self._current_screen()
        self.save_as_action.setEnabled(screen is not None and screen.supports_saved_views)
        on_view = self._current_view() is not None
        for action in (self.update_action, self.rename_action, self.delete_action):
            action.setEnabled(on_view)

    def _current_view(self) -> tuple[str, str] | None:
        choice = self.sidebar.current_choice()
        if choice is None or choice[1] is None:
            return None
        return choice[0], choice[1]

    # --- the user's actions ---------------------------------------------------------------------------------

    def apply(self, key: str, name: str) -> None:
        view = self.store.find(key, name)
        if view is None:
            return
        screen = self._show_screen(key)
        screen.apply_view_state(view.state)
        self.sidebar.select_view(key, view.name)
        self.update_actions()

    def save_current_as(self) -> None:
        screen = self._current_screen()
        if screen is None or not screen.supports_saved_views:
            return
        label = f"Name for this view of {screen.title}:"
        text = ""
        while True:
            name = ask_name(self.window, "Save current view", label, text)
            if name is None:
                return
            try:
                view = self.store.add(screen.key, name, screen.view_state())
            except SavedViewError as exc:
                tell(self.window, str(exc))
                text = name
                continue
            break
        self.views_changed(screen.key, f"Saved view “{view.name}”", select=view.name)

    def rename_current(self) -> None:
        item = self.sidebar.currentItem()
        if self._current_view() is not None and item is not None:
            self.sidebar.editItem(item, 0)

    def rename(self, key: str, old: str, new: str) -> None:
        try:
            view = self.store.rename(key, old, new)
        except SavedViewError as exc:
            self.views_changed(key, str(exc), select=old)  # puts the old name back on screen
            return
        self.views_changed(key, f"Renamed “{old}” to “{view.name}”", select=view.name)

    def delete_current(self) -> None:
        current = self._current_view()
        if current is not None:
            key, name = current
            self.undo_stack.push(DeleteViewCommand(f"Delete saved view {name}", self, key, name))

    def update_current(self) -> None:
        current = self._current_view()
        if current is None:
            return
        key, name = current
        screen = self._show_screen(key)
        self.undo_stack.push(UpdateViewCommand(self, key, name, screen.view_state()))

    def views_changed(self, key: str, message: str, *, select: str | None = None) -> None:
        """Show the store's views of `key` again, select one if asked, and say what happened."""
        self.sidebar.set_views(key, self.store.names(key))
        parent = self.sidebar.screen_item(key)
        if parent is not None:
            parent.setExpanded(True)
        if select is not None:
            self.sidebar.select_view(key, select)
        self.update_actions()
        self.window.statusBar().showMessage(message, MESSAGE_MS)
