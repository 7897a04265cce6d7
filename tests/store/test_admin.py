"""`db upgrade`, `db check`, `backup` and `restore` on real databases."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.errors import UserError
from app.services import admin, stats
from app.services.workspace import Workspace
from app.store import migrate
from tests.store import factories as f


def _fill(ws: Workspace) -> None:
    with ws.database.session() as s:
        account = f.add_account(s, "Acme Imports", ["20-584410200"])
        entry = f.add_entry(s, account, 1, date(2026, 11, 2), lines=3)
        f.add_hold(s, entry, account, datetime(2026, 11, 3, 9))
        f.add_note(s, account, "Called the port", datetime(2026, 11, 3, 10), kind="call")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sqlite_ws(tmp_path: Path) -> Workspace:
    ws = Workspace.open(str(tmp_path / "live.sqlite3"))
    _fill(ws)
    return ws


# --- upgrade and check (both backends) ----------------------------------------------------------------------


def test_upgrade_at_head_is_a_no_op(workspace: Workspace) -> None:
    head = migrate.head_revision()
    assert admin.upgrade(workspace) == (head, head)


def test_check_passes_on_a_fresh_database(workspace: Workspace) -> None:
    _fill(workspace)
    report = admin.check(workspace)
    assert report.problems == []
    assert report.ok
    assert report.revision == report.head == migrate.head_revision()


def test_check_reports_schema_drift(workspace: Workspace) -> None:
    with workspace.database.session() as s:
        s.execute(text("DROP INDEX ix_holds_account_placed"))
    report = admin.check(workspace)
    assert not report.ok
    assert any("ix_holds_account_placed" in problem for problem in report.problems), report.problems
    assert all("\n" not in problem for problem in report.problems)


def test_check_reports_a_schema_behind_head(workspace: Workspace) -> None:
    with workspace.database.session() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    report = admin.check(workspace)
    assert (report.ok, report.revision) == (False, "0002")
    assert report.problems == [f"schema at revision 0002, this version expects {report.head}"]


def test_check_reports_broken_foreign_keys_on_sqlite(sqlite_ws: Workspace) -> None:
    with sqlite_ws.database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.exec_driver_sql("UPDATE holds SET entry_number = 'ZZZ99999999'")
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    report = admin.check(sqlite_ws)
    assert report.problems == ["holds row 1 refers to a missing entries row"]


# --- backup and restore (SQLite) ----------------------------------------------------------------------------


def test_backup_restore_round_trip(sqlite_ws: Workspace, tmp_path: Path) -> None:
    before = stats.database_stats(sqlite_ws)
    written = admin.backup(sqlite_ws, tmp_path / "copy.sqlite3")
    assert written == tmp_path / "copy.sqlite3"
    assert not Path(f"{written}-wal").exists()  # one self-contained file
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    with sqlite_ws.database.session() as s:  # changes after the backup ...
        other = f.add_account(s, "Later Imports", ["30-123456700"])
        f.add_note(s, other, "Visited the plant", datetime(2026, 11, 20, 10), kind="visit")
    assert stats.database_stats(sqlite_ws) != before
    live = sqlite_ws.database.sqlite_path
    sqlite_ws.close()
    admin.restore(str(live), written)  # ... are undone by the restore
    with Workspace.open(str(live)) as restored:
        assert stats.database_stats(restored) == before
        assert admin.check(restored).ok


def test_backup_while_a_write_is_pending_elsewhere(sqlite_ws: Workspace, tmp_path: Path) -> None:
    """The backup is a consistent snapshot: a transaction still open on another connection is not in it."""
    live = sqlite_ws.database.sqlite_path
    other = sqlite3.connect(str(live))
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM notes")
    try:
        written = admin.backup(sqlite_ws, tmp_path / "snapshot.sqlite3")
    finally:
        other.rollback()
        other.close()
    with Workspace.open(str(written)) as copy:
        assert stats.database_stats(copy)["notes"] == 1


def test_backup_refuses_the_live_database(sqlite_ws: Workspace) -> None:
    live = sqlite_ws.database.sqlite_path
    assert live is not None
    digest = _sha256(live)
    for target in (live, Path(f"{live}-wal")):
        with pytest.raises(UserError, match="that is the database itself"):
            admin.backup(sqlite_ws, target)
    assert _sha256(live) == digest


def test_backup_into_a_missing_folder(sqlite_ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"^cannot write backup .*: folder .* does not exist$"):
        admin.backup(sqlite_ws, tmp_path / "nope" / "copy.sqlite3")


def test_restore_of_a_non_database_leaves_the_target_intact(sqlite_ws: Workspace, tmp_path: Path) -> None:
    live = sqlite_ws.database.sqlite_path
    assert live is not None
    sqlite_ws.close()
    digest = _sha256(live)
    junk = tmp_path / "notes.txt"
    junk.write_text("these are not the rows you are looking for\n" * 100)
    with pytest.raises(UserError) as excinfo:
        admin.restore(str(live), junk)
    assert str(excinfo.value) == f"{junk} is not an AE Workbench database (not an SQLite file)"
    assert _sha256(live) == digest
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_restore_refuses_a_foreign_sqlite_database(sqlite_ws: Workspace, tmp_path: Path) -> None:
    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")
    connection.close()
    with pytest.raises(UserError, match=r"is not an AE Workbench database$"):
        admin.restore(str(sqlite_ws.database.sqlite_path), foreign)


def test_restore_errors_are_one_line(sqlite_ws: Workspace, tmp_path: Path) -> None:
    live = sqlite_ws.database.sqlite_path
    with pytest.raises(UserError, match=r"^cannot restore from .*missing\.sqlite3: no such file$"):
        admin.restore(str(live), tmp_path / "missing.sqlite3")
    with pytest.raises(UserError, match="onto itself"):
        admin.restore(str(live), Path(str(live)))


def test_restore_removes_stale_wal_files(sqlite_ws: Workspace, tmp_path: Path) -> None:
    written = admin.backup(sqlite_ws, tmp_path / "copy.sqlite3")
    live = sqlite_ws.database.sqlite_path
    sqlite_ws.close()
    Path(f"{live}-wal").write_bytes(b"stale")
    Path(f"{live}-shm").write_bytes(b"stale")
    admin.restore(str(live), written)
    assert not Path(f"{live}-wal").exists() and not Path(f"{live}-shm").exists()
    with Workspace.open(str(live)) as restored:
        assert stats.database_stats(restored)["notes"] == 1


# --- PostgreSQL ---------------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_backup_and_restore_belong_to_the_server_on_postgres(pg_database_url: str, tmp_path: Path) -> None:
    with Workspace.open(pg_database_url) as ws, pytest.raises(UserError) as excinfo:
        admin.backup(ws, tmp_path / "copy.sqlite3")
    assert str(excinfo.value) == "backups of a PostgreSQL database belong to the server (use pg_dump there)"
    with pytest.raises(UserError, match=r"belongs to the server \(use pg_restore there\)"):
        admin.restore(pg_database_url, tmp_path / "copy.sqlite3")
