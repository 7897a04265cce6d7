"""Automatic backups of the open SQLite database, and the safety copy kept before a restore.

At every start the workbench writes `<user data>/backups/<label>-YYYYmmdd-HHMMSS.sqlite3` with SQLite's online
backup API (the app keeps working meanwhile), checks the copy with `PRAGMA integrity_check`, makes it readable
by its owner only, and deletes the oldest automatic backups of the same database beyond the number to keep.

The copy is written under a hidden name and renamed only once it passed the check, so a file bearing a
backup's name is always a verified backup; a copy that fails is deleted and the live database is never
touched.

`<label>` is the database file's stem for the databases in the user data folder (the default and the demo
one). A database elsewhere gets a short fingerprint of its folder too (`laptop-3fa9c0d2`): two files called
`laptop.sqlite3` in different folders must never rotate away each other's backups. Only names this module
makes for this database are ever deleted: other files in the folder are left alone.

Before a restore, `keep_before_restore()` writes `<label>-before-restore-YYYYmmdd-HHMMSS.sqlite3` to the same
folder; rotation never deletes those. PostgreSQL databases (backed up on the server) and trip packs (opened
in memory) have no automatic backups: `automatic_backup()` returns None and `list_backups()` is empty.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.domain.errors import StorageError
from app.locations import user_data_dir
from app.services.workspace import Workspace

BACKUPS_FOLDER = "backups"
SUFFIX = ".sqlite3"
STAMP_FORMAT = "%Y%m%d-%H%M%S"
STAMP_PATTERN = r"\d{8}-\d{6}"
BEFORE_RESTORE = "before-restore"
DEFAULT_KEEP = 7
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # local wall-clock time, from the file's name
    size_bytes: int
    automatic: bool = True  # False: the copy kept before a restore (never rotated away)


def backups_folder() -> Path:
    return user_data_dir() / BACKUPS_FOLDER


def database_file(ws: Workspace) -> Path | None:
    """The SQLite file behind the workspace; None for PostgreSQL and for a trip pack (in memory)."""
    if ws.dialect != "sqlite" or ws.read_only:
        return None
    return ws.database.sqlite_path


def backup_label(database: Path) -> str:
    """What the backups of `database` are named after (see the module docstring)."""
    resolved = database.expanduser().resolve()
    if resolved.parent == user_data_dir().expanduser().resolve():
        return resolved.stem
    fingerprint = hashlib.sha256(str(resolved.parent).encode("utf-8")).hexdigest()[:8]
    return f"{resolved.stem}-{fingerprint}"


def _name_pattern(label: str, *, automatic: bool) -> re.Pattern[str]:
    middle = "" if automatic else f"{BEFORE_RESTORE}-"
    return re.compile(rf"{re.escape(label)}-{middle}({STAMP_PATTERN}){re.escape(SUFFIX)}")


def _stamp(when: datetime) -> str:
    return when.strftime(STAMP_FORMAT)


def _found(folder: Path, label: str, *, automatic: bool) -> list[BackupInfo]:
    pattern = _name_pattern(label, automatic=automatic)
    found: list[BackupInfo] = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = pattern.fullmatch(path.name)
        if match is None or not path.is_file():
            continue
        try:
            taken_at = datetime.strptime(match.group(1), STAMP_FORMAT)
            size = path.stat().st_size
        except (ValueError, OSError):  # 20261399-…: not a time; or deleted meanwhile
            continue
        found.append(BackupInfo(path, taken_at, size, automatic))
    return found


def list_backups(ws: Workspace, folder: Path | None = None) -> list[BackupInfo]:
    """The automatic backups and the copies kept before a restore of this database, newest first."""
    database = database_file(ws)
    if database is None:
        return []
    folder, label = folder or backups_folder(), backup_label(database)
    found = _found(folder, label, automatic=True) + _found(folder, label, automatic=False)
    return sorted(found, key=lambda info: (info.taken_at, info.automatic), reverse=True)


def prepare_folder(folder: Path | None = None) -> Path:
    """The backups folder, created readable by its owner only when missing; StorageError if it cannot be."""
    folder = folder or backups_folder()
    if folder.is_dir():
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(OWNER_ONLY_FOLDER)  # mkdir's mode is cut by the umask
    except OSError as exc:
        raise StorageError(f"cannot create the backups folder {folder}: {exc.strerror or exc}") from exc
    return folder


def integrity_problems(path: Path, key: str | None = None) -> list[str]:
    """`PRAGMA integrity_check` of the file at `path`, read-only: its lines, or [] when it says "ok". `key`:
    the raw key of an encrypted database (`Database.cipher_key`), whose backups are encrypted with it."""
    from app.store.database import SQLITE_DATABASE_ERRORS
    from app.store.encryption import connect

    try:
        if key is None:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        else:
            db = connect(path, key, read_only=True)
        with contextlib.closing(db):
            rows = db.execute("PRAGMA integrity_check").fetchall()
    except SQLITE_DATABASE_ERRORS as exc:
        return [str(exc)]
    return [str(row[0]) for row in rows if row[0] != "ok"]


def automatic_backup(
    ws: Workspace, keep: int, folder: Path | None = None, *, now: datetime | None = None
) -> BackupInfo | None:
    """Back up the open SQLite database, verify the copy, keep the newest `keep` (at least 1) automatic
    backups of it. None for PostgreSQL and trip packs. StorageError (nothing left behind) if the copy fails
    its integrity check; UserError if the folder cannot be written."""
    from app.services import admin  # the store's maintenance code is only needed here, not at start-up

    database = database_file(ws)
    if database is None:
        return None
    folder = prepare_folder(folder)
    label, when = backup_label(database), now or datetime.now()
    final = folder / f"{label}-{_stamp(when)}{SUFFIX}"
    partial = folder / f".{final.name}.partial"  # no backup's name until it has passed the check
    try:
        admin.backup(ws, partial)
        key = ws.database.cipher_key  # an encrypted database's backup is encrypted with its key
        problems = integrity_problems(partial) if key is None else integrity_problems(partial, key)
        if problems:
            raise StorageError(
                f"the automatic backup of {ws.name} failed its integrity check ({problems[0]}); the copy was "
                "deleted and the database itself was not touched"
            )
        # Two starts in the same second: the newer verified copy replaces the older one.
        partial.replace(final)
    finally:
        partial.unlink(missing_ok=True)
    rotate(folder, label, keep)
    return BackupInfo(final, when.replace(microsecond=0), final.stat().st_size)


def rotate(folder: Path, label: str, keep: int) -> list[Path]:
    """Delete the automatic backups of `label` beyond the newest `keep` (at least 1); the deleted paths."""
    backups = sorted(_found(folder, label, automatic=True), key=lambda info: info.taken_at, reverse=True)
    deleted = []
    for old in backups[max(1, keep) :]:
        with contextlib.suppress(OSError):  # one that cannot be deleted stays: extra, never harmful
            old.path.unlink()
            deleted.append(old.path)
    return deleted


def before_restore_path(ws: Workspace, when: datetime, folder: Path | None = None) -> Path | None:
    """Where `keep_before_restore(ws, when)` writes; None when the workspace has no SQLite file."""
    database = database_file(ws)
    if database is None:
        return None
    return (folder or backups_folder()) / f"{backup_label(database)}-{BEFORE_RESTORE}-{_stamp(when)}{SUFFIX}"


def keep_before_restore(ws: Workspace, when: datetime, folder: Path | None = None) -> Path:
    """Copy the open database (online backup API, readable by its owner only) before a restore replaces it.

    Not checked for integrity: a damaged database is the usual reason to restore, and its copy is kept
    all the same."""
    from app.services import admin

    dest = before_restore_path(ws, when, folder)
    if dest is None:
        raise StorageError(admin.POSTGRES_BACKUP)
    prepare_folder(dest.parent)
    return admin.backup(ws, dest)


def check_backup(path: Path, passphrase: str | None = None) -> None:
    """UserError unless `path` is an undamaged AE Workbench database this version can restore (an encrypted
    backup with its `passphrase`)."""
    from app.store.maintenance import check_backup_file

    check_backup_file(Path(path).expanduser(), passphrase)


def taken_at_of(path: Path) -> datetime:
    """When a backup was taken: the time in its name (ours), else the file's modification time."""
    match = re.search(rf"({STAMP_PATTERN}){re.escape(SUFFIX)}$", path.name)
    if match is not None:
        with contextlib.suppress(ValueError):
            return datetime.strptime(match.group(1), STAMP_FORMAT)
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        return datetime.now().replace(microsecond=0)
