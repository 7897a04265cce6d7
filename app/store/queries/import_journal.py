"""The import journal (migration 0007): batches, and what each batch overwrote, so an undo can put it back.

A record an import changes gets one `import_changes` row with its primary key and its earlier values (only the
columns the import changed). A record an import inserts into a synced table gets one row with `before` NULL.
Trade rows an import inserts carry the batch id in `import_batch_id` instead: there are millions of them.

Values are stored as JSON; `decode_values` turns them back into the column's Python type (dates, UUIDs…)
using the table's own column types, so a restore writes exactly what was there.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, Uuid, insert, select, update

from app.domain.ids import uuid7
from app.store.bulk import table

BATCHES = table("import_batches")
CHANGES = table("import_changes")


def encode(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def encode_values(values: Mapping[str, object]) -> str:
    return json.dumps({name: encode(value) for name, value in values.items()}, sort_keys=True)


def decode_values(table_name: str, text: str) -> dict[str, Any]:
    """JSON values of `table_name` back to the types its columns hold."""
    columns = table(table_name).c
    decoded: dict[str, Any] = {}
    for name, value in json.loads(text).items():
        column_type = columns[name].type
        if value is None:
            decoded[name] = None
        elif isinstance(column_type, DateTime):
            decoded[name] = datetime.fromisoformat(value)
        elif isinstance(column_type, Date):
            decoded[name] = date.fromisoformat(value)
        elif isinstance(column_type, Uuid):
            decoded[name] = uuid.UUID(value)
        else:
            decoded[name] = value
    return decoded


class Journal:
    """Collects a batch's change records and writes them in one executemany per `flush`."""

    def __init__(self, connection: Connection, batch_id: uuid.UUID) -> None:
        self.connection = connection
        self.batch_id = batch_id
        self.pending: list[dict[str, Any]] = []

    def changed(
        self,
        table_name: str,
        key: Mapping[str, object],
        before: Mapping[str, object],
        after_version: int | None = None,
    ) -> None:
        """A record of `table_name` (primary key `key`) changed; `before`: the changed columns' values."""
        self._add(table_name, key, encode_values(before), after_version)

    def inserted(self, table_name: str, key: Mapping[str, object]) -> None:
        """A record inserted into a synced table (trade rows are marked with the batch id instead)."""
        self._add(table_name, key, None, 1)

    def _add(
        self, table_name: str, key: Mapping[str, object], before: str | None, version: int | None
    ) -> None:
        self.pending.append(
            {
                "batch_id": self.batch_id,
                "table_name": table_name,
                "row_key": encode_values(key),
                "before": before,
                "after_version": version,
            }
        )

    def flush(self) -> None:
        if self.pending:
            self.connection.execute(insert(CHANGES), self.pending)
            self.pending = []


def create_batch(connection: Connection, values: Mapping[str, Any]) -> uuid.UUID:
    """Insert an import batch row (its counts are filled in by `finish_batch`) and return its id."""
    batch_id = uuid.UUID(str(values["id"])) if "id" in values else uuid7()
    connection.execute(insert(BATCHES).values({**values, "id": batch_id}))
    return batch_id


def finish_batch(connection: Connection, batch_id: uuid.UUID, counts: Mapping[str, Any]) -> None:
    connection.execute(update(BATCHES).where(BATCHES.c.id == batch_id).values(dict(counts)))


def batch_rows(connection: Connection) -> Sequence[Any]:
    """Every batch, newest first."""
    return connection.execute(
        select(BATCHES).order_by(BATCHES.c.imported_at.desc(), BATCHES.c.id.desc())
    ).all()


def changes_of(connection: Connection, batch_id: uuid.UUID) -> Sequence[Any]:
    """The batch's change records in the order they were made."""
    query = select(CHANGES).where(CHANGES.c.batch_id == batch_id).order_by(CHANGES.c.id)
    return connection.execute(query).all()


def key_filter(target: Table, key_text: str) -> list[Any]:
    """WHERE clauses selecting the record a change row's `row_key` names."""
    key = decode_values(target.name, key_text)
    return [target.c[name] == value for name, value in key.items()]
