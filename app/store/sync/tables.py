"""What replicates, in which order, keyed how, and which rows belong to a laptop's accounts."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, exists, true

from app.store.bulk import table


@dataclass(frozen=True)
class Replicated:
    name: str
    key: str  # the primary key column
    synced: bool  # True: edited on laptops and pushed; False: trade data, flows down only
    append_only: bool = False  # two edits of one field: the later push wins, no conflict is listed

    @property
    def table(self) -> Table:
        return table(self.name)


# Parents before children, for pulls (foreign keys) and pushes alike.
REPLICATED: tuple[Replicated, ...] = (
    Replicated("account_executives", "id", True),
    Replicated("accounts", "id", True),
    Replicated("importer_numbers", "id", True),
    Replicated("partnership_statuses", "id", True),
    Replicated("contacts", "id", True),
    Replicated("entries", "entry_number", False),
    Replicated("entry_lines", "id", False),
    Replicated("line_tariffs", "id", False),
    Replicated("holds", "id", False),
    Replicated("notes", "id", True, append_only=True),
    Replicated("compliance_events", "id", True, append_only=True),
    Replicated("action_items", "id", True),
)
BY_NAME = {item.name: item for item in REPLICATED}
# Columns that describe a record's bookkeeping, not its content: never merged or listed as a conflict.
BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at", "sync_seq"})


@functools.cache
def content_fields(item: Replicated) -> tuple[str, ...]:
    """The columns that hold what a record says (merged field by field); the same for every row of a table."""
    return tuple(column.name for column in item.table.c if column.name not in BOOKKEEPING)


def in_scope(item: Replicated, accounts: Collection[uuid.UUID]) -> ColumnElement[bool]:
    """The rows of `item` that belong to `accounts` (every AE record belongs to every laptop).

    Lines and tariffs reach their account through EXISTS, which PostgreSQL plans as a semi-join either way
    round: hashed over the whole table for a first pull, or per row for the few rows a stamp range picked
    (an IN (subquery) inside a larger condition may become a subplan run for every row)."""
    target = item.table
    if item.name == "account_executives":
        return true()
    if item.name == "accounts":
        return target.c.id.in_(accounts)
    if "account_id" in target.c:
        return target.c.account_id.in_(accounts)
    entries = table("entries")
    if item.name == "entry_lines":
        own_entry = entries.c.entry_number == target.c.entry_number
        return exists().where(own_entry, entries.c.account_id.in_(accounts))
    lines = table("entry_lines")
    own_line = and_(lines.c.id == target.c.line_id, entries.c.entry_number == lines.c.entry_number)
    return exists().where(own_line, entries.c.account_id.in_(accounts))


def key_value(item: Replicated, row_key: str) -> Any:
    """A row key as stored in the outbox and deletion log (32 hex digits, an integer, an entry number)
    back to the key column's value."""
    return _key_parser(item)(row_key)


@functools.cache
def _key_parser(item: Replicated) -> Callable[[str], Any]:
    if item.key == "entry_number":
        return str
    if item.table.c[item.key].type.python_type is int:
        return int
    return lambda text: uuid.UUID(hex=text)


def key_text(value: Any) -> str:
    return value.hex if isinstance(value, uuid.UUID) else str(value)
