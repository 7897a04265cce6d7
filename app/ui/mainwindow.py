"""The main window: a sidebar of screens, the chosen screen, and a status bar about the open database.

Screens are listed once in `SCREENS`, by the path of their class, which is imported when the screen is
first shown (start-up loads only the first screen's code). An entry without a path is a screen that has not
been built yet: it shows in the sidebar greyed out with a tooltip, so the user sees what is coming, but it
can never be chosen (no empty placeholder pages). `--smoke` walks `enabled_screen_keys()`, so a screen joins
the smoke test as soon as it gets a path here.

The sidebar (widgets/sidebar.py) lists each screen's saved views under it; saved_view_actions.py saves,
applies, renames and deletes them. The command palette (Ctrl+Shift+P, dialogs/command_palette.py) lists every
enabled action of this window, found by walking the menus when it opens, plus "Go to" each screen and view.
"""

from __future__ import annotations

import importlib
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.domain.errors import UserError
from app.domain.views import SearchHit
from app.services.encryption import is_encrypted, passphrase_matches
from app.services.stats import data_as_of, database_stats
from app.ui.dialogs.command_palette import CommandPaletteDialog
from app.ui.dialogs.quickfind import QuickFindDialog
from app.ui.formatting import fmt_datetime, plural, utc_to_local
from app.ui.idle_lock import IdleLock
from app.ui.saved_view_actions import SavedViewsController
from app.ui.saved_views import SavedViewStore
from app.ui.undo import WindowUndo
from app.ui.views.base import Screen, ScreenContext
from app.ui.widgets.appearance_menu import AppearanceMenu
from app.ui.widgets.job_indicator import JobIndicator
from app.ui.widgets.sidebar import Sidebar
from app.ui.window_menus import build_menus, update_account_actions

if TYPE_CHECKING:
    from app.ui.account.tabs import AccountTabs
    from app.ui.sync_actions import SyncActions

NOT_YET = "arrives in the next release"


@dataclass(frozen=True)
class ScreenEntry:
    key: str
    title: str
    # "module:Class", imported when the screen is first shown, so start-up does not load every screen's code;
    # None: not built yet (shown disabled).
    path: str | None
    saved_views: bool = False  # the class's `supports_saved_views` (a test keeps the two in step)

    @property
    def built(self) -> bool:
        return self.path is not None

    def load(self) -> type[Screen]:
        if self.path is None:
            raise KeyError(f"screen {self.key!r} is not available yet")
        module, _, name = self.path.partition(":")
        screen_class: type[Screen] = getattr(importlib.import_module(module), name)
        return screen_class


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("today", "Today", "app.ui.views.today:TodayView"),
    ScreenEntry("portfolio", "Portfolio", "app.ui.views.portfolio:PortfolioView", saved_views=True),
    ScreenEntry("holds", "Held shipments", "app.ui.views.holds:HoldsView", saved_views=True),
    ScreenEntry("followups", "Follow-ups", "app.ui.views.followups:FollowUpsView", saved_views=True),
    ScreenEntry("compliance", "Compliance", "app.ui.views.compliance:ComplianceView", saved_views=True),
    ScreenEntry("imports", "Imports", "app.ui.views.imports:ImportsView"),
    ScreenEntry("conflicts", "Conflicts", "app.ui.views.conflicts:ConflictsView"),
    ScreenEntry("reports", "Reports", "app.ui.views.reports:ReportsView"),
)
ACCOUNTS_PAGE = "accounts"  # the open accounts' tabs: a sidebar item only while one is open
DEFAULT_SCREEN = "portfolio"
DEFAULT_SIZE = QSize(1680, 960)  # all portfolio columns visible on a 1920 x 1080 screen


