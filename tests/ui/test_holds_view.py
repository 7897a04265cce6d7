"""The held-shipments board: loads the demo's open holds a page at a time, filters, sorts and groups in SQL,
keeps the selection across reloads, and logs a contact on a hold."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.enums import NoteKind, ThresholdState
from app.services import holdboard, notes
from app.services.workspace import Workspace
from app.ui.dialogs.log_contact import ContactInput, LogContactDialog
from app.ui.models.holds import ACCOUNT_ID_ROLE, COLUMNS, THRESHOLD_ROLE, column_index
from app.ui.views.holds import HoldsView
from tests.store import factories as f

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot, demo_workspace: Workspace, make_context) -> HoldsView:
    screen = HoldsView(make_context(demo_workspace))
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded):
        screen.reload()
    return screen


def column_texts(view: HoldsView, key: str) -> list[str]:
    column = column_index(key)
    return [view.model.index(row, column).data() for row in range(view.model.rowCount())]


def test_loads_every_open_hold_oldest_first(
    qtmodeltester, view: HoldsView, demo_workspace: Workspace
) -> None:
    expected = holdboard.open_hold_ids(demo_workspace, sort="age", descending=True)
    assert expected, "the demo has open holds"
    assert view.model.rowCount() == len(expected)
    assert [view.model.id_at(row) for row in range(len(expected))] == expected
    assert view.count_label.text() == f"{len(expected):,} open holds" or len(expected) == 1
    assert view.summary() == f"{len(expected):,} rows"
    qtmodeltester.check(view.model)


def test_threshold_is_colour_icon_and_words(view: HoldsView) -> None:
    column = column_index("threshold")
    for row in range(view.model.rowCount()):
        index = view.model.index(row, column)
        state = index.data(THRESHOLD_ROLE)
        assert index.data()  # words
        assert index.data(Qt.ItemDataRole.ToolTipRole).startswith(index.data())  # and the due dates
        assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()  # an icon
        assert (index.data(Qt.ItemDataRole.BackgroundRole) is None) == (state == ThresholdState.OK)


def test_threshold_filter(qtbot, view: HoldsView) -> None:
    combo = view.threshold_combo
    counts = {}
    for state in ThresholdState:
        with qtbot.waitSignal(view.loaded):
            combo.setCurrentIndex(combo.findData(state))
        states = {view.model.index(row, 0).data(THRESHOLD_ROLE) for row in range(view.model.rowCount())}
        assert states <= {state}
        counts[state] = view.model.rowCount()
    with qtbot.waitSignal(view.loaded):
        combo.setCurrentIndex(0)
    assert sum(counts.values()) == view.model.rowCount()


def test_text_filter_waits_for_a_pause_then_queries(qtbot, view: HoldsView) -> None:
    name = view.model.index(0, column_index("account")).data()
    word = name.split()[0]
    with qtbot.waitSignal(view.loaded, timeout=2000):
        view.filter_edit.setText(word.upper())
    accounts = column_texts(view, "account")
    assert accounts and all(word.casefold() in account.casefold() for account in accounts)
    with qtbot.waitSignal(view.loaded, timeout=2000):
        view.filter_edit.setText("no such hold anywhere")
    assert view.model.rowCount() == 0 and view.count_label.text() == "No open holds match"


def test_sort_and_group_by_sql(qtbot, view: HoldsView) -> None:
    with qtbot.waitSignal(view.loaded):
        view.table.sortByColumn(column_index("account"), Qt.SortOrder.AscendingOrder)
    accounts = column_texts(view, "account")
    assert accounts == sorted(accounts, key=str.lower)
    with qtbot.waitSignal(view.loaded):
        view.group_combo.setCurrentIndex(view.group_combo.findData("port"))
    ports = [text.split(" · ")[0] for text in column_texts(view, "port")]
    assert ports == sorted(ports)
    assert view.table.horizontalHeader().logicalIndex(0) == column_index("port")  # the group column leads
    before = [view.model.id_at(row) for row in range(view.model.rowCount())]
    view.table.sortByColumn(column_index("last_action"), Qt.SortOrder.AscendingOrder)  # not sortable in SQL
    assert view.table.horizontalHeader().sortIndicatorSection() == column_index("account")
    assert [view.model.id_at(row) for row in range(view.model.rowCount())] == before


def test_selection_survives_a_reload_by_hold_id(qtbot, view: HoldsView) -> None:
    view.table.selectRow(3)
    chosen = view.selected_hold_ids()
    with qtbot.waitSignal(view.loaded):
        view.table.sortByColumn(column_index("entry_number"), Qt.SortOrder.DescendingOrder)
    assert view.selected_hold_ids() == chosen


def test_open_account_emits_the_account_id(qtbot, view: HoldsView) -> None:
    view.table.selectRow(0)
    expected = view.model.index(0, 0).data(ACCOUNT_ID_ROLE)
    with qtbot.waitSignal(view.open_account) as opened:
        view.open_action.trigger()
    assert opened.args == [expected]


def test_controls_have_accessible_names(view: HoldsView) -> None:
    controls = [view.filter_edit, view.threshold_combo, view.group_combo, view.table, *view.buttons]
    assert all(control.accessibleName() for control in controls)
    assert [column.heading for column in COLUMNS][-1] == "Last action"


@pytest.fixture
def held(empty_workspace: Workspace) -> Iterator[tuple[Workspace, uuid.UUID, uuid.UUID]]:
    with empty_workspace.database.session() as session:
        account = f.add_account(session, "Harbor Goods")
        entry = f.add_entry(session, account, 1, date.today())
        placed = datetime.combine(date.today() - timedelta(days=3), datetime.min.time())
        hold = f.add_hold(session, entry, account, placed)
    yield empty_workspace, account, hold


def test_log_contact_writes_a_note_on_the_hold(qtbot, held, make_context) -> None:
    workspace, account, hold = held
    screen = HoldsView(make_context(workspace))
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded):
        screen.reload()
    screen.table.selectRow(0)
    row = screen.current_hold()
    assert row is not None and row.hold_id == hold
    follow_up = date.today() + timedelta(days=2)
    with qtbot.waitSignal(screen.loaded):
        screen.save_note(row, ContactInput(NoteKind.CALL, "Port says exam Thursday", follow_up))
    (note,) = notes.list_notes(workspace, str(account))
    assert (note.hold_id, note.kind, note.follow_up_on) == (hold, NoteKind.CALL, follow_up)
    assert screen.model.index(0, column_index("last_action")).data().startswith("Call ")
    assert screen.selected_hold_ids() == [hold]


def test_log_contact_dialog(qtbot) -> None:
    dialog = LogContactDialog("ABC-1234567-8", today=date(2026, 11, 20))
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    dialog.kind.setCurrentIndex(dialog.kind.findData(NoteKind.EMAIL))
    dialog.text.setPlainText("  sent the invoice  ")
    assert save.isEnabled()
    assert dialog.value() == ContactInput(NoteKind.EMAIL, "sent the invoice", None)
    preset = LogContactDialog("ABC-1234567-8", follow_up_only=True, today=date(2026, 11, 20))
    qtbot.addWidget(preset)
    preset.text.setPlainText("chase the lab result")
    assert preset.value() == ContactInput(NoteKind.NOTE, "chase the lab result", date(2026, 11, 22))


def test_a_disposition_code_repeated_in_its_text_is_shown_once() -> None:
    from app.ui.models.holds import _disposition

    assert _disposition("1A", "1A - ENTERED, INTENSIVE EXAM") == "1A - ENTERED, INTENSIVE EXAM"
    assert _disposition("7H", "Exam ordered") == "7H · Exam ordered"
    assert _disposition("", "FDA - Hold Intact") == "FDA - Hold Intact"
