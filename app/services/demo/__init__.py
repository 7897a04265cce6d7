"""The synthetic demo portfolio (`ae-workbench demo`, and the database `make run` opens on first start).

A deterministic function of (scale, seed, today): every date is relative to `today`, so the demo always
looks current, and every random draw comes from generators seeded by (seed, scale, part). See `plan.py` for
the scales and `writer.py` for how the rows reach the database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import DBAPIError

from app.services.demo.context import Clock
from app.services.demo.plan import SCALES, plan_for
from app.services.demo.writer import DemoRun, refuse_or_clear
from app.services.progress import CancelToken, Progress, no_progress
from app.services.workspace import Workspace
from app.store.bulk import fast_sqlite_writes
from app.store.database import storage_error

__all__ = ["SCALES", "DemoResult", "generate_demo"]


@dataclass(frozen=True)
class DemoResult:
    scale: str
    seed: int
    counts: dict[str, int]  # rows per table, plus "open_holds"; in a stable order for printing
    seconds: float


def generate_demo(
    ws: Workspace,
    *,
    scale: str = "small",
    seed: int = 7,
    force: bool = False,
    today: date | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> DemoResult:
    """Fill the workspace with the demo portfolio of `scale` for `seed`, dated relative to `today`.

    Raises `ValidationError` for an unknown scale, `NotEmptyError` when the database already holds accounts
    and `force` is not set, and `Cancelled` when `cancel` fires (nothing is written then: one transaction).
    """
    plan = plan_for(scale)
    started = time.perf_counter()
    clock = Clock(today or date.today(), plan.history_days)
    try:
        with ws.database.engine.connect() as connection, fast_sqlite_writes(connection), connection.begin():
            refuse_or_clear(connection, force)
            counts = DemoRun(connection, plan, seed, clock, progress, cancel).run()
    except DBAPIError as exc:  # locked, disk full, server gone: one line for a person
        raise storage_error(exc, ws.url) from exc
    return DemoResult(scale=scale, seed=seed, counts=counts, seconds=time.perf_counter() - started)
