"""An account's entries, newest first, one page at a time."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from app.domain.views import EntrySummary
from app.store import orm
from app.store.queries import entry_display

E = orm.EntryRow
L = orm.EntryLineRow
H = orm.HoldRow


def _page_keys(account_id: uuid.UUID, limit: int | None, offset: int) -> Select[Any]:
    # The page is chosen on ix_entries_account_date alone (walked backwards), so the per-entry line counts
    # and hold checks below run for the rows shown, not for every entry of a busy account.
    keys = (
        select(E.entry_number)
        .where(E.account_id == account_id)
        .order_by(E.entry_date.desc(), E.entry_number.desc())
        .offset(offset)
    )
    return keys if limit is None else keys.limit(limit)


def account_entries(
    session: Session, account_id: uuid.UUID, *, limit: int | None, offset: int
) -> list[EntrySummary]:
    page = _page_keys(account_id, limit, offset).subquery()
    line_count = select(func.count()).where(L.entry_number == E.entry_number).scalar_subquery()
    held = exists().where(H.entry_number == E.entry_number)
    query = (
        select(
            E.entry_number,
            E.entry_date,
            E.entry_type,
            E.port_of_entry,
            E.mode_of_transport,
            E.release_date,
            E.entered_value_cents,
            E.duty_cents,
            line_count.label("line_count"),
            held.label("has_hold"),
        )
        .join(page, page.c.entry_number == E.entry_number)
        .order_by(E.entry_date.desc(), E.entry_number.desc())
    )
    return [
        EntrySummary(
            entry_number=entry_display(r.entry_number),
            entry_date=r.entry_date,
            entry_type=r.entry_type,
            port_of_entry=r.port_of_entry,
            mode_of_transport=r.mode_of_transport,
            release_date=r.release_date,
            entered_value_cents=r.entered_value_cents,
            duty_cents=r.duty_cents,
            line_count=r.line_count,
            has_hold=bool(r.has_hold),
        )
        for r in session.execute(query)
    ]


def entry_account(session: Session, entry_number: str) -> uuid.UUID | None:
    """The account an entry (canonical number) belongs to, or None when it is not in the database."""
    return session.scalar(select(E.account_id).where(E.entry_number == entry_number))
