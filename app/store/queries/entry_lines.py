"""The Entries grid: every entry line with its entry's header fields, filtered and sorted in SQL.

Two ways to read it, by scope:

* One account (at most a few thousand lines): `line_keys` returns every matching (entry number, line number)
  in order, and `line_rows` reads a page of them by key. The screen holds the key list, so a selection is
  found again by key after any reload.
* The whole portfolio (1M lines): a key list of that size costs ~1 s to fetch and sort, far over the grid's
  100 ms. There `line_count` counts the matches and `line_page` reads one page with LIMIT/OFFSET, walking an
  index that already has the requested order (migrations 0006 and 0008 add one per sortable column, each
  ending in the tie-break), so a page costs its own rows, not a sort of the whole table. "held" has no such
  index: it is read as two halves (`_held_page`). "hts" is the line's first tariff, kept on the line
  (`first_hts_number`) by the writers of tariffs.

Every order ends in (entry number, line number), in the same direction as the column, so the order is total
and a descending sort is exactly the ascending one reversed. A missing release date or HTS (a line without a
tariff row) sorts first ascending, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Join, Select, and_, exists, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from app.domain.entry_lines import EntryLineView, LineCount, LineKey
from app.domain.errors import ValidationError
from app.store import orm
from app.store.queries import entry_display

E = orm.EntryRow
L = orm.EntryLineRow
T = orm.LineTariffRow
H = orm.HoldRow
A = orm.AccountRow

# Sort keys that order by an entry's header field; the tie-break then walks the entry number of `entries`.
ENTRY_SORTS = ("entry_number", "entry_date", "entry_type", "port", "mode", "release_date", "held")
LINE_SORTS = ("line_number", "hts", "country", "mid", "value", "duty")
SORT_KEYS = ENTRY_SORTS + LINE_SORTS
_WORD_CHARS = re.compile(r"[^0-9A-Z]")


def held() -> ColumnElement[bool]:
    return exists().where(H.entry_number == E.entry_number)


def _sort_column(sort: str) -> Any:
    columns: dict[str, Any] = {
        "entry_number": E.entry_number,
        "entry_date": E.entry_date,
        "entry_type": E.entry_type,
        "port": E.port_of_entry,
        "mode": E.mode_of_transport,
        "release_date": E.release_date,
        "held": held(),
        "line_number": L.line_number,
        "hts": L.first_hts_number,
        "country": L.country_of_origin,
        "mid": L.mid,
        "value": L.entered_value_cents,
        "duty": L.duty_cents,
    }
    if sort not in columns:
        raise ValidationError(f"cannot sort the entries grid by {sort!r}", field="sort")
    return columns[sort]


def order_by(sort: str, descending: bool) -> list[Any]:
    """The full ORDER BY of a sort key: the column, then (entry number, line number), all one direction."""
    column = _sort_column(sort)
    entry_number = E.entry_number if sort in ENTRY_SORTS else L.entry_number
    terms: list[Any] = [] if sort == "entry_number" else [column]
    terms += [entry_number, L.line_number]
    if sort == "line_number":
        terms = [L.line_number, entry_number]  # line 1 of every entry, then line 2 ...
    if descending:
        ordered = [term.desc() for term in terms]
    else:
        ordered = [term.asc() for term in terms]
    if sort in ("release_date", "hts"):  # a missing value in one place on every backend (SQLite's default)
        ordered[0] = ordered[0].nulls_last() if descending else ordered[0].nulls_first()
    return ordered


def _prefix(column: Any, prefix: str) -> ColumnElement[bool]:
    # The range lets an index answer it; LIKE keeps it exact whatever the collation (the word is [0-9A-Z]).
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper, column.like(f"{prefix}%"))


def _word_condition(word: str) -> ColumnElement[bool] | None:
    """One filter word: an entry-number prefix (dashes ignored), an HTS prefix (dots ignored) of any of the
    line's tariff rows, a country of origin, a MID prefix or a port code. None when nothing can match.

    Every term is on `entry_lines` and each has an index (the entry-level ones through IN), so SQLite can
    answer the OR as a union of index lookups instead of testing every line."""
    folded = _WORD_CHARS.sub("", word.upper())
    if not folded:
        return None
    terms = [_prefix(L.entry_number, folded), _prefix(L.mid, folded)]
    if folded.isdigit():
        terms.append(L.id.in_(select(T.line_id).where(_prefix(T.hts_number, folded))))
        if len(folded) == 4:
            terms.append(L.entry_number.in_(select(E.entry_number).where(E.port_of_entry == folded)))
    if len(folded) == 2 and folded.isalpha():
        terms.append(L.country_of_origin == folded)
    return or_(*terms)


class _EntriesFirst(Join):
    """`entries JOIN entry_lines`, with SQLite told to loop over entries outside (CROSS JOIN keeps the order
    of the tables): without ANALYZE statistics its planner scans the lines and sorts all 1M of them, when
    walking an entries index in the requested order and looking the lines up costs a page's worth of rows."""

    inherit_cache = True


