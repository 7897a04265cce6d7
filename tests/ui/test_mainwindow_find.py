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


def _current_account(window: MainWindow):
    view = window.current_account_view()
    assert view is not None, "no account tab is in front"
    return view


def test_a_hit_opens_its_account_in_a_tab(window: MainWindow, demo_workspace) -> None:
    hit = search(demo_workspace, "Société Lumière")[0]

    window.open_search_hit(hit)

    view = _current_account(window)
    assert view.account_id == hit.account_id
    assert view.account_name == "Société Lumière SA"
    assert window.sidebar.extra_item("accounts").text(0) == "Accounts (1)"


def test_opening_an_open_account_again_reuses_its_tab(window: MainWindow, demo_workspace) -> None:
    first, second = (hit.account_id for hit in search(demo_workspace, "Société Lumière")[:1] * 2)
    window.open_account(first)
    window.open_account(second)
    assert window.account_tabs().count() == 1


def test_a_note_hit_opens_the_notes_tab_at_that_note(window: MainWindow, demo_workspace) -> None:
    hit = next(h for h in search(demo_workspace, "customs") if h.kind == "note")

    window.open_search_hit(hit)

    view = _current_account(window)
    assert view.current_tab().key == "notes"
    item = view.current_tab().selected_item()
    assert item is not None and str(item.note.id) == hit.ref


def test_an_entry_hit_opens_the_entries_tab_on_that_entry(window: MainWindow, demo_workspace) -> None:
    account = window.open_account(search(demo_workspace, "Société Lumière")[0].account_id)
    entry = account.show_tab("entries").model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    window.close_account_tab()
    hit = next(h for h in search(demo_workspace, entry) if h.kind == "entry")

    window.open_search_hit(hit)

    tab = _current_account(window).current_tab()
    assert tab.key == "entries"
    assert tab.filter_edit.text() == hit.ref
    shown = {tab.model.index(row, 0).data(Qt.ItemDataRole.DisplayRole) for row in range(tab.model.rowCount())}
    assert shown == {entry}


def test_closing_the_last_account_goes_back_to_where_the_user_was(window: MainWindow, demo_workspace) -> None:
    window.show_screen("holds")
    window.open_account(search(demo_workspace, "Société Lumière")[0].account_id)
    window.close_account_tab()
    assert window.current_account_view() is None
    assert window.current_screen().key == "holds"
    assert window.sidebar.extra_item("accounts").isHidden()


def test_a_follow_up_opens_its_account(qtbot, window: MainWindow) -> None:
    followups = window.show_screen("followups")
    assert isinstance(followups, FollowUpsView)
    qtbot.waitUntil(lambda: followups.model.rowCount() > 0)
    account_id = followups.model.index(0, 0).data(ACCOUNT_ID_ROLE)
    followups.open_account.emit(account_id)
    assert _current_account(window).account_id == account_id


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


def test_a_list_on_a_screen_not_built_yet_says_so(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = [key for key in MainWindow.enabled_screen_keys(window) if key != "imports"]
    monkeypatch.setattr(window, "enabled_screen_keys", lambda: built)  # every screen is built now: pretend
    before = window.current_screen()
    window.open_list("imports", {})
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
    assert _current_account(window).account_id == hold.account_id


def test_enter_on_a_portfolio_row_opens_the_account(qtbot, window: MainWindow) -> None:
    view = window.current_screen()
    assert isinstance(view, PortfolioView)
    view.table.setFocus()
    view.table.selectRow(3)
    account_id = view.selected_account_ids()[0]
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert _current_account(window).account_id == account_id
    # Several accounts open side by side, each in its own tab.
    window.show_screen("portfolio")
    view.table.selectRow(4)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.account_tabs().count() == 2
