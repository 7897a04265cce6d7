"""Formula-like text arrives by import, is stored exactly, and no report workbook evaluates it."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from tests.e2e.clirunner import Cli, assert_ok

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
HOSTILE = {
    "Account Name": '=HYPERLINK("http://example.com","Click")',
    "City": "+SUM(1)",
    "State": "@A1",
    "Account Executive": "-2+3",
}
OUTCOME = "=cmd|' /C calc'!A0"


def hostile_files(folder: Path) -> tuple[Path, Path]:
    """The sample roster and compliance file with formula-like text in the first rows."""
    with (SAMPLES / "accounts.csv").open(encoding="utf-8", newline="") as handle:
        header, first, *rest = list(csv.reader(handle))
    for column, value in HOSTILE.items():
        first[header.index(column)] = value
    accounts = folder / "accounts.csv"
    with accounts.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, first, *rest])
    with (SAMPLES / "compliance.csv").open(encoding="utf-8", newline="") as handle:
        header, first, *rest = list(csv.reader(handle))
    first[header.index("Outcome")] = OUTCOME
    compliance = folder / "compliance.csv"
    with compliance.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, first, *rest])
    return accounts, compliance


def formula_cells(path: Path) -> list[str]:
    """Every cell openpyxl reads as a formula (data type "f"); a neutralised one is a string."""
    workbook = openpyxl.load_workbook(path)
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def texts(path: Path) -> set[str]:
    workbook = openpyxl.load_workbook(path)
    return {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def test_formula_text_is_imported_exactly_and_never_a_formula_in_any_workbook(
    cli: Cli, tmp_path: Path
) -> None:
    work = cli.on(tmp_path / "hostile.sqlite3")
    accounts, compliance = hostile_files(tmp_path)
    assert_ok(
        work(
            "import",
            str(SAMPLES / "entries.csv"),
            str(accounts),
            str(compliance),
            "--errors-to",
            str(tmp_path),
        )
    )
    portfolio = tmp_path / "portfolio.xlsx"
    assert_ok(work("report", "portfolio", "--out", str(portfolio)))
    assert formula_cells(portfolio) == []
    assert HOSTILE["Account Name"] in texts(portfolio)  # stored and shown exactly, as text
    history = tmp_path / "compliance.xlsx"
    assert_ok(work("report", "compliance", "20-584410200", "--out", str(history)))
    assert formula_cells(history) == []
    assert OUTCOME in texts(history)
