"""Bulk writes over SQLAlchemy Core, for generators and loaders that write hundreds of thousands of rows.

No ORM objects: rows are plain dicts, written with one `executemany` per chunk, inside the caller's
transaction (the caller owns it, so a failure or a cancellation rolls everything back).

`clear_portfolio` empties every table that is not reference data, in foreign-key order, so that a portfolio
can be replaced as a unit (`ae-workbench demo --force`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from app.store import orm

DEFAULT_CHUNK = 20_000

# Loaded from resources/reference by migration; never cleared.
REFERENCE_TABLES: tuple[str, ...] = (
    "centers",
    "ports",
    "entry_types",
    "transport_modes",
    "hold_categories",
    "disposition_codes",
    "agencies",
    "compliance_event_types",
    "countries",
)
# `meta` also holds the reference data version; only these keys describe the portfolio.
PORTFOLIO_META_KEYS: tuple[str, ...] = ("demo_scale", "demo_seed", "data_as_of")
# SQLite full-text tables that the triggers of migration 0002 keep in step with notes and accounts.
SQLITE_FTS_TABLES: tuple[str, ...] = ("notes_fts", "notes_fts_keys", "accounts_fts")

# SQLite page cache for a bulk write (negative = KiB): index pages of a million-row table stay in memory.
_BULK_CACHE_KIB = 131_072


def table(name: str) -> Table:
    """The Core table of the schema called `name`."""
    return orm.Base.metadata.tables[name]


def insert_rows(
    connection: Connection, table_name: str, rows: Sequence[dict[str, Any]], *, chunk: int = DEFAULT_CHUNK
) -> int:
    """Insert `rows` (all with the same keys) with one executemany per `chunk` rows; returns the row count."""
    if not rows:
        return 0
    statement = table(table_name).insert()
    for start in range(0, len(rows), chunk):
        connection.execute(statement, list(rows[start : start + chunk]))
    return len(rows)


def portfolio_tables() -> list[str]:
    """Every table that is not reference data or `meta`, children before parents (a safe delete order)."""
    keep = {*REFERENCE_TABLES, orm.MetaRow.__tablename__}
    return [t.name for t in reversed(orm.Base.metadata.sorted_tables) if t.name not in keep]


def table_counts(connection: Connection, names: Sequence[str] | None = None) -> dict[str, int]:
    """Row count per table (default: every portfolio table), in the order given."""
    return {
        name: int(connection.execute(select(func.count()).select_from(table(name))).scalar_one())
        for name in (names if names is not None else portfolio_tables())
    }


def clear_portfolio(connection: Connection) -> dict[str, int]:
    """Delete every non-reference row (and the portfolio's `meta` keys); returns rows deleted per table.

    On SQLite the full-text tables are emptied first: the accounts' delete trigger looks rows up by an
    unindexed id, and emptying them whole is cheaper than 200,000 deletes by key for the notes.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        for fts in SQLITE_FTS_TABLES:
            connection.execute(text(f"DELETE FROM {fts}"))
    deleted: dict[str, int] = {}
    for name in portfolio_tables():
        deleted[name] = connection.execute(table(name).delete()).rowcount
    meta = table(orm.MetaRow.__tablename__)
    connection.execute(meta.delete().where(meta.c.key.in_(PORTFOLIO_META_KEYS)))
    # The sync bookkeeping starts again from scratch, but its one row must exist: the laptop's outbox and
    # full-text triggers read their switches from it (with no row they would all stay quiet).
    connection.execute(table("sync_state").insert().values(id=1))
    if sqlite:
        # Deleting importer numbers re-indexes their (not yet deleted) accounts: clear what that re-added.
        for fts in SQLITE_FTS_TABLES:
            connection.execute(text(f"DELETE FROM {fts}"))
    return deleted


def next_id(connection: Connection, table_name: str) -> int:
    """1 + the largest integer id of `table_name`: where ids assigned by the caller may start."""
    column = table(table_name).c.id
    return int(connection.execute(select(func.coalesce(func.max(column), 0))).scalar_one()) + 1


def sync_id_sequences(connection: Connection, table_names: Sequence[str]) -> None:
    """After inserting explicit integer ids, move PostgreSQL's sequences past them (SQLite needs nothing).

    Without this the next ordinary insert (an import) would be handed id 1 again and fail.
    """
    if connection.dialect.name != "postgresql":
        return
    for name in table_names:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )


@contextmanager
def fast_sqlite_writes(connection: Connection) -> Iterator[None]:
    """For one bulk write on SQLite: no fsync per commit and a big page cache, restored afterwards.

    Only this pooled connection is changed, and only for the duration: the database keeps WAL mode, so a
    crash can lose the bulk write but cannot corrupt the file. Other dialects: no change.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    # Through the driver connection: a PRAGMA run through SQLAlchemy would start a transaction of its own.
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
    cache_size = cursor.execute("PRAGMA cache_size").fetchone()[0]
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA synchronous={int(synchronous)}")
        cursor.execute(f"PRAGMA cache_size={int(cache_size)}")
        cursor.close()


@contextmanager
def large_sqlite_cache(connection: Connection) -> Iterator[None]:
    """A big page cache on this pooled SQLite connection for the duration, then the old size again.

    Unlike `fast_sqlite_writes` this may be used inside a transaction (an import writes in the file's own):
    the cache size, unlike `synchronous`, can change there. Index pages of tables with millions of rows then
    stay in memory instead of being read again for each insert. Other dialects: no change.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cache_size = cursor.execute("PRAGMA cache_size").fetchone()[0]
    cursor.execute(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size={int(cache_size)}")
        cursor.close()
