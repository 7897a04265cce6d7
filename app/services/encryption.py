"""Encryption at rest of the local SQLite database: where its passphrase comes from, and the conversions.

The passphrase of an encrypted file comes, in this order, from the caller (a prompt, a dialog), from
`AE_WORKBENCH_PASSPHRASE`, or from the OS keyring (service "AE Workbench database", filed under the file's
absolute path); `find_passphrase` returns None when none of them has it, and the window or the command line
then asks. The conversions themselves (copy → verify → swap) are in store/encryption.py; they need the
database closed by everybody (DatabaseLockedError otherwise).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from app.domain.errors import UserError
from app.services.keyring_store import forget_secret, read_secret, save_secret
from app.services.workspace import Workspace
from app.store import encryption as store_encryption
from app.store.encryption import PassphraseNeededError, WrongPassphraseError

PASSPHRASE_ENV_VAR = "AE_WORKBENCH_PASSPHRASE"
KEYRING_SERVICE = "AE Workbench database"
NOT_A_FILE = "only a local SQLite database can be encrypted, not a database on a server"

__all__ = [
    "KEYRING_SERVICE",
    "PASSPHRASE_ENV_VAR",
    "PassphraseNeededError",
    "WrongPassphraseError",
    "change_passphrase",
    "database_file",
    "decrypt",
    "encrypt",
    "find_passphrase",
    "forget_passphrase",
    "is_encrypted",
    "passphrase_matches",
    "remember_passphrase",
    "remembered_passphrase",
]


def database_file(target: str | Workspace | None) -> Path:
    """The SQLite file of a `--db` value (None: the default) or of an open workspace; UserError for a server
    database or a trip pack."""
    if isinstance(target, Workspace):
        path = target.database.sqlite_path if target.dialect == "sqlite" else None
    else:
        path = Workspace.sqlite_file(target)
    if path is None:
        raise UserError(NOT_A_FILE)
    return path.expanduser().resolve()


def is_encrypted(target: str | Workspace | None) -> bool:
    """Whether the database is an SQLite file encrypted with a passphrase (False for a server or no file)."""
    if isinstance(target, Workspace):
        return target.encrypted
    path = Workspace.sqlite_file(target)
    if path is None:
        return False
    try:
        return store_encryption.is_encrypted(path)
    except OSError:
        return False  # unreadable: opening it says why


def find_passphrase(target: str | Path | None, given: str | None = None) -> str | None:
    """The passphrase for the database `target` (`--db` value or its file): `given`, else
    AE_WORKBENCH_PASSPHRASE, else the keyring's; None when nobody has it."""
    if given:
        return given
    from_environment = os.environ.get(PASSPHRASE_ENV_VAR)
    if from_environment:
        return from_environment
    path = target if isinstance(target, Path) else Workspace.sqlite_file(target)
    return remembered_passphrase(path) if path is not None else None


def _credential(path: Path) -> str:
    return str(path.expanduser().resolve())


def remembered_passphrase(path: Path) -> str | None:
    """The passphrase the keyring holds for the file `path`; None without one (or without a keyring)."""
    return read_secret(KEYRING_SERVICE, _credential(path))


def remember_passphrase(path: Path, passphrase: str) -> None:
    save_secret(KEYRING_SERVICE, _credential(path), passphrase, "passphrase")


def forget_passphrase(path: Path) -> None:
    forget_secret(KEYRING_SERVICE, _credential(path), "passphrase")


def encrypt(target: str | None, passphrase: str, *, remember: bool = False) -> Path:
    """Encrypt the (closed) SQLite database `target` with `passphrase`; `remember`: keep it in the keyring.
    Returns the file."""
    path = database_file(target)
    store_encryption.encrypt_file(path, passphrase)
    if remember:
        remember_passphrase(path, passphrase)
    return path


def decrypt(target: str | None, passphrase: str) -> Path:
    """Remove the encryption of the (closed) SQLite database `target`; its keyring entry goes too."""
    path = database_file(target)
    store_encryption.decrypt_file(path, passphrase)
    with contextlib.suppress(UserError):  # no keyring here: nothing was kept, and a plain file needs none
        forget_passphrase(path)
    return path


def change_passphrase(target: str | None, old: str, new: str, *, remember: bool = False) -> Path:
    """Re-encrypt the (closed) database `target` under `new`. The keyring keeps the new passphrase when
    `remember` or when it held the old one (an outdated entry would only fail at the next start)."""
    path = database_file(target)
    had_entry = remembered_passphrase(path) is not None
    store_encryption.rekey_file(path, old, new)
    if remember or had_entry:
        remember_passphrase(path, new)
    return path


def passphrase_matches(target_or_ws: str | Workspace | None, text: str) -> bool:
    """True when `text` opens the database (an open workspace, or a `--db` value); False for a database that
    is not encrypted, and for a server or a trip pack."""
    if not text:
        return False
    if isinstance(target_or_ws, Workspace):
        key, path = target_or_ws.database.cipher_key, target_or_ws.database.sqlite_path
        if key is None or path is None:
            return False
        # The open workspace's key: no need to open the file again (it may be held by a conversion).
        return store_encryption.file_key(path, text) == key
    path = Workspace.sqlite_file(target_or_ws)
    return path is not None and store_encryption.passphrase_opens(path, text)
