"""Write the server's rows into the laptop's tables: insert the new ones, and of the ones the laptop holds
update only the columns whose value differs, in the order the rows sit in the file.

An upsert that sets every column rewrites every index of the row and fires every `UPDATE OF` trigger (the
notes' full-text index: most of a pulled note's cost) even for a column that did not change. Reading the
laptop's copies first (one indexed query per chunk) and comparing them as SQLite stores them costs a few
microseconds a row; a note whose text did not change then leaves the full-text index alone, and an unchanged
row is not written at all.

The updates are made in rowid order, across the whole pull: the notes' full-text index is keyed in (about)
that order too, and rewriting it front to back rather than at random is five times faster for 100k notes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from app.store.driver_insert import DriverInsert
from app.store.sync.tables import Replicated

CHUNK = 2_000  # keys per read of the laptop's copies, rows per insert

Update = tuple[int, tuple[Any, ...]]  # (rowid, the changed values then the key)


class LocalWrite:
    """Rows of one replicated table (mappings with `columns`, the key among them) into the laptop's copy."""

    def __init__(
        self, connection: Connection, item: Replicated, columns: Sequence[str], watch: Collection[str] = ()
    ) -> None:
        self.connection = connection
        self.item = item
        self.columns = list(columns)
        self.key_index = self.columns.index(item.key)
        self.insert = DriverInsert(connection, item.name, self.columns)
        self.watched = frozenset(index for index, name in enumerate(self.columns) if name in watch)
        # Keys (as stored) of the rows inserted, or updated in a `watch` column.
        self.touched: set[Any] = set()

    def run(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Write `rows` (one per key): the new ones as they come, then the changed ones in file order."""
        updates: dict[tuple[int, ...], list[Update]] = {}
        for start in range(0, len(rows), CHUNK):
            incoming = self.insert.stored(rows[start : start + CHUNK])
            held = self._held([values[self.key_index] for values in incoming])
            new = [values for values in incoming if values[self.key_index] not in held]
            self.insert.run_stored(new)
            if self.watched:
                self.touched.update(values[self.key_index] for values in new)
            for values in incoming:
                found = held.get(values[self.key_index])
                if found is not None:
                    _queue_update(updates, values, self.key_index, *found)
        for differing, queued in updates.items():
            if self.watched.intersection(differing):
                self.touched.update(params[-1] for _rowid, params in queued)
            queued.sort(key=lambda update: update[0])
            assignments = ", ".join(f"{self.columns[index]} = ?" for index in differing)
            sql = f"UPDATE {self.item.name} SET {assignments} WHERE {self.item.key} = ?"
            for start in range(0, len(queued), CHUNK):
                self.connection.exec_driver_sql(
                    sql, [params for _rowid, params in queued[start : start + CHUNK]]
                )

    def _held(self, keys: Sequence[Any]) -> dict[Any, tuple[int, tuple[Any, ...]]]:
        """The laptop's rows of `keys` by key: their rowid and their values as SQLite stores them, in
        `columns` order."""
        if not keys:
            return {}
        names = ", ".join(self.columns)
        marks = ", ".join("?" * len(keys))
        sql = f"SELECT rowid, {names} FROM {self.item.name} WHERE {self.item.key} IN ({marks})"
        found = self.connection.exec_driver_sql(sql, tuple(keys))
        return {row[self.key_index + 1]: (row[0], tuple(row[1:])) for row in found}


def _queue_update(
    updates: dict[tuple[int, ...], list[Update]],
    values: tuple[Any, ...],
    key_index: int,
    rowid: int,
    before: tuple[Any, ...],
) -> None:
    """Queue the columns of `values` that differ from `before` (nothing when none does), grouped by which
    columns they are: one UPDATE statement per group."""
    differing = tuple(index for index, value in enumerate(values) if value != before[index])
    if differing:
        params = (*(values[index] for index in differing), values[key_index])
        updates.setdefault(differing, []).append((rowid, params))
