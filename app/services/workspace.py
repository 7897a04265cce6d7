"""The open database as the UI and the CLI see it.

`Workspace` wraps the store's `Database` so that the UI can hold one without importing `app.store`. Every
service function takes a `Workspace` as its first argument.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError

from app.domain.errors import StorageError
from app.services.identity import current_user
from app.store.audit import name_the_user
from app.store.database import Database, storage_error, target_sqlite_file

TRIP_PACK_LABEL = "Trip pack (read-only)"


class Workspace:
    def __init__(self, database: Database) -> None:
        self.database = database
        # The passphrase an encrypted file was opened with, in memory only: the restore of one of its
        # (encrypted) backups needs it again, and nobody should have to type it twice.
        self.passphrase: str | None = None

    @classmethod
    def open(
        cls,
        target: str | None = None,
        *,
        migrate_schema: bool = True,
        read_only: bool = False,
        read_only_reason: str | None = None,
        passphrase: str | None = None,
    ) -> Workspace:
        """Open (creating and migrating a missing SQLite file) the `--db` target; raises StorageError.

        `read_only`: an existing SQLite file opened so that nothing can write to it (another window is its one
        writer); every edit is then refused with `read_only_reason`, which the window also shows.
        `passphrase`: opens an encrypted SQLite file (services/encryption.py says where it comes from);
        without it such a file raises PassphraseNeededError, with a wrong one WrongPassphraseError."""
        database = Database.open(
            target,
            migrate_schema=migrate_schema,
            read_only=read_only,
            read_only_message=read_only_reason,
            passphrase=passphrase,
        )
        if not read_only and migrate_schema:
            # Who the audit trail names for this workbench's edits (AE_WORKBENCH_USER, else the login name).
            try:
                name_the_user(database.engine, current_user())
            except DBAPIError as exc:
                database.close()
                raise storage_error(exc, database.url) from exc
        workspace = cls(database)
        workspace.passphrase = passphrase
        return workspace

    @staticmethod
    def sqlite_file(target: str | None) -> Path | None:
        """The SQLite file a `--db` value names (None: the default file), before opening it; None for a
        server."""
        return target_sqlite_file(target)

    @classmethod
    def open_trip_pack(cls, path: Path, passphrase: str) -> Workspace:
        """Open a trip pack (see services/trip_pack.py) read-only; the decrypted database stays in memory.
        ValidationError for a wrong passphrase or a file that is not a pack; StorageError if unreadable."""
        from app.services.sealed import PACK_FILE_NAME, unseal  # cryptography only when a pack is opened

        path = Path(path).expanduser()
        try:
            blob = path.read_bytes()
        except OSError as exc:
            raise StorageError(f"cannot read trip pack {path}: {exc.strerror}") from exc
        # Every pack file has the same name: its folder ("Trip 2026-12-01") says which trip it is.
        name = path.parent.name if path.name == PACK_FILE_NAME and path.parent.name else path.stem
        database = Database.from_sqlite_image(unseal(blob, passphrase), name=name)
        return cls(database)

    @property
    def encrypted(self) -> bool:
        """True for an SQLite file encrypted with a passphrase."""
        return self.database.cipher_key is not None

    @property
    def read_only(self) -> bool:
        """True for a trip pack or a file opened read-only: every edit is refused by the store, saying why."""
        return self.database.read_only

    @property
    def read_only_reason(self) -> str | None:
        """What a refused edit says (None when the workspace can be edited)."""
        return self.database.read_only_message

    @property
    def name(self) -> str:
        return self.database.name

    @property
    def url(self) -> str:
        return self.database.url

    @property
    def dialect(self) -> str:
        return self.database.dialect

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
