"""`ae-workbench db encrypt|decrypt|passphrase`, and every other command on an encrypted `--db`."""

from __future__ import annotations

from pathlib import Path

from app.store.database import SQLITE_HEADER
from tests.e2e.clirunner import Cli, KnownAccount, assert_ok, assert_one_error

# No test may reach the machine's keyring: the subprocess gets keyring's "no keyring here" backend.
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _env(passphrase: str | None = None, new: str | None = None) -> dict[str, str]:
    env = dict(NO_KEYRING)
    if passphrase is not None:
        env["AE_WORKBENCH_PASSPHRASE"] = passphrase
    if new is not None:
        env["AE_WORKBENCH_NEW_PASSPHRASE"] = new
    return env


def test_encrypt_use_change_and_decrypt(demo_cli: Cli, demo_db: Path, known_account: KnownAccount) -> None:
    before = assert_ok(demo_cli("stats", "--json", env=NO_KEYRING)).json()
    notes = assert_ok(demo_cli("notes", known_account.ior, "--json", env=NO_KEYRING)).json()
    word = notes[0]["text"].split()[0]
    hits = assert_ok(demo_cli("search", word, "--json", env=NO_KEYRING)).json()

    encrypted = assert_ok(demo_cli("db", "encrypt", env=_env("first secret")))
    assert "encrypted" in encrypted.stdout
    assert demo_db.read_bytes()[:16] != SQLITE_HEADER

    assert assert_ok(demo_cli("stats", "--json", env=_env("first secret"))).json() == before
    again = assert_ok(demo_cli("notes", known_account.ior, "--json", env=_env("first secret"))).json()
    assert again == notes
    assert assert_ok(demo_cli("search", word, "--json", env=_env("first secret"))).json() == hits
    assert assert_ok(demo_cli("db", "check", env=_env("first secret"))).stdout == "ok\n"

    assert_ok(demo_cli("db", "passphrase", env=_env("first secret", new="second secret")))
    assert_one_error(demo_cli("stats", env=_env("first secret")), 2, contains="wrong passphrase for")
    assert assert_ok(demo_cli("stats", "--json", env=_env("second secret"))).json() == before

    assert_ok(demo_cli("db", "decrypt", env=_env("second secret")))
    assert demo_db.read_bytes()[:16] == SQLITE_HEADER
    assert assert_ok(demo_cli("stats", "--json", env=NO_KEYRING)).json() == before


def test_an_encrypted_database_without_or_with_a_wrong_passphrase(demo_cli: Cli, demo_db: Path) -> None:
    assert_ok(demo_cli("db", "encrypt", env=_env("right")))
    original = demo_db.read_bytes()
    line = assert_one_error(
        demo_cli("stats", env=NO_KEYRING), 2, contains="is encrypted: give its passphrase"
    )
    assert str(demo_db) in line
    line = assert_one_error(demo_cli("stats", env=_env("wrong")), 2)
    assert line == f"error: wrong passphrase for {demo_db}"
    assert_one_error(demo_cli("db", "decrypt", env=_env("wrong")), 2, contains="wrong passphrase for")
    assert_one_error(demo_cli("db", "decrypt", env=NO_KEYRING), 2, contains="no passphrase")
    assert_one_error(demo_cli("db", "encrypt", env=_env("right")), 2, contains="already encrypted")
    assert demo_db.read_bytes() == original


def test_encrypt_without_a_passphrase_or_a_terminal_is_one_usage_line(demo_cli: Cli, demo_db: Path) -> None:
    original = demo_db.read_bytes()
    assert_one_error(demo_cli("db", "encrypt", env=NO_KEYRING), 2, contains="AE_WORKBENCH_PASSPHRASE")
    assert_one_error(demo_cli("db", "decrypt", env=_env("x")), 2, contains="is not encrypted")
    assert demo_db.read_bytes() == original
