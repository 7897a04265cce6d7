"""Copy the bundled reference CSVs (resources/reference) into the reference tables.

Called by migrations: the initial load, and again by any later migration that ships a new reference version.
Rows are upserted by code, never deleted, because accounts, entries and holds point at them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, select

from app.store import orm
from app.store.reference import read_reference, reference_version


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "y", "yes"}


def _int_or_none(value: str) -> int | None:
    return int(value) if value.strip() else None


def _date_or_none(value: str) -> date | None:
    return date.fromisoformat(value) if value.strip() else None


# file stem (= table name) -> converters for the columns that are not plain text
_CONVERTERS: dict[str, dict[str, Callable[[str], Any]]] = {
    "centers": {},
    "ports": {"retired": _flag},
    "entry_types": {"active": _flag, "retired_on": _date_or_none},
    "transport_modes": {},
    "hold_categories": {"min_days": _int_or_none, "max_days": _int_or_none},
    "disposition_codes": {},
    "agencies": {},
    "compliance_event_types": {"deadline_days": _int_or_none},
    "countries": {},
}


def _typed_rows(name: str, table: Table, converters: dict[str, Callable[[str], Any]]) -> list[dict[str, Any]]:
    columns = {c.name for c in table.columns}
    rows = []
    for raw in read_reference(name):
        row = {k: converters.get(k, str)(v) for k, v in raw.items() if k in columns}
        rows.append(row)
    return rows


def load_reference_data(connection: Connection) -> dict[str, int]:
    """Upsert every reference table; returns the row count per table."""
    counts: dict[str, int] = {}
    tables = orm.Base.metadata.tables
    for name, converters in _CONVERTERS.items():
        table = tables[name]
        key = next(iter(table.primary_key.columns))
        existing = set(connection.execute(select(key)).scalars())
        rows = _typed_rows(name, table, converters)
        new_rows = [r for r in rows if r[key.name] not in existing]
        if new_rows:
            connection.execute(table.insert(), new_rows)
        for row in (r for r in rows if r[key.name] in existing):
            connection.execute(table.update().where(key == row[key.name]).values(**row))
        counts[name] = len(rows)
    meta = tables["meta"]
    connection.execute(meta.delete().where(meta.c.key == "reference_version"))
    connection.execute(meta.insert().values(key="reference_version", value=reference_version()))
    return counts
