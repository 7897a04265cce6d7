"""Notes' full-text rows found by key, not by a scan (SQLite only).

`notes_fts` (migration 0002) keys each row by the note's UUID in an UNINDEXED column, so the triggers that
drop a note's old text on an update or delete scanned the whole FTS table: ~10 ms per edited note at 40,000
notes, minutes for a sync or import that touches thousands. `notes_fts_keys` now gives each note's FTS row an
explicit integer rowid (its own INTEGER PRIMARY KEY, which VACUUM keeps), found through the note id's unique
index; the triggers delete by that rowid.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
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

UP = [
    "CREATE TABLE notes_fts_keys (fts_rowid INTEGER PRIMARY KEY, note_id CHAR(32) NOT NULL UNIQUE)",
    "DROP TRIGGER notes_fts_insert",
    "DROP TRIGGER notes_fts_update",
    "DROP TRIGGER notes_fts_delete",
    "DELETE FROM notes_fts",
    "INSERT INTO notes_fts_keys(note_id) SELECT id FROM notes WHERE deleted_at IS NULL ORDER BY id",
    "INSERT INTO notes_fts(rowid, note_id, text) "
    "SELECT k.fts_rowid, n.id, n.text FROM notes_fts_keys k JOIN notes n ON n.id = k.note_id",
    f"CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN {_ADD}\n       END",
    "CREATE TRIGGER notes_fts_update AFTER UPDATE OF text, deleted_at ON notes "
    f"BEGIN {_DROP} {_ADD}\n       END",
    f"CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN {_DROP}\n       END",
]
DOWN = [
    "DROP TRIGGER notes_fts_insert",
    "DROP TRIGGER notes_fts_update",
    "DROP TRIGGER notes_fts_delete",
    "DROP TABLE notes_fts_keys",
    """CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes WHEN new.deleted_at IS NULL BEGIN
         INSERT INTO notes_fts(note_id, text) VALUES (new.id, new.text);
       END""",
    """CREATE TRIGGER notes_fts_update AFTER UPDATE OF text, deleted_at ON notes BEGIN
         DELETE FROM notes_fts WHERE note_id = old.id;
         INSERT INTO notes_fts(note_id, text) SELECT new.id, new.text WHERE new.deleted_at IS NULL;
       END""",
    """CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
         DELETE FROM notes_fts WHERE note_id = old.id;
       END""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in DOWN:
            op.execute(statement)
