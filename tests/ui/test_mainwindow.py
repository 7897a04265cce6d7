"""The main window on the demo portfolio: sidebar, portfolio table, filter, sorting, status bar, settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from app import __version__
from app.services.accounts import list_portfolio
from app.services.stats import database_stats
from app.ui.mainwindow import NOT_YET, SCREENS, MainWindow
from app.ui.models.portfolio import SORT_ROLE, column_index
from app.ui.views.portfolio import PortfolioView

pytestmark = pytest.mark.gui

# The screens that exist so far; the rest show greyed out.
BUILT = {
    "Today",
    "Portfolio",
    "Held shipments",
    "Follow-ups",
    "Compliance",
    "Imports",
    "Conflicts",
    "Reports",
}


@pytest.fixture
def open_window(qtbot, make_context):
    """`open_window(workspace, runner=None)`: a shown MainWindow, closed by qtbot at the end."""

    def open_(workspace, runner=None) -> MainWindow:
        window = MainWindow(make_context(workspace, runner))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return open_


def portfolio(window: MainWindow) -> PortfolioView:
    view = window.current_screen()
    assert isinstance(view, PortfolioView)
    return view


def test_opens_on_the_portfolio_with_every_account(open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    accounts = database_stats(demo_workspace)["accounts"]
    view = portfolio(window)
    assert accounts > 0
    assert window.windowTitle() == f"AE Workbench — {demo_workspace.name}"
    assert view.table.model().rowCount() == accounts
    assert view.count_label.text() == f"{accounts:,} accounts"
    assert view.pages.currentWidget() is view.table


def test_sidebar_lists_every_screen_and_only_built_ones_are_enabled(open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    sidebar = window.sidebar
    assert sidebar.topLevelItemCount() == len(SCREENS)
    assert [item.text(0) for item in sidebar.screen_items()] == [
        "Today",
        "Portfolio",
        "Held shipments",
        "Follow-ups",
        "Compliance",
        "Imports",
        "Conflicts",
        "Reports",
    ]
    assert sidebar.currentItem().text(0) == "Portfolio"
    for item in sidebar.screen_items():
        enabled = bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)
        assert enabled == (item.text(0) in BUILT)
        if not enabled:
            assert NOT_YET in item.toolTip(0)
    assert window.enabled_screen_keys() == [e.key for e in SCREENS if e.built]
    assert window.enabled_screen_keys() == [e.key for e in SCREENS if e.title in BUILT]


def test_typing_in_the_filter_reduces_the_rows(qtbot, open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    view = portfolio(window)
    total = view.proxy.rowCount()
    name = view.model.row_at(0).name
    word = max(name.split(), key=len)
    qtbot.keyClicks(view.filter_edit, word.upper())
    shown = view.proxy.rowCount()
    assert 1 <= shown < total
    for row in range(shown):
        haystack = " ".join(str(view.proxy.index(row, c).data()) for c in range(3)).casefold()
        assert word.casefold() in haystack
    assert view.count_label.text() == f"{shown:,} of {total:,} accounts"
    view.filter_edit.clear()
    assert view.proxy.rowCount() == total


def test_ctrl_f_focuses_the_filter(qtbot, open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    view = portfolio(window)
    assert QKeySequence("Ctrl+F") in window.filter_action.shortcuts()
    view.table.setFocus()
    window.filter_action.trigger()
    qtbot.waitUntil(view.filter_edit.hasFocus)


def test_sorting_by_open_holds_descending_puts_the_maximum_first(open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    view = portfolio(window)
    column = column_index("open_holds")
    view.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    most = max(row.open_holds for row in list_portfolio(demo_workspace))
    assert most > 0, "the demo portfolio should have open holds"
    assert view.proxy.index(0, column).data(SORT_ROLE) == most
    assert view.table.horizontalHeader().sortIndicatorSection() == column


def test_status_bar_shows_database_date_accounts_and_holds(open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    stats = database_stats(demo_workspace)
    assert window.database_label.text() == demo_workspace.name
    assert window.as_of_label.text().startswith("Data as of ")
    assert window.accounts_label.text() == f"{stats['accounts']:,} accounts"
    assert window.holds_label.text() == f"{stats['open_holds']:,} open holds"


def test_header_state_and_screen_survive_a_restart(qtbot, open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    header = portfolio(window).table.horizontalHeader()
    holds = column_index("open_holds")
    header.resizeSection(0, 123)
    header.moveSection(header.visualIndex(holds), 0)
    portfolio(window).table.sortByColumn(holds, Qt.SortOrder.DescendingOrder)
    window.close()

    again = open_window(demo_workspace)
    header = portfolio(again).table.horizontalHeader()
    assert header.sectionSize(0) == 123
    assert header.visualIndex(holds) == 0
    assert header.sortIndicatorSection() == holds
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    view = portfolio(again)
    assert view.proxy.index(0, holds).data(SORT_ROLE) == max(
        view.model.row_at(row).open_holds for row in range(view.model.rowCount())
    )


def test_sorting_keeps_the_selected_account_selected(open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    view = portfolio(window)
    view.table.selectRow(5)
    chosen = view.selected_account_ids()
    view.table.sortByColumn(column_index("entries_12m"), Qt.SortOrder.DescendingOrder)
    assert view.selected_account_ids() == chosen
    view.table.sortByColumn(column_index("name"), Qt.SortOrder.AscendingOrder)
    assert view.selected_account_ids() == chosen
    assert view.table.selectionModel().selectedRows()[0].row() == 5  # back where it started


def test_refresh_keeps_the_selection(qtbot, open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    view = portfolio(window)
    view.table.selectRow(3)
    chosen = view.selected_account_ids()
    with qtbot.waitSignal(view.loaded):
        window.refresh_action.trigger()
    assert view.selected_account_ids() == chosen


def test_loads_on_a_worker_thread(qtbot, open_window, demo_workspace, threaded_runner) -> None:
    window = open_window(demo_workspace, threaded_runner)
    view = portfolio(window)
    assert view.model.rowCount() == 0  # not yet: the query runs on a worker thread
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        pass
    assert view.model.rowCount() == database_stats(demo_workspace)["accounts"]
    qtbot.waitUntil(lambda: window.accounts_label.text() != "", timeout=10_000)


def test_a_destroyed_window_never_hears_from_its_tasks(qtbot, make_context, demo_workspace, threaded_runner):
    window = MainWindow(make_context(demo_workspace, threaded_runner))
    tasks = list(threaded_runner._active)  # the portfolio load and the status bar: results not yet delivered
    assert tasks
    with qtbot.waitSignal(window.destroyed, timeout=5000):
        window.deleteLater()
    qtbot.waitUntil(lambda: not threaded_runner.busy, timeout=10_000)
    assert all(task.abandoned for task in tasks)


def test_an_empty_database_explains_what_to_do(open_window, empty_workspace) -> None:
    window = open_window(empty_workspace)
    view = portfolio(window)
    assert view.pages.currentWidget() is view.empty_label
    assert "ae-workbench import" in view.empty_label.text()
    assert window.accounts_label.text() == "0 accounts"
    assert window.as_of_label.text() == "No data yet"


def test_about_names_the_version(monkeypatch, open_window, demo_workspace) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window = open_window(demo_workspace)
    window.about_action.trigger()
    assert __version__ in shown[0]


def test_quit_shortcut_closes_the_window(qtbot, open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    assert QKeySequence("Ctrl+Q") in window.quit_action.shortcuts()
    assert QKeySequence("F5") in window.refresh_action.shortcuts()
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_each_screen_entry_names_its_class_and_its_saved_views_flag_truly() -> None:
    for entry in SCREENS:
        if entry.built:
            assert entry.load().key == entry.key
            assert entry.load().supports_saved_views == entry.saved_views, entry.key
