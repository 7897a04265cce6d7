"""The open database as the UI and the CLI see it.

`Workspace` wraps the store's `Database` so that the UI can hold one without importing `app.store`. Every
service function takes a `Workspace` as its first argument.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.errors import StorageError
from app.store.database import Database

TRIP_PACK_LABEL = "Trip pack (read-only)"


class Workspace:
    def __init__(self, database: Database) -> None:
        self.database = database

    @classmethod
    def open(cls, target: str | None = None, *, migrate_schema: bool = True) -> Workspace:
        """Open (creating and migrating a missing SQLite file) the `--db` target; raises StorageError."""
        return cls(Database.open(target, migrate_schema=migrate_schema))

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
    def read_only(self) -> bool:
        """True for a trip pack: every edit is refused by the store with a message saying so."""
        return self.database.read_only

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
