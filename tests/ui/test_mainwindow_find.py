"""The main window's Find anything (Ctrl+K) and Tools menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.search import search
from app.ui.mainwindow import MainWindow
from app.ui.models.followups import ACCOUNT_ID_ROLE
from app.ui.models.holds import column_index as holds_column
from app.ui.views.followups import FollowUpsView
from app.ui.views.holds import HoldsView
from app.ui.views.portfolio import PortfolioView

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, make_context, demo_workspace) -> MainWindow:
    window = MainWindow(make_context(demo_workspace))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_tools_menu_offers_the_three_calculators(window: MainWindow) -> None:
    menus = {action.text().replace("&", ""): action.menu() for action in window.menuBar().actions()}
    tools = [action.text().replace("&", "") for action in menus["Tools"].actions()]
    assert len(tools) == 3
    assert any("check-digit" in text.lower() for text in tools)
    assert any("MID" in text for text in tools)
    assert any("deadline" in text.lower() for text in tools)


def test_find_anything_has_ctrl_k(window: MainWindow) -> None:
    assert window.find_action.shortcut().toString() == "Ctrl+K"


def test_a_hit_selects_its_account_in_the_portfolio(qtbot, window: MainWindow, demo_workspace) -> None:
    view = window.current_screen()
    assert isinstance(view, PortfolioView)
    qtbot.keyClicks(view.filter_edit, "no such account at all")
    assert view.proxy.rowCount() == 0
    hit = search(demo_workspace, "Société Lumière")[0]

    window.open_search_hit(hit)

    assert view.filter_edit.text() == ""
    assert view.selected_account_ids() == [hit.account_id]
    assert view.table.hasFocus() or view.table.currentIndex().isValid()
    name = view.table.currentIndex().siblingAtColumn(0).data(Qt.ItemDataRole.DisplayRole)
    assert name == "Société Lumière SA"


def test_a_follow_up_opens_its_account(qtbot, window: MainWindow) -> None:
    followups = window.show_screen("followups")
    assert isinstance(followups, FollowUpsView)
    qtbot.waitUntil(lambda: followups.model.rowCount() > 0)
    account_id = followups.model.index(0, 0).data(ACCOUNT_ID_ROLE)
    followups.open_account.emit(account_id)
    view = window.current_screen()
    assert isinstance(view, PortfolioView)
    assert view.selected_account_ids() == [account_id]


def test_todays_overdue_card_opens_the_overdue_follow_ups(window: MainWindow) -> None:
    window.open_list("followups", {"bucket": "overdue"})
    view = window.current_screen()
    assert isinstance(view, FollowUpsView)
    assert view.bucket_combo.currentData() == "overdue"


def test_todays_no_contact_card_narrows_the_portfolio(qtbot, window: MainWindow) -> None:
    view = window.current_screen()
    assert isinstance(view, PortfolioView)
    everyone = view.proxy.rowCount()
    window.open_list("portfolio", {"no_contact_days": 10})
    assert window.current_screen() is view
    narrowed = view.proxy.rowCount()
    assert 0 < narrowed < everyone  # the demo has accounts on both sides of ten days
    assert view.contact_chip.isVisible()
    qtbot.mouseClick(view.contact_chip, Qt.MouseButton.LeftButton)
    assert view.proxy.rowCount() == everyone
    assert not view.contact_chip.isVisible()


def test_a_list_on_a_screen_not_built_yet_says_so(window: MainWindow) -> None:
    before = window.current_screen()
    window.open_list("reports", {})
    assert window.current_screen() is before
    assert "next release" in window.statusBar().currentMessage()


def test_todays_aged_holds_card_opens_the_board_oldest_first(qtbot, window: MainWindow) -> None:
    window.open_list("holds", {"min_age_business_days": 5})
    view = window.current_screen()
    assert isinstance(view, HoldsView)
    header = view.table.horizontalHeader()
    assert header.sortIndicatorSection() == holds_column("age")
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert view.threshold_combo.currentIndex() == 0


def test_a_held_shipment_opens_its_account(qtbot, window: MainWindow) -> None:
    board = window.show_screen("holds")
    assert isinstance(board, HoldsView)
    qtbot.waitUntil(lambda: board.model.rowCount() > 0)
    board.table.selectRow(0)
    hold = board.current_hold()
    assert hold is not None
    board.open_account.emit(hold.account_id)
    view = window.current_screen()
    assert isinstance(view, PortfolioView)
    assert view.selected_account_ids() == [hold.account_id]
