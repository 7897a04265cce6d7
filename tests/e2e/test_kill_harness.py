"""Crash safety: SIGKILL at random moments during demo generation, import, note editing and sync.

Each operation runs as a subprocess (`python -m app ...`, or a short script for note editing) on its own copy
of a prepared database, and is killed with SIGKILL after a random delay drawn within that operation's own
duration, measured once uninterrupted. The clock starts when the process has opened the database file
(/proc/PID/fd; elsewhere at the start of the process), so a kill lands in the work, not in Python's start-up.
A kill that comes too late (this run was quicker than the measured one) is retried with half the delay.

After every kill the database must open and pass the `db check` (SQLite integrity, foreign keys, schema at
head), and the operation must have happened completely or not at all:

- demo generation over an empty file (its migration included): no portfolio rows, or exactly the rows of an
  uninterrupted run (`stats --json` and the row count of every table);
- import of an extract: the counts before or after the import, with 0 or 1 import batch to match;
- note editing (adding notes and editing each, one transaction per change, as the workbench does): the notes
  present are a prefix of the intended list, each one whole (its search entry and its sync outbox record are
  there), and only the last one may still lack its edit;
- sync against the PostgreSQL test server: the push is on the server completely or not at all, and a re-run
  sync leaves laptop and server with the same notes, no duplicates and nothing pending.

The checks call the services behind `db check`, `stats` and `imports list` in this process: starting the
command three times would cost more than the trial. Every trial's moment comes from SEED, and every assertion
message names the seed, the trial and the delay, so a failure reproduces with the same numbers.
"""

from __future__ import annotations

import csv
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.clirunner import REPO_ROOT, Cli, KnownAccount, assert_ok
from tests.e2e.test_import_killed import HEADER, _copy_database, _rows, _stop
from tests.e2e.test_sync_killed import AE, _server_counts, _server_with_account

pytestmark = pytest.mark.slow

SEED = 20260507
TRIALS = 5  # per operation: 20 kills in all
EARLIEST, LATEST = 0.02, 0.95  # the kill's moment, as a share of the measured duration
RETRIES = 3
POLL_SECONDS = 0.005
START_TIMEOUT = 120.0
RUN_TIMEOUT = 300.0

IMPORT_LINES = 20_000
EDITED_NOTES = 600
NOTE_PREFIX = "Kill harness note "
SYNC_NOTES = 2_000
SYNC_EDITED = 100
FTS_SHADOW = re.compile(r"_fts_(config|content|data|docsize|idx)$")

# Note editing as the account view does it: one service call, one transaction, per added or edited note.
NOTE_EDITOR = f"""
import sys
from app.services.notes import add_note, update_note
from app.services.workspace import Workspace

ws = Workspace.open(sys.argv[1])
for number in range(int(sys.argv[3])):
    note = add_note(ws, sys.argv[2], "{NOTE_PREFIX}%04d" % number)
    update_note(ws, note.id, text=note.text + " (edited)", kind=note.kind, entry_number=None, hold_id=None,
                follow_up=None, include_in_summary=False, sensitive=False)
ws.close()
"""


# --- killing ------------------------------------------------------------------------------------------------


def _holds_open(pid: int, db: Path) -> bool:
    """Has process `pid` opened the database file (or its WAL)? The operation proper has begun then."""
    wanted = {db.resolve(), db.resolve().with_name(db.name + "-wal")}
    try:
        links = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for link in links:
        try:
            if link.readlink() in wanted:
                return True
        except OSError:
            continue  # closed under us
    return False


def _wait_for_start(process: subprocess.Popen[bytes], db: Path) -> float:
    """The moment `process` opened `db` (or now, where /proc cannot tell); monotonic seconds."""
    if Path(f"/proc/{os.getpid()}/fd").is_dir():
        deadline = time.monotonic() + START_TIMEOUT
        while process.poll() is None and time.monotonic() < deadline and not _holds_open(process.pid, db):
            time.sleep(POLL_SECONDS)
    return time.monotonic()


