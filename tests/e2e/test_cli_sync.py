"""`sync --server URL` and `conflicts` end to end: two laptops and the PostgreSQL server the run starts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.services.workspace import Workspace
from app.store import orm
from tests.e2e.clirunner import Cli, assert_ok, assert_one_error
from tests.store.factories import add_account

pytestmark = pytest.mark.postgres
AE = "Dana Reyes"


def test_two_laptops_notes_both_kept_and_a_risk_edit_conflicts_on_the_second(
    cli: Cli, tmp_path: Path, pg_server: Any
) -> None:
    url = str(pg_server.create_database())
    server = Workspace.open(url)
    try:
        with server.database.session() as session:
            dana = orm.AccountExecutiveRow(name=AE, center_code="ELEC")
            session.add(dana)
            session.flush()
            account = add_account(session, "Acme Microdevices Inc.", ["20-584410200"])
            session.get(orm.AccountRow, account).ae_id = dana.id  # type: ignore[union-attr]
            session.commit()
    finally:
        server.close()
    laptops = [cli.on(tmp_path / "a.sqlite3"), cli.on(tmp_path / "b.sqlite3")]
    env = {"AE_WORKBENCH_USER": AE}
    for laptop in laptops:
        assert assert_ok(laptop("sync", "--server", url, "--json", env=env)).json()["conflicts"] == 0
    for number, laptop in enumerate(laptops):
        assert_ok(laptop("note", "add", "20-584410200", f"call {number}", "--kind", "call", env=env))
    for _round in range(2):
        for laptop in laptops:
            result = assert_ok(laptop("sync", "--server", url, "--json", env=env)).json()
            assert set(result) == {"pushed", "pulled", "conflicts"} and result["conflicts"] == 0
    for laptop in laptops:
        notes = assert_ok(laptop("notes", "20-584410200", "--json")).json()
        assert sorted(note["text"] for note in notes) == ["call 0", "call 1"]
        assert assert_ok(laptop("conflicts", "--json")).json() == []

    for laptop, risk in zip(laptops, ("high", "low"), strict=True):
        ws = Workspace.open(str(laptop.db))
        try:
            with ws.database.session() as session:
                session.get(orm.AccountRow, account).risk_segment = risk  # type: ignore[union-attr]
                session.commit()
        finally:
            ws.close()
    assert assert_ok(laptops[0]("sync", "--server", url, "--json", env=env)).json()["conflicts"] == 0
    assert assert_ok(laptops[1]("sync", "--server", url, "--json", env=env)).json()["conflicts"] == 1
    [conflict] = assert_ok(laptops[1]("conflicts", "--json")).json()
    assert (conflict["table"], conflict["field"], conflict["mine"], conflict["theirs"]) == (
        "accounts",
        "risk_segment",
        "low",
        "high",
    )
    listed = assert_ok(laptops[1]("conflicts")).stdout
    assert "risk_segment" in listed and "low" in listed and "high" in listed
    assert datetime.fromisoformat(conflict["detected_at"])


def test_sync_against_a_sqlite_file_is_one_clear_error(cli: Cli, tmp_path: Path) -> None:
    laptop = cli.on(tmp_path / "a.sqlite3")
    result = laptop("sync", "--server", f"sqlite:///{tmp_path / 'not-a-server.sqlite3'}")
    assert_one_error(result, 2, contains="PostgreSQL")
