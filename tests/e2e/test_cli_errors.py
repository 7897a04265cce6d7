"""Databases that cannot be used: one line on stderr, exit 2, never a traceback (unless --debug)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.e2e.clirunner import Cli, assert_one_error

UNREACHABLE_POSTGRES = "postgresql+psycopg://u@127.0.0.1:1/x"


def test_missing_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli.on(tmp_path / "no-such-folder" / "x.sqlite3")("stats", "--json")
    assert_one_error(result, 2, contains="does not exist")
    assert not (tmp_path / "no-such-folder").exists()


def test_folder_instead_of_file(cli: Cli, tmp_path: Path) -> None:
    assert_one_error(cli.on(tmp_path)("stats", "--json"), 2, contains="folder")


def test_corrupt_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "random.sqlite3"
    path.write_bytes(os.urandom(8192))
    assert_one_error(cli.on(path)("stats", "--json"), 2)
    assert_one_error(cli.on(path)("notes", "12-3456789AB"), 2)


def test_damaged_sqlite_file(cli: Cli, demo_db: Path) -> None:
    data = bytearray(demo_db.read_bytes())
    data[100:4096] = os.urandom(4096 - 100)  # keep the header, wreck the schema page
    demo_db.write_bytes(bytes(data))
    assert_one_error(cli.on(demo_db)("stats", "--json"), 2)


def test_unreachable_postgres_is_quick(cli: Cli) -> None:
    started = time.monotonic()
    result = cli.on(UNREACHABLE_POSTGRES)("stats", "--json")
    assert_one_error(result, 2, contains="cannot reach")
    assert time.monotonic() - started < 15


def test_unsupported_url(cli: Cli) -> None:
    assert_one_error(cli.on("mysql://u@localhost/x")("stats", "--json"), 2, contains="unsupported")


def test_debug_shows_the_traceback(cli: Cli, tmp_path: Path) -> None:
    result = cli.on(tmp_path / "no-such-folder" / "x.sqlite3")("stats", "--debug")
    assert result.returncode == 2
    assert "Traceback" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("error: ")


@pytest.mark.postgres
def test_postgres_database(cli: Cli, pg_database_url: str) -> None:
    pg = cli.on(pg_database_url)
    counts = pg("stats", "--json")
    assert counts.returncode == 0, counts.stderr
    assert set(counts.json().values()) == {0}
    assert_one_error(pg("note", "add", "12-3456789AB", "hello"), 2)
