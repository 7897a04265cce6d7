"""Row counts for `stats --json` and the status bar, and how current the data is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.store import orm

# The keys are CONTRACTS.md §2 (`stats --json`); tombstoned rows of the synced tables are not counted.
_COUNTED: dict[str, tuple[Any, ...]] = {
    "accounts": (orm.AccountRow, orm.AccountRow.deleted_at.is_(None)),
    "importer_numbers": (orm.ImporterNumberRow, orm.ImporterNumberRow.deleted_at.is_(None)),
    "entries": (orm.EntryRow,),
    "entry_lines": (orm.EntryLineRow,),
    "holds": (orm.HoldRow,),
    "open_holds": (orm.HoldRow, orm.HoldRow.removed_at.is_(None)),
    "notes": (orm.NoteRow, orm.NoteRow.deleted_at.is_(None)),
    "compliance_events": (orm.ComplianceEventRow, orm.ComplianceEventRow.deleted_at.is_(None)),
    "import_batches": (orm.ImportBatchRow,),
}


def _count(table: Any, *where: ColumnElement[bool]) -> Any:
    return select(func.count()).select_from(table).where(*where).scalar_subquery()


def table_counts(session: Session) -> dict[str, int]:
    """Every count in one round trip (one scalar subquery per table)."""
    query = select(*(_count(*spec).label(key) for key, spec in _COUNTED.items()))
    row = session.execute(query).one()
    return {key: int(row._mapping[key]) for key in _COUNTED}


def newest_import_at(session: Session) -> datetime | None:
    """When the newest import batch that is still in effect (not undone) was imported."""
    batch = orm.ImportBatchRow
    return session.scalar(select(func.max(batch.imported_at)).where(batch.undone_at.is_(None)))


def meta_value(session: Session, key: str) -> str | None:
    return session.scalar(select(orm.MetaRow.value).where(orm.MetaRow.key == key))
