"""The notes' search entries of a pull, rewritten in bulk rather than by the full-text triggers.

Inside a trigger each note's FTS5 entry costs ~50-70 µs, most of it rewriting the index at random places (a
new entry goes at the end, after the next note's old one is removed from the middle, and FTS5 flushes its
pending changes at each step back). Here the pull's notes leave the triggers quiet (migration 0011), and
afterwards their old entries are removed and their new ones written in rowid order: ~12 µs a note. A note
keeps its entry's rowid (`notes_fts_keys`); a new or undeleted note gets the next one, a removed or deleted
note loses its key and entry. Search then finds exactly what the triggers would have left.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, update

from app.store.bulk import table

STATE = table("sync_state")
CHUNK = 2_000


@contextmanager
def notes_search_deferred(connection: Connection) -> Iterator[set[str]]:
    """Within the caller's transaction: the notes' full-text triggers stay quiet. The caller adds the ids (as
    stored: 32 hex digits) of the notes it inserted, deleted or whose text or deletion it changed to the set
    it is given; their entries are rewritten on leaving (not after an exception: the transaction is rolled
    back). Other dialects have no such triggers: nothing to do."""
    touched: set[str] = set()
    if connection.dialect.name != "sqlite":
        yield touched
        return
    connection.execute(update(STATE).where(STATE.c.id == 1).values(notes_search_deferred=1))
    yield touched
    connection.execute(update(STATE).where(STATE.c.id == 1).values(notes_search_deferred=0))
    rewrite_entries(connection, touched)


def rewrite_entries(connection: Connection, note_ids: Collection[str]) -> None:
    """Make the search entries of `note_ids` what the triggers would have made them: removed, then written
    again for each note that exists and is not deleted."""
    ids = sorted(note_ids)
    if not ids:
        return
    old_rowids = sorted(rowid for _note, rowid in _keys(connection, ids))
    if old_rowids:
        connection.exec_driver_sql(
            "DELETE FROM notes_fts WHERE rowid = ?", [(rowid,) for rowid in old_rowids]
        )
    texts = _live_texts(connection, ids)
    gone = [(note,) for note in ids if note not in texts]
    if gone:
        connection.exec_driver_sql("DELETE FROM notes_fts_keys WHERE note_id = ?", gone)
    live = [(note,) for note in ids if note in texts]
    if live:  # a key already there is kept (and with it the entry's place in the index)
        connection.exec_driver_sql("INSERT OR IGNORE INTO notes_fts_keys(note_id) VALUES (?)", live)
    entries = sorted((rowid, note, texts[note]) for note, rowid in _keys(connection, [n for (n,) in live]))
    if entries:
        connection.exec_driver_sql("INSERT INTO notes_fts(rowid, note_id, text) VALUES (?, ?, ?)", entries)


def _keys(connection: Connection, ids: list[str]) -> Iterator[tuple[str, int]]:
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        marks = ", ".join("?" * len(part))
        sql = f"SELECT note_id, fts_rowid FROM notes_fts_keys WHERE note_id IN ({marks})"
        yield from connection.exec_driver_sql(sql, tuple(part))


def _live_texts(connection: Connection, ids: list[str]) -> dict[str, Any]:
    texts: dict[str, Any] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        marks = ", ".join("?" * len(part))
        sql = f"SELECT id, text FROM notes WHERE id IN ({marks}) AND deleted_at IS NULL"
        texts.update((note, text) for note, text in connection.exec_driver_sql(sql, tuple(part)))
    return texts
