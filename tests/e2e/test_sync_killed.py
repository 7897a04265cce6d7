"""A sync killed at any moment (SIGKILL, in a subprocess) and run again ends exactly like an unbroken one:
no duplicate and no lost change on the server, and an empty outbox on the laptop."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from app.services.sync import sync, sync_status
from app.services.workspace import Workspace
from app.store import orm
from tests.e2e.clirunner import REPO_ROOT, Cli, assert_ok
from tests.store.factories import add_account, add_note

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
AE = "Dana Reyes"
NOTES = 3_000


def _server_with_account(url: str) -> Any:
    ws = Workspace.open(url)
    try:
        with ws.database.session() as session:
            dana = orm.AccountExecutiveRow(name=AE, center_code="ELEC")
            session.add(dana)
            session.flush()
            account = add_account(session, "Acme Microdevices Inc.", ["20-584410200"])
            session.get(orm.AccountRow, account).ae_id = dana.id  # type: ignore[union-attr]
            session.commit()
            return account
    finally:
        ws.close()


def _server_counts(url: str) -> tuple[int, int]:
    ws = Workspace.open(url)
    try:
        with ws.database.session() as session:
            notes = session.scalar(select(func.count()).select_from(orm.NoteRow)) or 0
            edited = select(func.count()).select_from(orm.NoteRow).where(orm.NoteRow.text.like("%(edited)"))
            return notes, session.scalar(edited) or 0
    finally:
        ws.close()


@pytest.mark.parametrize("kill_after_s", [0.2, 0.8, 1.6, 3.0])
def test_a_sync_killed_and_run_again_loses_and_duplicates_nothing(
    cli: Cli, tmp_path: Path, pg_server: Any, kill_after_s: float
) -> None:
    url = str(pg_server.create_database())
    account = _server_with_account(url)
    laptop_path = tmp_path / "laptop.sqlite3"
    laptop = Workspace.open(str(laptop_path))
    try:
        sync(laptop, url, user=AE)
        with laptop.database.session() as session:
            for number in range(NOTES):
                add_note(session, account, f"note {number}", datetime(2026, 5, 6, 9))
            session.commit()
        with laptop.database.engine.begin() as connection:  # and edit the first hundred again: updates too
            notes = orm.NoteRow.__table__
            first = select(notes.c.id).order_by(notes.c.id).limit(100).scalar_subquery()
            connection.execute(
                update(notes).where(notes.c.id.in_(first)).values(text=notes.c.text + " (edited)")
            )
    finally:
        laptop.close()

    env = cli.env({"AE_WORKBENCH_USER": AE})
    command = [sys.executable, "-m", "app", "sync", "--server", url, "--db", str(laptop_path)]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        process.wait(timeout=kill_after_s)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    assert_ok(cli.on(laptop_path)("sync", "--server", url, "--json", env={"AE_WORKBENCH_USER": AE}))
    assert _server_counts(url) == (NOTES, 100)
    laptop = Workspace.open(str(laptop_path))
    try:
        status = sync_status(laptop)
        assert (status.pending, status.conflicts) == (0, 0)
        with laptop.database.session() as session:
            assert session.scalar(select(func.count()).select_from(orm.NoteRow)) == NOTES
    finally:
        laptop.close()
