"""Search: entry and importer numbers by prefix, account names and notes by full text.

Full text has one branch per backend. SQLite: the FTS5 tables of migration 0002 (`unicode61
remove_diacritics 2`, so "societe" finds "Société"), each word quoted and prefix-starred, ranked by bm25.
PostgreSQL: `@@ to_tsquery('ae_search', 'word:* & …')` against exactly the expressions the GIN indexes of 0002
were built on (anything else, even an equivalent expression, makes the planner scan the table).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, DateTime, String, TextClause, Uuid, select, text
from sqlalchemy.orm import Session

from app.domain.enums import NoteKind
from app.domain.views import SearchHit
from app.store import orm
from app.store.queries import entry_display, ior_display

A = orm.AccountRow
I = orm.ImporterNumberRow  # noqa: E741 - the usual alias, as in the SQL
E = orm.EntryRow

ENTRY_NUMBER_LENGTH = 11
IOR_MAX_LENGTH = 12
SNIPPET_WIDTH = 120


def _prefix_range(prefix: str, length: int) -> tuple[str, str]:
    # Stored identifiers are upper-case letters and digits, which sort the same way (digits < letters) in
    # SQLite's binary order and in PostgreSQL's C and glibc/ICU locales, so a prefix is a BETWEEN range on the
    # existing unique index. LIKE would not be: SQLite's LIKE ignores case and PostgreSQL's needs a C index.
    return prefix, prefix + "Z" * (length - len(prefix))


def entries_by_prefix(session: Session, prefix: str, limit: int) -> list[SearchHit]:
    low, high = _prefix_range(prefix, ENTRY_NUMBER_LENGTH)
    query = (
        select(E.entry_number, E.entry_date, E.port_of_entry, E.entry_type, A.id, A.name)
        .join(A, A.id == E.account_id)
        .where(E.entry_number.between(low, high), A.deleted_at.is_(None))
        .order_by(E.entry_number)
        .limit(limit)
    )
    hits = []
    for number, entry_date, port, entry_type, account_id, name in session.execute(query):
        display = entry_display(number)
        detail = f"entry {entry_date:%Y-%m-%d} · port {port} · type {entry_type}"
        hits.append(SearchHit("entry", account_id, name, display, detail, display))
    return hits


def importer_numbers_by_prefix(session: Session, prefix: str, limit: int) -> list[SearchHit]:
    query = select(I.normalized, I.ior_type, I.is_primary, A.id, A.name).join(A, A.id == I.account_id)
    if session.get_bind().dialect.name == "postgresql":
        tsquery = "'" + prefix.lower() + "':*"  # `prefix` is letters and digits only: nothing to escape
        match = text(
            "to_tsvector('ae_search', importer_numbers.normalized) @@ to_tsquery('ae_search', :ior_q)"
        )
        query = query.where(match.bindparams(ior_q=tsquery))
    else:
        query = query.where(I.normalized.between(*_prefix_range(prefix, IOR_MAX_LENGTH)))
    query = query.where(I.deleted_at.is_(None), A.deleted_at.is_(None)).order_by(I.normalized).limit(limit)
    hits = []
    for normalized, ior_type, is_primary, account_id, name in session.execute(query):
        display = ior_display(normalized, ior_type)
        detail = "primary importer number" if is_primary else "importer number"
        hits.append(SearchHit("importer_number", account_id, name, display, detail, display))
    return hits


# --- full text ----------------------------------------------------------------------------------------------


def fts5_query(words: Sequence[str]) -> str:
    """Each word as an FTS5 string (so `AND`, `-`, `:` or `*` typed by the user mean nothing) matched as a
    prefix; FTS5 ANDs them. A `"` inside a word is doubled, FTS5's escape."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def tsquery(words: Sequence[str]) -> str:
    """`'word':* & 'word':*` for to_tsquery; a `'` or `\\` in a word is escaped the way tsquery reads it."""
    quoted = ("'" + word.replace("\\", "\\\\").replace("'", "''") + "':*" for word in words)
    return " & ".join(quoted)


