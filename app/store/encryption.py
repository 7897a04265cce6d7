"""Encryption at rest: an SQLite database file protected with a passphrase through SQLCipher (`sqlcipher3`).

An encrypted file does not start with the SQLite header; every page is encrypted with a key SQLCipher
derives from the passphrase and the random salt in the file's first 16 bytes (PBKDF2-HMAC-SHA512, 256,000
rounds: SQLCipher 4's defaults). Deriving it takes ~0.15 s, so the store derives it once per open
(`file_key`) and gives each new connection the raw key with its salt (`PRAGMA key = "x'…'"`), which SQLCipher
uses as is.

Converting a file (`encrypt_file`, `decrypt_file`, `rekey_file`) goes copy → verify → swap: the converted copy
is written next to the file (`sqlcipher_export` into an attached database) while this process holds SQLite's
exclusive lock on it (refused with DatabaseLockedError while anybody else has it open: a window's idle
connection is enough), then opened with its new key for `PRAGMA integrity_check` and a row count of every
table against the original, and only then renamed over the original, owner-only. Any failure deletes the copy
and leaves the original as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlcipher3 import dbapi2 as cipher_dbapi

from app.domain.errors import DatabaseLockedError, StorageError, UserError

SQLITE_HEADER = b"SQLite format 3\x00"
SALT_BYTES = 16
KEY_BYTES = 32
KDF_ROUNDS = 256_000  # SQLCipher 4's default kdf_iter, with HMAC-SHA512
OWNER_ONLY = 0o600
GIVE_PASSPHRASE = "AE_WORKBENCH_PASSPHRASE, the keyring, or the prompt"


class PassphraseNeededError(StorageError):
    """The file is encrypted and no passphrase was given."""


class WrongPassphraseError(StorageError):
    """The passphrase does not open the file."""


def passphrase_needed(path: Path) -> PassphraseNeededError:
    return PassphraseNeededError(f"{path} is encrypted: give its passphrase ({GIVE_PASSPHRASE})")


def wrong_passphrase(path: Path) -> WrongPassphraseError:
    return WrongPassphraseError(f"wrong passphrase for {path}")


def is_encrypted(path: Path) -> bool:
    """Whether `path` looks like an SQLCipher file: not empty, no SQLite header, whole pages (which tells it
    from a stray text file). False for a missing file; OSError when it cannot be read."""
    if not path.is_file():
        return False
    size = path.stat().st_size
    if size == 0 or size % 512:
        return False
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER


def key_literal(passphrase: str, salt: bytes) -> str:
    """SQLCipher's raw key with its salt, `x'<key><salt>'`: what the passphrase gives for `salt`."""
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ROUNDS, KEY_BYTES)
    return f"x'{key.hex()}{salt.hex()}'"


def file_key(path: Path, passphrase: str) -> str:
    """The raw key (see key_literal) of the encrypted file `path` for `passphrase`; not checked here."""
    try:
        with path.open("rb") as handle:
            salt = handle.read(SALT_BYTES)
    except OSError as exc:
        raise StorageError(f"cannot read database {path}: {exc.strerror}") from exc
    return key_literal(passphrase, salt)


def new_key(passphrase: str) -> str:
    """A raw key with a fresh random salt, for a file about to be encrypted."""
    return key_literal(passphrase, os.urandom(SALT_BYTES))


def apply_key(connection: Any, key: str | None) -> None:
    """First statements on a new connection: SQLCipher's own log off (a wrong key would print "hmac check
    failed" lines on stderr), then the key. `key` is a raw key from key_literal (hex digits only)."""
    connection.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        connection.execute(f'PRAGMA key = "{key}"')


def connect(path: Path, key: str | None, *, timeout_s: float = 5.0, read_only: bool = False) -> Any:
    """An sqlcipher3 connection to `path` with `key` applied (None: a plain file); nothing read yet."""
    if read_only:
        connection = sqlcipher3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout_s, check_same_thread=False
        )
    else:
        connection = sqlcipher3.connect(str(path), timeout=timeout_s, check_same_thread=False)
    apply_key(connection, key)
    return connection


def is_wrong_key_error(exc: BaseException) -> bool:
    """SQLCipher's answer to a wrong key (and SQLite's to a file that is no database): "file is not a
    database" on the first read."""
    return isinstance(exc, cipher_dbapi.DatabaseError) and "not a database" in str(exc)


def check_key(connection: Any, path: Path) -> None:
    """Read the schema once: WrongPassphraseError when the key does not open `path`."""
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except cipher_dbapi.DatabaseError as exc:
        if is_wrong_key_error(exc):
            raise wrong_passphrase(path) from None
        raise


