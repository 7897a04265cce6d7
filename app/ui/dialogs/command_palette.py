"""Command palette (Ctrl+Shift+P): every enabled action of the main window, found by typing.

The commands are collected each time the palette opens, by walking the menu bar (submenus included) and the
window's own actions, so actions other code adds later are listed without registering anywhere. The owner
adds its own entries through `extra` (e.g. "Go to Held shipments", a saved view). Typing filters: every word
must occur in the command's path or shortcut, ignoring case and accents. As in quick-find, the cursor stays in
the line: Up/Down move the selection, Enter runs the command (after the popup closes), Esc closes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.ui.formatting import plural

SEPARATOR = " › "
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Command:
    path: str  # what the user reads and types against, e.g. "View › Refresh"
    shortcut: str  # in the platform's notation, "" if none
    run: Callable[[], Any] = field(compare=False)
    haystack: str = field(default="", compare=False)

    @classmethod
    def make(cls, path: str, shortcut: str, run: Callable[[], Any]) -> Command:
        return cls(path, shortcut, run, fold(f"{path} {shortcut}"))


def fold(text: str) -> str:
    """Lower case without accents: "Résumé" and "resume" match."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def plain_text(action: QAction) -> str:
    """An action's text without mnemonic ampersands ("&Refresh" -> "Refresh", "R&&D" -> "R&D")."""
    return re.sub(r"&(.)", r"\1", action.text()).strip()


def shortcut_text(action: QAction) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


def collect_commands(window: QMainWindow, exclude: Iterable[QAction] = ()) -> list[Command]:
    """Every enabled, visible action in the menu bar (with its menu path), then the window's other actions."""
    skip = {id(action) for action in exclude}
    commands: list[Command] = []
    seen: set[int] = set()

    def walk(actions: Sequence[QAction], trail: tuple[str, ...]) -> None:
        for action in actions:
            if action.isSeparator() or not action.isVisible() or not action.isEnabled():
                continue
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu.actions(), (*trail, plain_text(action)))
                continue
            seen.add(id(action))
            if id(action) not in skip and plain_text(action):
                path = SEPARATOR.join((*trail, plain_text(action)))
                commands.append(Command.make(path, shortcut_text(action), action.trigger))

    walk(window.menuBar().actions(), ())
    for action in window.actions():
        if id(action) in seen or id(action) in skip or action.isSeparator() or not action.isEnabled():
            continue
        if plain_text(action):
            commands.append(Command.make(plain_text(action), shortcut_text(action), action.trigger))
    return commands


def matches(command: Command, words: Sequence[str]) -> bool:
    return all(word in command.haystack for word in words)


class CommandsModel(QAbstractTableModel):
    """The commands that match the typed words: column 0 the path, column 1 the shortcut."""

    HEADINGS = ("Command", "Shortcut")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Command] = []
        self._shown: list[Command] = []

    def set_commands(self, commands: Sequence[Command], text: str = "") -> None:
        self._all = list(commands)
        self.set_filter(text)

    def set_filter(self, text: str) -> None:
        words = fold(text).split()
        self.beginResetModel()
        self._shown = [command for command in self._all if matches(command, words)]
        self.endResetModel()

    def command_at(self, row: int) -> Command | None:
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADINGS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        command = self.command_at(index.row()) if index.isValid() else None
        if command is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return command.path if index.column() == 0 else command.shortcut
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADINGS[section] if 0 <= section < len(self.HEADINGS) else None
        return None


class CommandPaletteDialog(QDialog):
    """The popup; `open_palette()` collects the commands afresh and shows them all, ready to type."""

    def __init__(self, window: QMainWindow, extra: Callable[[], list[Command]] = list) -> None:
        super().__init__(window)
        self.main_window = window
        self.extra = extra
        self.exclude: list[QAction] = []  # e.g. the action that opens the palette
        self.setWindowTitle("Command palette")
        self.setObjectName("command-palette")
        self.resize(640, 420)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("Type a command, a menu or a screen")
        self.line.setAccessibleName("Command")
        self.line.setClearButtonEnabled(True)
        self.line.installEventFilter(self)
        self.model = CommandsModel(self)
        self.list = QTreeView(self)
        self.list.setModel(self.model)
        self.list.setAccessibleName("Commands")
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setHeaderHidden(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the cursor stays in the line; Up/Down drive it
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.list.activated.connect(self._activate_index)
        self.list.doubleClicked.connect(self._activate_index)
        self.status = QLabel(self)
        self.status.setAccessibleName("Number of commands")
        layout = QVBoxLayout(self)
        layout.addWidget(self.line)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        self.line.textChanged.connect(self._filter)
        self.line.returnPressed.connect(self.activate_current)

    def open_palette(self) -> None:
        commands = [*collect_commands(self.main_window, self.exclude), *self.extra()]
        self.model.set_commands(commands)
        self.line.clear()  # also filters (to everything) and selects the first command
        self._filter("")
        self.show()
        self.raise_()
        self.activateWindow()
        self.line.setFocus()

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        self.list.setCurrentIndex(self.model.index(0, 0))
        self.status.setText(plural(self.model.rowCount(), "command"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None:
                self.move_selection(step)
                return True
        return super().eventFilter(watched, event)

    def move_selection(self, step: int) -> None:
        """Select the next (1) or previous (-1) command; stays put at either end."""
        row = self.list.currentIndex().row()
        row = row + step if row >= 0 else 0
        if 0 <= row < self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(row, 0))

    def current_command(self) -> Command | None:
        return self.model.command_at(self.list.currentIndex().row())

    def activate_current(self) -> None:
        """Enter: close, then run the selected command (a dialog it opens is not stacked on the palette)."""
        command = self.current_command()
        if command is not None:
            self.accept()
            owner = self.parentWidget()
            if owner is not None:
                owner.activateWindow()  # the keyboard goes back to the window the command acts on
            command.run()

    def _activate_index(self, index: QModelIndex) -> None:
        self.list.setCurrentIndex(index)
        self.activate_current()


def widget_commands(title: str, widget: QWidget) -> list[Command]:
    """A screen's own enabled actions (e.g. "Held shipments › Log contact…"), for the owner's `extra`."""
    return [
        Command.make(f"{title}{SEPARATOR}{plain_text(action)}", shortcut_text(action), action.trigger)
        for action in widget.actions()
        if action.isEnabled() and not action.isSeparator() and plain_text(action)
    ]
