"""A pull rewrites the notes' search entries itself, in bulk and in index order (SQLite only).

The notes' full-text triggers (migration 0010) cost ~50-70 µs a note inside a trigger and rewrite FTS5's
index at random places: 100k notes pulled took over 7 s of the pull's 10 s budget. While
`sync_state.notes_search_deferred` is 1 (only within a pull's transaction) the triggers stay quiet and the
pull rewrites the entries of the notes it wrote in `notes_fts` rowid order (`store/sync/note_search.py`):
~12 µs a note. The same statements as 0010 otherwise.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_KEY = "(SELECT fts_rowid FROM notes_fts_keys WHERE note_id = {ref})"
_ADD = """
         INSERT INTO notes_fts_keys(note_id) SELECT new.id WHERE new.deleted_at IS NULL;
         INSERT INTO notes_fts(rowid, note_id, text)
           SELECT k.fts_rowid, new.id, new.text FROM notes_fts_keys k WHERE k.note_id = new.id;"""
_DROP = f"""
         DELETE FROM notes_fts WHERE rowid = {_KEY.format(ref="old.id")};
         DELETE FROM notes_fts_keys WHERE note_id = old.id;"""


def _triggers(when: str) -> list[str]:
    return [
        "DROP TRIGGER notes_fts_insert",
        "DROP TRIGGER notes_fts_update",
        "DROP TRIGGER notes_fts_delete",
        f"CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes {when}BEGIN {_ADD}\n       END",
        f"CREATE TRIGGER notes_fts_update AFTER UPDATE OF text, deleted_at ON notes {when}"
        f"BEGIN {_DROP} {_ADD}\n       END",
        f"CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes {when}BEGIN {_DROP}\n       END",
    ]


UNLESS_DEFERRED = "WHEN (SELECT notes_search_deferred FROM sync_state WHERE id = 1) = 0 "


def upgrade() -> None:
    op.add_column(
        "sync_state", sa.Column("notes_search_deferred", sa.Integer(), server_default="0", nullable=False)
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in _triggers(UNLESS_DEFERRED):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _triggers(""):
            op.execute(statement)
        # SQLite's own DROP COLUMN (3.35+): a batch copy of the table would trip over the outbox triggers
        # that read sync_state.
        op.execute("ALTER TABLE sync_state DROP COLUMN notes_search_deferred")
    else:
        op.drop_column("sync_state", "notes_search_deferred")
