"""`ae-workbench demo`: deterministic for a seed, and careful with existing data."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.e2e.clirunner import Cli, assert_ok, assert_one_error

SUMMARY = re.compile(r"^demo portfolio \(small, seed 7\) written to \S+: .*\b\d+ accounts\b.* in \d+\.\d s$")


@pytest.mark.slow
def test_demo_with_force_is_deterministic(demo_cli: Cli, demo_db: Path) -> None:
    original = assert_ok(demo_cli("stats", "--json")).json()
    # The demo is dated relative to today: a session's template made before midnight differs from today's.
    with sqlite3.connect(demo_db) as connection:
        (as_of,) = connection.execute("SELECT value FROM meta WHERE key = 'data_as_of'").fetchone()
    made_today = datetime.fromisoformat(as_of).date() == date.today()
    first = assert_ok(demo_cli("demo", "--seed", "7", "--force"))
    assert SUMMARY.match(first.stdout.strip()), first.stdout
    assert first.stdout.count("\n") == 1
    assert first.stderr == ""  # no progress lines: stderr is not a terminal
    after_first = assert_ok(demo_cli("stats", "--json")).json()
    assert_ok(demo_cli("demo", "--force"))
    after_second = assert_ok(demo_cli("stats", "--json")).json()
    assert after_first == after_second
    assert after_first == original or not made_today


def test_demo_refuses_a_database_with_accounts(demo_cli: Cli) -> None:
    before = assert_ok(demo_cli("stats", "--json")).json()
    assert_one_error(demo_cli("demo"), 2, contains="--force")
    assert assert_ok(demo_cli("stats", "--json")).json() == before
