"""`ae-workbench report account|portfolio|holds|compliance ... --out FILE` on the demo portfolio."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from app.store.queries import ior_display
from tests.e2e.clirunner import Cli, KnownAccount, assert_ok, assert_one_error

UNKNOWN_IOR = "98-7654321AB"  # a valid EIN-based number the demo portfolio does not use
MARKING = "CUI // LES"


def pdf_text(path: Path) -> str:
    """The PDF's text in one line per page line, whitespace runs folded (pdftotext from poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "\n".join(" ".join(line.split()) for line in done.stdout.splitlines())


def sheet_names(path: Path) -> list[str]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def written(result_stdout: str, out: Path) -> None:
    assert result_stdout.strip() == str(out)
    assert out.is_file()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_account_summary_pdf(demo_cli: Cli, known_account: KnownAccount, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    written(
        assert_ok(demo_cli("report", "account", known_account.ior_hyphenated, "--out", str(out))).stdout, out
    )
    text = pdf_text(out)
    assert " ".join(known_account.name.split()) in text
    assert "Page 1 of" in text
    assert text.count(MARKING) >= 2  # header and footer of at least the first page
    assert "Generated" in text and "Data as of" in text


def test_portfolio_pdf_and_workbook(demo_cli: Cli, tmp_path: Path) -> None:
    pdf, book = tmp_path / "portfolio.pdf", tmp_path / "portfolio.XLSX"
    written(assert_ok(demo_cli("report", "portfolio", "--out", str(pdf))).stdout, pdf)
    written(assert_ok(demo_cli("report", "portfolio", "--out", str(book))).stdout, book)
    assert "Page 1 of" in pdf_text(pdf)
    assert {"Accounts", "Open holds", "Entries", "Compliance events", "Follow-ups"} <= set(sheet_names(book))


def test_holds_report_with_min_age(demo_cli: Cli, tmp_path: Path) -> None:
    pdf, book = tmp_path / "holds.pdf", tmp_path / "holds.xlsx"
    written(assert_ok(demo_cli("report", "holds", "--out", str(pdf), "--min-age", "5")).stdout, pdf)
    written(assert_ok(demo_cli("report", "holds", "--out", str(book))).stdout, book)
    text = pdf_text(pdf)
    assert "5 business days or older" in text and MARKING in text
    assert "Open holds" in sheet_names(book)


def test_compliance_history_both_formats(demo_cli: Cli, known_account: KnownAccount, tmp_path: Path) -> None:
    book, pdf = tmp_path / "history.xlsx", tmp_path / "history.pdf"
    written(assert_ok(demo_cli("report", "compliance", known_account.id, "--out", str(book))).stdout, book)
    written(assert_ok(demo_cli("report", "compliance", known_account.ior, "--out", str(pdf))).stdout, pdf)
    assert {"Compliance events", "Partnership history"} <= set(sheet_names(book))
    assert "Compliance history" in pdf_text(pdf)


@pytest.mark.parametrize(
    ("args", "contains"),
    [
        (("account", "{ior}", "--out", "{tmp}/summary.xlsx"), "must end in .pdf"),
        (("portfolio", "--out", "{tmp}/portfolio.csv"), "must end in .pdf or .xlsx"),
        (("holds", "--out", "{tmp}/holds"), "must end in .pdf or .xlsx"),
        (("compliance", "{ior}", "--out", "{tmp}/missing/history.xlsx"), "does not exist"),
        (("account", UNKNOWN_IOR, "--out", "{tmp}/summary.pdf"), "no account"),
    ],
)
def test_rejected_requests_are_one_line_exit_2(
    demo_cli: Cli, known_account: KnownAccount, tmp_path: Path, args: tuple[str, ...], contains: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    argv = [arg.format(ior=known_account.ior, tmp=folder) for arg in args]
    assert_one_error(demo_cli("report", *argv), 2, contains=contains)
    assert list(folder.iterdir()) == []  # nothing written, not even a temporary file


def test_usage_errors(demo_cli: Cli, tmp_path: Path) -> None:
    for argv in (
        ("report", "holds", "--out", str(tmp_path / "h.pdf"), "--min-age", "-1"),
        ("report", "portfolio"),
        ("report", "balance", "--out", str(tmp_path / "b.pdf")),
    ):
        result = demo_cli(*argv)
        assert result.returncode == 2 and len(result.stderr_lines) == 1 and "Traceback" not in result.stderr


def _account_with_most_open_holds(db: Path) -> tuple[str, str, list[str], list[str]]:
    """(id, name, open holds' entry numbers, importer numbers), both as printed, of the demo account with the
    most open holds."""
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        account_id, name = connection.execute(
            """
            SELECT a.id, a.name FROM accounts a JOIN holds h ON h.account_id = a.id
            WHERE h.removed_at IS NULL AND a.deleted_at IS NULL
            GROUP BY a.id, a.name ORDER BY count(*) DESC, a.name LIMIT 1
            """
        ).fetchone()
        entries = connection.execute(
            "SELECT DISTINCT entry_number FROM holds WHERE account_id = ? AND removed_at IS NULL",
            (account_id,),
        ).fetchall()
        numbers = connection.execute(
            "SELECT normalized, ior_type FROM importer_numbers WHERE account_id = ? AND deleted_at IS NULL",
            (account_id,),
        ).fetchall()
    finally:
        connection.close()
    printed = [f"{n[:3]}-{n[3:10]}-{n[10:]}" for (n,) in entries]
    return str(account_id), name, printed, [ior_display(number, kind) for number, kind in numbers]


def test_account_summary_shows_every_open_hold_and_marks_every_page(
    demo_cli: Cli, demo_db: Path, tmp_path: Path
) -> None:
    account_id, name, holds, importer_numbers = _account_with_most_open_holds(demo_db)
    assert holds, "the demo portfolio has open holds"
    out = tmp_path / "summary.pdf"
    assert_ok(demo_cli("report", "account", account_id, "--out", str(out)))
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(out)], capture_output=True, text=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    text = pdf_text(out)
    assert 2 <= pages <= 6
    assert " ".join(name.split()) in text
    assert all(entry in text for entry in holds), (holds, text)
    assert importer_numbers and all(number in text for number in importer_numbers), importer_numbers
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert text.count(MARKING) == 2 * pages  # top and bottom of every page
    # Page 1 drawn: a blank or failed render would be (nearly) all white.
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / "p")], check=True
    )
    (image_path,) = tmp_path.glob("p*.png")
    grey = Image.open(image_path).convert("L")
    histogram = grey.histogram()  # pixels per grey level, 0 (black) to 255
    dark = sum(histogram[:128])
    assert dark > 0.01 * grey.width * grey.height


def test_workbook_cells_are_typed_frozen_filtered_and_never_formulas(demo_cli: Cli, tmp_path: Path) -> None:
    import datetime as dt

    book_path = tmp_path / "portfolio.xlsx"
    assert_ok(demo_cli("report", "portfolio", "--out", str(book_path)))
    book = openpyxl.load_workbook(book_path)
    holds = book["Open holds"]
    assert holds.freeze_panes == "A3"
    assert holds.auto_filter.ref == f"A2:{holds.cell(2, holds.max_column).column_letter}{holds.max_row}"
    header = [cell.value for cell in holds[2]]
    first = {heading: cell.value for heading, cell in zip(header, holds[3], strict=True)}
    assert isinstance(first["Placed"], dt.datetime)
    assert isinstance(first["Age (business days)"], int)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
