"""What the printed reports need beyond the screens' queries: the portfolio's entries of the last 12 months
(one workbook row per entry) and the contact details of an account's AE for the signature block."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import CenterCode
from app.domain.model import AccountExecutive
from app.store import orm
from app.store.queries import entry_display, window_start

A = orm.AccountRow
AE = orm.AccountExecutiveRow
E = orm.EntryRow


class WindowEntry(NamedTuple):
    """One entry of the portfolio workbook's Entries sheet; the entry number in display form."""

    account_name: str
    entry_number: str
    entry_date: date
    entry_type: str
    port_of_entry: str
    mode_of_transport: str
    release_date: date | None
    entered_value_cents: int
    duty_cents: int
    fees_cents: int


def window_entries(
    session: Session, today: date, account_ids: Collection[uuid.UUID] = ()
) -> list[WindowEntry]:
    """Entries of live accounts (of `account_ids` only, when given) dated in the 12-month window ending
    `today` (as the portfolio counts them), by account name, then date and number. Walks
    `ix_entries_date_number`."""
    query = (
        select(
            A.name,
            E.entry_number,
            E.entry_date,
            E.entry_type,
            E.port_of_entry,
            E.mode_of_transport,
            E.release_date,
            E.entered_value_cents,
            E.duty_cents,
            E.fees_cents,
        )
        .join(A, A.id == E.account_id)
        .where(A.deleted_at.is_(None), E.entry_date > window_start(today), E.entry_date <= today)
        .order_by(A.name, A.id, E.entry_date, E.entry_number)
    )
    if account_ids:
        query = query.where(E.account_id.in_(list(account_ids)))
    return [
        WindowEntry(
            account_name=row[0],
            entry_number=entry_display(row[1]),
            entry_date=row[2],
            entry_type=row[3],
            port_of_entry=row[4],
            mode_of_transport=row[5],
            release_date=row[6],
            entered_value_cents=int(row[7] or 0),
            duty_cents=int(row[8] or 0),
            fees_cents=int(row[9] or 0),
        )
        for row in session.execute(query)
    ]


def account_executive(session: Session, account_id: uuid.UUID) -> AccountExecutive | None:
    """The live AE assigned to the account (name, Center, e-mail, phone, signature), None when unassigned."""
    row = session.execute(
        select(AE)
        .join(A, A.ae_id == AE.id)
        .where(A.id == account_id, A.deleted_at.is_(None), AE.deleted_at.is_(None))
    ).scalar_one_or_none()
    if row is None:
        return None
    return AccountExecutive(
        id=row.id,
        name=row.name,
        center=CenterCode(row.center_code),
        email=row.email or "",
        phone=row.phone or "",
        signature=row.signature or "",
    )