@compiles(_EntriesFirst, "sqlite")
def _sqlite_entries_first(join: _EntriesFirst, compiler: Any, **kw: Any) -> str:
    return str(compiler.visit_join(join, **kw)).replace(" JOIN ", " CROSS JOIN ", 1)


def _from(entries_first: bool | None) -> Any:
    on = E.entry_number == L.entry_number
    if entries_first is None:
        return L
    if entries_first:
        return _EntriesFirst(E.__table__, L.__table__, on)
    return Join(L.__table__, E.__table__, on)


def deleted_accounts(session: Session) -> list[uuid.UUID]:
    """The tombstoned accounts (a handful at most): their entries are left out of the portfolio."""
    return list(session.scalars(select(A.id).where(A.deleted_at.is_not(None))))


def _base(
    scope: uuid.UUID | list[uuid.UUID],
    text: str,
    held_only: bool,
    *columns: Any,
    entries_first: bool | None = True,
    for_count: bool = False,
) -> Select[Any]:
    """The lines matching the scope and filter. `scope`: one account's id, or the deleted accounts to leave
    out of the whole portfolio. `entries_first`: loop over entries outside (an entry-level order, or one
    account's entries on its index), False: over lines (a line-level order's index), None: lines alone (a
    count that needs nothing of the entries)."""
    query = select(*columns).select_from(_from(entries_first))
    if isinstance(scope, uuid.UUID):
        query = query.where(E.account_id == scope)
    elif scope:
        query = query.where(E.account_id.not_in(scope))
    for word in text.split():
        condition = _word_condition(word)
        if condition is not None:
            query = query.where(condition)
    if held_only and for_count:  # the holds drive the count (IN); a page walks its order and probes
        query = query.where(L.entry_number.in_(select(H.entry_number)))
    elif held_only:
        query = query.where(exists().where(H.entry_number == L.entry_number))
    return query


def _scope(session: Session, account_id: uuid.UUID | None) -> uuid.UUID | list[uuid.UUID]:
    return account_id if account_id is not None else deleted_accounts(session)


def _lines_alone(scope: uuid.UUID | list[uuid.UUID]) -> bool | None:
    """None (count the lines without joining their entries) when the scope needs nothing of the entries:
    the whole portfolio with no tombstoned account. Counting 1M lines alone takes ~30 ms, joined ~400 ms."""
    return None if not isinstance(scope, uuid.UUID) and not scope else True


def line_keys(
    session: Session,
    account_id: uuid.UUID,
    *,
    sort: str,
    descending: bool,
    text: str = "",
    held_only: bool = False,
) -> list[LineKey]:
    """Every matching line of one account as (canonical entry number, line number), in grid order."""
    query = _base(account_id, text, held_only, L.entry_number, L.line_number)  # entries first: its index
    query = query.order_by(*order_by(sort, descending))
    return [(number, line) for number, line in session.execute(query)]


def line_count(
    session: Session,
    account_id: uuid.UUID | None,
    *,
    text: str = "",
    held_only: bool = False,
    with_entries: bool = False,
) -> LineCount:
    """How many lines of the account, or of the whole portfolio with None, match; `with_entries`: also how
    many entries the scope has in all (the unfiltered total, ~150 ms over the portfolio, so asked once)."""
    scope = _scope(session, account_id)
    counted = _base(scope, text, held_only, func.count(), entries_first=_lines_alone(scope), for_count=True)
    lines = session.scalar(counted)
    return LineCount(lines=lines or 0, entries=None if not with_entries else _entries(session, scope))


