"""The one object that owns the engine and hands out sessions.

`Database.open(target)` resolves a path or URL, creates a missing SQLite file, applies the migrations, and
translates the ways opening can fail (missing folder, not a database, locked, server unreachable) into
`StorageError`s with a one-line message for a person.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

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
READ_ONLY_MESSAGE = "This trip pack is read-only: make changes in your own database, not in the pack"
# What a read-only database still writes: caches the app keeps for itself (the portfolio's 12-month figures,
# their fingerprint in `meta`), which live in memory only and vanish when the pack closes.
READ_ONLY_CACHES = frozenset({"account_metrics", "meta"})
_WRITE_TARGET = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"
    r'["`\[]?(\w+)',
    re.IGNORECASE,
)


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


def written_table(statement: str) -> str | None:
    """The table an INSERT/UPDATE/DELETE/REPLACE statement writes to (lower case); None for anything else."""
    match = _WRITE_TARGET.match(statement)
    return match.group(1).lower() if match else None


def _refuse_writes(
    _conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _executemany: bool
) -> None:
    table_name = written_table(statement)
    if table_name is not None and table_name not in READ_ONLY_CACHES:
        raise StorageError(READ_ONLY_MESSAGE)


def _deserialized_connection(data: bytes) -> sqlite3.Connection:
    """An in-memory SQLite connection holding the database image `data` (never written to disk)."""
    if data[: len(SQLITE_HEADER)] != SQLITE_HEADER:
        raise CorruptDatabaseError("the trip pack does not hold an AE Workbench database")
    image = bytearray(data)
    # Bytes 18-19 say "WAL" (2) or "rollback journal" (1); an in-memory image cannot be opened in WAL mode.
    image[18:20] = b"\x01\x01"
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    try:
        connection.deserialize(bytes(image))
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise CorruptDatabaseError("the trip pack does not hold an AE Workbench database") from exc
    return connection


class Database:
    """Owns the engine and the session factory. Create with `Database.open(...)` (a file or a server), or
    `Database.from_sqlite_image(...)` (an SQLite image held in memory, read-only)."""

    def __init__(self, engine: Engine, url: str, *, read_only: bool = False, name: str | None = None) -> None:
        self.engine = engine
        self.url = url
        self.read_only = read_only
        self._name = name
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # An in-memory image has one connection shared by every thread (StaticPool): sessions take turns, so
        # one thread's rollback on returning the connection never cuts into another's cache refresh.
        self._turns = threading.RLock() if read_only else None

    @classmethod
    def from_sqlite_image(cls, data: bytes, name: str) -> Database:
        """A read-only Database over the SQLite file image `data`, kept in memory; `name` is what the window
        and messages call it. Writes raise StorageError(READ_ONLY_MESSAGE), except to READ_ONLY_CACHES."""
        connection = _deserialized_connection(data)
        engine = create_engine("sqlite://", creator=lambda: connection, poolclass=StaticPool)
        try:
            migrate.upgrade(engine)  # a pack made by an older release: its in-memory copy catches up
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            raise storage_error(exc, "sqlite://") from exc
        event.listen(engine, "before_cursor_execute", _refuse_writes)
        return cls(engine, "sqlite://", read_only=True, name=name)

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
        return self._name or describe(self.url)

    @property
    def sqlite_path(self) -> Path | None:
        if self.dialect != "sqlite" or self.read_only:
            return None
        return Path(make_url(self.url).database or "")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on error, always closes."""
        if self._turns is None:
            with self._session() as session:
                yield session
            return
        with self._turns, self._session() as session:
            yield session

    @contextmanager
    def _session(self) -> Iterator[Session]:
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
