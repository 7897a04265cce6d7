"""Inserts of many rows through the driver's own `executemany`, for the import's trade rows.

SQLAlchemy's executemany of dicts processes every row in Python (compiled parameters, one bind processor per
value); for an import of a million ES-003 lines that costs more than SQLite's own work for the same rows.
`DriverInsert` builds its statement once, takes each row's values with one `itemgetter` call and converts
only the columns whose type needs it on this dialect (a UUID to 32 hex characters and a date to ISO text on
SQLite; nothing on PostgreSQL, whose driver binds both natively), so a row costs one tuple.

Columns the rows do not give get their scalar ORM default written into the statement as a literal, as
SQLAlchemy would have bound it; a column with a computed default must be given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Connection, literal

from app.store.bulk import table

_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


class DriverInsert:
    """INSERT INTO `table_name` of the row keys `columns`, run for a list of dict rows at a time."""

    def __init__(self, connection: Connection, table_name: str, columns: Sequence[str]) -> None:
        target = table(table_name)
        dialect = connection.dialect
        if len(columns) < 2:  # itemgetter of one key returns the value itself, not a 1-tuple
            raise ValueError("DriverInsert writes rows of two or more columns")
        unknown = set(columns) - set(target.c.keys())
        if unknown:
            raise ValueError(f"{table_name} has no column {', '.join(sorted(unknown))}")
        fixed = {
            column.name: _literal(column, connection) for column in target.c if column.name not in columns
        }
        names = [*columns, *[name for name, value in fixed.items() if value is not None]]
        values = [_MARKS[dialect.paramstyle]] * len(columns)
        values += [value for value in fixed.values() if value is not None]
        self.sql = f"INSERT INTO {table_name} ({', '.join(names)}) VALUES ({', '.join(values)})"
        self.connection = connection
        self.row_values = itemgetter(*columns)
        processors = {
            name: target.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
        }
        self.converters: list[tuple[int, Callable[[Any], Any]]] = [
            (index, processor)
            for index, name in enumerate(columns)
            if (processor := processors[name]) is not None
        ]

    def run(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert `rows`, each a mapping with (at least) every column given to the constructor."""
        if rows:
            self.run_stored(self.stored(rows))

    def stored(self, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """`rows` as the database stores them: a tuple of the constructor's columns each, converted."""
        tuples: list[Any] = list(map(self.row_values, rows))
        if self.converters:
            tuples = [self._converted(values) for values in tuples]
        return tuples

    def run_stored(self, tuples: Sequence[tuple[Any, ...]]) -> None:
        """Insert rows already made by `stored`."""
        if tuples:
            self.connection.exec_driver_sql(self.sql, list(tuples))

    def _converted(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        converted = list(values)
        for index, processor in self.converters:
            value = converted[index]
            if value is not None:
                converted[index] = processor(value)
        return tuple(converted)


def _literal(column: Column[Any], connection: Connection) -> str | None:
    """The SQL literal of a column's scalar ORM default; None when the database fills it (a server default,
    NULL, an autoincrement key). A computed default cannot be written once for all rows: it must be given."""
    default = column.default
    if default is None:
        if column.nullable or column.server_default is not None or column.autoincrement is True:
            return None
        if column.primary_key and column.autoincrement == "auto" and column.type.python_type is int:
            return None
        raise ValueError(f"{column.table.name}.{column.name} has no default: the rows must give it")
    if not default.is_scalar:
        raise ValueError(f"{column.table.name}.{column.name} has a computed default: the rows must give it")
    value = literal(default.arg, column.type)  # type: ignore[attr-defined]
    return str(value.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
