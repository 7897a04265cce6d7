"""How much is in the database, and how current it is."""

from __future__ import annotations

from datetime import UTC, datetime

from app.services.workspace import Workspace
from app.store.queries import stats as queries

DATA_AS_OF_KEY = "data_as_of"


def database_stats(ws: Workspace) -> dict[str, int]:
    """Row counts with exactly the keys of `stats --json` (CONTRACTS.md §2); tombstoned rows not counted."""
    with ws.database.session() as session:
        return queries.table_counts(session)


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None  # a hand-edited or foreign value: better "unknown" than a crash in the status bar
    if parsed.tzinfo is not None:  # the app keeps naive UTC (model.py)
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def data_as_of(ws: Workspace) -> datetime | None:
    """When the trade data was current: the newest import batch still in effect, else the `meta` row
    `data_as_of` (set by the demo generator), else None."""
    with ws.database.session() as session:
        newest = queries.newest_import_at(session)
        return newest if newest is not None else _parse_time(queries.meta_value(session, DATA_AS_OF_KEY))
