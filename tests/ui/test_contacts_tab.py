"""Contacts tab: the model, add / edit / delete through the dialog, undo and redo, invalid input, keys."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from sqlalchemy import select

from app.domain.enums import ContactRole
from app.services import contacts as service
from app.services.contacts import ContactFields
from app.services.workspace import Workspace
from app.store import orm
from app.ui.account.contact_dialog import ContactDialog
from app.ui.account.contacts_tab import ContactsTab
from app.ui.changes import CONTACTS
from tests.store import factories as f

pytestmark = pytest.mark.gui


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A database of its own: these tests write."""
    ws = Workspace.open(str(tmp_path / "contacts.sqlite3"))
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def account_id(workspace: Workspace) -> uuid.UUID:
    with workspace.database.session() as s:
        account = f.add_account(s, "Acme Imports LLC", ["12-3456789AB"])
        f.add_account(s, "Zeta Trading Co", ["98-7654321CD"])
    service.add_contact(workspace, account, ContactFields("Morgan Lee", ContactRole.TRADE_COMPLIANCE_MANAGER))
    service.add_contact(
        workspace,
        account,
        ContactFields("Dana Broker", ContactRole.BROKER, "Harbor Brokerage", phone="310 555 0142"),
    )
    return account


@pytest.fixture
def tab(qtbot, make_context, workspace: Workspace, account_id: uuid.UUID) -> ContactsTab:
    stack = QUndoStack()
    widget = ContactsTab(make_context(workspace), account_id, stack)
    widget._test_stack = stack  # keep the stack alive as long as the tab
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded):
        widget.reload()
    return widget


def stored(workspace: Workspace) -> list[tuple]:
    """Every contact row as stored, tombstones included: name, role, phone, email, deleted."""
    with workspace.database.session() as s:
        rows = s.scalars(select(orm.ContactRow).order_by(orm.ContactRow.id))
        return [(r.name, r.role, r.organization, r.phone, r.email, r.deleted_at is not None) for r in rows]


def names(tab: ContactsTab) -> list[str]:
    return [tab.model.index(row, 0).data() for row in range(tab.model.rowCount())]


def answer_dialog(
    monkeypatch: pytest.MonkeyPatch, fill: Callable[[ContactDialog], None]
) -> list[ContactDialog]:
    """Make the dialog fill itself and press OK instead of waiting for a person; returns the dialogs seen."""
    seen: list[ContactDialog] = []

    def fake_exec(dialog: ContactDialog) -> int:
        seen.append(dialog)
        fill(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ContactDialog, "exec", fake_exec)
    return seen


def test_model_passes_the_model_tester(qtmodeltester, tab: ContactsTab) -> None:
    qtmodeltester.check(tab.model)


def test_lists_the_accounts_contacts_with_labels(tab: ContactsTab) -> None:
    assert names(tab) == ["Dana Broker", "Morgan Lee"]
    assert tab.model.index(0, 1).data() == "Customs broker"
    assert tab.model.index(0, 2).data() == "Harbor Brokerage"
    assert tab.model.index(0, 3).data() == "310 555 0142"
    assert tab.summary() == "2 contacts"
    assert tab.reacts_to() == frozenset({CONTACTS})
    assert (tab.key, tab.title) == ("contacts", "&Contacts")


def test_add_then_undo_and_redo_restore_the_rows(qtbot, monkeypatch, tab: ContactsTab, workspace) -> None:
    before = stored(workspace)

    def fill(dialog: ContactDialog) -> None:
        dialog.name.setText("Pat Port")
        dialog.role.setCurrentIndex(dialog.role.findData(ContactRole.PORT_SUPERVISOR.value))
        dialog.port.setText("2704")
        dialog.email.setText("pat@cbp.example.gov")

    answer_dialog(monkeypatch, fill)
    with qtbot.waitSignal(tab.context.changes.changed) as announced:
        tab.add_button.click()
    assert announced.args == [frozenset({CONTACTS})]
    assert names(tab) == ["Dana Broker", "Morgan Lee", "Pat Port"]
    assert tab.selected_item().name == "Pat Port"
    after = stored(workspace)
    assert len(after) == 3
    tab.undo_stack.undo()
    assert "Pat Port" not in names(tab)
    assert [row for row in stored(workspace) if not row[-1]] == [row for row in before if not row[-1]]
    tab.undo_stack.redo()
    assert stored(workspace) == after
    assert names(tab) == ["Dana Broker", "Morgan Lee", "Pat Port"]


