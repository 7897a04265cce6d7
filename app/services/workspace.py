"""The open database as the UI and the CLI see it.

`Workspace` wraps the store's `Database` so that the UI can hold one without importing `app.store`. Every
service function takes a `Workspace` as its first argument.
"""

from __future__ import annotations

from app.store.database import Database


class Workspace:
    def __init__(self, database: Database) -> None:
        self.database = database

    @classmethod
    def open(cls, target: str | None = None, *, migrate_schema: bool = True) -> Workspace:
        """Open (creating and migrating a missing SQLite file) the `--db` target; raises StorageError."""
        return cls(Database.open(target, migrate_schema=migrate_schema))

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
