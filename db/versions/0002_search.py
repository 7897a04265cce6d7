"""Full-text search over notes, account names and importer numbers.

SQLite: FTS5 tables kept current by triggers (`unicode61 remove_diacritics 2`, so "Société" matches
"societe"). Each FTS table holds its own copy of the text keyed by the row's UUID rather than pointing at the
base table's implicit rowid, which VACUUM may renumber.
PostgreSQL: GIN indexes over `to_tsvector('ae_search', ...)`, queried with the same expressions.
`ae_search` is the `simple` configuration plus the `unaccent` dictionary (a trusted contrib extension, so a
database owner may install it); where the server lacks it the configuration stays plain `simple` and accents
are kept.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TOKENIZER = "unicode61 remove_diacritics 2"


# The account's searchable row: name, DBA and every live importer number (normalised).
def _account_row(ref: str, when: str = "1") -> str:
    return f"""
    INSERT INTO accounts_fts(account_id, name, iors)
    SELECT a.id, a.name || ' ' || a.dba,
           COALESCE((SELECT group_concat(i.normalized, ' ') FROM importer_numbers i
                     WHERE i.account_id = a.id AND i.deleted_at IS NULL), '')
    FROM accounts a WHERE a.id = {ref} AND a.deleted_at IS NULL AND {when};
    """


SQLITE_UP = [
    f"CREATE VIRTUAL TABLE notes_fts USING fts5(note_id UNINDEXED, text, tokenize='{TOKENIZER}')",
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
    f"CREATE VIRTUAL TABLE accounts_fts USING fts5(account_id UNINDEXED, name, iors, tokenize='{TOKENIZER}')",
    f"""CREATE TRIGGER accounts_fts_insert AFTER INSERT ON accounts BEGIN
         {_account_row("new.id")}
       END""",
    f"""CREATE TRIGGER accounts_fts_update AFTER UPDATE OF name, dba, deleted_at ON accounts BEGIN
         DELETE FROM accounts_fts WHERE account_id = old.id;
         {_account_row("new.id")}
       END""",
    """CREATE TRIGGER accounts_fts_delete AFTER DELETE ON accounts BEGIN
         DELETE FROM accounts_fts WHERE account_id = old.id;
       END""",
    f"""CREATE TRIGGER iors_fts_insert AFTER INSERT ON importer_numbers BEGIN
         DELETE FROM accounts_fts WHERE account_id = new.account_id;
         {_account_row("new.account_id")}
       END""",
    f"""CREATE TRIGGER iors_fts_update AFTER UPDATE OF normalized, account_id, deleted_at ON importer_numbers
       BEGIN
         DELETE FROM accounts_fts WHERE account_id IN (old.account_id, new.account_id);
         {_account_row("old.account_id")}
         {_account_row("new.account_id", when="old.account_id <> new.account_id")}
       END""",
    f"""CREATE TRIGGER iors_fts_delete AFTER DELETE ON importer_numbers BEGIN
         DELETE FROM accounts_fts WHERE account_id = old.account_id;
         {_account_row("old.account_id")}
       END""",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS iors_fts_delete",
    "DROP TRIGGER IF EXISTS iors_fts_update",
    "DROP TRIGGER IF EXISTS iors_fts_insert",
    "DROP TRIGGER IF EXISTS accounts_fts_delete",
    "DROP TRIGGER IF EXISTS accounts_fts_update",
    "DROP TRIGGER IF EXISTS accounts_fts_insert",
    "DROP TABLE IF EXISTS accounts_fts",
    "DROP TRIGGER IF EXISTS notes_fts_delete",
    "DROP TRIGGER IF EXISTS notes_fts_update",
    "DROP TRIGGER IF EXISTS notes_fts_insert",
    "DROP TABLE IF EXISTS notes_fts",
]

POSTGRES_UP = [
    "CREATE TEXT SEARCH CONFIGURATION ae_search (COPY = simple)",
    """DO $$ BEGIN
         CREATE EXTENSION IF NOT EXISTS unaccent;
         ALTER TEXT SEARCH CONFIGURATION ae_search
           ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
       EXCEPTION WHEN OTHERS THEN
         RAISE NOTICE 'unaccent is not available: full-text search on this server keeps accents';
       END $$""",
    "CREATE INDEX ix_notes_fts ON notes USING gin (to_tsvector('ae_search', text))",
    "CREATE INDEX ix_accounts_fts ON accounts USING gin (to_tsvector('ae_search', name || ' ' || dba))",
    "CREATE INDEX ix_importer_numbers_fts ON importer_numbers"
    " USING gin (to_tsvector('ae_search', normalized))",
]

POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_importer_numbers_fts",
    "DROP INDEX IF EXISTS ix_accounts_fts",
    "DROP INDEX IF EXISTS ix_notes_fts",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS ae_search",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _run(SQLITE_UP)
    else:
        _run(POSTGRES_UP)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _run(SQLITE_DOWN)
    else:
        _run(POSTGRES_DOWN)
