"""End-to-end fixtures: `ae-workbench` run as a subprocess (`python -m app ...`) from the repository root.

Every run gets an environment of its own: the user data folder points into the test's tmp_path and no
`AE_WORKBENCH_DB` is inherited, so a test never touches the user's real database. The small demo portfolio is
generated once per session (it takes seconds) and copied for each test that uses it.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from tests.e2e.clirunner import Cli, KnownAccount, assert_ok

DEMO_SEED = 7


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The CLI with a fresh (not yet created) data folder and no database chosen."""
    return Cli(tmp_path / "data")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo portfolio for seed 7, generated once per session. Do not modify: copy it (`demo_db`)."""
    root = tmp_path_factory.mktemp("demo-template")
    path = root / "demo.sqlite3"
    assert_ok(Cli(root / "data", path)("demo", "--scale", "small", "--seed", str(DEMO_SEED)))
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database that the test may change."""
    path = tmp_path / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        source = demo_template.with_name(demo_template.name + suffix)
        if source.exists():
            shutil.copyfile(source, path.with_name(path.name + suffix))
    return path


@pytest.fixture
def demo_cli(cli: Cli, demo_db: Path) -> Cli:
    """The CLI pointed (`--db`) at a private copy of the demo database."""
    return cli.on(demo_db)


@pytest.fixture(scope="session")
def known_account(demo_template: Path) -> KnownAccount:
    """An account of the demo portfolio with an EIN-based importer number, read straight from the file."""
    connection = sqlite3.connect(demo_template)
    try:
        row = connection.execute(
            """
            SELECT a.id, a.name, i.normalized FROM accounts a JOIN importer_numbers i ON i.account_id = a.id
            WHERE i.ior_type = 'EIN' AND a.deleted_at IS NULL AND i.deleted_at IS NULL
            ORDER BY i.is_primary DESC, a.name LIMIT 1
            """
        ).fetchone()
    finally:
        connection.close()
    assert row is not None, "the demo portfolio has no account with an EIN-based importer number"
    # SQLAlchemy's Uuid is stored on SQLite as 32 hex digits (or 16 bytes); the CLI takes the usual spelling.
    raw_id = row[0]
    account_id = uuid.UUID(bytes=raw_id) if isinstance(raw_id, bytes) else uuid.UUID(str(raw_id))
    return KnownAccount(str(account_id), row[1], row[2])
