"""A database another process is writing to: the command waits the busy timeout, then says so in one line
(exit 2, no traceback) and logs it. The wait is shortened with AE_WORKBENCH_BUSY_TIMEOUT_MS."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.clirunner import Cli, KnownAccount, assert_ok, assert_one_error

SHORT_WAIT = {"AE_WORKBENCH_BUSY_TIMEOUT_MS": "300"}

# Another program holding the write lock: a write transaction kept open until it is told to stop.
HOLD_WRITE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


@contextmanager
def writer_holding(path: Path) -> Iterator[None]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        yield
    finally:
        holder.communicate("done\n", timeout=30)


def test_a_write_to_a_busy_database_is_one_line_and_exit_2(
    demo_cli: Cli, demo_db: Path, known_account: KnownAccount
) -> None:
    with writer_holding(demo_db):
        result = demo_cli("note", "add", known_account.ior_hyphenated, "Called the broker.", env=SHORT_WAIT)
        # Reading is never blocked by a writer (WAL).
        assert_ok(demo_cli("notes", known_account.ior_hyphenated, "--json", env=SHORT_WAIT))
    line = assert_one_error(result, 2, contains="is busy")
    assert str(demo_db) in line and "another AE Workbench (or another program) is writing to it" in line
    log = (demo_cli.data_dir / "logs" / "ae-workbench.log").read_text(encoding="utf-8")
    assert " WARNING " in log and "is busy" in log and "Traceback" not in log
    # Once the other writer has finished, the same command succeeds.
    assert_ok(demo_cli("note", "add", known_account.ior_hyphenated, "Called the broker.", env=SHORT_WAIT))
