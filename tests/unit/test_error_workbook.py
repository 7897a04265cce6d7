"""The error workbook: rejected rows with their original cells, formula-safe text; a fixed file re-imports."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest

from app.domain.enums import ImportKind
from app.services.importing import error_workbook
from app.services.importing.error_workbook import (
    ErrorWorkbook,
    default_error_workbook_path,
)
from app.services.importing.headers import map_header, source_rows
from app.services.importing.readers import open_table

HEADER = ["Entry Number", "Importer Number", "Entry Date", "Line", "Entered Value"]


def read_sheet(path: Path) -> list[list[openpyxl.cell.Cell]]:
    workbook = openpyxl.load_workbook(path)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows()]
    finally:
        workbook.close()


def values(rows: list[list[openpyxl.cell.Cell]]) -> list[list[object]]:
    return [[cell.value for cell in row] for row in rows]


def test_default_path_sits_next_to_the_source() -> None:
    assert default_error_workbook_path(Path("/data/in/entries.csv")) == Path("/data/in/entries-errors.xlsx")
    assert default_error_workbook_path(Path("holds.xlsx")) == Path("holds-errors.xlsx")


def test_header_row_numbers_original_values_and_errors(tmp_path: Path) -> None:
    book = ErrorWorkbook(tmp_path / "entries-errors.xlsx", HEADER)
    csv_cells = ["K7X-0004106-8", "20-584410200", "10/18/2026", "1", "$1,234.56"]
    book.add(3, csv_cells, ["check digit should be 7"])
    book.add(
        7,
        ["K7X-0004108-3", "20-584410200", dt.date(2026, 10, 13), 2.0, 72035.54],
        ["line_number: repeated", "duty: not an amount"],
    )
    assert book.rows == 2
    assert book.close() == tmp_path / "entries-errors.xlsx"

    rows = read_sheet(tmp_path / "entries-errors.xlsx")
    assert values(rows) == [
        ["Row", *HEADER, "Error"],
        [3, "K7X-0004106-8", "20-584410200", "10/18/2026", "1", "$1,234.56", "check digit should be 7"],
        [
            7,
            "K7X-0004108-3",
            "20-584410200",
            dt.datetime(2026, 10, 13),  # openpyxl reads every date back as a datetime
            2,
            72035.54,
            "line_number: repeated; duty: not an amount",
        ],
    ]
    header, csv_row, xlsx_row = rows
    assert all(cell.font.bold for cell in header)
    # CSV text stays text, even when it looks like a number or a date.
    assert [cell.data_type for cell in csv_row[1:6]] == ["s"] * 5
    # A native date stays a date, shown with a date format; numbers stay numbers.
    assert xlsx_row[3].is_date and xlsx_row[3].number_format == "mm/dd/yyyy"
    assert xlsx_row[5].data_type == "n"
    error = csv_row[-1]
    assert error.font.color.rgb.endswith("C00000")
    assert error.alignment.wrap_text


def test_sheet_is_frozen_filtered_and_sized(tmp_path: Path) -> None:
    book = ErrorWorkbook(tmp_path / "out.xlsx", HEADER)
    for row in range(2, 6):
        book.add(row, ["x"] * len(HEADER), ["bad"])
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G5"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert widths["G"] >= 60  # the Error column is wide
    assert all(widths[letter] >= len(text) for letter, text in zip("BCDEF", HEADER, strict=True))


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example","click")', "+SUM(1)", "-12.50", "@cmd", "\tindented", "=1+1"],
)
def test_formula_like_text_is_stored_as_the_exact_text(tmp_path: Path, text: str) -> None:
    book = ErrorWorkbook(tmp_path / "out.xlsx", HEADER)
    book.add(2, [text, text, "", "", ""], ["bad"])
    book.close()
    row = read_sheet(tmp_path / "out.xlsx")[1]
    for cell in row[1:3]:
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix


def test_formula_like_header_and_message_are_text_too(tmp_path: Path) -> None:
    book = ErrorWorkbook(tmp_path / "out.xlsx", ["=Entry", "Importer"])
    book.add(2, ["a", "b"], ["=cell starts with ="])
    book.close()
    rows = read_sheet(tmp_path / "out.xlsx")
    assert (rows[0][1].value, rows[0][1].data_type) == ("=Entry", "s")
    assert (rows[1][-1].value, rows[1][-1].data_type) == ("=cell starts with =", "s")


def test_short_and_long_rows_keep_the_columns_aligned(tmp_path: Path) -> None:
    book = ErrorWorkbook(tmp_path / "out.xlsx", ["A", "B", "C"])
    book.add(2, ["a"], ["too short"])
    book.add(3, ["a", "b", "c", "extra"], ["too long"])
    book.add(4, ["a", None, "c"], ["blank"])
    book.close()
    assert values(read_sheet(tmp_path / "out.xlsx")) == [
        ["Row", "A", "B", "C", "Error", None],
        [2, "a", None, None, "too short", None],
        [3, "a", "b", "c", "too long", "extra"],
        [4, "a", None, "c", "blank", None],
    ]


def test_text_a_cell_cannot_hold_is_adjusted_not_refused(tmp_path: Path) -> None:
    book = ErrorWorkbook(tmp_path / "out.xlsx", ["A", "B"])
    book.add(2, ["line one\r\nline two", "bell\x07here"], ["bad"])
    book.close()
    assert values(read_sheet(tmp_path / "out.xlsx"))[1][1:3] == ["line one\nline two", "bellhere"]


def test_rows_beyond_the_sheet_limit_are_counted_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(error_workbook, "MAX_ROWS", 2)
    book = ErrorWorkbook(tmp_path / "out.xlsx", ["A"])
    for row in (2, 3, 4, 5):
        book.add(row, [str(row)], ["bad"])
    book.close()
    assert (book.rows, book.dropped) == (2, 2)
    assert [line[0] for line in values(read_sheet(tmp_path / "out.xlsx"))] == ["Row", 2, 3]


def test_no_rows_writes_nothing(tmp_path: Path) -> None:
    book = ErrorWorkbook(tmp_path / "out.xlsx", HEADER)
    assert book.rows == 0
    assert book.close() is None
    assert list(tmp_path.iterdir()) == []


def test_discard_writes_nothing_and_leaves_no_scratch(tmp_path: Path) -> None:
    book = ErrorWorkbook(tmp_path / "out.xlsx", HEADER)
    book.add(2, ["x"] * len(HEADER), ["bad"])
    book.discard()
    assert list(tmp_path.iterdir()) == []
    assert book.close() is None


def test_close_replaces_an_earlier_workbook(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    for row in (5, 9):
        book = ErrorWorkbook(target, ["A"])
        book.add(row, ["x"], ["bad"])
        book.close()
    assert values(read_sheet(target))[1:] == [[9, "x", "bad"]]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.xlsx"]


def test_a_folder_that_cannot_be_written_raises_oserror(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("")
    book = ErrorWorkbook(not_a_folder / "out.xlsx", ["A"])
    book.add(2, ["x"], ["bad"])
    with pytest.raises(OSError):
        book.close()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_raises_oserror(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        book = ErrorWorkbook(folder / "out.xlsx", ["A"])
        book.add(2, ["x"], ["bad"])
        with pytest.raises(OSError):
            book.close()
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_the_fixed_workbook_imports_back_with_the_same_values(tmp_path: Path) -> None:
    original = [
        "K7X-0004106-7",
        "20-584410200",
        dt.date(2026, 10, 18),
        "1",
        '=HYPERLINK("x")',
    ]
    book = ErrorWorkbook(tmp_path / "entries-errors.xlsx", HEADER)
    book.add(4, original, ["entered_value: not an amount"])
    book.close()

    with open_table(tmp_path / "entries-errors.xlsx") as table:
        assert table.header == ["Row", *HEADER, "Error"]
        header_map = map_header(table.header, ImportKind.ENTRIES)
        rows = list(source_rows(table, header_map))
    # "Row" and "Error" are unknown columns: ignored with a warning, never an error.
    assert not header_map.has_errors
    assert {(issue.column, issue.severity) for issue in header_map.issues} == {
        ("Row", "warning"),
        ("Error", "warning"),
    }
    assert len(rows) == 1
    assert rows[0].values == {
        "entry_number": "K7X-0004106-7",
        "importer_number": "20-584410200",
        "entry_date": dt.date(2026, 10, 18),
        "line_number": "1",
        "entered_value": '=HYPERLINK("x")',
    }