@dataclass(frozen=True)
class Operation:
    """One operation to kill: its name, its command line (`args` after the interpreter) and its database."""

    name: str
    args: Sequence[str]
    db: Path
    user: str = ""

    @property
    def cli(self) -> Cli:
        return Cli(self.db.parent / "data", self.db)

    def start(self, *, stderr: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
        env = self.cli.env({"AE_WORKBENCH_USER": self.user} if self.user else None)
        command = [sys.executable, *self.args]
        return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)

    def measure(self) -> float:
        """Run it to the end; the seconds from opening the database to the exit."""
        process = self.start(stderr=subprocess.PIPE)
        started = _wait_for_start(process, self.db)
        _, err = process.communicate(timeout=RUN_TIMEOUT)
        assert process.returncode == 0, f"{self.name} failed uninterrupted: {err.decode(errors='replace')}"
        return time.monotonic() - started

    def kill_after(self, delay: float) -> bool:
        """Start it and SIGKILL it `delay` seconds after it opened the database; False if it ended first."""
        process = self.start()
        try:
            _wait_for_start(process, self.db)
            try:
                process.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                return True
            return False
        finally:
            _stop(process)


def kill_once(operation: Operation, window: float, trial: int, restore: Callable[[], None]) -> str:
    """Kill `operation` at this trial's moment (earlier if it ended first); returns the trial's label."""
    # A string seed is hashed with SHA-512: the same draw in every run, unlike hash().
    delay = random.Random(f"{SEED}/{operation.name}/{trial}").uniform(EARLIEST, LATEST) * window
    for _ in range(RETRIES):
        restore()
        label = (
            f"seed {SEED}, {operation.name} trial {trial}: SIGKILL {delay:.3f} s into a {window:.3f} s run"
        )
        if operation.kill_after(delay):
            return label
        delay /= 2
    pytest.fail(f"{label}: the operation always ended before the kill")


def copy_of(source: Path, target: Path) -> Callable[[], None]:
    return lambda: _copy_database(source, target)


# --- reading the database back ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    window: float  # seconds, measured uninterrupted
    before: dict[str, Any]
    after: dict[str, Any]


def table_counts(db: Path) -> dict[str, int]:
    """Rows per table (the full-text indexes' internal tables left out: their layout is not their content)."""
    with closing(sqlite3.connect(db)) as connection:
        names = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        tables = [name for (name,) in names if not FTS_SHADOW.search(name)]
        return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}


def integrity(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as connection:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]


def settled(db: Path, label: str) -> dict[str, Any]:
    """What the user finds after the kill: the file opens (migrating it if the kill came before its schema
    was committed, as any command would), `db check` passes; and the counts: `stats`, the import batches and
    the rows of every table."""
    from app.services.admin import check
    from app.services.importing.batches import list_batches
    from app.services.stats import database_stats
    from app.services.workspace import Workspace

    try:
        workspace = Workspace.open(str(db))
    except Exception as exc:  # e.g. a half-migrated file: "table ... already exists"
        pytest.fail(f"{label}: the database no longer opens: {exc}")
    try:
        report = check(workspace)
        assert report.ok, f"{label}: db check: {report.problems}"
        stats, batches = database_stats(workspace), len(list_batches(workspace))
    finally:
        workspace.close()
    return {"stats": stats, "batches": batches, "tables": table_counts(db)}


# --- demo generation ----------------------------------------------------------------------------------------


def _demo(folder: Path) -> Operation:
    db = folder / "demo.sqlite3"
    args = ["-m", "app", "demo", "--scale", "small", "--seed", "7", "--force", "--db", str(db)]
    return Operation("demo", args, db)


