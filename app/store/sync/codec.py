"""Record values as JSON text, for the outbox's base values and the three sides of a conflict.

The outbox triggers write a record's base as SQLite stores it (a UUID as 32 hex digits, a date as ISO text,
a boolean as 0/1): `decode_stored` reads it back into Python values with the column types' own SQLite
result processors, so base, mine and theirs compare as the same Python values.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite

_SQLITE = sqlite.dialect()


def decode_stored(target: Table, text: str) -> dict[str, Any]:
    """A JSON object of SQLite-stored values (an outbox base) as Python values, by `target`'s column types."""
    processors = _stored_value_readers(target)
    values: dict[str, Any] = {}
    for name, value in json.loads(text).items():
        if name not in processors:
            continue  # a column a later migration removed
        processor = processors[name]
        values[name] = processor(value) if processor is not None and value is not None else value
    return values


def decode_row(
    target: Table, stored: tuple[Any, ...], names: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """A row read raw from SQLite (columns in `target`'s order) as Python values; only `names` if given."""
    readers = _stored_value_readers(target)
    positions = _positions(target)
    values: dict[str, Any] = {}
    for name in names if names is not None else positions:
        value, reader = stored[positions[name]], readers[name]
        values[name] = reader(value) if reader is not None and value is not None else value
    return values


@functools.cache
def _positions(target: Table) -> dict[str, int]:
    return {name: index for index, name in enumerate(target.c.keys())}


@functools.cache
def _stored_value_readers(target: Table) -> dict[str, Callable[[Any], Any] | None]:
    """Per column, SQLite's result processor for its type (None: the stored value is the Python value)."""
    return {
        column.name: column.type.dialect_impl(_SQLITE).result_processor(_SQLITE, None) for column in target.c
    }


def dump_value(value: Any) -> str:
    """One value as JSON text (a conflict side)."""
    return json.dumps(_plain(value))


def load_value(target: Table, field: str, text: str | None) -> Any:
    """A conflict side back to the Python value of `field`."""
    if text is None:
        return None
    value = json.loads(text)
    if value is None:
        return None
    python_type = target.c[field].type.python_type
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value
