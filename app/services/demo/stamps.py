"""Date-times of the demo's rows, and the columns every synced row carries.

Customs events (holds placed and removed) are the port's wall-clock time; `created_at` / `updated_at` of the
AE's own records are UTC (app.domain.model). Both are naive and both fall in office hours.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from typing import Any


def office_time(rng: random.Random, day: date, first_hour: int = 8, last_hour: int = 17) -> datetime:
    """`day` at a random minute between `first_hour`:00 and `last_hour`:59."""
    return datetime(
        day.year, day.month, day.day, rng.randint(first_hour, last_hour), rng.randrange(60), rng.randrange(60)
    )


def stamp_between(rng: random.Random, start: date, end: date) -> datetime:
    """A date-time in (U.S. daytime, as UTC) office hours on a day in [start, end)."""
    day = start + timedelta(days=rng.randrange(max(1, (end - start).days)))
    return office_time(rng, day, 13, 22)


def synced(row_id: uuid.UUID, created: datetime, updated: datetime | None = None) -> dict[str, Any]:
    """The sync columns of a new row: version 1, created/updated stamps, no tombstone."""
    return {
        "id": row_id,
        "version": 1,
        "created_at": created,
        "updated_at": updated or created,
        "deleted_at": None,
    }