def _empty_file(db: Path) -> Callable[[], None]:
    def restore() -> None:
        for suffix in ("", "-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        db.touch()

    return restore


@pytest.fixture(scope="module")
def demo_expected(tmp_path_factory: pytest.TempPathFactory) -> Expected:
    operation = _demo(tmp_path_factory.mktemp("demo-reference"))
    _empty_file(operation.db)()
    before = settled(operation.db, "an empty file")
    assert before["stats"]["accounts"] == 0
    _empty_file(operation.db)()
    window = operation.measure()
    return Expected(window, before, settled(operation.db, "an uninterrupted demo"))


@pytest.mark.parametrize("trial", range(TRIALS))
def test_demo_generation_killed_leaves_nothing_or_everything(
    demo_expected: Expected, tmp_path: Path, trial: int
) -> None:
    operation = _demo(tmp_path)
    label = kill_once(operation, demo_expected.window, trial, _empty_file(operation.db))
    assert integrity(operation.db) == ["ok"], label
    assert settled(operation.db, label) in (demo_expected.before, demo_expected.after), label


# --- import -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ES-003 entries extract with the samples' header, big enough to take a second or two to import."""
    path = tmp_path_factory.mktemp("kill-import") / "entries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(islice(_rows(random.Random(SEED)), IMPORT_LINES))
    return path


def _import(folder: Path, csv_path: Path) -> Operation:
    db = folder / "work.sqlite3"
    return Operation("import", ["-m", "app", "import", str(csv_path), "--json", "--db", str(db)], db)


@pytest.fixture(scope="module")
def import_expected(demo_template: Path, extract: Path, tmp_path_factory: pytest.TempPathFactory) -> Expected:
    operation = _import(tmp_path_factory.mktemp("import-reference"), extract)
    _copy_database(demo_template, operation.db)
    before = settled(operation.db, "the demo before the import")
    window = operation.measure()
    after = settled(operation.db, "an uninterrupted import")
    assert (before["batches"], after["batches"]) == (0, 1)
    return Expected(window, before, after)


@pytest.mark.parametrize("trial", range(TRIALS))
def test_import_killed_leaves_nothing_or_everything(
    import_expected: Expected, demo_template: Path, extract: Path, tmp_path: Path, trial: int
) -> None:
    operation = _import(tmp_path, extract)
    label = kill_once(operation, import_expected.window, trial, copy_of(demo_template, operation.db))
    assert integrity(operation.db) == ["ok"], label
    assert settled(operation.db, label) in (import_expected.before, import_expected.after), label


# --- note editing -------------------------------------------------------------------------------------------


def _note_editing(folder: Path, ior: str) -> Operation:
    db = folder / "notes.sqlite3"
    return Operation("note editing", ["-c", NOTE_EDITOR, str(db), ior, str(EDITED_NOTES)], db)


def check_note_prefix(db: Path, label: str) -> int:
    """The notes present are the first k of the intended list, each one whole; returns k."""
    with closing(sqlite3.connect(db)) as connection:
        notes = connection.execute(
            """
            SELECT n.text, f.text, o.row_key IS NOT NULL FROM notes n
            LEFT JOIN notes_fts_keys k ON k.note_id = n.id
            LEFT JOIN notes_fts f ON f.rowid = k.fts_rowid
            LEFT JOIN sync_outbox o ON o.table_name = 'notes' AND o.row_key = n.id
            WHERE n.text LIKE ? AND n.deleted_at IS NULL ORDER BY n.text
            """,
            (NOTE_PREFIX + "%",),
        ).fetchall()
    texts = [text for text, _, _ in notes]
    intended = [f"{NOTE_PREFIX}{number:04d} (edited)" for number in range(len(notes))]
    # Only the last note may have been caught between its insert and its edit.
    assert texts[:-1] == intended[:-1], f"{label}: not a prefix of the intended notes: {texts[:3]}…"
    assert not texts or texts[-1] in (intended[-1], intended[-1].removesuffix(" (edited)")), label
    half_made = [text for text, indexed, queued in notes if indexed != text or not queued]
    assert half_made == [], f"{label}: notes without their search entry or outbox record: {half_made}"
    return len(notes)


@pytest.fixture(scope="module")
def notes_expected(
    demo_template: Path, known_account: KnownAccount, tmp_path_factory: pytest.TempPathFactory
) -> Expected:
    operation = _note_editing(tmp_path_factory.mktemp("notes-reference"), known_account.ior)
    _copy_database(demo_template, operation.db)
    before = settled(operation.db, "the demo before the notes")
    assert before["tables"]["sync_outbox"] == 0  # a generated portfolio queues nothing to push
    window = operation.measure()
    assert check_note_prefix(operation.db, "an uninterrupted run") == EDITED_NOTES
    return Expected(window, before, settled(operation.db, "an uninterrupted run"))


@pytest.mark.parametrize("trial", range(TRIALS))
def test_note_editing_killed_leaves_each_note_whole_or_absent(
    notes_expected: Expected, demo_template: Path, known_account: KnownAccount, tmp_path: Path, trial: int
) -> None:
    operation = _note_editing(tmp_path, known_account.ior)
    label = kill_once(operation, notes_expected.window, trial, copy_of(demo_template, operation.db))
    assert integrity(operation.db) == ["ok"], label
    written = check_note_prefix(operation.db, label)
    assert settled(operation.db, label)["stats"]["notes"] == notes_expected.before["stats"]["notes"] + written


# --- sync ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncSetup:
    server_template: str  # the name of a database on the test server: the team server before the sync
    laptop_template: Path  # a laptop synced once, then SYNC_NOTES notes written on it
    window: float


def _clone_server(pg_server: Any, template: str) -> str:
    """A new server database copied from `template` (CREATE DATABASE … TEMPLATE); returns its URL."""
    import psycopg
    from psycopg import sql

    name = f"t_{uuid.uuid4().hex[:12]}"
    statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        sql.Identifier(name), sql.Identifier(template)
    )
    for _ in range(50):  # the template's last session may still be closing
        try:
            with psycopg.connect(pg_server.conninfo(), autocommit=True) as connection:
                connection.execute(statement)
            return str(pg_server.url(name))
        except psycopg.errors.ObjectInUse:
            time.sleep(0.1)
    raise AssertionError(f"the template database {template} stays in use")