_ACCOUNTS_SQLITE = """
SELECT a.id, a.name, a.dba FROM accounts_fts f JOIN accounts a ON a.id = f.account_id
WHERE accounts_fts MATCH :q AND a.deleted_at IS NULL ORDER BY f.rank LIMIT :n"""
_ACCOUNTS_POSTGRES = """
SELECT a.id, a.name, a.dba FROM accounts a
WHERE to_tsvector('ae_search', name || ' ' || dba) @@ to_tsquery('ae_search', :q) AND a.deleted_at IS NULL
ORDER BY ts_rank(to_tsvector('ae_search', name || ' ' || dba), to_tsquery('ae_search', :q)) DESC, a.name
LIMIT :n"""

_NOTE_COLUMNS = "n.id, n.account_id, a.name, n.kind, n.author, n.created_at, n.sensitive, n.text"
_NOTES_SQLITE = f"""
SELECT {_NOTE_COLUMNS} FROM notes_fts f
JOIN notes n ON n.id = f.note_id JOIN accounts a ON a.id = n.account_id
WHERE notes_fts MATCH :q AND n.deleted_at IS NULL AND a.deleted_at IS NULL ORDER BY f.rank LIMIT :n"""
# Newest first rather than ts_rank: ranking would run to_tsvector over every matching note (tens of
# thousands for a common word), while the GIN index alone answers the match.
_NOTES_POSTGRES = f"""
SELECT {_NOTE_COLUMNS} FROM notes n JOIN accounts a ON a.id = n.account_id
WHERE to_tsvector('ae_search', n.text) @@ to_tsquery('ae_search', :q) AND n.deleted_at IS NULL
  AND a.deleted_at IS NULL
ORDER BY n.created_at DESC LIMIT :n"""


def _match(
    session: Session, sqlite_sql: str, postgres_sql: str, words: Sequence[str], column: str = ""
) -> TextClause:
    """The dialect's statement with its match expression bound as `:q` (`column`: an FTS5 column filter)."""
    if session.get_bind().dialect.name == "postgresql":
        return text(postgres_sql).bindparams(q=tsquery(words))
    match = fts5_query(words)
    return text(sqlite_sql).bindparams(q=f"{column} : ({match})" if column else match)


def accounts_by_words(session: Session, words: Sequence[str], limit: int) -> list[SearchHit]:
    """Accounts whose name or DBA has every word (as a word prefix). The FTS5 table's IOR column is left
    out: numbers are the prefix search's, so an account does not come back twice for one number."""
    statement = _match(session, _ACCOUNTS_SQLITE, _ACCOUNTS_POSTGRES, words, column="name")
    rows = session.execute(statement.bindparams(n=limit).columns(id=Uuid(), name=String(), dba=String()))
    hits = []
    for account_id, name, dba in rows:
        detail = f"doing business as {dba}" if dba else "account"
        hits.append(SearchHit("account", account_id, name, name, detail, str(account_id)))
    return hits


_NOTE_TYPES: dict[str, Any] = {
    "id": Uuid(),
    "account_id": Uuid(),
    "name": String(),
    "kind": String(),
    "author": String(),
    "created_at": DateTime(),
    "sensitive": Boolean(),
    "text": String(),
}


def notes_by_words(session: Session, words: Sequence[str], limit: int) -> list[SearchHit]:
    """Notes with every word; a sensitive note is a hit, but its text stays out of the result."""
    statement = _match(session, _NOTES_SQLITE, _NOTES_POSTGRES, words).bindparams(n=limit)
    hits = []
    for row in session.execute(statement.columns(**_NOTE_TYPES)):
        note_id, account_id, name, kind, author, created_at, sensitive, body = row
        title = f"{NoteKind(kind).value.capitalize()} {created_at:%Y-%m-%d}" + (
            f" · {author}" if author else ""
        )
        detail = "sensitive note" if sensitive else snippet(body, words)
        hits.append(SearchHit("note", account_id, name, title, detail, str(note_id)))
    return hits


def snippet(body: str, words: Sequence[str], width: int = SNIPPET_WIDTH) -> str:
    """About `width` characters of `body` around the first query word found (accents and case ignored)."""
    flat = " ".join(body.split())
    folded = fold(flat)
    found = [i for i in (folded.find(fold(w)) for w in words) if i >= 0]
    start = max(0, min(found, default=0) - width // 4)
    end = start + width
    return ("…" if start else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")


def fold(value: str) -> str:
    """Case- and accent-folded, one output character per input character (so positions carry over)."""
    return "".join(_fold_char(ch) for ch in value)


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    folded = base.casefold()
    return folded if len(folded) == 1 else ch.lower()[:1] or ch
