"""Contacts of an account: list, add, edit, delete (tombstone) and restore, each validated first.

`validate_contact` is what the edit dialog calls before it closes, so the person sees the problem next to the
field; every writer calls it again, so the CLI and a stale dialog get the same rules.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from app.domain.enums import ContactRole
from app.domain.errors import ValidationError
from app.domain.identifiers import normalize_port
from app.domain.model import Contact
from app.services.workspace import Workspace
from app.store.queries import contacts as queries

# Column sizes of `contacts` (orm.ContactRow): longer text would fail on PostgreSQL only.
MAX_LENGTHS = {"name": 120, "organization": 120, "phone": 40, "email": 200}
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
# Digits with the usual separators, an optional leading +, and an optional extension (x12, ext. 12).
PHONE_SHAPE = re.compile(r"^\+?[0-9 ().\-/]+?(\s*(x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)
PHONE_DIGITS = (7, 15)  # shortest local number .. longest E.164 number
TEXT_FIELDS = ("name", "organization", "agency_code", "port_code", "phone", "email", "notes")


@dataclass(frozen=True, slots=True)
class ContactFields:
    """What a person edits on a contact (everything but its id and account)."""

    name: str
    role: ContactRole = ContactRole.OTHER
    organization: str = ""
    agency_code: str = ""
    port_code: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""

    @classmethod
    def of(cls, contact: Contact) -> ContactFields:
        return cls(
            name=contact.name,
            role=contact.role,
            organization=contact.organization,
            agency_code=contact.agency_code,
            port_code=contact.port_code,
            phone=contact.phone,
            email=contact.email,
            notes=contact.notes,
        )


def _check_phone(phone: str) -> None:
    if not phone:
        return
    match = PHONE_SHAPE.match(phone)
    number = phone[: match.start(1)] if match and match.group(1) else phone  # the extension does not count
    digits = sum(ch.isdigit() for ch in number)
    if match is None or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ValidationError(
            "phone must have 7 to 15 digits (spaces, dashes, dots, brackets, a leading + and an extension"
            " such as x123 are allowed)",
            field="phone",
        )


def _checked_format(fields: ContactFields) -> ContactFields:
    """The fields trimmed and normalised; ValidationError naming the first bad field. No database needed."""
    texts: dict[str, Any] = {key: getattr(fields, key).strip() for key in TEXT_FIELDS}
    fields = replace(fields, **texts)
    if not fields.name:
        raise ValidationError("a contact needs a name", field="name")
    for key, limit in MAX_LENGTHS.items():
        if len(getattr(fields, key)) > limit:
            raise ValidationError(f"{key} is too long (at most {limit} characters)", field=key)
    try:
        role = ContactRole(fields.role)
    except ValueError:
        roles = ", ".join(role.value for role in ContactRole)
        raise ValidationError(
            f"unknown contact role {fields.role!r}: use one of {roles}", field="role"
        ) from None
    if fields.email and not EMAIL_SHAPE.match(fields.email):
        raise ValidationError("email must look like name@example.gov", field="email")
    _check_phone(fields.phone)
    port = ""
    if fields.port_code:
        try:
            port = normalize_port(fields.port_code)
        except ValidationError as exc:
            raise ValidationError(str(exc), field="port_code") from None
    return replace(fields, role=role, agency_code=fields.agency_code.upper(), port_code=port)


def _checked(session: Session, fields: ContactFields) -> ContactFields:
    fields = _checked_format(fields)
    if fields.agency_code and fields.agency_code not in queries.known_agency_codes(session):
        raise ValidationError(f"unknown agency code {fields.agency_code}", field="agency_code")
    if fields.port_code and not queries.is_known_port(session, fields.port_code):
        raise ValidationError(f"unknown port code {fields.port_code} (not in Schedule D)", field="port_code")
    return fields


def _values(fields: ContactFields) -> dict[str, str]:
    return {key: str(value) for key, value in asdict(fields).items()}


def validate_contact(ws: Workspace, fields: ContactFields) -> ContactFields:
    """The fields as they would be stored, or ValidationError(message, field=...) for the first problem."""
    with ws.database.session() as session:
        return _checked(session, fields)


def list_contacts(ws: Workspace, account_id: uuid.UUID) -> list[Contact]:
    """The account's live contacts, by name."""
    with ws.database.session() as session:
        return queries.list_contacts(session, account_id)


def add_contact(ws: Workspace, account_id: uuid.UUID, fields: ContactFields) -> Contact:
    with ws.database.session() as session:
        return queries.insert_contact(session, account_id, _values(_checked(session, fields)))


def update_contact(ws: Workspace, contact_id: uuid.UUID, fields: ContactFields) -> Contact:
    with ws.database.session() as session:
        return queries.update_contact(session, contact_id, _values(_checked(session, fields)))


def delete_contact(ws: Workspace, contact_id: uuid.UUID) -> Contact:
    """Tombstone a live contact (it can be restored); returns it as it was."""
    with ws.database.session() as session:
        return queries.set_contact_deleted(session, contact_id, True)


def restore_contact(ws: Workspace, contact_id: uuid.UUID) -> Contact:
    """Bring a deleted contact back (the undo of `delete_contact`, or the redo of `add_contact`)."""
    with ws.database.session() as session:
        return queries.set_contact_deleted(session, contact_id, False)
