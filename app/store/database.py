"""The one object that owns the engine and hands out sessions.

`Database.open(target)` resolves a path or URL, creates a missing SQLite file, applies the migrations, and
translates the ways opening can fail (missing folder, not a database, locked, server unreachable) into
`StorageError`s with a one-line message for a person. Every engine also turns SQLite's "database is locked"
(another writer kept the file past the busy timeout) into a one-line `DatabaseLockedError`, wherever the
statement ran: a session, a Core connection, a migration.

`Database.open(target, read_only=True)` opens an SQLite file that another AE Workbench window is editing:
the file is opened with `mode=ro`, so SQLite itself refuses to write, and the write guard refuses first with
a message for a person. The caches the app writes while reading (READ_ONLY_CACHES) are shadowed by TEMP
tables of this connection's own (SQLite looks up `temp` before `main`), copied from the file when it opens.

An SQLite file encrypted with a passphrase (store/encryption.py) opens through `sqlcipher3` with the raw key
derived once per open; without a passphrase it is refused with one line saying how to give it, and a wrong
passphrase is one line too (`wrong passphrase for <file>`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL, ExceptionContext
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
from app.store import encryption, migrate
from app.store.encryption import cipher_dbapi

SQLITE_BUSY_TIMEOUT_MS = 5000
# How long a write waits for another writer to finish, in milliseconds; tests make it short.
BUSY_TIMEOUT_ENV_VAR = "AE_WORKBENCH_BUSY_TIMEOUT_MS"
SQLITE_HEADER = b"SQLite format 3\x00"
READ_ONLY_MESSAGE = "This trip pack is read-only: make changes in your own database, not in the pack"
READ_ONLY_FILE_MESSAGE = "Database {name} is open read-only: changes cannot be saved"
# What a read-only database still writes: caches the app keeps for itself (the portfolio's 12-month figures,
# their fingerprint in `meta`), in memory for a trip pack, in this connection's TEMP tables for a read-only
# file; they vanish when it closes. Each with the column that keys its rows.
READ_ONLY_CACHE_KEYS = {"account_metrics": "account_id", "meta": "key"}
READ_ONLY_CACHES = frozenset(READ_ONLY_CACHE_KEYS)
# The driver's errors: the standard `sqlite3` for plain files, `sqlcipher3` for encrypted ones.
SQLITE_OPERATIONAL_ERRORS = (sqlite3.OperationalError, cipher_dbapi.OperationalError)
SQLITE_DATABASE_ERRORS = (sqlite3.DatabaseError, cipher_dbapi.DatabaseError)
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


def target_sqlite_file(target: str | None) -> Path | None:
    """The SQLite file `target` names (see resolve_target); None for a server or an in-memory database."""
    url = resolve_target(target)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(f"not a database path or URL: {target}") from exc
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database or "")


def describe(url: str) -> str:
    """A short, password-free name for the database, for the status bar and messages."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return Path(parsed.database or ":memory:").name
    return f"{parsed.database} on {parsed.host or 'localhost'}"


def busy_timeout_ms() -> int:
    """SQLite's busy timeout for new engines: SQLITE_BUSY_TIMEOUT_MS unless BUSY_TIMEOUT_ENV_VAR says."""
    try:
        value = int(os.environ.get(BUSY_TIMEOUT_ENV_VAR, ""))
    except ValueError:
        return SQLITE_BUSY_TIMEOUT_MS
    return value if value >= 0 else SQLITE_BUSY_TIMEOUT_MS


