"""The held-shipments board at scale: ordered hold ids for a filter + sort, then pages of rows by id.

The screen keeps only the id list and a few formatted pages in memory, so 50k open holds cost one id query
per filter or sort change and one primary-key query per page scrolled into view.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from app.domain.enums import ThresholdState
from app.domain.views import OpenHoldRow
from app.services.workspace import Workspace
from app.store.queries import holdboard as queries

SORT_KEYS = (
    "entry_number",
    "account",
    "port",
    "category",
    "owner",
    "disposition",
    "placed_at",
    "age",
    "threshold",
    "exam",
)
GROUP_KEYS = queries.GROUP_KEYS


def open_hold_ids(
    ws: Workspace,
    *,
    sort: str,
    descending: bool,
    text: str = "",
    threshold: ThresholdState | None = None,
    group_by: str | None = None,
    today: date | None = None,
) -> list[uuid.UUID]:
    """Ids of every open hold matching `text` (words over entry number, account, port, category,
    disposition and status) and `threshold` (as of `today`, default the local date), grouped by `group_by`
    ("port", "agency", "account" or None) then sorted by `sort` (one of SORT_KEYS; "age" sorts by placed
    date, oldest = largest). ValidationError for an unknown sort or group key."""
    with ws.database.session() as session:
        return queries.open_hold_ids(
            session,
            sort=sort,
            descending=descending,
            today=today or date.today(),
            text=text,
            threshold=threshold,
            group_by=group_by,
        )


def open_hold_rows(
    ws: Workspace, ids: Sequence[uuid.UUID], *, today: date | None = None
) -> list[OpenHoldRow]:
    """The board rows of `ids` in that order, with the AE's last action; holds released since are left out."""
    with ws.database.session() as session:
        return queries.open_hold_rows(session, ids, today=today or date.today())
