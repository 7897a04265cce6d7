"""An import killed in the middle (SIGKILL, no chance to clean up) leaves the database exactly as it was.

`python -m app import big.csv` runs on a copy of the demo database and is killed while it is reading the
file: on Linux the test watches how far the process has read the CSV (/proc/PID/fdinfo) and kills it between
50% and 90%, once that pass has run for a while (the content hash reads the whole file first, quickly).
Elsewhere it falls back to a few delays until one kill lands while the process is still running. Then the
database must pass `PRAGMA integrity_check` and `db check`, and `stats --json` must count what it counted
before.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.domain.identifiers import make_entry_number
from tests.e2e.clirunner import REPO_ROOT, Cli, assert_ok

pytestmark = pytest.mark.slow

LINES = 100_000
LINES_PER_ENTRY = 5
HEADER = (
    "Entry Summary Number",
    "Entry Type Code",
    "Importer Number",
    "Importer Name",
    "Port of Entry Code",
    "Entry Date",
    "Release Date",
    "Entry Summary Line Number",
    "HTS Number",
    "Country of Origin Code",
    "Manufacturer ID",
    "Line Goods Value Amount",
    "Line Duty Amount",
    "Mode of Transportation Code",
)
# Codes of the shared samples: every generated row is valid, so the import would write all of it.
IMPORTERS = (("20-584410200", "Acme Microdevices Inc."), ("94-317403600", "Sierra Steel Trading Corp."))
PORTS = ("1001", "2704", "3901", "5301")
HTS_NUMBERS = ("8471.30.0100", "8517.62.0090", "8542.31.0000", "8708.30.1090", "7208.51.0030")
COUNTRIES = ("CN", "DE", "JP", "MX", "VN")

KILL_FROM, KILL_UNTIL = 0.5, 0.9  # share of the file read
STEADY_SECONDS = 0.2  # the hash pass crosses the window in a few milliseconds; the import pass stays in it
POLL_SECONDS = 0.02
FALLBACK_DELAYS = (3.0, 2.0, 1.5, 1.0, 5.0)
START_TIMEOUT = 180.0


def _rows(rng: random.Random) -> Iterator[list[str]]:
    for serial in range(LINES // LINES_PER_ENTRY):
        entry_number = make_entry_number("K7X", serial).display
        importer, name = IMPORTERS[serial % len(IMPORTERS)]
        entered = date(2025, 3, 3) + timedelta(days=rng.randrange(500))
        port = rng.choice(PORTS)
        for line, hts in enumerate(HTS_NUMBERS, start=1):
            value = rng.randrange(100_000, 25_000_000)
            yield [
                entry_number,
                "01",
                importer,
                name,
                port,
                entered.strftime("%m/%d/%Y"),
                (entered + timedelta(days=2)).strftime("%m/%d/%Y"),
                str(line),
                hts,
                rng.choice(COUNTRIES),
                "",
                f"${value / 100:,.2f}",
                f"{value // 40 / 100:,.2f}",
                "40",
            ]


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big-import") / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(_rows(random.Random(5)))
    return path


def _copy_database(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        copy_from = source.with_name(source.name + suffix)
        copy_to = target.with_name(target.name + suffix)
        copy_to.unlink(missing_ok=True)
        if copy_from.exists():
            shutil.copyfile(copy_from, copy_to)


def _start_import(cli: Cli, csv_path: Path) -> subprocess.Popen[bytes]:
    assert cli.db is not None
    command = [sys.executable, "-m", "app", "import", str(csv_path), "--json", "--db", str(cli.db)]
    return subprocess.Popen(
        command, cwd=REPO_ROOT, env=cli.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _share_read(pid: int, csv_path: Path) -> float | None:
    """How far the process has read `csv_path` (0..1) through an open descriptor; None when none is open."""
    target = csv_path.resolve()
    size = csv_path.stat().st_size
    process = Path(f"/proc/{pid}")
    try:
        descriptors = [link.name for link in (process / "fd").iterdir()]
    except OSError:
        return None
    for fd in descriptors:
        try:
            if (process / "fd" / fd).readlink() != target:
                continue
            info = (process / "fdinfo" / fd).read_text(encoding="ascii")
            fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
            return int(fields["pos"].strip()) / size
        except (OSError, KeyError, ValueError):
            continue  # the descriptor closed under us
    return None


def _kill_while_reading(process: subprocess.Popen[bytes], csv_path: Path) -> float | None:
    """SIGKILL the process once it has steadily been between KILL_FROM and KILL_UNTIL of the file.

    Returns the share read at the kill, or None when the process ended (or took too long) first.
    """
    deadline = time.monotonic() + START_TIMEOUT
    entered_window: float | None = None
    while process.poll() is None and time.monotonic() < deadline:
        share = _share_read(process.pid, csv_path)
        if share is not None and KILL_FROM <= share <= KILL_UNTIL:
            now = time.monotonic()
            entered_window = entered_window or now
            if now - entered_window >= STEADY_SECONDS:
                process.send_signal(signal.SIGKILL)
                process.wait()
                return share
        else:
            entered_window = None
        time.sleep(POLL_SECONDS)
    return None


def _kill_after(process: subprocess.Popen[bytes], delay: float) -> bool:
    """SIGKILL after `delay` seconds if the process is still running; True when the kill landed."""
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def _integrity(db: Path) -> list[str]:
    connection = sqlite3.connect(db)
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()


def test_a_killed_import_leaves_the_database_as_it_was(
    demo_cli: Cli, demo_db: Path, big_csv: Path, tmp_path: Path
) -> None:
    before = assert_ok(demo_cli("stats", "--json")).json()
    pristine = tmp_path / "pristine.sqlite3"
    _copy_database(demo_db, pristine)

    can_watch = Path(f"/proc/{os.getpid()}/fdinfo").is_dir()
    attempts = (None,) * 3 if can_watch else FALLBACK_DELAYS
    landed = False
    for delay in attempts:
        _copy_database(pristine, demo_db)  # an attempt that ran to the end imported the file
        process = _start_import(demo_cli, big_csv)
        try:
            if delay is None:
                landed = _kill_while_reading(process, big_csv) is not None
            else:
                landed = _kill_after(process, delay)
        finally:
            _stop(process)
        if landed:
            assert process.returncode == -signal.SIGKILL
            break
    assert landed, "no kill landed while the import was running"

    assert _integrity(demo_db) == ["ok"]
    assert_ok(demo_cli("db", "check"))
    assert assert_ok(demo_cli("stats", "--json")).json() == before