def _entries(session: Session, scope: uuid.UUID | list[uuid.UUID]) -> int:
    """Entries with at least one line in the scope (unfiltered): the total under the grid."""
    query = select(func.count(func.distinct(L.entry_number)))
    if isinstance(scope, uuid.UUID) or scope:
        query = query.join(E, E.entry_number == L.entry_number)
        if isinstance(scope, uuid.UUID):
            query = query.where(E.account_id == scope)
        else:
            query = query.where(E.account_id.not_in(scope))
    return session.scalar(query) or 0


def _row_columns() -> tuple[Any, ...]:
    return (
        L.entry_number,
        L.line_number,
        E.entry_date,
        E.entry_type,
        E.port_of_entry,
        E.mode_of_transport,
        L.first_hts_number.label("hts_number"),
        L.country_of_origin,
        L.mid,
        L.entered_value_cents,
        L.duty_cents,
        E.release_date,
        held().label("held"),
    )


def _view(row: Any) -> EntryLineView:
    return EntryLineView(
        key=(row.entry_number, row.line_number),
        entry_number=entry_display(row.entry_number),
        line_number=row.line_number,
        entry_date=row.entry_date,
        entry_type=row.entry_type,
        port_of_entry=row.port_of_entry,
        mode_of_transport=row.mode_of_transport,
        hts_number=row.hts_number or "",
        country_of_origin=row.country_of_origin,
        mid=row.mid,
        entered_value_cents=row.entered_value_cents,
        duty_cents=row.duty_cents,
        release_date=row.release_date,
        held=bool(row.held),
    )


def line_page(
    session: Session,
    account_id: uuid.UUID | None,
    *,
    sort: str,
    descending: bool,
    text: str = "",
    held_only: bool = False,
    limit: int,
    offset: int = 0,
) -> list[EntryLineView]:
    """One page of matching lines in grid order: the whole portfolio's grid reads its rows this way.

    The order is found on the keys alone and the page's rows read by key after: a plan that has to sort
    (a filter that drives the query) then sorts narrow rows, and the per-row lookups (HTS, held) run for
    the page only."""
    scope = _scope(session, account_id)
    if sort == "held":
        keys = _held_page(session, scope, text, held_only, descending, limit, offset)
    else:
        entries_first = account_id is not None or sort in ENTRY_SORTS
        query = _base(scope, text, held_only, L.entry_number, L.line_number, entries_first=entries_first)
        query = query.order_by(*order_by(sort, descending)).limit(limit).offset(offset)
        keys = [(number, line) for number, line in session.execute(query)]
    return line_rows(session, keys)


def _held_page(
    session: Session,
    scope: uuid.UUID | list[uuid.UUID],
    text: str,
    held_only: bool,
    descending: bool,
    limit: int,
    offset: int,
) -> list[LineKey]:
    """A page in "held" order. Held is one bit per entry that no index orders by (sorting 1M lines on it
    takes seconds), so the page is read from the two halves in turn — not held first ascending — each in
    entry-number order on the primary key; a half's count is needed only to skip past all of it."""
    keys: list[LineKey] = []
    held_lines = L.entry_number.in_(select(H.entry_number))
    for part in (held_lines, ~held_lines) if descending else (~held_lines, held_lines):
        base = _base(scope, text, held_only, L.entry_number, L.line_number).where(part)
        query = base.order_by(*order_by("entry_number", descending)).limit(limit - len(keys)).offset(offset)
        found = [(number, line) for number, line in session.execute(query)]
        keys += found
        if len(keys) >= limit:
            break
        if found or offset == 0:
            offset = 0
        else:  # the page starts past this half: skip it whole
            counted = _base(
                scope, text, held_only, func.count(), entries_first=_lines_alone(scope), for_count=True
            ).where(part)
            offset = max(0, offset - (session.scalar(counted) or 0))
    return keys


def line_rows(session: Session, keys: Sequence[LineKey]) -> list[EntryLineView]:
    """The grid rows of `keys` in the order given; keys no longer in the database are left out."""
    if not keys:
        return []
    query = (
        select(*_row_columns())
        .select_from(L)
        .join(E, E.entry_number == L.entry_number)
        .where(L.entry_number.in_({number for number, _line in keys}))
    )
    # The entries' other lines come along (an entry has a handful): cheaper than a row-value IN to index.
    wanted = {(number, line) for number, line in keys}
    found = {
        (row.entry_number, row.line_number): _view(row)
        for row in session.execute(query)
        if (row.entry_number, row.line_number) in wanted
    }
    return [found[(number, line)] for number, line in keys if (number, line) in found]