def test_edit_and_undo_restore_exact_values(monkeypatch, tab: ContactsTab, workspace) -> None:
    before = stored(workspace)
    tab.select_row(0)
    answer_dialog(
        monkeypatch, lambda d: (d.phone.setText("+1 310 555 0199"), d.email.setText("dana@hb.example.com"))
    )
    tab.edit_button.click()
    edited = stored(workspace)
    assert edited != before
    assert (
        "Dana Broker",
        "broker",
        "Harbor Brokerage",
        "+1 310 555 0199",
        "dana@hb.example.com",
        False,
    ) in edited
    tab.undo_stack.undo()
    assert stored(workspace) == before
    tab.undo_stack.redo()
    assert stored(workspace) == edited
    assert tab.model.index(0, 4).data() == "dana@hb.example.com"


def test_invalid_input_shows_the_message_inline_and_writes_nothing(monkeypatch, tab, workspace) -> None:
    before = stored(workspace)
    seen = answer_dialog(monkeypatch, lambda d: (d.name.setText("Kim"), d.email.setText("kim at example")))
    tab.add_button.click()
    assert seen[0].form.error_text("email").startswith("email must look like")
    assert seen[0].form.error_text("name") == ""
    assert stored(workspace) == before
    assert tab.undo_stack.count() == 0
    seen = answer_dialog(monkeypatch, lambda d: (d.name.setText("Kim"), d.agency.setText("NOPE")))
    tab.add_button.click()
    assert seen[0].form.error_text("agency_code") == "unknown agency code NOPE"
    assert stored(workspace) == before


def test_delete_key_tombstones_and_undo_restores(qtbot, tab: ContactsTab, workspace) -> None:
    before = stored(workspace)
    tab.show()
    qtbot.waitExposed(tab)
    tab.select_row(1)
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert names(tab) == ["Dana Broker"]
    assert ("Morgan Lee", "trade_compliance_manager", "", "", "", True) in stored(workspace)
    assert tab.undo_stack.undoText() == "Delete contact Morgan Lee"
    tab.undo_stack.undo()
    assert stored(workspace) == before
    assert names(tab) == ["Dana Broker", "Morgan Lee"]


def test_a_failed_write_shows_the_message_and_leaves_the_stack_clean(tab: ContactsTab, workspace) -> None:
    tab.select_row(0)
    service.delete_contact(workspace, tab.selected_item().id)  # gone behind the tab's back
    tab.delete_selected()
    assert "not found" in tab.message_bar.text()
    assert tab.undo_stack.count() == 0


def test_buttons_have_accessible_names_and_follow_the_selection(tab: ContactsTab) -> None:
    for button in tab.buttons:
        assert button.accessibleName()
    assert tab.table.accessibleName() == "Contacts of the account"
    tab.select_row(-1)
    assert not tab.edit_button.isEnabled() and not tab.delete_button.isEnabled()
    tab.select_row(0)
    assert tab.edit_button.isEnabled() and tab.delete_button.isEnabled()


def test_dialog_prefills_names_its_fields_and_normalises(qtbot, workspace: Workspace) -> None:
    contact = ContactFields(
        "Dana", ContactRole.BROKER, "Harbor", "cbp", "2704", "310 555 0142", "d@h.example.com"
    )
    dialog = ContactDialog(lambda fields: service.validate_contact(workspace, fields), contact)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Edit contact"
    assert dialog.fields() == contact
    for widget in dialog.form.fields.values():
        assert widget.accessibleName()
    dialog.accept()
    assert dialog.result_fields == ContactFields(
        "Dana", ContactRole.BROKER, "Harbor", "CBP", "2704", "310 555 0142", "d@h.example.com"
    )
