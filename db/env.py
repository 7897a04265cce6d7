"""Alembic environment for AE Workbench.

The app runs migrations itself (`app.store.migrate`) and hands Alembic an open connection through
`config.attributes["connection"]`; `alembic` on the command line works too, with `-x url=...`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.store.orm import Base

config = context.config
target_metadata = Base.metadata


def _configure_and_run(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.dialect.name == "sqlite":
        _begin_sqlite_transaction(connection)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _begin_sqlite_transaction(connection) -> None:  # type: ignore[no-untyped-def]
    """Make the whole upgrade one SQLite transaction.

    Python's sqlite3 driver opens a transaction only before INSERT/UPDATE/DELETE, so each CREATE TABLE would
    commit on its own: a process killed half-way through the first migration left tables without their
    `alembic_version` row, and every later open failed on "table ... already exists". SQLite's DDL is
    transactional; an explicit BEGIN (committed by the caller's commit) lets it be.
    """
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as conn:
        _configure_and_run(conn)
        conn.commit()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `ae-workbench db upgrade`")
run_migrations_online()
