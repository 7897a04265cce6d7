"""Account 360 → Notes & activity: the timeline model, adding by keyboard, editing, deleting, undo/redo of
each (checked against the database), inline validation, and the follow-ups screen following along."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.domain.enums import NoteKind
from app.services.workspace import Workspace
from app.store import orm
from app.ui.account.notes_tab import NotesTab
from app.ui.changes import NOTES
from app.ui.models.notes import column_index
from app.ui.views.followups import FollowUpsView
from tests.store import factories as f

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 23)
DEFAULT_FOLLOW_UP = date(2026, 11, 25)  # the composer's default: two days on
CREATED = datetime(2026, 11, 2, 14, 30)
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
# Columns that carry the note's content: version and updated_at move with every write by design.
CONTENT = ("kind", "text", "author", "created_at", "entry_number", "hold_id", "follow_up_on")
CONTENT += ("follow_up_done", "include_in_summary", "sensitive", "deleted_at", "account_id")


@dataclass(frozen=True)
class Known:
    workspace: Workspace
    acme: uuid.UUID
    entry: str  # canonical
    hold: uuid.UUID  # open, on `entry`
    call: uuid.UUID  # the older note
    visit: uuid.UUID  # the newer note, with a done follow-up


@pytest.fixture
def known(tmp_path: Path) -> Iterator[Known]:
    """A database of its own (these tests write): one account, two notes, an entry with an open hold."""
    ws = Workspace.open(str(tmp_path / "notes.sqlite3"))
    with ws.database.session() as s:
        acme = f.add_account(s, "Acme Imports LLC", ["12-3456789AB"])
        f.add_account(s, "Zeta Trading Co", ["98-7654321CD"])
        entry = f.add_entry(s, acme, 1001, date(2026, 10, 20))
        hold = f.add_hold(s, entry, acme, datetime(2026, 10, 21, 8), category="DOC_REVIEW")
        call = f.add_note(s, acme, "Called the broker\nabout the CF-28", CREATED, kind="call")
        visit = f.add_note(s, acme, "Visited the plant", datetime(2026, 11, 10, 9), kind="visit")
        f.set_note_follow_up(s, visit, date(2026, 11, 12), done=True)
    try:
        yield Known(ws, acme, entry, hold, call, visit)
    finally:
        ws.close()


@pytest.fixture
def tab(qtbot, make_context, known: Known) -> NotesTab:
    widget = NotesTab(make_context(known.workspace), known.acme, QUndoStack(), today=TODAY)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded):
        widget.reload()
    return widget


def rows(workspace: Workspace) -> dict[uuid.UUID, dict[str, object]]:
    """Every note of the database (live or tombstoned), by id, with its content columns."""
    with workspace.database.session() as s:
        found = s.execute(select(orm.NoteRow.__table__)).mappings().all()
        return {row["id"]: {key: row[key] for key in CONTENT} for row in found}


def show(qtbot, tab: NotesTab) -> None:
    tab.resize(1100, 600)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)


def texts(tab: NotesTab, column: str = "text") -> list[str]:
    position = column_index(column)
    return [tab.model.index(row, position).data() for row in range(tab.model.rowCount())]


def test_model_passes_the_model_tester_and_shows_the_timeline(qtmodeltester, tab: NotesTab) -> None:
    qtmodeltester.check(tab.model)
    assert texts(tab) == ["Visited the plant", "Called the broker…"]
    assert texts(tab, "follow_up") == ["11/12/2026 ✓ done", ""]
    assert texts(tab, "kind") == ["⌂ Site visit", "☎ Call"]
    text_index = tab.model.index(1, column_index("text"))
    assert text_index.data(Qt.ItemDataRole.ToolTipRole) == "Called the broker\nabout the CF-28"
    assert tab.summary() == "2 notes, 0 open follow-ups"
    assert tab.reacts_to() == frozenset({NOTES})
    combo = tab.composer.hold_combo
    assert [combo.itemText(i) for i in range(combo.count())][:1] == ["None"]
    assert combo.count() == 2  # "None" and the one open hold


def test_hold_picker_names_entry_category_port_and_placed_date(tab: NotesTab, known: Known) -> None:
    label = tab.composer.hold_combo.itemText(1)
    shown_entry = f"{known.entry[:3]}-{known.entry[3:10]}-{known.entry[10]}"
    assert label.startswith(f"{shown_entry} · DOC REVIEW · 2704")
    assert label.endswith("· placed 10/21/2026")


def test_add_note_with_follow_up_by_keyboard_only(qtbot, tab: NotesTab, known: Known, make_context) -> None:
    followups = FollowUpsView(tab.context, today=TODAY)
    qtbot.addWidget(followups)
    with qtbot.waitSignal(followups.loaded):
        followups.reload()
    assert followups.model.rowCount() == 0
    show(qtbot, tab)
    before = rows(known.workspace)

    tab.focus_composer()
    composer = tab.composer
    qtbot.waitUntil(composer.text_edit.hasFocus)
    qtbot.keyClicks(composer.text_edit, "Broker will send the invoices")
    qtbot.keyClick(composer.text_edit, Qt.Key.Key_K, ALT)  # Alt+K: the kind
    assert composer.kind_combo.hasFocus()
    qtbot.keyClick(composer.kind_combo, Qt.Key.Key_C)  # "Call"
    qtbot.keyClick(composer.kind_combo, Qt.Key.Key_Tab)
    assert composer.text_edit.hasFocus()
    qtbot.keyClick(composer.text_edit, Qt.Key.Key_Tab)  # Tab leaves the text box
    assert composer.entry_edit.hasFocus()
    qtbot.keyClick(composer.entry_edit, Qt.Key.Key_Tab)
    assert composer.hold_combo.hasFocus()
    qtbot.keyClick(composer.hold_combo, Qt.Key.Key_Tab)
    assert composer.follow_up_check.hasFocus()
    qtbot.keyClick(composer.follow_up_check, Qt.Key.Key_Space)
    qtbot.keyClick(composer.follow_up_check, Qt.Key.Key_Tab)
    assert composer.follow_up_date.hasFocus()
    qtbot.keyClick(composer.follow_up_date, Qt.Key.Key_Up)  # the month section: one month on
    qtbot.keyClick(composer.follow_up_date, Qt.Key.Key_Return, CTRL)

    after = rows(known.workspace)
    (new_id,) = set(after) - set(before)
    added = after[new_id]
    assert (added["text"], added["kind"]) == ("Broker will send the invoices", "call")
    assert (added["follow_up_on"], added["follow_up_done"]) == (date(2026, 12, 25), False)
    assert (added["entry_number"], added["hold_id"], added["sensitive"]) == (None, None, False)
    assert texts(tab)[0] == "Broker will send the invoices"
    assert tab.summary() == "3 notes, 1 open follow-up"
    assert composer.text_edit.toPlainText() == ""  # ready for the next note
    # The follow-ups screen (hidden) heard of it, and lists the new follow-up when next shown.
    assert followups.model.rowCount() == 0
    followups.show()
    qtbot.waitUntil(lambda: followups.model.rowCount() == 1)
    assert followups.model.item_at(0).id == new_id

    tab.undo_stack.undo()
    assert rows(known.workspace)[new_id]["deleted_at"] is not None  # undo of add: a tombstone
    assert {k: v for k, v in rows(known.workspace).items() if k != new_id} == before
    assert tab.model.rowCount() == 2
    tab.undo_stack.redo()
    assert rows(known.workspace)[new_id] == added  # the same note back
    assert texts(tab)[0] == "Broker will send the invoices"


def test_add_note_linked_to_a_hold(qtbot, tab: NotesTab, known: Known) -> None:
    composer = tab.composer
    composer.text_edit.setPlainText("Asked the broker for the commercial invoice")
    composer.hold_combo.setCurrentIndex(1)
    assert not composer.entry_edit.isEnabled()  # the hold names the entry
    composer.sensitive_check.setChecked(True)
    composer.summary_check.setChecked(True)
    composer.submit_button.click()
    item = tab.model.item_at(0)
    assert (item.note.hold_id, item.note.entry_number) == (known.hold, known.entry)
    assert (item.note.sensitive, item.note.include_in_summary) == (True, True)
    assert texts(tab, "flags")[0] == "in summary, sensitive"
    assert texts(tab, "linked")[0].endswith("· placed 10/21/2026")


def test_invalid_entry_number_shows_inline_and_writes_nothing(qtbot, tab: NotesTab, known: Known) -> None:
    show(qtbot, tab)
    before = rows(known.workspace)
    composer = tab.composer
    composer.text_edit.setPlainText("About an entry")
    composer.entry_edit.setText("ABC-0009999-0")  # well formed, but not this account's (nor anyone's)
    composer.text_edit.setFocus()
    qtbot.waitUntil(composer.text_edit.hasFocus)
    qtbot.keyClick(composer.text_edit, Qt.Key.Key_Return, CTRL)
    assert "not in the database" in composer.error_text(
        "entry_number"
    ) or "check digit" in composer.error_text("entry_number")
    assert composer.entry_edit.hasFocus()
    assert rows(known.workspace) == before
    assert tab.undo_stack.count() == 0  # nothing happened, nothing to undo
    assert composer.text_edit.toPlainText() == "About an entry"  # the text is kept to fix and retry

    composer.entry_edit.setText("12")
    composer.entry_edit.editingFinished.emit()  # leaving the box checks the shape at once
    assert "11 characters" in composer.error_text("entry_number")
    composer.entry_edit.setText("")
    composer.text_edit.setPlainText("   ")
    composer.submit()
    assert composer.error_text("text") == "The note is empty: write what happened."
    assert composer.text_edit.hasFocus()
    assert rows(known.workspace) == before


def test_edit_a_note_then_undo_and_redo(qtbot, tab: NotesTab, known: Known) -> None:
    show(qtbot, tab)
    before = rows(known.workspace)
    tab.table.setFocus()
    tab.select_note(known.visit)
    composer = tab.composer
    assert composer.editing is not None and composer.editing.note.id == known.visit
    assert composer.submit_button.text() == "Save chan&ges"
    assert composer.text_edit.toPlainText() == "Visited the plant"
    assert composer.follow_up_check.isChecked()
    composer.text_edit.setPlainText("Visited the plant and the warehouse")
    composer.kind_combo.setCurrentIndex(composer.kind_combo.findData(NoteKind.MEETING))
    composer.entry_edit.setText(known.entry)
    composer.follow_up_check.setChecked(False)
    composer.text_edit.setFocus()
    qtbot.waitUntil(composer.text_edit.hasFocus)
    qtbot.keyClick(composer.text_edit, Qt.Key.Key_Return, CTRL)

    edited = rows(known.workspace)[known.visit]
    assert (edited["text"], edited["kind"], edited["entry_number"]) == (
        "Visited the plant and the warehouse",
        "meeting",
        known.entry,
    )
    assert (edited["follow_up_on"], edited["follow_up_done"]) == (None, False)
    assert composer.editing is None and composer.submit_button.text() == "Add note"
    assert texts(tab)[0] == "Visited the plant and the warehouse"

    tab.undo_stack.undo()
    assert rows(known.workspace) == before  # the follow-up date and its done state too
    assert texts(tab)[0] == "Visited the plant"
    tab.undo_stack.redo()
    assert rows(known.workspace)[known.visit] == edited


def test_escape_leaves_edit_mode_without_writing(qtbot, tab: NotesTab, known: Known) -> None:
    show(qtbot, tab)
    before = rows(known.workspace)
    tab.select_note(known.call)
    tab.composer.text_edit.setPlainText("Changed my mind")
    tab.composer.text_edit.setFocus()
    qtbot.waitUntil(tab.composer.text_edit.hasFocus)
    qtbot.keyClick(tab.composer.text_edit, Qt.Key.Key_Escape)
    assert tab.composer.editing is None
    assert tab.composer.text_edit.toPlainText() == ""
    assert tab.selected_item() is None
    assert rows(known.workspace) == before


def test_edit_made_elsewhere_is_not_overwritten(qtbot, tab: NotesTab, known: Known) -> None:
    tab.select_note(known.call)
    with known.workspace.database.session() as s:  # another window saves first
        s.get(orm.NoteRow, known.call).text = "Saved elsewhere"  # type: ignore[union-attr]
    tab.composer.text_edit.setPlainText("My late edit")
    tab.composer.submit()
    assert "changed elsewhere" in tab.composer.error_text("general")
    assert rows(known.workspace)[known.call]["text"] == "Saved elsewhere"
    assert tab.undo_stack.count() == 0


def test_delete_with_the_delete_key_then_undo_and_redo(qtbot, tab: NotesTab, known: Known) -> None:
    show(qtbot, tab)
    before = rows(known.workspace)
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus)
    tab.select_note(known.call)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert rows(known.workspace)[known.call]["deleted_at"] is not None
    assert texts(tab) == ["Visited the plant"]
    assert tab.composer.editing is None  # the deleted note left the editor too
    tab.undo_stack.undo()
    assert rows(known.workspace) == before
    assert texts(tab) == ["Visited the plant", "Called the broker…"]
    tab.undo_stack.redo()
    assert rows(known.workspace)[known.call]["deleted_at"] is not None
    assert tab.model.rowCount() == 1


def test_every_control_has_an_accessible_name(tab: NotesTab) -> None:
    composer = tab.composer
    for widget in (
        tab.table,
        tab.delete_button,
        composer.kind_combo,
        composer.text_edit,
        composer.entry_edit,
        composer.hold_combo,
        composer.follow_up_check,
        composer.follow_up_date,
        composer.summary_check,
        composer.sensitive_check,
        composer.submit_button,
        composer.cancel_button,
    ):
        assert widget.accessibleName(), widget


def test_enter_on_a_note_edits_it_in_the_composer(qtbot, tab: NotesTab, known: Known) -> None:
    show(qtbot, tab)
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus)
    tab.table.setCurrentIndex(tab.model.index(1, 0))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert tab.composer.editing is not None and tab.composer.editing.note.id == known.call
    assert tab.composer.text_edit.hasFocus()
    assert tab.delete_button.isEnabled()
