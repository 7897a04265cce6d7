"""The held-shipments board: open holds across all accounts, oldest first."""

from __future__ import annotations

from datetime import date

from app.domain.errors import ValidationError
from app.domain.views import OpenHoldRow
from app.services.workspace import Workspace
from app.store.queries import holds as queries


def check_page(limit: int | None, offset: int) -> None:
    """Reject a negative page window (a programming slip, but one a person would see as an empty list)."""
    if limit is not None and limit < 0:
        raise ValidationError(f"limit must be 0 or more, got {limit}", field="limit")
    if offset < 0:
        raise ValidationError(f"offset must be 0 or more, got {offset}", field="offset")


def open_holds_by_age(
    ws: Workspace, *, limit: int | None = 500, offset: int = 0, today: date | None = None
) -> list[OpenHoldRow]:
    """Open holds, oldest placed first, aged in business days and graded against their clocks as of `today`
    (default: the local date). `limit=None` returns them all."""
    check_page(limit, offset)
    with ws.database.session() as session:
        return queries.open_holds(session, limit=limit, offset=offset, today=today or date.today())


def count_open_holds(ws: Workspace) -> int:
    with ws.database.session() as session:
        return queries.count_open_holds(session)
