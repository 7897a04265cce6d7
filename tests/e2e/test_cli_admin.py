"""`ae-workbench db upgrade|check`, `backup` and `restore`."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.clirunner import Cli, KnownAccount, assert_ok, assert_one_error


def test_upgrade_and_check_on_the_demo_database(demo_cli: Cli) -> None:
    upgraded = assert_ok(demo_cli("db", "upgrade"))
    assert re.fullmatch(r"database at revision \S+\n", upgraded.stdout), upgraded.stdout
    assert assert_ok(demo_cli("db", "check")).stdout == "ok\n"


def test_upgrade_creates_a_new_database(cli: Cli, tmp_path: Path) -> None:
    fresh = cli.on(tmp_path / "new.sqlite3")
    first = assert_ok(fresh("db", "upgrade")).stdout
    assert re.fullmatch(r"upgraded from .+ to \S+\n", first), first
    head = first.split()[-1]
    assert assert_ok(fresh("db", "upgrade")).stdout == f"database at revision {head}\n"
    assert assert_ok(fresh("db", "check")).stdout == "ok\n"


def test_backup_and_restore_round_trip(demo_cli: Cli, known_account: KnownAccount, tmp_path: Path) -> None:
    backup = tmp_path / "backups" / "before.sqlite3"
    backup.parent.mkdir()
    before = assert_ok(demo_cli("stats", "--json")).json()
    assert_ok(demo_cli("backup", str(backup)))
    assert backup.is_file()

    assert_ok(demo_cli("note", "add", known_account.ior, "Written after the backup"))
    assert assert_ok(demo_cli("stats", "--json")).json()["notes"] == before["notes"] + 1

    restored = assert_ok(demo_cli("restore", str(backup)))
    assert str(backup) in restored.stdout
    assert assert_ok(demo_cli("stats", "--json")).json() == before
    texts = [note["text"] for note in assert_ok(demo_cli("notes", known_account.ior, "--json")).json()]
    assert "Written after the backup" not in texts
    assert assert_ok(demo_cli("db", "check")).stdout == "ok\n"


def test_backup_into_a_missing_folder(demo_cli: Cli, tmp_path: Path) -> None:
    assert_one_error(demo_cli("backup", str(tmp_path / "nowhere" / "b.sqlite3")), 2)


def test_restore_from_a_missing_file(demo_cli: Cli, tmp_path: Path) -> None:
    before = assert_ok(demo_cli("stats", "--json")).json()
    assert_one_error(demo_cli("restore", str(tmp_path / "missing.sqlite3")), 2)
    assert assert_ok(demo_cli("stats", "--json")).json() == before


def test_restore_from_a_file_that_is_not_a_backup(demo_cli: Cli, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database\n")
    before = assert_ok(demo_cli("stats", "--json")).json()
    assert_one_error(demo_cli("restore", str(bogus)), 2)
    assert assert_ok(demo_cli("stats", "--json")).json() == before
