"""Database upkeep below the services: integrity and schema checks, SQLite backup and restore.

Backups use SQLite's online backup API, which copies a consistent snapshot while the app keeps working, and
land under a temporary name in the destination folder before an atomic rename, so a failed or interrupted
backup or restore never leaves a half-written file where a good one is expected.

The backup of an encrypted database is encrypted with the same key (and salt), so the same passphrase opens
it; restoring an encrypted backup gives an encrypted database under its passphrase.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, make_url

from app.domain.errors import UserError
from app.store import encryption, migrate, orm
from app.store.database import SQLITE_DATABASE_ERRORS, has_sqlite_header, resolve_target

# Search structures of migration 0002 that the ORM metadata does not describe (FTS5 virtual tables and their
# shadow tables on SQLite, expression GIN indexes on PostgreSQL): not drift.
FTS_TABLE_PREFIXES = ("notes_fts", "accounts_fts")
FTS_INDEXES = frozenset({"ix_notes_fts", "ix_accounts_fts", "ix_importer_numbers_fts"})


# --- checks -------------------------------------------------------------------------------------------------


def _include_name(name: str | None, type_: str, _parents: Any) -> bool:
    if type_ == "table" and name is not None:
        return not name.startswith(FTS_TABLE_PREFIXES) and not name.startswith("sqlite_")
    if type_ == "index":
        return name not in FTS_INDEXES
    return True


def _describe_diff(diff: Any) -> str:
    """One line for an autogenerate difference: ('add_table', Table) or a list of ('modify_*', ...) tuples."""
    if isinstance(diff, list):
        return "; ".join(_describe_diff(item) for item in diff)
    action, *rest = diff
    if action.startswith("modify_"):  # (action, schema, table, column, existing kw, old, new)
        return f"{action.removeprefix('modify_')} of {rest[1]}.{rest[2]} differs: {rest[4]!r} in the database"
    target = rest[-1]
    if action.endswith("_column"):
        return f"{action.replace('_', ' ')} {rest[1]}.{target.name}"
    return f"{action.replace('_', ' ')} {getattr(target, 'name', target)}"


def schema_drift(connection: Connection) -> list[str]:
    """Differences between the live schema and the ORM models, one line each; empty when they agree."""
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": _include_name}
    )
    return [_describe_diff(diff) for diff in compare_metadata(context, orm.Base.metadata)]


def sqlite_integrity_problems(connection: Connection) -> list[str]:
    """`PRAGMA integrity_check` and `PRAGMA foreign_key_check`, one line per problem."""
    problems = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check") if row[0] != "ok"]
    for table, rowid, parent, _fk in connection.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} refers to a missing {parent} row")
    return problems


def revision_problem(connection: Connection) -> tuple[str, str, str | None]:
    """(revision, head, problem or None): the schema must be exactly at the head this app ships."""
    revision, head = migrate.current_revision(connection) or "", migrate.head_revision()
    if not revision:
        return revision, head, "the database has no schema yet: run 'ae-workbench db upgrade'"
    if revision != head:
        return revision, head, f"schema at revision {revision}, this version expects {head}"
    return revision, head, None


# --- backup and restore (SQLite) ----------------------------------------------------------------------------


@contextlib.contextmanager
def _temporary_next_to(target: Path) -> Iterator[Path]:
    """A new empty file in `target`'s folder; removed again unless the caller renamed it."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise UserError(f"cannot write to folder {target.parent}: {exc.strerror}") from exc
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def _fsync(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if directory:  # some platforms (Windows) cannot open a folder: the rename is still atomic
            return
        raise
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_database(source: Any, destination: Path, key: str | None = None) -> None:
    """Copy a consistent snapshot of `source` into `destination`, as one self-contained file; `key`: the raw
    SQLCipher key of an encrypted source, which the copy is encrypted with too."""
    target = sqlite3.connect(destination) if key is None else encryption.connect(destination, key)
    try:
        source.backup(target)
        # The copy keeps the source's WAL flag; a standalone file should not need a -wal companion.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    _fsync(destination)


def _replace(temporary: Path, target: Path) -> None:
    temporary.replace(target)
    _fsync(target.parent, directory=True)


def same_file(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and a.resolve() == b.resolve()


def backup_sqlite(engine: Engine, live: Path, dest: Path, key: str | None = None) -> Path:
    """Write a consistent copy of the live database to `dest` (replacing an older backup there); `key`: the
    raw key of an encrypted database (its `Database.cipher_key`), which encrypts the copy too."""
    if dest.is_dir():
        raise UserError(f"cannot write backup {dest}: it is a folder; name the backup file")
    if not dest.parent.is_dir():
        raise UserError(f"cannot write backup {dest}: folder {dest.parent} does not exist")
    # Writing over the live file, or its -wal / -shm companions, would corrupt the database being copied.
    if dest.resolve() in {Path(f"{live}{suffix}").resolve() for suffix in ("", "-wal", "-shm")}:
        raise UserError(f"cannot write backup {dest}: that is the database itself; choose another file")
    with _temporary_next_to(dest) as temporary, engine.connect() as connection:
        _copy_database(connection.connection.dbapi_connection, temporary, key)
        _replace(temporary, dest)
    return dest


def backup_key(source: Path, passphrase: str | None) -> str | None:
    """The raw key of the backup `source` when it is encrypted (None: a plain file); UserError when it cannot
    be read, is no SQLite file, or is encrypted and no passphrase was given."""
    if not source.is_file():
        raise UserError(f"cannot restore from {source}: no such file")
    try:
        is_sqlite, is_encrypted = has_sqlite_header(source), encryption.is_encrypted(source)
    except OSError as exc:
        raise UserError(f"cannot read {source}: {exc.strerror}") from exc
    if is_encrypted:
        if not passphrase:
            raise encryption.passphrase_needed(source)
        return encryption.file_key(source, passphrase)
    if not is_sqlite:
        raise UserError(f"{source} is not an AE Workbench database (not an SQLite file)")
    return None


def check_backup_file(source: Path, passphrase: str | None = None) -> None:
    """Raise UserError unless `source` is a readable, undamaged AE Workbench SQLite database (an encrypted one
    with `passphrase`)."""
    key = backup_key(source, passphrase)
    with contextlib.closing(_open_read_only(source, key)) as connection:
        try:
            if key is not None:
                encryption.check_key(connection, source)
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            damaged = connection.execute("PRAGMA quick_check").fetchone()
        except SQLITE_DATABASE_ERRORS:
            raise UserError(f"{source} is not an AE Workbench database") from None
    if revision is None:
        raise UserError(f"{source} is not an AE Workbench database (no schema version)")
    if damaged is None or damaged[0] != "ok":
        raise UserError(f"{source} is damaged (integrity check failed); it cannot be restored")
    _check_known_revision(source, revision[0])


def _check_known_revision(source: Path, revision: str) -> None:
    try:
        known = ScriptDirectory.from_config(migrate.alembic_config()).get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise UserError(
            f"{source} was written by a newer AE Workbench (schema {revision}); update the app first"
        )


def _open_read_only(path: Path, key: str | None = None) -> Any:
    if key is not None:
        return encryption.connect(path, key, read_only=True)
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def sqlite_file_of(target: str | None) -> Path | None:
    """The file behind a `--db` value (None: the default database), or None for a server database."""
    url = make_url(resolve_target(target))
    return Path(url.database or "") if url.get_backend_name() == "sqlite" else None


def restore_sqlite(source: Path, target: Path, passphrase: str | None = None) -> None:
    """Replace the database file `target` with a copy of the backup `source` (checked first; an encrypted
    backup with its `passphrase`, and the restored file is encrypted the same way)."""
    if same_file(source, target):
        raise UserError(f"cannot restore {source} onto itself: it is the database being replaced")
    check_backup_file(source, passphrase)
    key = backup_key(source, passphrase)
    if not target.parent.is_dir():
        raise UserError(f"cannot restore to {target}: folder {target.parent} does not exist")
    with _temporary_next_to(target) as temporary:
        with contextlib.closing(_open_read_only(source, key)) as connection:
            _copy_database(connection, temporary, key)
        # A -wal left by the old database would be replayed into the restored one; -shm indexes that -wal.
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        _replace(temporary, target)
