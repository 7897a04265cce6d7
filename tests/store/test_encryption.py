"""Encryption at rest (SQLCipher): store/encryption.py and services/encryption.py on a real SQLite file."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from app.domain.errors import DatabaseLockedError, StorageError
from app.services import admin, backups, encryption
from app.services.accounts import list_portfolio
from app.services.search import search
from app.services.workspace import Workspace
from app.store import encryption as store_encryption
from app.store.database import SQLITE_HEADER
from tests.store import factories as f
from tests.support.memory_keyring import MemoryKeyring

# A window's idle pooled connection: the file open in WAL mode, nothing written, until stdin closes.
HOLD_OPEN = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute("SELECT count(*) FROM accounts").fetchone()
print("open", flush=True)
sys.stdin.read()
"""
NOTE_TEXT = "Broker promised the Ytterbium invoice by Friday"


@pytest.fixture
def plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A closed plain database with one account, two entry lines and a note."""
    monkeypatch.delenv(encryption.PASSPHRASE_ENV_VAR, raising=False)
    path = tmp_path / "laptop.sqlite3"
    with Workspace.open(str(path)) as ws, ws.database.session() as s:
        account = f.add_account(s, "Acme Imports", ["20-584410200"])
        f.add_entry(s, account, 1, date(2026, 11, 2), lines=2)
        f.add_note(s, account, NOTE_TEXT, datetime(2026, 11, 2, 9, 0))
    return path


def _snapshot(ws: Workspace) -> tuple[list[str], list[str], dict[str, int]]:
    """Accounts, the search hits for the note, and the row count of every table."""
    names = [row.name for row in list_portfolio(ws)]
    hits = [hit.title for hit in search(ws, "ytterbium")]
    with ws.database.engine.connect() as connection:
        counts = store_encryption.table_counts(connection.connection.dbapi_connection)
    return names, hits, counts


def test_encrypted_file_has_no_sqlite_header_and_keeps_every_row(plain: Path) -> None:
    with Workspace.open(str(plain)) as ws:
        before = _snapshot(ws)
    assert before[1] and before[2]["notes"] == 1
    encryption.encrypt(str(plain), "correct horse")
    assert plain.read_bytes()[:16] != SQLITE_HEADER
    assert store_encryption.is_encrypted(plain) and encryption.is_encrypted(str(plain))
    assert stat.S_IMODE(plain.stat().st_mode) == 0o600
    assert [p.name for p in plain.parent.iterdir()] == [plain.name]  # no copy left behind
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(plain).execute("SELECT count(*) FROM sqlite_master").fetchone()
    with Workspace.open(str(plain), passphrase="correct horse") as ws:
        assert ws.encrypted
        assert _snapshot(ws) == before
    encryption.decrypt(str(plain), "correct horse")
    assert plain.read_bytes()[:16] == SQLITE_HEADER
    with Workspace.open(str(plain)) as ws:
        assert not ws.encrypted
        assert _snapshot(ws) == before


def test_no_passphrase_and_wrong_passphrase_are_one_clear_message(plain: Path) -> None:
    encryption.encrypt(str(plain), "s3cret 'quoted\"")
    with pytest.raises(encryption.PassphraseNeededError) as needed:
        Workspace.open(str(plain))
    assert str(needed.value) == (
        f"{plain} is encrypted: give its passphrase (AE_WORKBENCH_PASSPHRASE, the keyring, or the prompt)"
    )
    with pytest.raises(encryption.WrongPassphraseError) as wrong:
        Workspace.open(str(plain), passphrase="guess")
    assert str(wrong.value) == f"wrong passphrase for {plain}"
    with pytest.raises(encryption.WrongPassphraseError):
        Workspace.open(str(plain), passphrase="guess", read_only=True)
    with Workspace.open(str(plain), passphrase="s3cret 'quoted\"", read_only=True) as ws:
        assert [row.name for row in list_portfolio(ws)] == ["Acme Imports"]


def test_change_passphrase(plain: Path, memory_keyring: MemoryKeyring) -> None:
    encryption.encrypt(str(plain), "old one", remember=True)
    assert encryption.remembered_passphrase(plain) == "old one"
    with pytest.raises(encryption.WrongPassphraseError):
        encryption.change_passphrase(str(plain), "not it", "new one")
    encryption.change_passphrase(str(plain), "old one", "new one")
    assert encryption.remembered_passphrase(plain) == "new one"  # the keyring follows
    assert encryption.passphrase_matches(str(plain), "new one")
    assert not encryption.passphrase_matches(str(plain), "old one")
    with Workspace.open(str(plain), passphrase=encryption.find_passphrase(str(plain))) as ws:
        assert encryption.passphrase_matches(ws, "new one") and not encryption.passphrase_matches(ws, "x")
    encryption.decrypt(str(plain), "new one")
    assert encryption.remembered_passphrase(plain) is None
    assert not encryption.passphrase_matches(str(plain), "new one")  # not encrypted: nothing to match


def test_passphrase_comes_from_argument_then_environment_then_keyring(
    plain: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert encryption.find_passphrase(str(plain)) is None
    encryption.remember_passphrase(plain, "from keyring")
    assert encryption.find_passphrase(str(plain)) == "from keyring"
    monkeypatch.setenv(encryption.PASSPHRASE_ENV_VAR, "from env")
    assert encryption.find_passphrase(str(plain)) == "from env"
    assert encryption.find_passphrase(str(plain), "given") == "given"


@pytest.mark.parametrize("step", ["integrity", "counts"])
def test_a_failed_verify_leaves_the_original_byte_identical(
    plain: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    original = plain.read_bytes()
    if step == "integrity":

        def broken_copy(_original: object, copy: Path, key: str | None) -> None:
            raise StorageError("the converted copy failed its integrity check (test); nothing changed")

        monkeypatch.setattr(store_encryption, "verify_copy", broken_copy)
    else:
        real_counts = store_encryption.table_counts
        calls: list[int] = []

        def one_row_short(connection: object) -> dict[str, int]:
            counts = real_counts(connection)
            calls.append(1)
            if len(calls) == 2:  # the copy's counts
                counts["notes"] -= 1
            return counts

        monkeypatch.setattr(store_encryption, "table_counts", one_row_short)
    with pytest.raises(StorageError, match="nothing changed"):
        encryption.encrypt(str(plain), "pw")
    assert plain.read_bytes() == original
    assert sorted(p.name for p in plain.parent.iterdir()) == [plain.name]


def test_conversion_is_refused_while_another_program_has_the_database_open(
    plain: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process: SQLite's locks are POSIX locks, which never conflict within one process.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(plain)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        monkeypatch.setenv("AE_WORKBENCH_BUSY_TIMEOUT_MS", "100")
        original = plain.read_bytes()
        with pytest.raises(DatabaseLockedError, match="busy"):
            encryption.encrypt(str(plain), "pw")
        assert plain.read_bytes() == original
        assert not store_encryption.is_encrypted(plain)
    finally:
        holder.communicate("")
    encryption.encrypt(str(plain), "pw")  # once it has closed the file
    assert store_encryption.is_encrypted(plain)


def test_automatic_backup_of_an_encrypted_database_is_encrypted_with_the_same_passphrase(
    plain: Path, tmp_path: Path
) -> None:
    encryption.encrypt(str(plain), "pw")
    with Workspace.open(str(plain), passphrase="pw") as ws:
        info = backups.automatic_backup(ws, keep=3, folder=tmp_path / "backups")
        assert info is not None
        assert backups.list_backups(ws, tmp_path / "backups") == [info]
    assert info.path.read_bytes()[:16] != SQLITE_HEADER
    with pytest.raises(encryption.PassphraseNeededError):
        Workspace.open(str(info.path), read_only=True)
    with Workspace.open(str(info.path), passphrase="pw", read_only=True) as copy:
        assert [row.name for row in list_portfolio(copy)] == ["Acme Imports"]
    backups.check_backup(info.path, "pw")
    with pytest.raises(encryption.WrongPassphraseError):
        backups.check_backup(info.path, "not it")


def test_restore_of_an_encrypted_backup_gives_the_encrypted_database_back(
    plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encryption.encrypt(str(plain), "pw")
    saved = tmp_path / "saved.sqlite3"
    with Workspace.open(str(plain), passphrase="pw") as ws:
        admin.backup(ws, saved)
        with ws.database.session() as s:
            f.add_account(s, "Written Later", ["20-584410201"])
    monkeypatch.setenv(encryption.PASSPHRASE_ENV_VAR, "pw")
    admin.restore(str(plain), saved)
    assert store_encryption.is_encrypted(plain)
    with Workspace.open(str(plain), passphrase="pw") as ws:
        assert [row.name for row in list_portfolio(ws)] == ["Acme Imports"]
