"""A pull writes notes with the full-text triggers quiet and rewrites their search entries in bulk: the
result must be exactly what the triggers would have left, and the triggers must be back afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from app.services.workspace import Workspace
from app.store.sync.note_search import notes_search_deferred
from tests.store import factories as f

WHEN = datetime(2026, 11, 2, 9, 0)


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(str(tmp_path / "laptop.sqlite3"))
    yield ws
    ws.close()


def entries(connection: Connection) -> set[tuple[str, str]]:
    """(note id, text) of every search entry, checked against its key on the way."""
    rows = connection.execute(
        text(
            "SELECT f.note_id, f.text, k.note_id FROM notes_fts f "
            "LEFT JOIN notes_fts_keys k ON k.fts_rowid = f.rowid"
        )
    ).all()
    assert all(note == keyed for note, _text, keyed in rows), "an entry without its key"
    found = {(note, body) for note, body, _keyed in rows}
    assert len(found) == len(rows), "a note with two entries"
    keys = connection.execute(text("SELECT count(*) FROM notes_fts_keys")).scalar_one()
    assert keys == len(rows), "a key without its entry"
    connection.execute(text("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')"))
    return found


def live_notes(connection: Connection) -> set[tuple[str, str]]:
    return {
        tuple(row) for row in connection.execute(text("SELECT id, text FROM notes WHERE deleted_at IS NULL"))
    }


def run(connection: Connection, sql: str, **params: object) -> None:
    connection.execute(text(sql), params)


NEW_NOTE = (
    "INSERT INTO notes (id, account_id, kind, text, author, follow_up_done, include_in_summary, sensitive,"
    " version, created_at, updated_at) VALUES (:id, :a, 'note', 'lab sample sent', 'AE', 0, 0, 0, 1, :t, :t)"
)


def test_deferred_entries_are_what_the_triggers_would_have_made(laptop: Workspace) -> None:
    with laptop.database.session() as session:
        account = f.add_account(session, "Harbor Goods")
        notes = [f.add_note(session, account, f"call number {n} about the exam", WHEN) for n in range(6)]
    edited, deleted, removed, kept, revived = (note.hex for note in notes[:5])
    added = uuid.uuid4().hex
    with laptop.database.engine.begin() as connection:
        run(connection, "UPDATE notes SET deleted_at = :t WHERE id = :id", t=WHEN, id=revived)
    with laptop.database.engine.begin() as connection:
        before = entries(connection)
        with notes_search_deferred(connection) as touched:
            run(connection, "UPDATE notes SET text = 'exam moved to Thursday' WHERE id = :id", id=edited)
            run(connection, "UPDATE notes SET deleted_at = :t WHERE id = :id", t=WHEN, id=deleted)
            run(connection, "DELETE FROM notes WHERE id = :id", id=removed)
            run(connection, "UPDATE notes SET deleted_at = NULL WHERE id = :id", id=revived)
            run(connection, NEW_NOTE, id=added, a=account.hex, t=WHEN)
            assert entries(connection) == before  # the triggers are quiet meanwhile
            touched.update({edited, deleted, removed, revived, added})
        assert entries(connection) == live_notes(connection)
        assert (kept, "call number 3 about the exam") in entries(connection)
        run(connection, "UPDATE notes SET text = 'after the pull' WHERE id = :id", id=kept)
        assert (kept, "after the pull") in entries(connection)  # the triggers work again


def test_after_an_exception_the_rollback_brings_the_triggers_back(laptop: Workspace) -> None:
    with laptop.database.session() as session:
        account = f.add_account(session, "Harbor Goods")
        note = f.add_note(session, account, "first call", WHEN).hex
    with (
        pytest.raises(RuntimeError),
        laptop.database.engine.begin() as connection,
        notes_search_deferred(connection),
    ):
        raise RuntimeError("the pull failed")
    with laptop.database.engine.begin() as connection:
        run(connection, "UPDATE notes SET text = 'second call' WHERE id = :id", id=note)
        assert entries(connection) == {(note, "second call")}
