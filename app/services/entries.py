"""An account's entries, newest first."""

from __future__ import annotations

import uuid

from app.domain.views import EntrySummary
from app.services.holds import check_page
from app.services.workspace import Workspace
from app.store.queries import entries as queries


def account_entries(
    ws: Workspace, account_id: uuid.UUID, *, limit: int | None = 500, offset: int = 0
) -> list[EntrySummary]:
    """A page of the account's entries by entry date, newest first (ties by entry number, descending)."""
    check_page(limit, offset)
    with ws.database.session() as session:
        return queries.account_entries(session, account_id, limit=limit, offset=offset)
