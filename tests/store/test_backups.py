"""Automatic backups: a verified, owner-only copy per start; rotation keeps the newest N of this database's
own backups and touches nothing else; a copy failing its integrity check is deleted; none for PostgreSQL."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.errors import StorageError, UserError
from app.services import admin, backups
from app.services.accounts import list_portfolio
from app.services.workspace import Workspace
from app.store.database import Database
from tests.store import factories as f

T0 = datetime(2026, 11, 2, 8, 30, 0)


def _fill(ws: Workspace) -> None:
    with ws.database.session() as s:
        account = f.add_account(s, "Acme Imports", ["20-584410200"])
        f.add_entry(s, account, 1, date(2026, 11, 2), lines=2)


def _names(ws: Workspace) -> list[str]:
    return [row.name for row in list_portfolio(ws)]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Workspace]:
    """An SQLite database outside the user data folder, with one account."""
    (tmp_path / "live").mkdir()
    ws = Workspace.open(str(tmp_path / "live" / "laptop.sqlite3"))
    _fill(ws)
    yield ws
    ws.close()


def test_automatic_backup_is_a_verified_owner_only_copy_and_none_for_postgresql(
    workspace: Workspace, isolated_user_data: Path
) -> None:
    _fill(workspace)
    info = backups.automatic_backup(workspace, keep=7, now=T0)
    if workspace.dialect != "sqlite":
        assert info is None
        assert backups.list_backups(workspace) == []
        assert not (isolated_user_data / "backups").exists()  # nothing written, not even the folder
        return
    assert info is not None
    assert info.path.parent == isolated_user_data / "backups"
    assert info.path.name.endswith("-20261102-083000.sqlite3") and info.path.name.startswith("store-")
    assert info.taken_at == T0 and info.size_bytes == info.path.stat().st_size > 0
    assert _mode(info.path) == 0o600 and _mode(info.path.parent) == 0o700
    assert [each.name for each in info.path.parent.iterdir()] == [info.path.name]  # no temporary left
    with sqlite3.connect(info.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    restored = Workspace.open(str(info.path))
    try:
        assert _names(restored) == ["Acme Imports"]
    finally:
        restored.close()
    assert backups.list_backups(workspace) == [info]


def test_rotation_keeps_the_newest_n_of_its_own_backups_and_nothing_else(
    live: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    label = backups.backup_label(live.database.sqlite_path or Path())
    strangers = [
        folder / "laptop-20200101-000000.sqlite3",  # another database called laptop.sqlite3, elsewhere
        folder / f"{label}-notes.txt",
        folder / f"{label}-20200101-000000.sqlite3.bak",
        folder / f"{label}-20201399-000000.sqlite3",  # not a time
        folder / f"other-{label}-20200101-000000.sqlite3",
        folder / f"{label}-before-restore-20200101-000000.sqlite3",  # kept before a restore: never rotated
    ]
    for path in strangers:
        path.write_bytes(b"not ours to delete")
    taken = [
        backups.automatic_backup(live, keep=3, folder=folder, now=T0 + timedelta(hours=h)) for h in range(5)
    ]
    assert all(info is not None for info in taken)
    newest = [info.path for info in reversed(taken[2:]) if info is not None]
    automatic = [info.path for info in backups.list_backups(live, folder) if info.automatic]
    assert automatic == newest
    assert all(path.read_bytes() == b"not ours to delete" for path in strangers)

    backups.automatic_backup(live, keep=0, folder=folder, now=T0 + timedelta(days=1))  # at least one is kept
    assert len([info for info in backups.list_backups(live, folder) if info.automatic]) == 1
    assert all(path.exists() for path in strangers)


def test_two_databases_with_the_same_file_name_never_rotate_each_others_backups(
    live: Workspace, tmp_path: Path, isolated_user_data: Path
) -> None:
    isolated_user_data.mkdir(parents=True, exist_ok=True)
    default = Workspace.open(str(isolated_user_data / "laptop.sqlite3"))  # the user data folder: plain stem
    try:
        mine = backups.automatic_backup(default, keep=1, now=T0)
        theirs = backups.automatic_backup(live, keep=1, now=T0)
        backups.automatic_backup(live, keep=1, now=T0 + timedelta(minutes=1))
        assert mine is not None and theirs is not None
        assert mine.path.name == "laptop-20261102-083000.sqlite3"
        assert theirs.path.name.startswith("laptop-") and theirs.path.name != mine.path.name
        assert mine.path.exists() and not theirs.path.exists()
        assert [info.path for info in backups.list_backups(default)] == [mine.path]
    finally:
        default.close()


def test_a_copy_failing_its_integrity_check_is_deleted_with_a_clear_error(
    live: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "backups"
    earlier = backups.automatic_backup(live, keep=1, folder=folder, now=T0)
    assert earlier is not None
    monkeypatch.setattr(
        backups,
        "integrity_problems",
        lambda _path: ["*** in database main *** Page 7: btreeInitPage() error 11"],
    )
    with pytest.raises(StorageError) as caught:
        backups.automatic_backup(live, keep=1, folder=folder, now=T0 + timedelta(hours=1))
    message = str(caught.value)
    assert "laptop.sqlite3" in message and "integrity check" in message and "Page 7" in message
    assert "copy was deleted" in message and "not touched" in message
    assert sorted(path.name for path in folder.iterdir()) == [
        earlier.path.name
    ]  # the older one is still kept
    assert _names(live) == ["Acme Imports"]  # the live database works as before


def test_integrity_problems_reads_the_check_of_a_real_file(tmp_path: Path) -> None:
    good = tmp_path / "good.sqlite3"
    with sqlite3.connect(good) as db:
        db.execute("CREATE TABLE t (x)")
    assert backups.integrity_problems(good) == []
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    assert backups.integrity_problems(bad) != []


def test_no_backup_of_a_read_only_trip_pack_image(live: Workspace, tmp_path: Path) -> None:
    copy = tmp_path / "image.sqlite3"
    admin.backup(live, copy)
    pack = Workspace(Database.from_sqlite_image(copy.read_bytes(), name="Trip 2026-12-01"))
    try:
        assert backups.database_file(pack) is None
        assert backups.automatic_backup(pack, keep=7, folder=tmp_path / "b") is None
        assert backups.list_backups(pack) == []
    finally:
        pack.close()


def test_the_copy_kept_before_a_restore_is_listed_and_never_rotated(live: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    automatic = backups.automatic_backup(live, keep=1, folder=folder, now=T0)
    kept = backups.keep_before_restore(live, T0 + timedelta(hours=1), folder)
    assert kept == backups.before_restore_path(live, T0 + timedelta(hours=1), folder)
    assert kept.name.endswith("-before-restore-20261102-093000.sqlite3") and _mode(kept) == 0o600
    backups.automatic_backup(live, keep=1, folder=folder, now=T0 + timedelta(hours=2))
    listed = backups.list_backups(live, folder)
    assert [(info.taken_at, info.automatic) for info in listed] == [
        (T0 + timedelta(hours=2), True),
        (T0 + timedelta(hours=1), False),
    ]
    assert automatic is not None and not automatic.path.exists() and kept.exists()


def test_admin_backup_writes_a_file_readable_by_its_owner_only(live: Workspace, tmp_path: Path) -> None:
    written = admin.backup(live, tmp_path / "by-hand.sqlite3")
    assert _mode(written) == 0o600


def test_check_backup_and_taken_at(live: Workspace, tmp_path: Path) -> None:
    info = backups.automatic_backup(live, keep=1, folder=tmp_path / "b", now=T0)
    assert info is not None
    backups.check_backup(info.path)  # an undamaged AE Workbench database: no error
    assert backups.taken_at_of(info.path) == T0
    other = tmp_path / "notes.sqlite3"
    other.write_text("hello", encoding="utf-8")
    with pytest.raises(UserError, match="not an AE Workbench database"):
        backups.check_backup(other)
    assert abs(backups.taken_at_of(other) - datetime.now()) < timedelta(minutes=1)  # its modification time
