"""One search box over accounts, importer numbers, entry numbers and notes."""

from __future__ import annotations

import re

from app.domain.errors import ValidationError
from app.domain.identifiers import compact
from app.domain.views import SearchHit
from app.services.workspace import Workspace
from app.store.queries import search as queries

# What the compacted text must look like to be tried as the start of an identifier (at least 4 characters,
# so that a short word does not list every entry of a filer code).
# Entry number: filer code (3 letters or digits), then digits (7 + check digit).
ENTRY_PREFIX = re.compile(r"[A-Z0-9]{3}[0-9]{1,8}")
# Importer number: digits first (EIN, SSN and CBP-assigned numbers all start with 9+ digits), EIN suffix last.
IOR_PREFIX = re.compile(r"[0-9]{4,9}|[0-9]{9}[A-Z0-9]{1,2}")


def _words(text: str) -> list[str]:
    """The words to match in names and notes; a "word" of punctuation only would match nothing."""
    return [word for word in text.split() if any(ch.isalnum() for ch in word)]


def search(ws: Workspace, text: str, *, limit: int = 20) -> list[SearchHit]:
    """Hits for `text`, best first: entry numbers and importer numbers starting with it (any spelling:
    hyphens, spaces, case), then accounts whose name or DBA has every word, then notes with every word
    (words match as prefixes; accents are ignored on SQLite). Deleted rows never appear; a sensitive
    note appears without its text."""
    if limit < 1:
        raise ValidationError(f"limit must be 1 or more, got {limit}", field="limit")
    words = _words(text)
    if not words:
        return []
    key = compact(text)
    hits: list[SearchHit] = []
    with ws.database.session() as session:
        if ENTRY_PREFIX.fullmatch(key):
            hits += queries.entries_by_prefix(session, key, limit)
        if IOR_PREFIX.fullmatch(key) and len(hits) < limit:
            hits += queries.importer_numbers_by_prefix(session, key, limit - len(hits))
        if len(hits) < limit:
            hits += queries.accounts_by_words(session, words, limit - len(hits))
        if len(hits) < limit:
            hits += queries.notes_by_words(session, words, limit - len(hits))
    return hits[:limit]
