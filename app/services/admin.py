"""Database administration: `db upgrade`, `db check`, `backup`, `restore`."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError

from app.domain.errors import StorageError, UserError
from app.domain.views import CheckReport
from app.services.workspace import Workspace
from app.store import encryption, maintenance, migrate
from app.store.database import SQLITE_DATABASE_ERRORS, storage_error

POSTGRES_BACKUP = "backups of a PostgreSQL database belong to the server (use pg_dump there)"
POSTGRES_RESTORE = "restoring a PostgreSQL database belongs to the server (use pg_restore there)"
OWNER_ONLY = 0o600  # backups hold the trade data: readable by their owner only


def encryption_needed(path: Path) -> bool:
    """Whether the SQLite file `path` is encrypted (False when it cannot be read: the restore says why)."""
    try:
        return encryption.is_encrypted(path)
    except OSError:
        return False


def upgrade(ws: Workspace) -> tuple[str | None, str]:
    """Apply pending migrations; (revision before, revision after). A no-op at head."""
    try:
        return migrate.upgrade(ws.database.engine)
    except DBAPIError as exc:  # locked, disk full, server gone: one line, not a traceback
        raise storage_error(exc, ws.url) from exc


def check(ws: Workspace) -> CheckReport:
    """Integrity (SQLite: integrity and foreign-key checks) and schema (at head, same as the models)."""
    with ws.database.session() as session:
        connection = session.connection()
        revision, head, problem = maintenance.revision_problem(connection)
        problems = [problem] if problem else []
        if ws.dialect == "sqlite":
            problems += maintenance.sqlite_integrity_problems(connection)
        if problem is None:  # an older schema differs from the models by design; upgrade first
            problems += [f"schema drift: {diff}" for diff in maintenance.schema_drift(connection)]
    return CheckReport(ok=not problems, problems=problems, revision=revision, head=head)


def backup(ws: Workspace, dest: Path) -> Path:
    """Write a consistent copy of the open SQLite database to `dest` while it stays in use; returns `dest`."""
    live = ws.database.sqlite_path
    if live is None:
        raise UserError(POSTGRES_BACKUP)
    try:
        key = ws.database.cipher_key  # an encrypted database gives an encrypted backup, same passphrase
        written = maintenance.backup_sqlite(ws.database.engine, live, Path(dest).expanduser(), key)
        written.chmod(OWNER_ONLY)
        return written
    except DBAPIError as exc:
        raise storage_error(exc, ws.url) from exc
    except SQLITE_DATABASE_ERRORS as exc:
        raise StorageError(f"backup to {dest} failed: {exc}") from exc
    except OSError as exc:
        raise UserError(f"cannot write backup {dest}: {exc.strerror or exc}") from exc


def restore(target: str | None, source: Path, passphrase: str | None = None) -> None:
    """Replace the database `target` (`--db` value; None: the default) with the backup `source`.

    The backup is checked first (an SQLite file holding an AE Workbench schema this version knows, passing a
    quick integrity check); a failed restore leaves the database as it was. Close the app first. An encrypted
    backup needs its passphrase: `passphrase`, else AE_WORKBENCH_PASSPHRASE or the keyring entry of `target`.
    """
    from app.services.encryption import find_passphrase

    path = maintenance.sqlite_file_of(target)
    if path is None:
        raise UserError(POSTGRES_RESTORE)
    source = Path(source).expanduser()
    if passphrase is None and encryption_needed(source):
        passphrase = find_passphrase(path)
    try:
        maintenance.restore_sqlite(source, path, passphrase)
    except SQLITE_DATABASE_ERRORS as exc:
        raise StorageError(f"restore from {source} failed: {exc}") from exc
    except OSError as exc:
        raise UserError(f"cannot restore from {source}: {exc.strerror or exc}") from exc
