"""Open holds for the held-shipments board, oldest first."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.domain.deadlines import hold_clock
from app.domain.enums import ExamType, HoldCategory, HoldOwner
from app.domain.views import OpenHoldRow
from app.store import orm
from app.store.queries import entry_display

H = orm.HoldRow
A = orm.AccountRow
PORT = orm.PortRow


def _open_holds_query() -> Select[orm.HoldRow, str, str | None]:
    # `removed_at IS NULL` + ORDER BY placed_at is exactly the partial index ix_holds_open_placed, so a page
    # is read in index order and the database stops after `limit` rows. Holds of a tombstoned account go
    # with the account.
    return (
        select(H, A.name.label("account_name"), PORT.name.label("port_name"))
        .join(A, A.id == H.account_id)
        .outerjoin(PORT, PORT.code == H.port_code)
        .where(H.removed_at.is_(None), A.deleted_at.is_(None))
        .order_by(H.placed_at, H.id)
    )


def open_hold_row(hold: orm.HoldRow, account_name: str, port_name: str | None, today: date) -> OpenHoldRow:
    """One open hold as the board and the lists show it, its clock computed for `today`."""
    category = HoldCategory(hold.category)
    clock = hold_clock(category, hold.placed_at.date(), today, notice_on=hold.detention_notice_on)
    return OpenHoldRow(
        hold_id=hold.id,
        entry_number=entry_display(hold.entry_number),
        account_id=hold.account_id,
        account_name=account_name,
        port_code=hold.port_code,
        port_name=port_name or "",
        category=category,
        owner=HoldOwner(hold.owner),
        agency_code=hold.agency_code,
        disposition_code=hold.disposition_code,
        status_text=hold.status_text,
        placed_at=hold.placed_at,
        age_business_days=clock.age_business_days,
        threshold=clock.state,
        exam_type=ExamType(hold.exam_type),
        exam_location=hold.exam_location,
    )


def open_holds(session: Session, *, limit: int | None, offset: int, today: date) -> list[OpenHoldRow]:
    query = _open_holds_query().offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [open_hold_row(hold, name, port, today) for hold, name, port in session.execute(query)]


def count_open_holds(session: Session) -> int:
    query = (
        select(func.count())
        .select_from(H)
        .join(A, A.id == H.account_id)
        .where(H.removed_at.is_(None), A.deleted_at.is_(None))
    )
    return session.scalar(query) or 0
