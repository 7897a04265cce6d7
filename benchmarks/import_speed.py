"""Time importing a 1M-line ES-003-style entries CSV against a bare sqlite3 loop over the same rows.

    .venv/bin/python benchmarks/import_speed.py [--rows 1000000] [--scratch DIR]

Generates the CSV (the columns of the shared entries sample; 5 lines per entry, valid entry numbers with
check digits, five importers the import creates as accounts), then in the same run:

- bare: a fresh migrated database, the file read with the `csv` module and its rows inserted into
  `entry_lines` (same table, same indexes) by one `sqlite3` executemany in one transaction (foreign keys
  off, as a plain `sqlite3` connection has them: the bare loop writes no entries for the lines to belong to);
- import: `import_file` on another fresh migrated database, in a child process that reports its own peak
  resident memory (the whole process: interpreter, libraries and the import).

Prints one JSON object: {"rows", "bare_seconds", "import_seconds", "ratio" (bare / import; target >= 0.5),
"peak_rss_mb" (target <= 500), ...}. `make bench` (run.py) runs it at the full size.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.domain.identifiers import make_entry_number

FULL_ROWS = 1_000_000
LINES_PER_ENTRY = 5
TARGET_RATIO = 0.5
TARGET_PEAK_MB = 500.0

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
# Real codes from the shared samples (tests/data/samples/entries.csv), so every row passes validation.
IMPORTERS = (
    ("20-584410200", "Acme Microdevices Inc."),
    ("41-792897400", "Great Lakes Auto Parts Co."),
    ("52-213903200", "Harbor Pharma Labs LLC"),
    ("75-181331200", "Rio Grande Machinery S.A. de C.V. (US)"),
    ("94-317403600", "Sierra Steel Trading Corp."),
)
PORTS = ("1001", "2304", "2704", "2709", "2720", "3901", "4601", "5301")
HTS_NUMBERS = (
    "2933.99.8290",
    "3004.90.9290",
    "7208.51.0030",
    "7306.30.6000",
    "8429.52.0000",
    "8471.30.0100",
    "8481.80.4000",
    "8517.62.0090",
    "8542.31.0000",
    "8708.30.1090",
    "8708.99.4900",
)
COUNTRIES = ("CN", "DE", "IN", "JP", "KR", "MX", "TW", "VN")
MODES = ("11", "30", "40")
FILER_CODE = "K7X"
FIRST_DAY = date(2025, 1, 2)
DAYS = 600  # entry dates up to late August 2026: never in the future


def write_entries_csv(path: Path, rows: int, *, seed: int = 7) -> int:
    """Write an entries extract of `rows` lines (5 per entry; the last entry may have fewer); returns rows."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for first in range(0, rows, LINES_PER_ENTRY):
            writer.writerows(_entry_lines(rng, first // LINES_PER_ENTRY, min(LINES_PER_ENTRY, rows - first)))
    return rows


def _entry_lines(rng: random.Random, serial: int, lines: int) -> Iterator[list[str]]:
    entry_number = make_entry_number(FILER_CODE, serial).display
    importer, name = IMPORTERS[serial % len(IMPORTERS)]
    entered = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    released = entered + timedelta(days=rng.randrange(0, 4))
    port, mode = rng.choice(PORTS), rng.choice(MODES)
    for line, hts in enumerate(rng.sample(HTS_NUMBERS, lines), start=1):
        value = rng.randrange(1_000_00, 250_000_00)
        duty = value * rng.choice((0, 0, 25, 39, 50)) // 1000
        yield [
            entry_number,
            "01",
            importer,
            name,
            port,
            entered.strftime("%m/%d/%Y"),
            released.strftime("%m/%d/%Y"),
            str(line),
            hts,
            rng.choice(COUNTRIES),
            "",
            f"${value / 100:,.2f}",
            f"{duty / 100:,.2f}",
            mode,
        ]


def fresh_database(path: Path) -> Path:
    """A new SQLite file with the schema and reference data of the current migrations."""
    from app.services.workspace import Workspace

    Workspace.open(str(path)).close()
    return path


# --- bare ---------------------------------------------------------------------------------------------------


def _cents(text: str) -> int:
    return round(float(text.replace("$", "").replace(",", "")) * 100)


def _line_tuples(csv_path: Path) -> Iterator[tuple[str, int, str, str, int, int]]:
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            yield (row[0].replace("-", ""), int(row[7]), row[9], row[10], _cents(row[11]), _cents(row[12]))


def bare_insert(db_path: Path, csv_path: Path) -> float:
    """Seconds to read the CSV and executemany its rows into `entry_lines`, committed, as the app connects."""
    connection = sqlite3.connect(db_path, isolation_level=None)
    try:
        # What the app's connections use (WAL mode is stored in the file itself).
        connection.execute("PRAGMA synchronous=NORMAL")
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO entry_lines (entry_number, line_number, country_of_origin, mid, spi,"
            " entered_value_cents, duty_cents) VALUES (?, ?, ?, ?, '', ?, ?)",
            _line_tuples(csv_path),
        )
        connection.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        connection.close()


# --- import (child process) ---------------------------------------------------------------------------------


def timed_import(db_path: Path, csv_path: Path) -> dict[str, Any]:
    """Run `import_file` in a child process; its seconds, its peak RSS and the import's counts."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child-import", str(db_path), str(csv_path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the import child failed ({done.returncode}):\n{done.stderr[-4000:]}")
    child: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return child


def _child_import(db_path: Path, csv_path: Path) -> None:
    from app.services.importing.run import import_file
    from app.services.workspace import Workspace

    ws = Workspace.open(str(db_path))
    try:
        started = time.perf_counter()
        result = import_file(ws, csv_path, error_workbook=False)
        seconds = time.perf_counter() - started
    finally:
        ws.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    peak_kib = peak / 1024 if sys.platform == "darwin" else peak
    summary = {key: value for key, value in result.to_json().items() if key not in ("errors", "warnings")}
    summary["error_count"] = result.error_count
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_kib / 1024, "result": summary}))


# --- the run ------------------------------------------------------------------------------------------------


def measure(rows: int = FULL_ROWS, scratch: Path | None = None) -> dict[str, Any]:
    """Generate the file, time the bare loop and the import on fresh databases, in this one run."""
    with tempfile.TemporaryDirectory(dir=scratch, prefix="import-speed-") as temp:
        folder = Path(temp)
        csv_path = folder / "entries.csv"
        started = time.perf_counter()
        write_entries_csv(csv_path, rows)
        generate_s = time.perf_counter() - started
        file_mb = csv_path.stat().st_size / 1e6
        bare_s = bare_insert(fresh_database(folder / "bare.sqlite3"), csv_path)
        child = timed_import(fresh_database(folder / "import.sqlite3"), csv_path)
    import_s = child["seconds"]
    ratio = bare_s / import_s
    imported = child["result"]
    complete = imported["error_count"] == 0 and imported["inserted"] + imported["updated"] > 0
    return {
        "rows": rows,
        "file_mb": round(file_mb, 1),
        "generate_seconds": round(generate_s, 1),
        "bare_seconds": round(bare_s, 2),
        "import_seconds": round(import_s, 2),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "peak_rss_mb": round(child["peak_rss_mb"], 1),
        "target_peak_mb": TARGET_PEAK_MB,
        # A fast import that rejected the file proves nothing: the rows must have gone in.
        "within_target": complete and ratio >= TARGET_RATIO and child["peak_rss_mb"] <= TARGET_PEAK_MB,
        "import": imported,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=FULL_ROWS)
    parser.add_argument("--scratch", type=Path, help="folder for the scratch files (default: system temp)")
    parser.add_argument("--child-import", nargs=2, metavar=("DB", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_import:
        _child_import(Path(args.child_import[0]), Path(args.child_import[1]))
        return 0
    print(json.dumps(measure(args.rows, args.scratch)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
