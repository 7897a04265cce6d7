"""Import batches: the list the Imports screen and `imports list` show, and undoing one as a unit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, select

from app.domain.enums import ImportKind
from app.domain.errors import NotFoundError, ValidationError
from app.services.importing.results import BatchSummary, UndoResult
from app.services.workspace import Workspace
from app.store.queries.import_journal import BATCHES, batch_rows
from app.store.queries.import_undo import UndoRefused, undo

MIN_PREFIX = 8


def list_batches(ws: Workspace) -> list[BatchSummary]:
    """Every import batch, newest first, undone ones included (with `undone_at`)."""
    with ws.database.session() as session:
        return [_summary(row) for row in batch_rows(session.connection())]


def undo_batch(ws: Workspace, batch_id: str) -> UndoResult:
    """Undo a batch (its full id or a unique prefix of at least 8 characters) in one transaction.

    NotFoundError for an unknown id; ValidationError when the undo is refused (already undone, a later batch
    touched the same records, an edit since), with the reason.
    """
    with ws.database.session() as session:
        connection = session.connection()
        batch = _find(connection, batch_id)
        try:
            removed, restored = undo(connection, batch)
        except UndoRefused as refused:
            raise ValidationError(str(refused), field="batch_id") from None
        return UndoResult(str(batch.id), batch.source_name, removed, restored)


def _find(connection: Connection, text: str) -> Any:
    wanted = text.strip().lower()
    try:
        exact = uuid.UUID(wanted)
    except ValueError:
        exact = None
    if exact is not None:
        row = connection.execute(select(BATCHES).where(BATCHES.c.id == exact)).first()
        if row is not None:
            return row
    if len(wanted.replace("-", "")) < MIN_PREFIX:
        raise NotFoundError(f"no import batch {text!r}: give at least {MIN_PREFIX} characters of its id")
    rows = [row for row in batch_rows(connection) if str(row.id).startswith(wanted)]
    if not rows:
        raise NotFoundError(f"no import batch {text!r}: `imports list` shows the batches")
    if len(rows) > 1:
        message = f"{len(rows)} import batches start with {text!r}: give more of the id"
        raise ValidationError(message, field="batch_id")
    return rows[0]


def _summary(row: Any) -> BatchSummary:
    return BatchSummary(
        id=str(row.id),
        kind=ImportKind(row.kind),
        source_name=row.source_name,
        source_sha256=row.source_sha256,
        imported_at=row.imported_at,
        imported_by=row.imported_by,
        rows=row.rows,
        inserted=row.inserted,
        updated=row.updated,
        unchanged=row.unchanged,
        skipped=row.skipped,
        accounts_created=row.accounts_created,
        undone_at=row.undone_at,
    )