def passphrase_opens(path: Path, passphrase: str) -> bool:
    """True when `path` is encrypted and `passphrase` opens it."""
    if not passphrase or not is_encrypted(path):
        return False
    try:
        with contextlib.closing(connect(path, file_key(path, passphrase), read_only=True)) as connection:
            check_key(connection, path)
    except (StorageError, cipher_dbapi.Error):
        return False
    return True


# --- conversions -----------------------------------------------------------------------------------------


def encrypt_file(path: Path, passphrase: str) -> None:
    """Encrypt the plain SQLite file `path` with `passphrase` (copy → verify → swap)."""
    _require_passphrase(passphrase)
    if is_encrypted(path):
        raise UserError(f"{path} is already encrypted")
    _convert(path, None, new_key(passphrase))


def decrypt_file(path: Path, passphrase: str) -> None:
    """Turn the encrypted file `path` back into a plain SQLite file (copy → verify → swap)."""
    _require_encrypted(path)
    _convert(path, file_key(path, passphrase), None)


def rekey_file(path: Path, old: str, new: str) -> None:
    """Re-encrypt `path` under the passphrase `new` (copy → verify → swap)."""
    _require_passphrase(new)
    _require_encrypted(path)
    _convert(path, file_key(path, old), new_key(new))


def _require_passphrase(passphrase: str) -> None:
    if not passphrase:
        raise UserError("the passphrase cannot be empty")


def _require_encrypted(path: Path) -> None:
    if not path.is_file():
        raise StorageError(f"cannot open database {path}: no such file")
    if not is_encrypted(path):
        raise UserError(f"{path} is not encrypted")


def _convert(path: Path, old_key: str | None, new_key: str | None) -> None:
    if not path.is_file():
        raise StorageError(f"cannot open database {path}: no such file")
    with _copy_next_to(path) as copy:
        with _exclusive(path, old_key) as original:
            _export(original, copy, new_key)
            verify_copy(original, copy, new_key)
        # The original is closed (its -wal checkpointed into it and removed): nothing of it is left to replay
        # into the converted file.
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        copy.chmod(OWNER_ONLY)
        copy.replace(path)
        _fsync_folder(path.parent)


@contextlib.contextmanager
def _copy_next_to(path: Path) -> Iterator[Path]:
    """A name for the converted copy in `path`'s folder; the file is removed unless it was renamed."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".converting", dir=path.parent)
    except OSError as exc:
        raise UserError(f"cannot write to folder {path.parent}: {exc.strerror}") from exc
    os.close(handle)
    copy = Path(name)
    copy.unlink()  # sqlcipher_export wants to create the database itself
    try:
        yield copy
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)


@contextlib.contextmanager
def _exclusive(path: Path, key: str | None) -> Iterator[Any]:
    """A connection to `path` holding SQLite's exclusive lock, its -wal checkpointed in: nobody else can have
    the file open meanwhile (DatabaseLockedError if somebody does)."""
    from app.store.database import busy_message, busy_timeout_ms

    connection = connect(path, key, timeout_s=busy_timeout_ms() / 1000)
    connection.isolation_level = None  # autocommit: this code says where transactions begin and end
    try:
        check_key(connection, path)
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")  # exclusive locking mode keeps the lock after the transaction
        busy, _frames, _done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise DatabaseLockedError(busy_message(f"sqlite:///{path}"))
        yield connection
    except cipher_dbapi.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseLockedError(busy_message(f"sqlite:///{path}")) from None
        raise StorageError(f"cannot convert database {path}: {exc}") from exc
    finally:
        connection.close()


def _export(original: Any, copy: Path, key: str | None) -> None:
    """Write everything in `original` into the new file `copy`, encrypted with `key` (None: plain)."""
    original.execute("ATTACH DATABASE ? AS converted KEY ?", (str(copy), ""))
    try:
        if key is not None:
            original.execute(f'PRAGMA converted.key = "{key}"')
        original.execute("SELECT sqlcipher_export('converted')")
    finally:
        original.execute("DETACH DATABASE converted")


def table_counts(connection: Any) -> dict[str, int]:
    """Rows per table (the full-text tables included) of an open connection."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def verify_copy(original: Any, copy: Path, key: str | None) -> None:
    """The copy opens with `key`, passes `PRAGMA integrity_check` and has as many rows in every table as the
    original; StorageError otherwise."""
    with contextlib.closing(connect(copy, key)) as converted:
        check_key(converted, copy)
        problems = [row[0] for row in converted.execute("PRAGMA integrity_check") if row[0] != "ok"]
        if problems:
            raise StorageError(
                f"the converted copy failed its integrity check ({problems[0]}); nothing changed"
            )
        expected, found = table_counts(original), table_counts(converted)
    if expected != found:
        differing = sorted(
            name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name)
        )
        raise StorageError(
            f"the converted copy does not hold the same rows (table {differing[0]}); nothing changed"
        )


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # some platforms cannot open a folder: the rename is still atomic
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
