"""The sidebar on its own and in the main window: keyboard, greyed-out screens, extra items, row heights."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from app.ui import saved_view_actions
from app.ui.mainwindow import MainWindow
from app.ui.views.holds import HoldsView
from app.ui.views.portfolio import PortfolioView
from app.ui.widgets.sidebar import ROW_PADDING, Sidebar

pytestmark = pytest.mark.gui


@pytest.fixture
def sidebar(qtbot) -> Sidebar:
    widget = Sidebar()
    qtbot.addWidget(widget)
    widget.add_screen("one", "One", enabled=True)
    widget.add_screen("two", "Two", enabled=False, tooltip="Two: later")
    widget.add_screen("three", "Three", enabled=True)
    widget.set_views("one", ["Alpha", "Beta"])
    widget.set_expanded_keys(["one"])
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def window(qtbot, make_context, demo_workspace) -> MainWindow:
    main = MainWindow(make_context(demo_workspace))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()  # window shortcuts (Ctrl+Z) and the focus work only in the active window
    qtbot.waitUntil(main.isActiveWindow)
    return main


def test_choosing_reports_screens_and_views_never_disabled_ones(qtbot, sidebar: Sidebar) -> None:
    assert sidebar.objectName() == "sidebar"
    assert sidebar.accessibleName()
    sidebar.setFocus()
    sidebar.setCurrentItem(sidebar.screen_item("one"))
    chosen: list[tuple[str, ...]] = []
    sidebar.screen_chosen.connect(lambda key: chosen.append((key,)))
    sidebar.view_chosen.connect(lambda key, name: chosen.append((key, name)))
    for _ in range(4):  # Alpha, Beta, (Two is greyed out: skipped) Three, then stays
        qtbot.keyClick(sidebar, Qt.Key.Key_Down)
    assert chosen == [("one", "Alpha"), ("one", "Beta"), ("three",)]
    qtbot.keyClick(sidebar, Qt.Key.Key_Up)
    assert chosen[-1] == ("one", "Beta")
    qtbot.keyClick(sidebar, Qt.Key.Key_Return)  # Enter on the current view applies it again
    assert chosen[-2:] == [("one", "Beta"), ("one", "Beta")]
    assert sidebar.screen_item("two").toolTip(0) == "Two: later"
    assert not sidebar.screen_item("two").flags() & Qt.ItemFlag.ItemIsSelectable


def test_select_in_code_reports_nothing(sidebar: Sidebar) -> None:
    chosen: list[str] = []
    sidebar.screen_chosen.connect(chosen.append)
    sidebar.view_chosen.connect(lambda key, name: chosen.append(name))
    sidebar.select_screen("three")
    sidebar.select_view("one", "beta")  # found ignoring case
    assert sidebar.current_choice() == ("one", "Beta")
    sidebar.set_views("one", ["Beta", "Gamma"])  # the current view survives a refill
    assert sidebar.current_choice() == ("one", "Beta")
    sidebar.set_views("one", ["Gamma"])  # ... or falls back to its screen
    assert sidebar.current_choice() == ("one", None)
    assert chosen == []


def test_extra_items_come_and_go_after_the_screens(sidebar: Sidebar) -> None:
    chosen: list[str] = []
    sidebar.extra_chosen.connect(chosen.append)
    item = sidebar.set_extra_item("accounts", "Accounts", True)
    assert sidebar.topLevelItem(sidebar.topLevelItemCount() - 1) is item
    assert [i.text(0) for i in sidebar.screen_items()] == ["One", "Two", "Three"]
    sidebar.setCurrentItem(item)
    assert chosen == ["accounts"]
    assert sidebar.current_choice() is None
    assert sidebar.set_extra_item("accounts", "Accounts (2)", False) is item
    assert item.isHidden() and item.text(0) == "Accounts (2)"


def test_rows_follow_the_text_size(sidebar: Sidebar) -> None:
    font = QFont(sidebar.font())
    font.setPointSize(font.pointSize() + 8)
    sidebar.setFont(font)
    sidebar.update_row_heights()
    expected = sidebar.fontMetrics().height() + ROW_PADDING
    assert sidebar.screen_item("one").sizeHint(0).height() == expected
    assert sidebar.view_items("one")[0].sizeHint(0).height() == expected


def test_window_sidebar_switches_screens_and_offers_the_view_actions(qtbot, window, monkeypatch) -> None:
    sidebar = window.sidebar
    sidebar.setCurrentItem(sidebar.screen_item("holds"))
    assert isinstance(window.current_screen(), HoldsView)
    window.show_screen("portfolio")
    assert sidebar.current_choice() == ("portfolio", None)
    texts = [action.text() for action in sidebar.context_actions if action is not None]
    assert texts == ["&Save current view as…", "&Update with current view", "&Rename", "&Delete", "&Undo"]
    assert not window.saved_views.delete_action.isEnabled()  # a screen, not a saved view, is current
    monkeypatch.setattr(saved_view_actions, "ask_name", lambda *_args: "Mine")
    window.saved_views.save_as_action.trigger()
    assert sidebar.current_choice() == ("portfolio", "Mine")
    assert window.saved_views.delete_action.isEnabled()
    sidebar.setFocus()
    qtbot.waitUntil(sidebar.hasFocus)  # Ctrl+Z acts on the saved views only while the sidebar has the focus
    qtbot.keyClick(sidebar, Qt.Key.Key_Delete)
    assert sidebar.view_names("portfolio") == []
    assert isinstance(window.current_screen(), PortfolioView)
    qtbot.keyClick(sidebar, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sidebar.view_names("portfolio") == ["Mine"]
