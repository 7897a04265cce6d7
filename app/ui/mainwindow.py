"""The main window: a sidebar of screens, the chosen screen, and a status bar about the open database.

Screens are listed once in `SCREENS`. An entry without a widget class is a screen that has not been built
yet: it shows in the sidebar greyed out with a tooltip, so the user sees what is coming, but it can never be
chosen (no empty placeholder pages). `--smoke` walks `enabled_screen_keys()`, so a screen joins the smoke test
as soon as it gets a class here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from app import __version__
from app.domain.errors import UserError
from app.domain.views import SearchHit
from app.services.stats import data_as_of, database_stats
from app.ui.dialogs.quickfind import QuickFindDialog
from app.ui.dialogs.tools import tool_actions
from app.ui.formatting import fmt_datetime, plural, utc_to_local
from app.ui.views.base import Screen, ScreenContext
from app.ui.views.followups import FollowUpsView
from app.ui.views.holds import HoldsView
from app.ui.views.portfolio import PortfolioView
from app.ui.views.today import TodayView
from app.ui.widgets.appearance_menu import AppearanceMenu
from app.ui.widgets.job_indicator import JobIndicator

NOT_YET = "arrives in the next release"
SCREEN_KEY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class ScreenEntry:
    key: str
    title: str
    widget: type[Screen] | None  # None: not built yet (shown disabled)


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("today", "Today", TodayView),
    ScreenEntry("portfolio", "Portfolio", PortfolioView),
    ScreenEntry("holds", "Held shipments", HoldsView),
    ScreenEntry("followups", "Follow-ups", FollowUpsView),
    ScreenEntry("compliance", "Compliance", None),
    ScreenEntry("imports", "Imports", None),
    ScreenEntry("reports", "Reports", None),
)
DEFAULT_SCREEN = "portfolio"
DEFAULT_SIZE = QSize(1680, 960)  # all portfolio columns visible on a 1920 x 1080 screen


class MainWindow(QMainWindow):
    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("main-window")
        self.setWindowTitle(f"AE Workbench — {context.workspace.name}")
        self._screens: dict[str, Screen] = {}
        self._shown: set[str] = set()
        self._status_generation = 0

        self.sidebar = self._make_sidebar()
        self.stack = QStackedWidget(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([140, 1500])
        self.setCentralWidget(self.splitter)
        self._make_status_bar()
        self._make_menus()
        self._restore_window()
        self.sidebar.currentItemChanged.connect(self._on_sidebar_changed)
        self.show_screen(self._initial_screen())
        self.refresh_status()
        # Settle the window's minimum size now rather than while it is being shown: some platform plugins
        # (offscreen, used by --smoke and the tests) warn when a shown window's size constraints change.
        layout = self.layout()
        if layout is not None:
            layout.activate()

    # --- building -------------------------------------------------------------------------------------------

    def _make_sidebar(self) -> QListWidget:
        sidebar = QListWidget(self)
        sidebar.setObjectName("sidebar")
        sidebar.setUniformItemSizes(True)
        sidebar.setSpacing(2)
        sidebar.setMinimumWidth(120)
        for entry in SCREENS:
            item = QListWidgetItem(entry.title, sidebar)
            item.setData(SCREEN_KEY_ROLE, entry.key)
            item.setSizeHint(QSize(0, sidebar.fontMetrics().height() + 14))
            if entry.widget is None:
                item.setFlags(item.flags() & ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable))
                item.setToolTip(f"{entry.title}: {NOT_YET}")
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

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu("&View")
        self.refresh_action = self._action("&Refresh", QKeySequence.StandardKey.Refresh, self.refresh, "F5")
        self.filter_action = self._action(
            "&Filter…", QKeySequence.StandardKey.Find, self.focus_filter, "Ctrl+F"
        )
        self.quick_find = QuickFindDialog(self.context, self)
        self.quick_find.activated.connect(self.open_search_hit)
        self.find_action = self._action("Find &anything…", None, self.quick_find.open_search, "Ctrl+K")
        view_menu.addAction(self.refresh_action)
        view_menu.addAction(self.filter_action)
        view_menu.addAction(self.find_action)
        view_menu.addSeparator()
        self.appearance_menu = AppearanceMenu(self.context.settings, self)
        self.appearance_menu.text_size_changed.connect(self._on_text_size_changed)
        self.addActions(self.appearance_menu.text_size_actions())  # their shortcuts work with the menu shut
        view_menu.addMenu(self.appearance_menu)

        tools_menu = self.menuBar().addMenu("&Tools")
        tools_menu.addActions(tool_actions(self))

        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = self._action("&About AE Workbench", None, self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.about_action)

    def _on_text_size_changed(self, size: int) -> None:
        self.statusBar().showMessage(f"Text size {size} pt", 3000)
        # Sidebar item heights were computed from the old font; rows would clip (or gape) without this.
        for row in range(self.sidebar.count()):
            self.sidebar.item(row).setSizeHint(QSize(0, self.sidebar.fontMetrics().height() + 14))

    def _action(self, text, standard_key, slot, fallback: str | None = None) -> QAction:
        action = QAction(text, self)
        shortcuts = QKeySequence.keyBindings(standard_key) if standard_key is not None else []
        if fallback and QKeySequence(fallback) not in shortcuts:
            # Some platforms bind no key to a standard action (Quit on Windows, Refresh on some desktops);
            # the documented shortcut must work everywhere.
            shortcuts = [QKeySequence(fallback), *shortcuts]
        action.setShortcuts(shortcuts)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def open_search_hit(self, hit: SearchHit) -> None:
        """Go to what a quick-find hit names: for now, its account."""
        self.open_account(hit.account_id)

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

    def open_account(self, account_id: object) -> None:
        """Show one account. Until the account view exists, that is its row in the portfolio."""
        portfolio = self.show_screen("portfolio")
        if isinstance(portfolio, PortfolioView):
            portfolio.show_account(account_id)

    # --- screens --------------------------------------------------------------------------------------------

    def enabled_screen_keys(self) -> list[str]:
        return [entry.key for entry in SCREENS if entry.widget is not None]

    def _initial_screen(self) -> str:
        last = self.context.settings.ui.last_screen()
        if self.context.settings.preferences.restore_last_screen and last in self.enabled_screen_keys():
            return last
        return DEFAULT_SCREEN

    def screen_for(self, key: str) -> Screen:
        """The screen for `key`, built on first use (its data loads when it is first shown)."""
        if key not in self._screens:
            entry = next(entry for entry in SCREENS if entry.key == key)
            if entry.widget is None:
                raise KeyError(f"screen {key!r} is not available yet")
            screen = entry.widget(self.context, self.stack)
            self._screens[key] = screen
            self.stack.addWidget(screen)
            screen.loaded.connect(self.refresh_status)
            open_account = getattr(screen, "open_account", None)
            if open_account is not None:  # screens that list accounts' items can jump to the account
                open_account.connect(self.open_account)
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
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if item.data(SCREEN_KEY_ROLE) == key and self.sidebar.currentItem() is not item:
                self.sidebar.setCurrentItem(item)
        return screen

    def _on_sidebar_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None and current.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.show_screen(current.data(SCREEN_KEY_ROLE))

    # --- actions --------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        screen = self.current_screen()
        if screen is not None:
            screen.reload()  # its `loaded` refreshes the status bar too
        else:
            self.refresh_status()

    def focus_filter(self) -> None:
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
        current = self.current_screen()
        if current is not None:
            ui.save_last_screen(current.key)
        for screen in self._screens.values():
            screen.save_state()
        self.context.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The runner is not shut down here: it belongs to whoever made it (run_gui waits for it on exit).
        self.save_state()
        super().closeEvent(event)
