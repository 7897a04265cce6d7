"""Saved views: save, apply, rename, update, delete (and undo) in the sidebar; restarts; damaged settings."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from app.domain.enums import CenterCode, ThresholdState
from app.domain.followups import Bucket
from app.ui import saved_view_actions
from app.ui.mainwindow import MainWindow
from app.ui.models import followups as followup_columns, holds as hold_columns
from app.ui.models.portfolio import SORT_ROLE, column_index
from app.ui.saved_views import SavedViewError, SavedViewStore
from app.ui.views.followups import FollowUpsView
from app.ui.views.holds import HoldsView
from app.ui.views.portfolio import PortfolioView
from app.ui.widgets.sidebar import VIEW_ROLE

pytestmark = pytest.mark.gui


@pytest.fixture
def open_window(qtbot, make_context) -> Callable[..., MainWindow]:
    def open_(workspace) -> MainWindow:
        window = MainWindow(make_context(workspace))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return open_


@pytest.fixture
def names(monkeypatch) -> list[str]:
    """The names typed into "Save current view as…", in order (what the app said back is in `told`)."""
    typed: list[str] = []
    monkeypatch.setattr(saved_view_actions, "ask_name", lambda *_args: typed.pop(0) if typed else None)
    return typed


@pytest.fixture
def told(monkeypatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(saved_view_actions, "tell", lambda _parent, message: messages.append(message))
    return messages


def save_as(window: MainWindow, names: list[str], name: str) -> None:
    names.append(name)
    window.saved_views.save_as_action.trigger()


def choose(window: MainWindow, key: str, name: str) -> None:
    """Click the saved view in the sidebar (current or not: a click on the current view re-applies it)."""
    sidebar = window.sidebar
    item = next(i for i in sidebar.view_items(key) if i.data(0, VIEW_ROLE) == name)
    sidebar.scrollToItem(item)
    QTest.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=sidebar.visualItemRect(item).center())


def test_portfolio_view_round_trip_filters_columns_and_sort(open_window, demo_workspace, names) -> None:
    window = open_window(demo_workspace)
    view = window.current_screen()
    assert isinstance(view, PortfolioView)
    header = view.table.horizontalHeader()
    holds, tier = column_index("open_holds"), column_index("ctpat_tier")
    view.filter_edit.setText("a")
    view.filter_bar.center_combo.setCurrentIndex(view.filter_bar.center_combo.findData(CenterCode.ELEC))
    header.setSectionHidden(tier, True)
    header.moveSection(header.visualIndex(holds), 0)
    view.table.sortByColumn(holds, Qt.SortOrder.DescendingOrder)
    shown = view.proxy.rowCount()
    save_as(window, names, "Electronics by holds")
    assert window.sidebar.view_names("portfolio") == ["Electronics by holds"]
    assert "Electronics by holds" in window.statusBar().currentMessage()

    view.apply_view_state({})  # back to everything, default columns
    view.filter_bar.set_row_filter(view.proxy.row_filter.__class__())
    header.setSectionHidden(tier, False)
    header.moveSection(header.visualIndex(holds), holds)
    view.table.sortByColumn(column_index("name"), Qt.SortOrder.AscendingOrder)
    assert view.proxy.rowCount() > shown

    choose(window, "portfolio", "Electronics by holds")
    assert view.filter_edit.text() == "a"
    assert view.filter_bar.center_combo.currentData() == CenterCode.ELEC.value
    assert header.isSectionHidden(tier)
    assert header.visualIndex(holds) == 0
    assert header.sortIndicatorSection() == holds
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert view.proxy.rowCount() == shown
    values = [view.proxy.index(row, holds).data(SORT_ROLE) for row in range(view.proxy.rowCount())]
    assert values == sorted(values, reverse=True)


def test_holds_view_round_trip_with_grouping(qtbot, open_window, demo_workspace, names) -> None:
    window = open_window(demo_workspace)
    view = window.show_screen("holds")
    assert isinstance(view, HoldsView)
    header = view.table.horizontalHeader()
    exam = hold_columns.column_index("exam")
    view.threshold_combo.setCurrentIndex(view.threshold_combo.findData(ThresholdState.OK))
    view.group_combo.setCurrentIndex(view.group_combo.findData("port"))
    view.table.sortByColumn(hold_columns.column_index("placed_at"), Qt.SortOrder.AscendingOrder)
    header.setSectionHidden(exam, True)
    order = [header.logicalIndex(visual) for visual in range(header.count())]
    save_as(window, names, "OK by port")

    view.apply_view_state({"columns": [c.key for c in hold_columns.COLUMNS], "hidden": []})
    assert view.model.filter.group_by is None and view.model.filter.threshold is None
    assert view.model.sort_spec.key == "placed_at"  # a state without a sort keeps the current one
    view.table.sortByColumn(hold_columns.column_index("age"), Qt.SortOrder.DescendingOrder)

    choose(window, "holds", "OK by port")
    assert view.model.filter.threshold == ThresholdState.OK.value
    assert view.model.filter.group_by == "port"
    assert view.model.sort_spec.key == "placed_at" and not view.model.sort_spec.descending
    assert header.sortIndicatorSection() == hold_columns.column_index("placed_at")
    assert header.isSectionHidden(exam)
    assert [header.logicalIndex(visual) for visual in range(header.count())] == order
    assert view.group_combo.currentText() == "Group by port"


def test_followups_view_round_trip(open_window, demo_workspace, names) -> None:
    window = open_window(demo_workspace)
    view = window.show_screen("followups")
    assert isinstance(view, FollowUpsView)
    header = view.table.horizontalHeader()
    owner = followup_columns.column_index("owner")
    view.filter_edit.setText("call")
    view.apply_filter({"bucket": Bucket.OVERDUE})
    header.setSectionHidden(owner, True)
    save_as(window, names, "Overdue calls")
    assert view.view_state()["bucket"] == "overdue"
    assert "sort" not in view.view_state()  # the list is always in urgency order

    view.apply_view_state({})
    assert view.filter_edit.text() == "" and view.bucket_combo.currentData() is None
    header.setSectionHidden(owner, False)

    choose(window, "followups", "Overdue calls")
    assert view.filter_edit.text() == "call"
    assert view.bucket_combo.currentData() == Bucket.OVERDUE.value
    assert header.isSectionHidden(owner)
    assert not view.show_done_check.isChecked()


def test_apply_tolerates_unknown_keys_and_columns(open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    view = window.current_screen()
    assert isinstance(view, PortfolioView)
    header = view.table.horizontalHeader()
    holds = column_index("open_holds")
    view.apply_view_state(
        {
            "columns": ["retired_column", "open_holds", 7],
            "hidden": ["name", "retired_column"],  # the Account column never hides
            "sort": "retired_column",
            "filters": {"center": "NOT-A-CENTER", "tier": None},
            "text": None,
            "something_new": {"x": 1},
        }
    )
    assert header.visualIndex(holds) == 0
    assert not header.isSectionHidden(column_index("name"))
    assert view.proxy.row_filter.center is None
    assert view.proxy.rowCount() == view.model.rowCount()
    view.apply_view_state({"filters": "not a dict", "columns": "nor a list"})
    assert view.proxy.rowCount() == view.model.rowCount()


def test_names_are_unique_per_screen_ignoring_case(open_window, demo_workspace, names, told) -> None:
    window = open_window(demo_workspace)
    save_as(window, names, "Mine")
    names.extend(["  MINE ", "Mine too"])  # refused, then accepted on the second try
    window.saved_views.save_as_action.trigger()
    assert told == ["There is already a saved view named “Mine” here."]
    assert window.sidebar.view_names("portfolio") == ["Mine", "Mine too"]
    window.show_screen("holds")
    save_as(window, names, "mine")  # another screen: its own names
    assert window.sidebar.view_names("holds") == ["mine"]
    names.append("   ")
    window.saved_views.save_as_action.trigger()  # an empty name is refused too; then cancelled
    assert told[-1] == "A saved view needs a name."
    assert window.sidebar.view_names("holds") == ["mine"]


def test_rename_in_place_and_a_refused_name_is_put_back(open_window, demo_workspace, names) -> None:
    window = open_window(demo_workspace)
    save_as(window, names, "First")
    save_as(window, names, "Second")
    sidebar = window.saved_views.sidebar
    assert window.saved_views.rename_action.shortcut() == QKeySequence("F2")
    item = sidebar.view_items("portfolio")[0]
    item.setText(0, "Renamed")  # what finishing an F2 edit does
    assert sidebar.view_names("portfolio") == ["Renamed", "Second"]
    assert window.saved_views.store.names("portfolio") == ["Renamed", "Second"]
    sidebar.view_items("portfolio")[1].setText(0, "renamed")
    assert sidebar.view_names("portfolio") == ["Renamed", "Second"]
    assert "already a saved view" in window.statusBar().currentMessage()


def test_delete_and_undo_restore_the_view_in_its_place(open_window, demo_workspace, names) -> None:
    window = open_window(demo_workspace)
    for name in ("A", "B", "C"):
        save_as(window, names, name)
    controller = window.saved_views
    assert controller.delete_action.shortcut() == QKeySequence("Del")
    choose(window, "portfolio", "B")
    state = controller.store.find("portfolio", "B")
    controller.delete_action.trigger()
    assert window.sidebar.view_names("portfolio") == ["A", "C"]
    assert controller.store.names("portfolio") == ["A", "C"]
    assert "Deleted saved view “B”" in window.statusBar().currentMessage()
    controller.undo_action.trigger()
    assert controller.store.names("portfolio") == ["A", "B", "C"]
    assert controller.store.find("portfolio", "B") == state
    assert window.sidebar.current_choice() == ("portfolio", "B")


def test_update_with_current_view_and_undo(open_window, demo_workspace, names) -> None:
    window = open_window(demo_workspace)
    view = window.current_screen()
    assert isinstance(view, PortfolioView)
    save_as(window, names, "Work")
    choose(window, "portfolio", "Work")
    view.filter_edit.setText("zzz")
    window.saved_views.update_action.trigger()
    assert window.saved_views.store.find("portfolio", "Work").state["text"] == "zzz"
    window.saved_views.undo_action.trigger()
    assert window.saved_views.store.find("portfolio", "Work").state["text"] == ""


def test_views_and_expanded_state_survive_a_restart(open_window, demo_workspace, names) -> None:
    window = open_window(demo_workspace)
    save_as(window, names, "Kept")
    window.show_screen("holds")
    save_as(window, names, "Port view")
    window.sidebar.screen_item("portfolio").setExpanded(False)
    window.close()

    again = open_window(demo_workspace)
    assert again.sidebar.view_names("portfolio") == ["Kept"]
    assert again.sidebar.view_names("holds") == ["Port view"]
    assert not again.sidebar.screen_item("portfolio").isExpanded()
    assert again.sidebar.screen_item("holds").isExpanded()
    choose(again, "holds", "Port view")
    assert isinstance(again.current_screen(), HoldsView)


def test_damaged_settings_are_ignored_with_a_log_line(
    open_window, demo_workspace, settings_file, caplog
) -> None:
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    raw = QSettings(str(settings_file), QSettings.Format.IniFormat)
    raw.setValue("ui/saved_views/portfolio", "[{not json")
    raw.setValue("ui/saved_views/holds", json.dumps([{"no_name": 1}]))
    raw.setValue("ui/sidebar/expanded", "{{{")
    raw.sync()
    with caplog.at_level(logging.WARNING, logger="app.ui.saved_views"):
        window = open_window(demo_workspace)
    assert window.sidebar.view_names("portfolio") == []
    assert window.sidebar.view_names("holds") == []
    assert isinstance(window.current_screen(), PortfolioView)
    assert any("saved views of portfolio" in record.getMessage() for record in caplog.records)


def test_store_add_rename_delete_positions(tmp_path) -> None:
    store = SavedViewStore(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    store.add("holds", "One", {"sort": "age"})
    store.add("holds", "Two", {})
    store.add("holds", "Zero", {}, position=0)
    assert store.names("holds") == ["Zero", "One", "Two"]
    assert store.rename("holds", "one", "ONE").name == "ONE"  # a change of case is its own name
    with pytest.raises(SavedViewError):
        store.rename("holds", "Two", "zero")
    with pytest.raises(SavedViewError, match="no saved view"):
        store.delete("holds", "gone")
    assert store.delete("holds", "ONE")[0] == 1
    assert store.names("holds") == ["Zero", "Two"]
    assert store.names("portfolio") == []


def test_save_is_disabled_where_a_screen_has_no_saved_views(open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    assert window.saved_views.save_as_action.isEnabled()
    assert QKeySequence("Ctrl+Shift+S") in [window.saved_views.save_as_action.shortcut()]
    window.show_screen("today")
    assert not window.saved_views.save_as_action.isEnabled()
    assert window.sidebar.screen_item("today").childCount() == 0


def test_every_saved_view_screen_gives_json_and_takes_it_back(open_window, demo_workspace) -> None:
    window = open_window(demo_workspace)
    keys = window.saved_views.screens
    assert {"portfolio", "holds", "followups"} <= set(keys)
    assert "today" not in keys
    for key in keys:
        screen = window.show_screen(key)
        assert window.sidebar.screen_item(key).isExpanded()
        state = json.loads(json.dumps(screen.view_state()))  # JSON-ready, and unchanged by the trip
        screen.apply_view_state(state)
        assert screen.view_state() == state, key
        screen.apply_view_state({"unknown": True, "columns": ["gone"], "sort": 3})  # never raises
