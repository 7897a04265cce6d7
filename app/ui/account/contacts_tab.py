"""Contacts tab: the account's people (compliance manager, broker, port and PGA contacts), editable.

Each add, edit and delete is a QUndoCommand on the account view's stack, so Ctrl+Z / Ctrl+Shift+Z undo and
redo it from anywhere in the window; a delete is a tombstone, so undo brings back the same row.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.domain.model import Contact
from app.services import contacts as service
from app.services.contacts import ContactFields
from app.services.workspace import Workspace
from app.ui import formatting as fmt
from app.ui.account.contact_dialog import ROLE_LABELS, ContactDialog
from app.ui.account.editing import WriteCommand
from app.ui.account.list_tab import ListColumn, ListTab, RowsModel
from app.ui.changes import CONTACTS
from app.ui.views.base import ScreenContext


def _organisation(contact: Contact) -> str:
    codes = " · ".join(
        code for code in (contact.agency_code, contact.port_code and f"port {contact.port_code}") if code
    )
    return (
        f"{contact.organization} ({codes})"
        if contact.organization and codes
        else contact.organization or codes
    )


COLUMNS = (
    ListColumn("name", "Name", lambda c: c.name, 180),
    ListColumn("role", "Role", lambda c: fmt.label(ROLE_LABELS, c.role), 170),
    ListColumn("organization", "Organisation", _organisation, 220),
    ListColumn("phone", "Phone", lambda c: c.phone, 140),
    ListColumn("email", "Email", lambda c: c.email, 220),
    ListColumn("notes", "Notes", lambda c: c.notes, 240),
)


class ContactCommand(WriteCommand):
    """Add (contact None), edit (both given) or delete (fields None) one contact."""

    def __init__(
        self,
        tab: ContactsTab,
        contact: Contact | None,
        fields: ContactFields | None,
    ) -> None:
        if contact is None:
            text = f"Add contact {fields.name if fields else ''}"
        else:
            text = f"{'Edit' if fields else 'Delete'} contact {contact.name}"
        super().__init__(
            text,
            tab.context,
            {CONTACTS},
            report_error=tab.report_error,
            after_write=tab.after_write,
            source=tab,
        )
        self._account_id = tab.account_id
        self._before = None if contact is None else ContactFields.of(contact)
        self._after = fields
        self.item_id = None if contact is None else contact.id

    def forward(self) -> None:
        ws = self.context.workspace
        if self._before is None:  # add: the first time a new row, after an undo the same row back
            assert self._after is not None
            if self.item_id is None:
                self.item_id = service.add_contact(ws, self._account_id, self._after).id
            else:
                service.restore_contact(ws, self.item_id)
        elif self._after is None:
            service.delete_contact(ws, self._checked_id())
        else:
            service.update_contact(ws, self._checked_id(), self._after)

    def backward(self) -> None:
        ws = self.context.workspace
        if self._before is None:
            service.delete_contact(ws, self._checked_id())
        elif self._after is None:
            service.restore_contact(ws, self._checked_id())
        else:
            service.update_contact(ws, self._checked_id(), self._before)

    def _checked_id(self) -> uuid.UUID:
        assert self.item_id is not None
        return self.item_id


class ContactsTab(ListTab):
    key = "contacts"
    title = "&Contacts"
    noun = "contact"

    def make_model(self) -> RowsModel:
        return RowsModel(COLUMNS, self)

    def fetch(self, workspace: Workspace, account_id: uuid.UUID) -> list[Any]:
        return service.list_contacts(workspace, account_id)

    def reacts_to(self) -> frozenset[str]:
        return frozenset({CONTACTS})

    def ask_for_fields(self, contact: Contact | None) -> ContactFields | None:
        """Open the contact dialog; the checked fields, or None when cancelled."""
        context: ScreenContext = self.context
        dialog = ContactDialog(
            lambda fields: service.validate_contact(context.workspace, fields),
            None if contact is None else ContactFields.of(contact),
            self,
        )
        accepted = bool(dialog.exec())
        fields = dialog.result_fields if accepted else None
        dialog.deleteLater()
        return fields

    def add(self) -> None:
        fields = self.ask_for_fields(None)
        if fields is not None:
            self.undo_stack.push(ContactCommand(self, None, fields))

    def edit_selected(self) -> None:
        contact = self.selected_item()
        if contact is None:
            return
        fields = self.ask_for_fields(contact)
        if fields is not None and fields != ContactFields.of(contact):
            self.undo_stack.push(ContactCommand(self, contact, fields))

    def delete_selected(self) -> None:
        contact = self.selected_item()
        if contact is not None:  # no "are you sure?": Ctrl+Z brings it back
            self.undo_stack.push(ContactCommand(self, contact, None))
