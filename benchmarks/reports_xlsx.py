"""Time the workbook writer against a bare openpyxl write-only loop over the same 100,000 rows.

    .venv/bin/python benchmarks/reports_xlsx.py [--rows 100000] [--repeat 3]

Prints one JSON object: {"rows": ..., "bare_s": ..., "writer_s": ..., "ratio": ...} (best of `--repeat`
runs each). The target is a ratio of at most 1.2: typing, number formats, row fills and the formula guard
may cost little on top of what openpyxl itself spends per cell.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from app.reports.dataset import Column, ReportDataset, RowStyle, Section, Table, Value, ValueKind
from app.reports.xlsx import write_xlsx

TARGET_RATIO = 1.2
COLUMNS = (
    Column("entry", "Entry number", ValueKind.TEXT, 16),
    Column("line", "Line", ValueKind.INTEGER, 6),
    Column("hts", "HTS number", ValueKind.TEXT, 14),
    Column("description", "Description", ValueKind.TEXT, 40),
    Column("value", "Entered value", ValueKind.MONEY, 14),
    Column("duty", "Duty", ValueKind.MONEY, 12),
    Column("rate", "Duty rate", ValueKind.PERCENT, 9),
    Column("days", "Hold days", ValueKind.DECIMAL, 9),
    Column("entry_date", "Entry date", ValueKind.DATE, 12),
    Column("placed_at", "Hold placed", ValueKind.DATETIME, 16),
)
DESCRIPTIONS = ("Steel bolts, zinc plated", "Cotton T-shirts, knitted", "-20% promo lot", "Lithium-ion cells")


def make_rows(count: int, seed: int = 7) -> tuple[list[list[Value]], list[RowStyle]]:
    rng = random.Random(seed)
    start_day = date(2025, 1, 1)
    start_time = datetime(2025, 1, 1, 8, 0)
    rows: list[list[Value]] = []
    styles: list[RowStyle] = []
    for number in range(count):
        value = rng.randrange(10_000, 50_000_000)
        rows.append(
            [
                f"ABC-{1_000_000 + number // 5:07d}-{number % 10}",
                number % 5 + 1,
                f"{rng.randrange(1000, 9999)}.{rng.randrange(10, 99)}.{rng.randrange(1000, 9999)}",
                DESCRIPTIONS[number % len(DESCRIPTIONS)],
                value,
                value // 20,
                rng.choice((0.0, 0.025, 0.05, 0.125)),
                rng.randrange(0, 400) / 10,
                start_day + timedelta(days=number % 700),
                start_time + timedelta(minutes=number * 7),
            ]
        )
        styles.append(
            RowStyle.ALERT if number % 50 == 0 else RowStyle.WARNING if number % 20 == 0 else RowStyle.NORMAL
        )
    return rows, styles


def bare_write(rows: Sequence[Sequence[Value]], out: Path) -> None:
    """What openpyxl alone costs: the same values, appended as they are, no styles."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Lines")
    sheet.append([column.heading for column in COLUMNS])
    for row in rows:
        sheet.append(list(row))
    workbook.save(out)


def writer_write(rows: Sequence[Sequence[Value]], styles: Sequence[RowStyle], out: Path) -> None:
    table = Table("Entry lines", COLUMNS, rows, row_styles=styles, sheet="Lines")
    dataset = ReportDataset(
        kind="account",
        title="Account summary",
        subtitle="Benchmark",
        sections=(Section("Lines", (table,)),),
        generated_at=datetime(2026, 1, 5, 15, 0),
        data_as_of=datetime(2026, 1, 5, 14, 0),
    )
    write_xlsx(dataset, out)


def best_of(repeat: int, run: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(row_count: int, repeat: int) -> dict[str, float | int | bool]:
    """The writer against a bare write-only loop over the same rows, in this one run."""
    rows, styles = make_rows(row_count)
    with tempfile.TemporaryDirectory() as folder:
        bare_s = best_of(repeat, lambda: bare_write(rows, Path(folder) / "bare.xlsx"))
        writer_s = best_of(repeat, lambda: writer_write(rows, styles, Path(folder) / "writer.xlsx"))
    return {
        "rows": row_count,
        "bare_s": round(bare_s, 3),
        "writer_s": round(writer_s, 3),
        "ratio": round(writer_s / bare_s, 3),
        "target_ratio": TARGET_RATIO,
        "within_target": writer_s / bare_s <= TARGET_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(args.rows, args.repeat)))


if __name__ == "__main__":
    main()
