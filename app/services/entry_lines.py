"""The account's Entries grid: every entry line, filtered and sorted in SQL (see queries/entry_lines.py).

One account's grid holds the ordered keys of its lines and reads rows a page at a time by key; the whole
portfolio's grid (1M lines) counts the matches and reads pages by position instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from app.domain.entry_lines import EntryLineView, LineCount, LineKey
from app.services.holds import check_page
from app.services.workspace import Workspace
from app.store.queries import entry_lines as queries

SORT_KEYS = queries.SORT_KEYS


def line_keys(
    ws: Workspace,
    account_id: uuid.UUID,
    *,
    sort: str = "entry_date",
    descending: bool = True,
    text: str = "",
    held_only: bool = False,
) -> list[LineKey]:
    """Every line of the account matching `text` and `held_only`, as (canonical entry number, line number),
    sorted by `sort` (one of SORT_KEYS), ties by entry and line number in the same direction.

    `text`: words, each an entry-number prefix (with or without dashes), an HTS prefix (with or without
    dots), a country of origin, a MID prefix or a port code; a line matches when it matches every word.
    ValidationError for an unknown sort key."""
    with ws.database.session() as session:
        return queries.line_keys(
            session, account_id, sort=sort, descending=descending, text=text, held_only=held_only
        )


def line_rows(ws: Workspace, keys: Sequence[LineKey]) -> list[EntryLineView]:
    """The grid rows of `keys` in that order; lines deleted since (a re-import) are left out."""
    with ws.database.session() as session:
        return queries.line_rows(session, keys)


def line_count(
    ws: Workspace,
    account_id: uuid.UUID | None,
    *,
    text: str = "",
    held_only: bool = False,
    with_entries: bool = False,
) -> LineCount:
    """Lines matching the filter, in one account or (None) the whole portfolio; `with_entries` also counts
    the entries of the whole scope (for "1,630 lines in 412 entries"; slower, so once per reload)."""
    with ws.database.session() as session:
        return queries.line_count(
            session, account_id, text=text, held_only=held_only, with_entries=with_entries
        )


def line_page(
    ws: Workspace,
    account_id: uuid.UUID | None,
    *,
    sort: str = "entry_date",
    descending: bool = True,
    text: str = "",
    held_only: bool = False,
    limit: int = 200,
    offset: int = 0,
) -> list[EntryLineView]:
    """One page of the grid in order, by position: how the whole portfolio's 1M lines are read."""
    check_page(limit, offset)
    with ws.database.session() as session:
        return queries.line_page(
            session,
            account_id,
            sort=sort,
            descending=descending,
            text=text,
            held_only=held_only,
            limit=limit,
            offset=offset,
        )
