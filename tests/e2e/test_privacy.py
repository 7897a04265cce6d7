"""Privacy (issue "Protect the data"): every file the workbench creates is its owner's only; SSN-based
importer numbers never appear whole in a report; a sensitive note's words stay out of every report."""

from __future__ import annotations

import re
import sqlite3
import stat
import subprocess
import uuid
from pathlib import Path

from openpyxl import load_workbook

from tests.e2e.clirunner import Cli, KnownAccount, assert_ok

SECRET = "Informant says the owner moves goods through Laredo"
WHOLE_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_reports_and_backups_are_readable_by_their_owner_only(
    cli: Cli, tmp_path: Path, known_account: KnownAccount
) -> None:
    database = tmp_path / "fresh.sqlite3"
    on_db = cli.on(database)
    assert_ok(on_db("demo", "--scale", "small", "--seed", "7"))
    made = [database, *(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))]
    outputs = {
        "portfolio.xlsx": ("report", "portfolio", "--out"),
        "holds.pdf": ("report", "holds", "--out"),
        "account.pdf": ("report", "account", known_account.id, "--out"),
        "compliance.xlsx": ("report", "compliance", known_account.id, "--out"),
    }
    for name, command in outputs.items():
        assert_ok(on_db(*command, str(tmp_path / name)))
    assert_ok(on_db("backup", str(tmp_path / "copy.sqlite3")))
    made += [tmp_path / name for name in [*outputs, "copy.sqlite3"]]
    for path in made:
        if path.exists():
            assert mode(path) == 0o600, f"{path.name} is {oct(mode(path))}"


def test_ssns_are_masked_and_sensitive_notes_left_out_of_every_report(
    demo_cli: Cli, demo_db: Path, tmp_path: Path
) -> None:
    account_id, number = _ssn_account(demo_db)
    assert_ok(demo_cli("note", "add", number, SECRET))
    with sqlite3.connect(demo_db) as connection:
        connection.execute("UPDATE notes SET sensitive = 1, include_in_summary = 1 WHERE text = ?", (SECRET,))
    texts: dict[str, str] = {}
    for kind, extra in (
        ("portfolio", ()),
        ("holds", ()),
        ("account", (account_id,)),
        ("compliance", (account_id,)),
    ):
        for suffix in (".pdf", ".xlsx") if kind != "account" else (".pdf",):
            out = tmp_path / f"{kind}{suffix}"
            assert_ok(demo_cli("report", kind, *extra, "--out", str(out)))
            texts[out.name] = _text_of(out)
    for name, text in texts.items():
        assert SECRET not in text, f"the sensitive note is in {name}"
        assert not WHOLE_SSN.search(text), f"a whole SSN-based number is in {name}"
    assert "***-**-" in texts["account.pdf"]


def _ssn_account(database: Path) -> tuple[str, str]:
    """An account with an SSN-based importer number (the demo has some), and that number as stored."""
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT a.id, i.normalized FROM accounts a JOIN importer_numbers i ON i.account_id = a.id "
            "WHERE i.ior_type = 'SSN' AND a.deleted_at IS NULL LIMIT 1"
        ).fetchone()
    assert row is not None, "the demo portfolio has no SSN-based importer number"
    raw = row[0]
    account = uuid.UUID(bytes=raw) if isinstance(raw, bytes) else uuid.UUID(str(raw))
    return str(account), row[1]


def _text_of(path: Path) -> str:
    if path.suffix == ".pdf":
        done = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        )
        return done.stdout
    book = load_workbook(path, read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value
    )
