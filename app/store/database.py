"""The one object that owns the engine and hands out sessions.

`Database.open(target)` resolves a path or URL, creates a missing SQLite file, applies the migrations, and
translates the ways opening can fail (missing folder, not a database, locked, server unreachable) into
`StorageError`s with a one-line message for a person.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DatabaseUnreachableError,
    StorageError,
)
from app.locations import DB_ENV_VAR, default_database_path
from app.store import migrate

SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"


def resolve_target(target: str | None) -> str:
    """`--db` value, else `AE_WORKBENCH_DB`, else the default file in the user data folder; as a URL."""
    target = target or os.environ.get(DB_ENV_VAR) or None
    if target is None:
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def describe(url: str) -> str:
    """A short, password-free name for the database, for the status bar and messages."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return Path(parsed.database or ":memory:").name
    return f"{parsed.database} on {parsed.host or 'localhost'}"


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def has_sqlite_header(path: Path) -> bool:
    """Whether the file starts like an SQLite database; raises OSError when it cannot be read."""
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _check_sqlite_file(url: URL) -> None:
    path = Path(url.database or "")
    if not url.database or url.database == ":memory:":
        return
    if path.is_dir():
        raise StorageError(f"cannot open database {path}: it is a folder, not a file")
    if not path.parent.is_dir():
        raise StorageError(f"cannot open database {path}: folder {path.parent} does not exist")
    if path.exists() and path.stat().st_size > 0:
        try:
            is_sqlite = has_sqlite_header(path)
        except OSError as exc:
            raise StorageError(f"cannot read database {path}: {exc.strerror}") from exc
        if not is_sqlite:
            raise CorruptDatabaseError(f"{path} is not an AE Workbench database (not an SQLite file)")


def storage_error(exc: Exception, url: str) -> StorageError:
    """Turn a driver exception into a one-line StorageError."""
    name = describe(url)
    orig = getattr(exc, "orig", exc)
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if isinstance(orig, sqlite3.OperationalError) and "locked" in message:
        return DatabaseLockedError(f"database {name} is locked by another program; try again shortly")
    if isinstance(orig, sqlite3.DatabaseError) and "not a database" in message:
        return CorruptDatabaseError(f"{name} is not an AE Workbench database (file is damaged)")
    if isinstance(orig, sqlite3.DatabaseError) and "malformed" in message:
        return CorruptDatabaseError(f"database {name} is damaged ({message}); restore it from a backup")
    if make_url(url).get_backend_name() == "postgresql":
        return DatabaseUnreachableError(f"cannot reach database server for {name}: {message}")
    return StorageError(f"cannot use database {name}: {message}")


class Database:
    """Owns the engine and the session factory. Create with `Database.open(...)`."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, target: str | None = None, *, migrate_schema: bool = True) -> Database:
        url = resolve_target(target)
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StorageError(f"not a database path or URL: {target}") from exc
        engine = cls._create_engine(parsed)
        database = cls(engine, url)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            if migrate_schema:
                migrate.upgrade(engine)
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            raise storage_error(exc, url) from exc
        return database

    @staticmethod
    def _create_engine(url: URL) -> Engine:
        backend = url.get_backend_name()
        if backend == "sqlite":
            _check_sqlite_file(url)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _set_sqlite_pragmas)
            return engine
        if backend == "postgresql":
            if url.drivername == "postgresql":
                url = url.set(drivername="postgresql+psycopg")
            # JIT off for the whole connection: the portfolio's and the metrics refresh's grouped statements
            # cross jit_above_cost, and compiling them takes far longer (~0.9 s) than running them.
            connect_args = {"connect_timeout": 5, "options": "-c jit=off"}
            return create_engine(url, pool_pre_ping=True, connect_args=connect_args)
        raise StorageError(f"unsupported database kind '{backend}': use an SQLite file or a PostgreSQL URL")

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def name(self) -> str:
        return describe(self.url)

    @property
    def sqlite_path(self) -> Path | None:
        if self.dialect != "sqlite":
            return None
        return Path(make_url(self.url).database or "")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on error, always closes."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except (OperationalError, DBAPIError) as exc:
            session.rollback()
            raise storage_error(exc, self.url) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()
