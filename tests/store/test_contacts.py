"""Contacts service: validation, writes, tombstones and restore, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from sqlalchemy import select

from app.domain.enums import ContactRole
from app.domain.errors import NotFoundError, ValidationError
from app.services import contacts as service
from app.services.contacts import ContactFields
from app.services.workspace import Workspace
from app.store import orm
from tests.store import factories as f


@pytest.fixture
def account_id(workspace: Workspace) -> uuid.UUID:
    with workspace.database.session() as s:
        return f.add_account(s, "Acme Imports LLC", ["12-3456789AB"])


def stored(workspace: Workspace, contact_id: uuid.UUID) -> orm.ContactRow:
    with workspace.database.session() as s:
        row = s.scalar(select(orm.ContactRow).where(orm.ContactRow.id == contact_id))
        assert row is not None
        s.expunge(row)
        return row


BROKER = ContactFields(
    name="  Dana Broker ",
    role=ContactRole.BROKER,
    organization="Harbor Customs Brokerage",
    agency_code="cbp",
    port_code="2704",
    phone="+1 (310) 555-0142 x12",
    email="dana@harbor.example.com",
    notes="Files most ocean entries",
)


def test_add_normalises_and_lists_live_contacts_by_name(workspace: Workspace, account_id: uuid.UUID) -> None:
    broker = service.add_contact(workspace, account_id, BROKER)
    tcm = service.add_contact(workspace, account_id, ContactFields("alex Compliance"))
    assert broker.name == "Dana Broker"
    assert broker.agency_code == "CBP"
    assert broker.port_code == "2704"
    assert broker.account_id == account_id
    assert [c.name for c in service.list_contacts(workspace, account_id)] == [
        "alex Compliance",
        "Dana Broker",
    ]
    assert tcm.role is ContactRole.OTHER
    row = stored(workspace, broker.id)
    assert (row.phone, row.email, row.version) == ("+1 (310) 555-0142 x12", "dana@harbor.example.com", 1)


def test_update_changes_every_field_and_bumps_the_version(
    workspace: Workspace, account_id: uuid.UUID
) -> None:
    contact = service.add_contact(workspace, account_id, BROKER)
    changed = ContactFields(
        "Dana Smith", ContactRole.PGA_LIAISON, "FDA district", "FDA", "", "310-555-0100", "", "new"
    )
    updated = service.update_contact(workspace, contact.id, changed)
    assert ContactFields.of(updated) == changed
    row = stored(workspace, contact.id)
    assert (row.name, row.role, row.agency_code, row.port_code, row.version) == (
        "Dana Smith",
        "pga_liaison",
        "FDA",
        "",
        2,
    )


def test_delete_tombstones_and_restore_brings_back(workspace: Workspace, account_id: uuid.UUID) -> None:
    contact = service.add_contact(workspace, account_id, BROKER)
    service.delete_contact(workspace, contact.id)
    assert service.list_contacts(workspace, account_id) == []
    assert stored(workspace, contact.id).deleted_at is not None
    with pytest.raises(NotFoundError):
        service.update_contact(workspace, contact.id, BROKER)
    with pytest.raises(NotFoundError):
        service.delete_contact(workspace, contact.id)
    restored = service.restore_contact(workspace, contact.id)
    assert restored == contact
    assert stored(workspace, contact.id).deleted_at is None
    with pytest.raises(NotFoundError):
        service.restore_contact(workspace, contact.id)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "   "}, "name", "needs a name"),
        ({"email": "dana at harbor"}, "email", "email must look like"),
        ({"email": "dana@harbor"}, "email", "email must look like"),
        ({"phone": "call the desk"}, "phone", "7 to 15 digits"),
        ({"phone": "555-01"}, "phone", "7 to 15 digits"),
        ({"phone": "+1 310 555 0142 1234 5678"}, "phone", "7 to 15 digits"),
        ({"role": "janitor"}, "role", "unknown contact role"),
        ({"agency_code": "XYZ"}, "agency_code", "unknown agency code XYZ"),
        ({"port_code": "401"}, "port_code", "leading zero lost"),
        ({"port_code": "9998"}, "port_code", "unknown port code 9998"),
        ({"name": "x" * 121}, "name", "too long"),
    ],
)
def test_invalid_fields_are_named_and_nothing_is_written(
    workspace: Workspace, account_id: uuid.UUID, change: dict, field: str, message: str
) -> None:
    fields = replace(BROKER, **change)
    with pytest.raises(ValidationError, match=message) as caught:
        service.add_contact(workspace, account_id, fields)
    assert caught.value.field == field
    assert service.list_contacts(workspace, account_id) == []


def test_contacts_of_unknown_or_deleted_accounts_are_refused(workspace: Workspace) -> None:
    with workspace.database.session() as s:
        gone = f.add_account(s, "Gone Trading", deleted=True)
    with pytest.raises(NotFoundError):
        service.add_contact(workspace, gone, BROKER)
    with pytest.raises(NotFoundError):
        service.add_contact(workspace, uuid.uuid4(), BROKER)


def test_validate_returns_the_stored_form(workspace: Workspace) -> None:
    checked = service.validate_contact(
        workspace, ContactFields(" Lee ", port_code=" 0401 ", agency_code="fda")
    )
    assert (checked.name, checked.port_code, checked.agency_code) == ("Lee", "0401", "FDA")
