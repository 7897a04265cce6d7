"""The main window's sidebar: one top-level item per screen, its saved views as children.

The sidebar only shows and reports choices; the main window (and app/ui/saved_view_actions.py) act on them:

* `screen_chosen(key)`: a screen's item became current (click, Up/Down) or was activated (Enter).
* `view_chosen(key, name)`: the same for a saved view; activating it again re-applies it.
* `rename_requested(key, old, new)`: the user edited a saved view's name in place (F2); the owner renames it
  in the store and calls `set_views()` (which also puts a refused name back).
* `extra_chosen(key)`: an extra top-level item (see `set_extra_item`) was chosen.

Screens without a widget show greyed out with a tooltip and can never be chosen.

Extra items: `set_extra_item(key, title, visible)` adds (or updates) a top-level item after the screens, for
things that come and go, e.g. "Accounts" while account tabs are open; `visible=False` hides it again. Its
children are the owner's business (`extra_item(key)` returns the QTreeWidgetItem).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeWidget, QTreeWidgetItem, QWidget

KEY_ROLE = Qt.ItemDataRole.UserRole  # the screen (or extra item) key, on every item
VIEW_ROLE = Qt.ItemDataRole.UserRole + 1  # the saved view's name, on saved view items only
EXTRA_ROLE = Qt.ItemDataRole.UserRole + 2  # True on extra top-level items
ROW_PADDING = 14  # pixels above the font's height: the same airy rows as before saved views


class Sidebar(QTreeWidget):
    screen_chosen = Signal(str)
    view_chosen = Signal(str, str)
    extra_chosen = Signal(str)
    rename_requested = Signal(str, str, str)  # screen key, old name, new name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAccessibleName("Screens and saved views")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setMinimumWidth(120)
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)  # F2; a click chooses
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.context_actions: list[QAction | None] = []  # QActions (None: a separator) for the context menu
        self._filling = False  # set while items change in code: no choices, no renames reported
        self._current_at_press: QTreeWidgetItem | None = None
        self.currentItemChanged.connect(lambda current, _previous: self._choose(current))
        self.itemActivated.connect(lambda item, _column: self._choose(item))
        self.itemClicked.connect(self._on_clicked)
        self.itemChanged.connect(self._on_item_changed)

    # --- contents -------------------------------------------------------------------------------------------

    def add_screen(self, key: str, title: str, *, enabled: bool, tooltip: str = "") -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, [title])
        item.setData(0, KEY_ROLE, key)
        item.setSizeHint(0, self._row_size())
        if not enabled:
            item.setFlags(item.flags() & ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable))
        if tooltip:
            item.setToolTip(0, tooltip)
        return item

    def screen_items(self) -> list[QTreeWidgetItem]:
        """The screens' top-level items, in sidebar order (extra items excluded)."""
        items = (self.topLevelItem(row) for row in range(self.topLevelItemCount()))
        return [item for item in items if item is not None and not item.data(0, EXTRA_ROLE)]

    def screen_item(self, key: str) -> QTreeWidgetItem | None:
        return next((item for item in self.screen_items() if item.data(0, KEY_ROLE) == key), None)

    def view_items(self, key: str) -> list[QTreeWidgetItem]:
        parent = self.screen_item(key)
        if parent is None:
            return []
        return [child for child in (parent.child(row) for row in range(parent.childCount())) if child]

    def view_names(self, key: str) -> list[str]:
        return [str(item.data(0, VIEW_ROLE)) for item in self.view_items(key)]

    def set_views(self, key: str, names: Sequence[str]) -> None:
        """Show `names` under screen `key`, keeping the current item where it still exists."""
        parent = self.screen_item(key)
        if parent is None:
            return
        current = self.current_choice()
        self._filling = True
        try:
            parent.takeChildren()
            for name in names:
                child = QTreeWidgetItem(parent, [name])
                child.setData(0, KEY_ROLE, key)
                child.setData(0, VIEW_ROLE, name)
                child.setToolTip(0, f"Saved view of {parent.text(0)}")
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsEditable)
                child.setSizeHint(0, self._row_size())
            if current is not None and current[0] == key:  # removing children moved the current item
                self._select(self._find(*current) or parent)
        finally:
            self._filling = False

    def set_extra_item(self, key: str, title: str, visible: bool) -> QTreeWidgetItem:
        """Add or update a top-level item after the screens (e.g. "Accounts" while accounts are open)."""
        item = self.extra_item(key)
        if item is None:
            item = QTreeWidgetItem(self, [title])
            item.setData(0, KEY_ROLE, key)
            item.setData(0, EXTRA_ROLE, True)
            item.setSizeHint(0, self._row_size())
        item.setText(0, title)
        item.setHidden(not visible)
        return item

    def extra_item(self, key: str) -> QTreeWidgetItem | None:
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            if item is not None and item.data(0, EXTRA_ROLE) and item.data(0, KEY_ROLE) == key:
                return item
        return None

    def update_row_heights(self) -> None:
        """After a font change: rows were sized from the old font and would clip (or gape) without this."""
        size = self._row_size()
        for row in range(self.topLevelItemCount()):
            top = self.topLevelItem(row)
            if top is None:
                continue
            top.setSizeHint(0, size)
            for index in range(top.childCount()):
                child = top.child(index)
                if child is not None:
                    child.setSizeHint(0, size)

    def _row_size(self) -> QSize:
        return QSize(0, self.fontMetrics().height() + ROW_PADDING)

    # --- current item ---------------------------------------------------------------------------------------

    def current_choice(self) -> tuple[str, str | None] | None:
        """(screen key, saved view name or None) of the current item; None when nothing is current."""
        item = self.currentItem()
        if item is None or item.data(0, EXTRA_ROLE):
            return None
        name = item.data(0, VIEW_ROLE)
        return str(item.data(0, KEY_ROLE)), (str(name) if name is not None else None)

    def select_screen(self, key: str) -> None:
        """Make screen `key`'s item current without reporting it (the window is already showing it)."""
        item = self.screen_item(key)
        if item is not None and self.currentItem() is not item:
            self._select(item)

    def select_extra(self, key: str) -> None:
        """Make the extra item `key` current without reporting it (the window is already showing it)."""
        item = self.extra_item(key)
        if item is not None and self.currentItem() is not item:
            self._select(item)

    def select_view(self, key: str, name: str) -> None:
        item = self._find(key, name)
        if item is not None and self.currentItem() is not item:
            self._select(item)

    def _find(self, key: str, name: str | None) -> QTreeWidgetItem | None:
        if name is None:
            return self.screen_item(key)
        folded = name.casefold()
        return next((i for i in self.view_items(key) if str(i.data(0, VIEW_ROLE)).casefold() == folded), None)

    def _select(self, item: QTreeWidgetItem) -> None:
        was, self._filling = self._filling, True
        try:
            self.setCurrentItem(item)
        finally:
            self._filling = was

    def _choose(self, item: QTreeWidgetItem | None) -> None:
        if self._filling or item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        key, name = str(item.data(0, KEY_ROLE)), item.data(0, VIEW_ROLE)
        if item.data(0, EXTRA_ROLE):
            self.extra_chosen.emit(key)
        elif name is None:
            self.screen_chosen.emit(key)
        else:
            self.view_chosen.emit(key, str(name))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._current_at_press = self.currentItem()
        super().mousePressEvent(event)

    def _on_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        """A click on the item already current chooses it again: re-applies a saved view the user changed."""
        if item is self._current_at_press:
            self._choose(item)

    def _on_item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        old = item.data(0, VIEW_ROLE)
        if self._filling or old is None or item.text(0) == old:
            return
        self.rename_requested.emit(str(item.data(0, KEY_ROLE)), str(old), item.text(0))

    # --- expanded state, menu -------------------------------------------------------------------------------

    def expanded_keys(self) -> list[str]:
        return [str(item.data(0, KEY_ROLE)) for item in self.screen_items() if item.isExpanded()]

    def set_expanded_keys(self, keys: Iterable[str]) -> None:
        wanted = set(keys)
        for item in self.screen_items():
            item.setExpanded(item.data(0, KEY_ROLE) in wanted)

    def _show_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.popup(self.viewport().mapToGlobal(position))
