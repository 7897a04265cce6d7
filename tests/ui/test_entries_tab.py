"""The account's Entries tab: every line of the busiest demo account, filtered and sorted in SQL, the
selection kept by line key across reloads, the count label, saved header state."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QUndoStack

from app.services import entry_lines
from app.services.accounts import list_portfolio
from app.services.workspace import Workspace
from app.ui.account.entries_tab import EntriesTab, count_text
from app.ui.changes import TRADE
from app.ui.formatting import fmt_money
from app.ui.models.entry_lines import COLUMNS, LINE_KEY_ROLE, column_index

pytestmark = pytest.mark.gui


@pytest.fixture
def account_id(demo_workspace: Workspace) -> uuid.UUID:
    return max(list_portfolio(demo_workspace), key=lambda row: row.entries_12m).account_id


@pytest.fixture
def tab(qtbot, make_context, demo_workspace: Workspace, account_id: uuid.UUID) -> EntriesTab:
    widget = EntriesTab(make_context(demo_workspace), account_id, QUndoStack())
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded):
        widget.reload()
    return widget


def column(tab: EntriesTab, key: str) -> list[str]:
    index = column_index(key)
    return [tab.model.index(row, index).data() for row in range(tab.model.rowCount())]


def keys(tab: EntriesTab) -> list[tuple[str, int]]:
    return [tab.model.id_at(row) for row in range(tab.model.rowCount())]  # type: ignore[misc]


def test_loads_every_line_newest_entry_first(
    qtmodeltester, tab: EntriesTab, demo_workspace: Workspace, account_id: uuid.UUID
) -> None:
    expected = entry_lines.line_keys(demo_workspace, account_id, sort="entry_date", descending=True)
    assert len(expected) > 10, "the busiest demo account has lines"
    assert keys(tab) == expected
    entries = len({number for number, _line in expected})
    assert tab.summary() == f"{len(expected):,} lines in {entries:,} entries"
    assert tab.key == "entries" and tab.title == "Entr&ies"
    assert tab.reacts_to() == frozenset({TRADE})
    qtmodeltester.check(tab.model)


def test_cells_are_formatted_and_numbers_right_aligned(tab: EntriesTab, demo_workspace: Workspace) -> None:
    first = entry_lines.line_rows(demo_workspace, [tab.model.id_at(0)])[0]  # type: ignore[list-item]
    texts = [tab.model.index(0, c).data() for c in range(len(COLUMNS))]
    assert texts[column_index("entry_number")] == first.entry_number
    assert len(first.entry_number) == 13 and first.entry_number[3] == "-"
    assert texts[column_index("entry_date")] == first.entry_date.strftime("%m/%d/%Y")
    assert texts[column_index("value")] == fmt_money(first.entered_value_cents)
    assert texts[column_index("held")] in ("Yes", "No")
    if first.hts_number:
        assert texts[column_index("hts")][4] == "."
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert tab.model.index(0, column_index("duty")).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert tab.model.index(0, column_index("mid")).data(Qt.ItemDataRole.TextAlignmentRole) != right
    assert tab.model.index(0, 0).data(LINE_KEY_ROLE) == tab.model.id_at(0)


def test_money_and_count_texts() -> None:
    assert fmt_money(123_456_78) == "$123,456.78"
    assert fmt_money(5) == "$0.05"
    assert fmt_money(-1_050) == "-$10.50"
    assert count_text(1630, 412, 1630, filtered=False) == "1,630 lines in 412 entries"
    assert count_text(1, 1, 1, filtered=False) == "1 line in 1 entry"
    assert count_text(37, 0, 1630, filtered=True) == "37 of 1,630 lines"
    assert count_text(0, 0, None, filtered=False) == "No entry lines"


def test_filter_waits_for_a_pause_then_queries(qtbot, tab: EntriesTab) -> None:
    total = tab.model.rowCount()
    country = column(tab, "country")[0]
    with qtbot.waitSignal(tab.loaded, timeout=2000):
        tab.filter_edit.setText(country.lower())
    shown = tab.model.rowCount()
    assert 0 < shown <= total
    # a country code also matches MID prefixes: every row has one or the other
    for origin, mid in zip(column(tab, "country"), column(tab, "mid"), strict=True):
        assert origin == country or mid.startswith(country)
    assert tab.summary() == f"{shown:,} of {total:,} lines"
    entry = column(tab, "entry_number")[0]
    with qtbot.waitSignal(tab.loaded, timeout=2000):
        tab.filter_edit.setText(entry[:9])  # with the dash
    assert set(column(tab, "entry_number")) >= {entry}
    assert all(number.startswith(entry[:9]) for number in column(tab, "entry_number"))
    with qtbot.waitSignal(tab.loaded, timeout=2000):
        tab.filter_edit.setText("")
    assert tab.model.rowCount() == total


def test_held_only(qtbot, tab: EntriesTab) -> None:
    held_before = column(tab, "held").count("Yes")
    with qtbot.waitSignal(tab.loaded):
        tab.held_check.setChecked(True)
    assert tab.model.rowCount() == held_before
    assert set(column(tab, "held")) <= {"Yes"}


@pytest.mark.parametrize("key", ["value", "country", "hts", "release_date", "line_number"])
def test_sort_in_sql(
    qtbot, tab: EntriesTab, demo_workspace: Workspace, account_id: uuid.UUID, key: str
) -> None:
    with qtbot.waitSignal(tab.loaded):
        tab.table.sortByColumn(column_index(key), Qt.SortOrder.AscendingOrder)
    expected = entry_lines.line_keys(demo_workspace, account_id, sort=key, descending=False)
    assert keys(tab) == expected
    with qtbot.waitSignal(tab.loaded):
        tab.table.sortByColumn(column_index(key), Qt.SortOrder.DescendingOrder)
    assert keys(tab) == expected[::-1]


def test_selection_is_restored_by_key_after_sort_and_reload(qtbot, tab: EntriesTab) -> None:
    key = tab.model.id_at(7)
    assert key is not None and tab.select_key(key)
    with qtbot.waitSignal(tab.loaded):
        tab.table.sortByColumn(column_index("value"), Qt.SortOrder.AscendingOrder)
    assert tab.selected_keys() == [key]
    assert tab.model.row_of(key) == tab.table.selectionModel().currentIndex().row()
    with qtbot.waitSignal(tab.loaded):
        tab.reload()
    assert tab.selected_keys() == [key]
    tab.copy_action.trigger()
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and clipboard.text() == tab.model.line_at(tab.model.row_of(key)).entry_number  # type: ignore[union-attr]


def test_header_state_is_saved_and_restored(
    qtbot, make_context, demo_workspace: Workspace, account_id: uuid.UUID, tab: EntriesTab
) -> None:
    with qtbot.waitSignal(tab.loaded):
        tab.table.sortByColumn(column_index("duty"), Qt.SortOrder.AscendingOrder)
    tab.save_state()
    context = make_context(demo_workspace)
    assert context.settings.ui.header_state("account-entries") is not None
    again = EntriesTab(context, account_id, QUndoStack())
    qtbot.addWidget(again)
    assert again.model.sort_spec.key == "duty" and not again.model.sort_spec.descending


def test_accessible_names_and_tab_order(tab: EntriesTab) -> None:
    for widget in (tab.filter_edit, tab.held_check, tab.table):
        assert widget.accessibleName()
    order = []
    widget = tab.filter_edit.nextInFocusChain()
    while widget is not tab.filter_edit and len(order) < 2:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(tab):
            order.append(widget)
        widget = widget.nextInFocusChain()
    assert order == [tab.held_check, tab.table]