def _laptop_with_pending_notes(path: Path, url: str, account: uuid.UUID) -> None:
    """Sync a new laptop once, then write SYNC_NOTES notes on it and edit the first SYNC_EDITED again."""
    from sqlalchemy import select, update

    from app.services.sync import sync
    from app.services.workspace import Workspace
    from app.store import orm
    from tests.store.factories import add_note

    laptop = Workspace.open(str(path))
    try:
        sync(laptop, url, user=AE)
        with laptop.database.session() as session:
            for number in range(SYNC_NOTES):
                add_note(session, account, f"note {number}", datetime(2026, 5, 6, 9))
        with laptop.database.engine.begin() as connection:
            note = orm.NoteRow
            first = select(note.id).order_by(note.id).limit(SYNC_EDITED).scalar_subquery()
            connection.execute(update(note).where(note.id.in_(first)).values(text=note.text + " (edited)"))
    finally:
        laptop.close()


def _sync(folder: Path, url: str) -> Operation:
    db = folder / "laptop.sqlite3"
    return Operation("sync", ["-m", "app", "sync", "--server", url, "--db", str(db)], db, user=AE)


@pytest.fixture(scope="module")
def sync_setup(pg_server: Any, tmp_path_factory: pytest.TempPathFactory) -> SyncSetup:
    folder = tmp_path_factory.mktemp("sync-reference")
    template_url = pg_server.create_database()
    account = _server_with_account(template_url)
    laptop = folder / "laptop-template.sqlite3"
    _laptop_with_pending_notes(laptop, template_url, account)
    template = template_url.rsplit("/", 1)[1]
    url = _clone_server(pg_server, template)
    operation = _sync(folder, url)
    _copy_database(laptop, operation.db)
    window = operation.measure()
    assert _server_counts(url) == (SYNC_NOTES, SYNC_EDITED)
    return SyncSetup(template, laptop, window)


def _laptop_counts(db: Path) -> tuple[int, int]:
    """(notes, records waiting in the outbox) on the laptop."""
    with closing(sqlite3.connect(db)) as connection:
        notes = connection.execute("SELECT count(*) FROM notes").fetchone()[0]
        pending = connection.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
    return notes, pending


def _server_duplicates(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            query = "SELECT count(*) - count(DISTINCT text) FROM notes WHERE deleted_at IS NULL"
            return int(connection.execute(text(query)).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("trial", range(TRIALS))
def test_sync_killed_then_run_again_matches_the_server(
    sync_setup: SyncSetup, pg_server: Any, tmp_path: Path, trial: int
) -> None:
    url = _clone_server(pg_server, sync_setup.server_template)
    operation = _sync(tmp_path, url)
    label = kill_once(operation, sync_setup.window, trial, copy_of(sync_setup.laptop_template, operation.db))
    assert integrity(operation.db) == ["ok"], label
    # The push is one server transaction; the laptop clears its outbox in its own, after the server's commit.
    assert _server_counts(url) in ((0, 0), (SYNC_NOTES, SYNC_EDITED)), label
    assert _laptop_counts(operation.db) in ((SYNC_NOTES, SYNC_NOTES), (SYNC_NOTES, 0)), label

    assert_ok(operation.cli("sync", "--server", url, "--json", env={"AE_WORKBENCH_USER": AE}))
    settled(operation.db, label)
    assert _server_counts(url) == (SYNC_NOTES, SYNC_EDITED), label
    assert _server_duplicates(url) == 0, label
    assert _laptop_counts(operation.db) == (SYNC_NOTES, 0), label
