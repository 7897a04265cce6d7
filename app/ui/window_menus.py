"""The main window's menu bar (File, View, Tools, Help) and its window-wide actions.

Kept apart from mainwindow.py so that file stays about navigation between screens. `build_menus(window)` sets
the actions tests and other code reach by name on the window (`quit_action`, `refresh_action`,
`filter_action`, `find_action`, `palette_action`, `about_action`) along with `quick_find`,
`command_palette` and `appearance_menu`. `window_action()` makes an action whose documented shortcut works on
every platform; new window-wide actions made with it show in the command palette with their key.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from app.services.backups import database_file
from app.ui.dialogs.command_palette import Command, CommandPaletteDialog, widget_commands
from app.ui.dialogs.quickfind import QuickFindDialog
from app.ui.dialogs.tools import tool_actions
from app.ui.sync_actions import build_sync_menu
from app.ui.widgets.appearance_menu import AppearanceMenu

if TYPE_CHECKING:
    from app.ui.dialogs.preferences import PreferencesDialog
    from app.ui.mainwindow import MainWindow


def window_action(
    window: MainWindow,
    text: str,
    standard_key: QKeySequence.StandardKey | None,
    slot: Callable[..., Any],
    fallback: str | None = None,
) -> QAction:
    action = QAction(text, window)
    shortcuts = QKeySequence.keyBindings(standard_key) if standard_key is not None else []
    if fallback and QKeySequence(fallback) not in shortcuts:
        # Some platforms bind no key to a standard action (Quit on Windows, Refresh on some desktops);
        # the documented shortcut must work everywhere.
        shortcuts = [QKeySequence(fallback), *shortcuts]
    action.setShortcuts(shortcuts)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    file_menu = window.menuBar().addMenu("&File")
    file_menu.addAction(window_action(window, "&Import…", None, partial(_open_import, window), "Ctrl+I"))
    file_menu.addSeparator()
    _add_trip_pack_actions(window, file_menu)
    file_menu.addSeparator()
    file_menu.addAction(_restore_backup_action(window))
    file_menu.addSeparator()
    window.quit_action = window_action(window, "&Quit", QKeySequence.StandardKey.Quit, window.close, "Ctrl+Q")
    window.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    file_menu.addAction(window.quit_action)
    _build_edit_menu(window)
    _build_view_menu(window)
    _build_account_menu(window)
    build_sync_menu(window)  # Sync menu and the status bar's sync indicator (sync_actions.py)
    tools_menu = window.menuBar().addMenu("&Tools")
    tools_menu.addActions(tool_actions(window))
    help_menu = window.menuBar().addMenu("&Help")
    window.about_action = window_action(window, "&About AE Workbench", None, window.show_about)
    window.about_action.setMenuRole(QAction.MenuRole.AboutRole)
    help_menu.addAction(window.about_action)


def _open_import(window: MainWindow) -> None:
    from app.ui.dialogs.import_wizard import open_import_wizard  # loaded when first used, not at start-up

    open_import_wizard(window.context, window)


def _add_trip_pack_actions(window: MainWindow, file_menu: QMenu) -> None:
    """Make trip pack… / Open trip pack… (dialogs/trip_pack.py, loaded when first used)."""

    def make_pack() -> None:
        from app.ui.dialogs.trip_pack import open_make_dialog

        open_make_dialog(window)

    def open_pack() -> None:
        from app.ui.dialogs.trip_pack import open_trip_pack

        open_trip_pack(window)

    for key, text, slot, tip in (
        (
            "make-trip-pack",
            "Make &trip pack…",
            make_pack,
            "Put accounts' summaries, workbook and data in one folder",
        ),
        ("open-trip-pack", "&Open trip pack…", open_pack, "Open a trip pack read-only, with its passphrase"),
    ):
        action = window_action(window, text, None, slot)
        action.setObjectName(f"action-{key}")
        action.setStatusTip(tip)
        action.setToolTip(tip)
        file_menu.addAction(action)


def _restore_backup_action(window: MainWindow) -> QAction:
    """Restore from backup… (dialogs/restore_backup.py, loaded when first used); SQLite files only."""

    def open_dialog() -> None:
        from app.ui.dialogs.restore_backup import open_restore_dialog

        open_restore_dialog(window)

    action = window_action(window, "&Restore from backup…", None, open_dialog)
    action.setObjectName("action-restore-backup")
    if database_file(window.context.workspace) is None:
        tip = "Not in a read-only window (a trip pack, a database open in another window) or on a team server"
        action.setEnabled(False)
    else:
        tip = "Put an earlier copy of the database back; the current one is kept"
    action.setStatusTip(tip)
    action.setToolTip(tip)
    return action


def _build_edit_menu(window: MainWindow) -> None:
    edit_menu = window.menuBar().addMenu("&Edit")
    edit_menu.addAction(window.window_undo.undo_action)
    edit_menu.addAction(window.window_undo.redo_action)
    edit_menu.addSeparator()
    preferences = window_action(
        window,
        "&Preferences…",
        QKeySequence.StandardKey.Preferences,
        lambda: open_preferences(window),
        "Ctrl+,",
    )
    preferences.setObjectName("action-preferences")
    preferences.setMenuRole(QAction.MenuRole.PreferencesRole)  # macOS moves it to the application menu
    edit_menu.addAction(preferences)


def open_preferences(window: MainWindow, page: str = "general") -> PreferencesDialog:
    """Edit › Preferences… (window-modal, not blocking); the window follows what it saves."""
    from app.ui.dialogs.preferences import PreferencesDialog  # loaded when first used, not at start-up
    from app.ui.dialogs.security import request_conversion

    dialog = PreferencesDialog(window.context, window, page)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.saved.connect(window.appearance_menu.follow_preferences)
    dialog.saved.connect(window.sync_actions.on_server_saved)
    dialog.saved.connect(window.follow_lock_preference)
    dialog.encryption_requested.connect(lambda request: request_conversion(window, request))
    dialog.saved.connect(lambda: _screens_follow_preferences(window))
    dialog.open()
    return dialog


def _screens_follow_preferences(window: MainWindow) -> None:
    """Screens already built that show a preference (the Reports screen's marking) take the saved one."""
    for index in range(window.stack.count()):
        follow = getattr(window.stack.widget(index), "follow_preferences", None)
        if follow is not None:
            follow()


def _build_account_menu(window: MainWindow) -> None:
    """Actions on the account in front of the user; enabled only while an account tab is current."""
    menu = window.menuBar().addMenu("&Account")

    def on_view(method: str) -> Callable[[], None]:
        def run() -> None:
            view = window.current_account_view()
            if view is not None:
                getattr(view, method)()

        return run

    window.account_actions = [
        window_action(window, "&Edit account…", None, on_view("edit_account"), "Ctrl+E"),
        window_action(window, "Add &note", None, on_view("add_note"), "Ctrl+N"),
        window_action(
            window, "P&rint summary…", QKeySequence.StandardKey.Print, on_view("print_summary"), "Ctrl+P"
        ),
        window_action(
            window, "&Close account", QKeySequence.StandardKey.Close, window.close_account_tab, "Ctrl+W"
        ),
        window_action(window, "Ne&xt account", None, lambda: window.account_tabs().next_tab(1), "Ctrl+Tab"),
        window_action(
            window, "&Previous account", None, lambda: window.account_tabs().next_tab(-1), "Ctrl+Shift+Tab"
        ),
    ]
    menu.addActions(window.account_actions[:3])
    menu.addSeparator()
    menu.addActions(window.account_actions[3:])
    update_account_actions(window)


def update_account_actions(window: MainWindow) -> None:
    enabled = window.current_account_view() is not None
    for action in getattr(window, "account_actions", []):
        action.setEnabled(enabled)


def _build_view_menu(window: MainWindow) -> None:
    view_menu = window.menuBar().addMenu("&View")
    window.refresh_action = window_action(
        window, "&Refresh", QKeySequence.StandardKey.Refresh, window.refresh, "F5"
    )
    window.filter_action = window_action(
        window, "&Filter…", QKeySequence.StandardKey.Find, window.focus_filter, "Ctrl+F"
    )
    window.quick_find = QuickFindDialog(window.context, window)
    window.quick_find.activated.connect(window.open_search_hit)
    window.find_action = window_action(
        window, "Find &anything…", None, window.quick_find.open_search, "Ctrl+K"
    )
    window.command_palette = CommandPaletteDialog(window, partial(palette_extras, window))
    window.palette_action = window_action(
        window, "Command &palette…", None, window.command_palette.open_palette, "Ctrl+Shift+P"
    )
    window.command_palette.exclude = [window.palette_action]
    view_menu.addActions([window.refresh_action, window.filter_action, window.find_action])
    view_menu.addAction(window.palette_action)
    view_menu.addSeparator()
    view_menu.addAction(window.saved_views.save_as_action)
    view_menu.addSeparator()
    window.appearance_menu = AppearanceMenu(window.context.settings, window)
    window.appearance_menu.text_size_changed.connect(window.on_text_size_changed)
    window.addActions(window.appearance_menu.text_size_actions())  # their shortcuts work with the menu shut
    view_menu.addMenu(window.appearance_menu)


def palette_extras(window: MainWindow) -> list[Command]:
    """The palette's own entries: go to each screen and saved view, and the current screen's actions."""
    enabled = [entry for entry in window.screens if entry.built]
    commands = [
        Command.make(f"Go to {entry.title}", "", partial(window.show_screen, entry.key)) for entry in enabled
    ]
    for entry in enabled:
        for name in window.sidebar.view_names(entry.key):
            go = partial(window.saved_views.apply, entry.key, name)
            commands.append(Command.make(f"Go to saved view {name} ({entry.title})", "", go))
    current = window.current_screen()
    return commands + (widget_commands(current.title, current) if current is not None else [])