class MainWindow(QMainWindow):
    screens = SCREENS  # for the command palette's "Go to" entries
    # Set by window_menus.build_menus():
    quit_action: QAction
    refresh_action: QAction
    filter_action: QAction
    find_action: QAction
    palette_action: QAction
    about_action: QAction
    account_actions: list[QAction]
    quick_find: QuickFindDialog
    command_palette: CommandPaletteDialog
    appearance_menu: AppearanceMenu
    sync_actions: SyncActions  # set by sync_actions.build_sync_menu(): the Sync menu and status indicator

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("main-window")
        self.setWindowTitle(f"AE Workbench — {context.workspace.name}")
        self._screens: dict[str, Screen] = {}
        self._shown: set[str] = set()
        self._status_generation = 0
        self._account_tabs: AccountTabs | None = None  # built when the first account opens
        self._last_screen = DEFAULT_SCREEN  # where closing the last account tab goes back to
        self.window_undo = WindowUndo(self)

        self.sidebar = self._make_sidebar()
        self.stack = QStackedWidget(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([140, 1500])
        self.read_only_banner: QLabel | None = None
        self.setCentralWidget(self._with_read_only_banner(self.splitter))
        self._make_status_bar()
        self.saved_views = SavedViewsController(
            self,
            self.sidebar,
            SavedViewStore(context.settings.store),
            self.show_screen,
            self.current_screen,
            [entry.key for entry in SCREENS if entry.saved_views],
        )
        build_menus(self)
        self.idle_lock = self._make_idle_lock()
        self._restore_window()
        self.sidebar.screen_chosen.connect(self.show_screen)
        self.sidebar.extra_chosen.connect(self._on_extra_chosen)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # Ctrl+Z follows the focus between sidebar and page
            app.focusChanged.connect(self._on_focus_changed)
        self.show_screen(self._initial_screen())
        self.refresh_status()
        self.context.changes.changed.connect(self._on_data_changed)
        # Settle the window's minimum size now rather than while it is being shown: some platform plugins
        # (offscreen, used by --smoke and the tests) warn when a shown window's size constraints change.
        layout = self.layout()
        if layout is not None:
            layout.activate()

    # --- building -------------------------------------------------------------------------------------------

    def _make_idle_lock(self) -> IdleLock | None:
        """An encrypted database's window locks after the preference's minutes without input, until its
        passphrase is typed again (ui/idle_lock.py); a database without a passphrase has nothing to ask."""
        workspace = self.context.workspace
        if not is_encrypted(workspace):
            return None
        minutes = self.context.settings.preferences.lock_after_minutes
        return IdleLock(self, lambda text: passphrase_matches(workspace, text), workspace.name, minutes)

    def follow_lock_preference(self) -> None:
        if self.idle_lock is not None:
            self.idle_lock.set_minutes(self.context.settings.preferences.lock_after_minutes)

    def _with_read_only_banner(self, content: QWidget) -> QWidget:
        """`content`, under a banner when the database is read-only (a trip pack, or a file another window is
        editing), in the words every refused edit uses."""
        reason = self.context.workspace.read_only_reason
        if reason is None:
            return content
        banner = QLabel(reason)
        banner.setObjectName("read-only-banner")
        banner.setAccessibleName("Read-only database")
        banner.setWordWrap(True)
        banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner.setStyleSheet(
            "QLabel#read-only-banner { background: #fff4ce; color: #4d3800; border-bottom: 1px solid #e8d28a;"
            " padding: 6px 10px; }"
        )
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(banner)
        layout.addWidget(content, 1)
        self.read_only_banner = banner
        return page

    def _make_sidebar(self) -> Sidebar:
        sidebar = Sidebar(self)
        for entry in SCREENS:
            tooltip = "" if entry.built else f"{entry.title}: {NOT_YET}"
            sidebar.add_screen(entry.key, entry.title, enabled=entry.built, tooltip=tooltip)
        return sidebar

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.database_label = QLabel(self.context.workspace.name, bar)
        workspace = self.context.workspace
        self.database_label.setToolTip(f"Database: {workspace.name} ({workspace.dialect})")
        self.as_of_label = QLabel(bar)
        self.as_of_label.setToolTip("Time of the newest data in this database (last import or demo data)")
        self.accounts_label = QLabel(bar)
        self.holds_label = QLabel(bar)
        for label in (self.database_label, self.as_of_label, self.accounts_label, self.holds_label):
            label.setContentsMargins(6, 0, 6, 0)
            bar.addPermanentWidget(label)
        # Leftmost of the permanent widgets: it comes and goes, and should not shift the labels as it does.
        self.job_indicator = JobIndicator(self.context.runner, bar)
        bar.insertPermanentWidget(0, self.job_indicator)

    def on_text_size_changed(self, size: int) -> None:
        self.statusBar().showMessage(f"Text size {size} pt", 3000)
        self.sidebar.update_row_heights()

    def open_search_hit(self, hit: SearchHit) -> None:
        """Go to what a quick-find hit names: the account, at the note or entry the hit is about."""
        view = self.open_account(hit.account_id)
        if hit.kind == "note":
            view.show_note(uuid.UUID(hit.ref))
        elif hit.kind == "entry":
            view.show_entry(hit.ref)

    def open_list(self, key: str, criteria: dict[str, object]) -> None:
        """Show screen `key` filtered by `criteria`; a screen without such a filter shows everything."""
        if key not in self.enabled_screen_keys():
            title = next(entry.title for entry in SCREENS if entry.key == key)
            self.statusBar().showMessage(f"{title}: {NOT_YET}", 5000)
            return
        screen = self.show_screen(key)
        apply_filter = getattr(screen, "apply_filter", None)
        if apply_filter is not None:
            apply_filter(criteria)

    def open_account(self, account_id: object) -> Any:
        """Show the account in its own tab (Account 360), opening the tab if needed; returns its view."""
        tabs = self.account_tabs()
        view = tabs.open(account_id if isinstance(account_id, uuid.UUID) else uuid.UUID(str(account_id)))
        self._show_accounts_page()
        if self.isVisible():
            self.activateWindow()  # back from a popup (quick-find, palette): the keyboard goes to the account
        return view

    def account_tabs(self) -> AccountTabs:
        if self._account_tabs is None:
            # Imported on first use: the account view's modules would otherwise lengthen every start-up.
            from app.ui.account.tabs import AccountTabs

            tabs = AccountTabs(self.context, self.stack)
            tabs.emptied.connect(lambda: self.show_screen(self._last_screen))
            tabs.current_changed.connect(self._on_accounts_changed)
            tabs.open_account.connect(self.open_account)
            self.stack.addWidget(tabs)
            self._account_tabs = tabs
        return self._account_tabs

    def _show_accounts_page(self) -> None:
        tabs = self.account_tabs()
        self.stack.setCurrentWidget(tabs)
        self._on_accounts_changed()
        self.sidebar.select_extra(ACCOUNTS_PAGE)
        self.saved_views.update_actions()

    def accounts_page_is_current(self) -> bool:
        return self._account_tabs is not None and self.stack.currentWidget() is self._account_tabs

    def _on_accounts_changed(self) -> None:
        count = self._account_tabs.count() if self._account_tabs is not None else 0
        self.sidebar.set_extra_item(ACCOUNTS_PAGE, f"Accounts ({count})", count > 0)
        self.update_undo_target()

    def _on_extra_chosen(self, key: str) -> None:
        if key == ACCOUNTS_PAGE:
            self._show_accounts_page()

    def close_account_tab(self) -> None:
        if self.accounts_page_is_current() and self._account_tabs is not None:
            self._account_tabs.close_current()

    def current_account_view(self) -> Any:
        if not self.accounts_page_is_current() or self._account_tabs is None:
            return None
        return self._account_tabs.current_view()

    # --- undo -----------------------------------------------------------------------------------------------

    def update_undo_target(self) -> None:
        """Ctrl+Z acts on what is in front of the user: the sidebar's saved views while it has the focus,
        else the account or screen on show (None when it has nothing to undo)."""
        self.window_undo.activate(self._undo_target())
        update_account_actions(self)

    def _undo_target(self) -> QUndoStack | None:
        focus = QApplication.focusWidget()
        if focus is not None and (focus is self.sidebar or self.sidebar.isAncestorOf(focus)):
            return self.saved_views.undo_stack
        if self.accounts_page_is_current() and self._account_tabs is not None:
            return self._account_tabs.current_undo_stack()
        stack = getattr(self.current_screen(), "undo_stack", None)
        return stack if isinstance(stack, QUndoStack) else None

    def _on_focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.update_undo_target()

    # --- screens --------------------------------------------------------------------------------------------

    def enabled_screen_keys(self) -> list[str]:
        return [entry.key for entry in SCREENS if entry.built]

    def _initial_screen(self) -> str:
        last = self.context.settings.ui.last_screen()
        if self.context.settings.preferences.restore_last_screen and last in self.enabled_screen_keys():
            return last
        return DEFAULT_SCREEN

    def screen_for(self, key: str) -> Screen:
        """The screen for `key`, built on first use (its data loads when it is first shown)."""
        if key not in self._screens:
            entry = next(entry for entry in SCREENS if entry.key == key)
            screen = entry.load()(self.context, self.stack)
            self._screens[key] = screen
            self.stack.addWidget(screen)
            screen.loaded.connect(self.refresh_status)
            open_account = getattr(screen, "open_account", None)
            if open_account is not None:  # screens that list accounts' items can jump to the account
                open_account.connect(self.open_account)
            own_undo = getattr(screen, "undo_action", None)
            if isinstance(own_undo, QAction):
                # A screen used on its own binds Ctrl+Z itself; here Edit › Undo does (on the screen's
                # stack), and two enabled actions on one key would make Qt run neither.
                own_undo.setShortcuts([])
            open_list = getattr(screen, "open_list", None)
            if open_list is not None:  # Today's cards open another screen's filtered list
                open_list.connect(self.open_list)
        return self._screens[key]

    def has_shown(self, key: str) -> bool:
        return key in self._shown

    def current_screen(self) -> Screen | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Screen) else None

    def show_screen(self, key: str) -> Screen:
        """Make `key` the current screen; the first time, this starts loading its data."""
        screen = self.screen_for(key)
        self.stack.setCurrentWidget(screen)
        if key not in self._shown:
            self._shown.add(key)
            screen.reload()
        self._last_screen = key
        self.sidebar.select_screen(key)
        self.saved_views.update_actions()
        self.update_undo_target()
        return screen

    # --- actions --------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        view = self.current_account_view()
        if view is not None:
            view.refresh()
            return
        screen = self.current_screen()
        if screen is not None:
            screen.reload()  # its `loaded` refreshes the status bar too
        else:
            self.refresh_status()

    def focus_filter(self) -> None:
        view = self.current_account_view()
        if view is not None:
            view.focus_filter()
            return
        screen = self.current_screen()
        if screen is not None:
            screen.focus_filter()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About AE Workbench",
            f"<h3>AE Workbench {__version__}</h3>"
            "<p>Trusted-partner accounts, held shipments, notes and compliance history for CBP Center "
            "Account Executives.</p>"
            f"<p>Database: {self.context.workspace.name}<br>"
            f"Settings: {self.context.settings.path}<br>"
            f"PySide6 {pyside_version}, Qt {qVersion()}</p>",
        )

    # --- status bar -----------------------------------------------------------------------------------------

    def _on_data_changed(self, _kinds: frozenset[str]) -> None:
        """A screen in front reloads on a change and its `loaded` refreshes the status bar; an account in
        front has no such signal, so the counts and data-as-of are read here."""
        if self.current_account_view() is not None:
            self.refresh_status()

    def refresh_status(self) -> None:
        self._status_generation += 1
        generation = self._status_generation
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: (database_stats(workspace), data_as_of(workspace)),
            name="status bar",
            owner=self,
            on_result=lambda result: self._show_status(generation, *result),
            on_error=lambda exc: self._show_status_error(generation, exc),
        )

    def _show_status(self, generation: int, stats: dict[str, int], as_of: datetime | None) -> None:
        if generation != self._status_generation:
            return
        self.as_of_label.setText(
            f"Data as of {fmt_datetime(utc_to_local(as_of))}" if as_of else "No data yet"
        )
        self.accounts_label.setText(plural(stats.get("accounts", 0), "account"))
        self.holds_label.setText(plural(stats.get("open_holds", 0), "open hold"))

    def _show_status_error(self, generation: int, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            sys.excepthook(type(exc), exc, exc.__traceback__)
        elif generation == self._status_generation:
            # Secondary information: say it could not be read; the screen's message bar explains why.
            self.as_of_label.setText("Data as of: unavailable")
            self.as_of_label.setToolTip(str(exc))

    # --- window state ---------------------------------------------------------------------------------------

    def _restore_window(self) -> None:
        ui = self.context.settings.ui
        geometry, state = ui.window_geometry(), ui.window_state()
        if geometry is None or not self.restoreGeometry(geometry):
            self._default_geometry()
        if state is not None:
            self.restoreState(state)
        splitter = ui.splitter_state("main")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        expanded = self.saved_views.store.expanded_screens()
        self.sidebar.set_expanded_keys(self.saved_views.screens if expanded is None else expanded)

    def _default_geometry(self) -> None:
        """First start: large enough for the portfolio's columns, never larger than the screen, centred."""
        available = self.screen().availableGeometry()
        width = min(DEFAULT_SIZE.width(), int(available.width() * 0.94))
        height = min(DEFAULT_SIZE.height(), int(available.height() * 0.94))
        self.resize(width, height)
        self.move(available.center() - self.rect().center())

    def save_state(self) -> None:
        ui = self.context.settings.ui
        ui.save_window(self.saveGeometry(), self.saveState())
        ui.save_splitter_state("main", self.splitter.saveState())
        self.saved_views.store.save_expanded_screens(self.sidebar.expanded_keys())
        current = self.current_screen()
        if current is not None:
            ui.save_last_screen(current.key)
        for screen in self._screens.values():
            screen.save_state()
        if self._account_tabs is not None:
            self._account_tabs.save_state()
        self.context.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The runner is not shut down here: it belongs to whoever made it (run_gui waits for it on exit).
        self.save_state()
        super().closeEvent(event)