def _set_sqlite_pragmas(timeout_ms: int, dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
    cursor.close()


def has_sqlite_header(path: Path) -> bool:
    """Whether the file starts like an SQLite database; raises OSError when it cannot be read."""
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _check_sqlite_file(url: URL, passphrase: str | None = None) -> str | None:
    """Refuse what cannot be an SQLite file; the raw key of an encrypted one (None: a plain file)."""
    path = Path(url.database or "")
    if not url.database or url.database == ":memory:":
        return None
    if path.is_dir():
        raise StorageError(f"cannot open database {path}: it is a folder, not a file")
    if not path.parent.is_dir():
        raise StorageError(f"cannot open database {path}: folder {path.parent} does not exist")
    if path.exists() and path.stat().st_size > 0:
        try:
            is_sqlite, is_encrypted = has_sqlite_header(path), encryption.is_encrypted(path)
        except OSError as exc:
            raise StorageError(f"cannot read database {path}: {exc.strerror}") from exc
        if is_encrypted:
            if not passphrase:
                raise encryption.passphrase_needed(path)
            return encryption.file_key(path, passphrase)
        if not is_sqlite:
            raise CorruptDatabaseError(f"{path} is not an AE Workbench database (not an SQLite file)")
    return None


def busy_message(url: str) -> str:
    """What a write that waited in vain for another writer says: the file by its path, so it can be found."""
    parsed = make_url(url)
    where = parsed.database if parsed.get_backend_name() == "sqlite" and parsed.database else describe(url)
    return (
        f"database {where} is busy: another AE Workbench (or another program) is writing to it; "
        "try again when it has finished"
    )


def is_busy_error(exc: BaseException) -> bool:
    """SQLite's "database is locked" (SQLITE_BUSY after the busy timeout) or "database table is locked"."""
    return isinstance(exc, SQLITE_OPERATIONAL_ERRORS) and "locked" in str(exc)


def storage_error(exc: Exception, url: str) -> StorageError:
    """Turn a driver exception into a one-line StorageError."""
    name = describe(url)
    orig = getattr(exc, "orig", exc)
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if isinstance(orig, StorageError):
        return orig
    if is_busy_error(orig):
        return DatabaseLockedError(busy_message(url))
    if isinstance(orig, SQLITE_OPERATIONAL_ERRORS) and "readonly database" in message:
        return StorageError(READ_ONLY_FILE_MESSAGE.format(name=name))
    if isinstance(orig, SQLITE_DATABASE_ERRORS) and "not a database" in message:
        return CorruptDatabaseError(f"{name} is not an AE Workbench database (file is damaged)")
    if isinstance(orig, SQLITE_DATABASE_ERRORS) and "malformed" in message:
        return CorruptDatabaseError(f"database {name} is damaged ({message}); restore it from a backup")
    if make_url(url).get_backend_name() == "postgresql":
        return DatabaseUnreachableError(f"cannot reach database server for {name}: {message}")
    return StorageError(f"cannot use database {name}: {message}")


def written_table(statement: str) -> str | None:
    """The table an INSERT/UPDATE/DELETE/REPLACE statement writes to (lower case); None for anything else."""
    match = _WRITE_TARGET.match(statement)
    return match.group(1).lower() if match else None


def _refuse_writes(
    message: str,
    _conn: Any,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    table_name = written_table(statement)
    if table_name is not None and table_name not in READ_ONLY_CACHES:
        raise StorageError(message)


def _map_busy_error(
    url: str, read_only_message: str | None, context: ExceptionContext
) -> BaseException | None:
    """Engine `handle_error` hook: "database is locked" becomes DatabaseLockedError wherever it is raised,
    and on a read-only file SQLite's own refusal (a write the guard did not recognise) says why."""
    original = context.original_exception
    if is_busy_error(original):
        return DatabaseLockedError(busy_message(url))
    if read_only_message and isinstance(original, SQLITE_OPERATIONAL_ERRORS) and "readonly" in str(original):
        return StorageError(read_only_message)
    return None


def _read_only_connection(path: Path, timeout_ms: int, key: str | None = None) -> Any:
    """A connection SQLite will not let write to the file `path` (`mode=ro`); TEMP tables still work.
    `key`: the raw key of an encrypted file."""
    if key is not None:
        return _cipher_connection(path, key, timeout_ms, read_only=True)
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout_ms / 1000, check_same_thread=False
    )


def _cipher_connection(path: Path, key: str, timeout_ms: int, *, read_only: bool = False) -> Any:
    """An sqlcipher3 connection to the encrypted file `path`, keyed and checked (WrongPassphraseError)."""
    connection = encryption.connect(path, key, timeout_s=timeout_ms / 1000, read_only=read_only)
    try:
        encryption.check_key(connection, path)
    except BaseException:
        connection.close()
        raise
    return connection


def _shadow_caches(timeout_ms: int, dbapi_connection: Any, _record: Any) -> None:
    """`connect` hook of a read-only file: the caches as TEMP copies (one consistent read of both), keyed."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
    cursor.execute("BEGIN")
    tables = {row[0] for row in cursor.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")}
    for table, key in READ_ONLY_CACHE_KEYS.items():
        if table in tables:
            cursor.execute(f'CREATE TEMP TABLE "{table}" AS SELECT * FROM main."{table}"')
            cursor.execute(f'CREATE UNIQUE INDEX temp."{table}_key" ON "{table}" ("{key}")')
    cursor.execute("COMMIT")
    cursor.close()


def _follow_meta(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """`checkout` hook of a read-only file: the TEMP `meta` takes the file's values again (the window that
    edits the file bumps `trade_data_version` there), except the fingerprint of this connection's own copy
    of the metrics."""
    from app.store.queries.metrics import FINGERPRINT_KEY  # the ORM: not needed to open a database

    cursor = dbapi_connection.cursor()
    if cursor.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'meta'").fetchone():
        cursor.execute("DELETE FROM temp.meta WHERE key <> ?", (FINGERPRINT_KEY,))
        cursor.execute("INSERT INTO temp.meta SELECT * FROM main.meta WHERE key <> ?", (FINGERPRINT_KEY,))
        dbapi_connection.commit()
    cursor.close()


def _cipher_module(key: str | None) -> dict[str, Any]:
    """For an encrypted file, SQLAlchemy's SQLite dialect runs on sqlcipher3's DB-API module, so that its
    errors are wrapped (and mapped by storage_error) like the standard module's."""
    return {} if key is None else {"module": cipher_dbapi}


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
    """Owns the engine and the session factory. Create with `Database.open(...)` (a file or a server; an
    SQLite file also read-only), or `Database.from_sqlite_image(...)` (an SQLite image in memory, read-only).

    `read_only_message` is what a refused write says (None: the database can be written)."""

    def __init__(
        self,
        engine: Engine,
        url: str,
        *,
        read_only_message: str | None = None,
        name: str | None = None,
        one_connection: bool = False,
        cipher_key: str | None = None,
    ) -> None:
        self.engine = engine
        # The raw SQLCipher key of an encrypted file (None: plain): backups are encrypted with it too.
        self.cipher_key = cipher_key
        self.url = url
        self.read_only_message = read_only_message
        self._name = name
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # An in-memory image has one connection shared by every thread (StaticPool): sessions take turns, so
        # one thread's rollback on returning the connection never cuts into another's cache refresh.
        self._turns = threading.RLock() if one_connection else None

    @property
    def read_only(self) -> bool:
        return self.read_only_message is not None

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
        event.listen(engine, "before_cursor_execute", partial(_refuse_writes, READ_ONLY_MESSAGE))
        return cls(engine, "sqlite://", read_only_message=READ_ONLY_MESSAGE, name=name, one_connection=True)

    @classmethod
    def open(
        cls,
        target: str | None = None,
        *,
        migrate_schema: bool = True,
        read_only: bool = False,
        read_only_message: str | None = None,
        passphrase: str | None = None,
    ) -> Database:
        """Open `target` (see resolve_target). `read_only`: an existing SQLite file, never written (its schema
        must be current); a refused write says `read_only_message` (default READ_ONLY_FILE_MESSAGE).
        `passphrase` opens an encrypted SQLite file (ignored for a plain one): PassphraseNeededError without
        it, WrongPassphraseError when it does not fit."""
        url = resolve_target(target)
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StorageError(f"not a database path or URL: {target}") from exc
        if read_only:
            message = read_only_message or READ_ONLY_FILE_MESSAGE.format(name=describe(url))
            return cls._open_read_only(url, parsed, message, passphrase)
        key = _check_sqlite_file(parsed, passphrase) if parsed.get_backend_name() == "sqlite" else None
        engine = cls._create_engine(parsed, key)
        database = cls(engine, url, cipher_key=key)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            if migrate_schema:
                migrate.upgrade(engine)
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            raise storage_error(exc, url) from exc
        return database

    @classmethod
    def _open_read_only(cls, url: str, parsed: URL, message: str, passphrase: str | None) -> Database:
        if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
            raise StorageError(f"only an SQLite file can be opened read-only, not {describe(url)}")
        key = _check_sqlite_file(parsed, passphrase)
        path = Path(parsed.database or "")
        if not path.is_file():
            raise StorageError(f"cannot open database {path} read-only: no such file")
        timeout_ms = busy_timeout_ms()
        creator = partial(_read_only_connection, path, timeout_ms, key)
        engine = create_engine(parsed, creator=creator, **_cipher_module(key))
        event.listen(engine, "connect", partial(_shadow_caches, timeout_ms))
        event.listen(engine, "checkout", _follow_meta)
        event.listen(engine, "before_cursor_execute", partial(_refuse_writes, message))
        event.listen(engine, "handle_error", partial(_map_busy_error, url, message), retval=True)
        try:
            with engine.connect() as connection:
                revision = migrate.current_revision(connection)
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            raise storage_error(exc, url) from exc
        if revision != migrate.SCHEMA_HEAD:
            engine.dispose()
            raise StorageError(
                f"cannot open database {path} read-only: it needs an upgrade first, which only a window that "
                "can edit it makes; close the other AE Workbench window and open it again"
            )
        return cls(engine, url, read_only_message=message, cipher_key=key)

    @staticmethod
    def _create_engine(url: URL, key: str | None = None) -> Engine:
        backend = url.get_backend_name()
        if backend == "sqlite":
            timeout_ms = busy_timeout_ms()
            if key is None:
                engine = create_engine(url, connect_args={"timeout": timeout_ms / 1000})
            else:
                creator = partial(_cipher_connection, Path(url.database or ""), key, timeout_ms)
                engine = create_engine(url, creator=creator, **_cipher_module(key))
            event.listen(engine, "connect", partial(_set_sqlite_pragmas, timeout_ms))
            event.listen(engine, "handle_error", partial(_map_busy_error, str(url), None), retval=True)
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
        """The SQLite file (also when opened read-only); None for a server or an image held in memory."""
        database = make_url(self.url).database if self.dialect == "sqlite" else None
        if not database or database == ":memory:":
            return None
        return Path(database)

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
