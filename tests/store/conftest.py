"""Store tests run twice: on a real SQLite file and on the PostgreSQL server the test run starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services.workspace import Workspace


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    pg_server: Any = request.getfixturevalue("pg_server")
    return str(pg_server.create_database())


@pytest.fixture
def workspace(db_url: str) -> Iterator[Workspace]:
    """A migrated, empty workspace on each backend."""
    ws = Workspace.open(db_url)
    try:
        yield ws
    finally:
        ws.close()
