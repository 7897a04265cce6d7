"""Contacts of an account: list the live ones, write through the ORM, tombstone and restore.

Writes go through the ORM so the mapper's `version` counter bumps and `updated_at` moves, as on every synced
row. Validation is the service's; this module only checks that the rows it is asked to touch exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import ContactRole
from app.domain.errors import NotFoundError
from app.domain.model import Contact
from app.store import orm

C = orm.ContactRow
A = orm.AccountRow

# The columns a person edits; the service hands exactly these keys to `insert_contact` / `update_contact`.
CONTACT_FIELDS = ("name", "role", "organization", "agency_code", "port_code", "phone", "email", "notes")


def to_contact(row: orm.ContactRow) -> Contact:
    return Contact(
        id=row.id,
        name=row.name,
        role=ContactRole(row.role),
        account_id=row.account_id,
        organization=row.organization,
        agency_code=row.agency_code,
        port_code=row.port_code,
        phone=row.phone,
        email=row.email,
        notes=row.notes,
    )


def live_account(session: Session, account_id: uuid.UUID) -> orm.AccountRow:
    row = session.get(A, account_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"account {account_id} not found (it may have been deleted)")
    return row


def _contact_row(session: Session, contact_id: uuid.UUID, *, deleted: bool = False) -> orm.ContactRow:
    """The contact, live (or tombstoned with `deleted`); NotFoundError otherwise."""
    row = session.get(C, contact_id)
    if row is None or (row.deleted_at is not None) != deleted:
        state = "deleted contact" if deleted else "contact"
        raise NotFoundError(f"{state} {contact_id} not found (it may have been deleted or restored)")
    return row


def list_contacts(session: Session, account_id: uuid.UUID) -> list[Contact]:
    """The account's live contacts by name (case-insensitively), then id for a stable order."""
    rows = session.scalars(
        select(C).where(C.account_id == account_id, C.deleted_at.is_(None)).order_by(C.name, C.id)
    )
    return sorted((to_contact(row) for row in rows), key=lambda c: (c.name.casefold(), c.id))


def contact_by_id(session: Session, contact_id: uuid.UUID) -> Contact:
    return to_contact(_contact_row(session, contact_id))


def insert_contact(session: Session, account_id: uuid.UUID, values: Mapping[str, str]) -> Contact:
    live_account(session, account_id)
    row = C(account_id=account_id, **{key: values[key] for key in CONTACT_FIELDS})
    session.add(row)
    session.flush()
    return to_contact(row)


def update_contact(session: Session, contact_id: uuid.UUID, values: Mapping[str, str]) -> Contact:
    row = _contact_row(session, contact_id)
    for key in CONTACT_FIELDS:
        setattr(row, key, values[key])
    session.flush()
    return to_contact(row)


def set_contact_deleted(session: Session, contact_id: uuid.UUID, deleted: bool) -> Contact:
    """Tombstone a live contact (`deleted`) or bring a tombstoned one back."""
    row = _contact_row(session, contact_id, deleted=not deleted)
    row.deleted_at = datetime.now(UTC).replace(tzinfo=None) if deleted else None
    session.flush()
    return to_contact(row)


def known_agency_codes(session: Session) -> frozenset[str]:
    return frozenset(session.scalars(select(orm.AgencyRow.code)))


def is_known_port(session: Session, code: str) -> bool:
    return session.get(orm.PortRow, code) is not None
