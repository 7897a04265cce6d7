"""Reading import files: encodings, delimiters, row numbers, XLSX, hostile input, streaming (CONTRACTS §4)."""

from __future__ import annotations

import datetime as dt
import os
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import NotFoundError, UserError, ValidationError
from app.services.importing import readers
from app.services.importing.readers import MAX_CELL_CHARS, open_table


def write_bytes(tmp_path: Path, data: bytes, name: str = "accounts.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_all(path: Path, **kwargs: str) -> tuple[list[str], int, list[tuple[int, list[object]]]]:
    with open_table(path, **kwargs) as table:
        return table.header, table.header_row, list(table.rows())


# --- encodings ----------------------------------------------------------------------------------------------


def test_utf8(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "Account Name,IOR\nSociété Générale,12-3456789\n".encode())
    header, header_row, rows = read_all(path)
    assert header == ["Account Name", "IOR"]
    assert header_row == 1
    assert rows == [(2, ["Société Générale", "12-3456789"])]


def test_utf8_with_bom_does_not_leak_into_the_first_header(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, b"\xef\xbb\xbfAccount Name,IOR\r\nAcme,12-3456789\r\n")
    header, _, rows = read_all(path)
    assert header == ["Account Name", "IOR"]
    assert rows == [(2, ["Acme", "12-3456789"])]


def test_cp1252(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "Account Name;IOR\r\nSociété “Nouvelle”;12-3456789\r\n".encode("cp1252"))
    _, _, rows = read_all(path)
    assert rows == [(2, ["Société “Nouvelle”", "12-3456789"])]


def test_utf8_character_cut_by_the_sample_boundary_is_still_utf8(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(readers, "_SAMPLE_BYTES", 20)
    text = "Account Name,IOR\nABé,1\n"  # "é" is two bytes and straddles byte 20
    assert len(text[: text.index("é")].encode()) == 19
    _, _, rows = read_all(write_bytes(tmp_path, text.encode()))
    assert rows == [(2, ["ABé", "1"])]


def test_mixed_encodings_are_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(readers, "_SAMPLE_BYTES", 64)
    data = b"Account Name,IOR\n" + b"Acme,12-3456789\n" * 10 + "Société,1\n".encode("cp1252")
    path = write_bytes(tmp_path, data)
    with pytest.raises(ValidationError, match=r"accounts\.csv: row 12 is not UTF-8") as caught:
        read_all(path)
    assert caught.value.row == 12


def test_utf16_is_refused_with_advice(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "Account Name,IOR\n".encode("utf-16"))
    with pytest.raises(ValidationError, match="UTF-16; save it as CSV UTF-8"):
        open_table(path)


# --- delimiters, quoting, row numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed_from_the_header(tmp_path: Path, delimiter: str) -> None:
    text = (
        delimiter.join(["Account Name", "IOR", "City"]) + "\n" + delimiter.join(["A, B; C", "1", "X"]) + "\n"
    )
    text = text.replace("A, B; C", '"A, B; C"') if delimiter != "\t" else text
    _, _, rows = read_all(write_bytes(tmp_path, text.encode()))
    assert rows == [(2, ["A, B; C", "1", "X"])]


def test_quoted_header_commas_do_not_fool_the_sniffer(tmp_path: Path) -> None:
    text = '"Name, legal";IOR;City\nAcme;1;X\n'
    header, _, _ = read_all(write_bytes(tmp_path, text.encode()))
    assert header == ["Name, legal", "IOR", "City"]


def test_quoted_newlines_number_records_by_their_first_line(tmp_path: Path) -> None:
    text = 'Account Name,Notes\r\nAcme,"line one\r\nline two\r\nline three"\r\nBeta,plain\r\n'
    _, _, rows = read_all(write_bytes(tmp_path, text.encode()))
    assert rows == [(2, ["Acme", "line one\r\nline two\r\nline three"]), (5, ["Beta", "plain"])]


def test_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    text = "\n  \nAccount Name,IOR\n\n,\nAcme,1\n \t \nBeta,2\n\n"
    header, header_row, rows = read_all(write_bytes(tmp_path, text.encode()))
    assert header == ["Account Name", "IOR"]
    assert header_row == 3
    assert rows == [(6, ["Acme", "1"]), (8, ["Beta", "2"])]


def test_values_are_kept_raw(tmp_path: Path) -> None:
    _, _, rows = read_all(write_bytes(tmp_path, b'A,B\n  padded ,=HYPERLINK("x")\n'))
    assert rows == [(2, ["  padded ", '=HYPERLINK("x")'])]


# --- hostile input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\n\n  \r\n", b",,,\n,,\n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ValidationError, match=r"^accounts\.csv: the file is empty$"):
        open_table(write_bytes(tmp_path, data))


def test_header_only(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"^accounts\.csv: the file has a header but no data rows$"):
        open_table(write_bytes(tmp_path, b"Account Name,IOR\r\n\r\n"))


def test_binary_garbage_with_a_csv_name(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"^accounts\.csv: this is not a text CSV file"):
        open_table(write_bytes(tmp_path, os.urandom(4096)))


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    data = bytes(b for b in os.urandom(8192) if b != 0)
    with pytest.raises(ValidationError, match=r"^accounts\.csv: "):
        open_table(write_bytes(tmp_path, data))


def test_a_zip_named_csv(tmp_path: Path) -> None:
    workbook = tmp_path / "real.xlsx"
    openpyxl.Workbook().save(workbook)
    with pytest.raises(ValidationError, match="not a text CSV file"):
        open_table(write_bytes(tmp_path, workbook.read_bytes()))


def test_huge_cell_is_a_clear_error_not_a_memory_blowup(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("Account Name,Notes\nAcme,ok\nBeta,")
        chunk = "x" * (1024 * 1024)
        for _ in range(50):
            out.write(chunk)
        out.write("\n")
    assert path.stat().st_size > 50 * 1024 * 1024
    with open_table(path) as table, pytest.raises(ValidationError) as caught:
        list(table.rows())
    assert str(caught.value).startswith("accounts.csv: row 3 has a cell longer than 1,000,000 characters")
    assert caught.value.row == 3


def test_cell_just_under_the_limit_is_read(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, b"A,B\n1," + b"y" * (MAX_CELL_CHARS - 1) + b"\n")
    _, _, rows = read_all(path)
    assert len(rows[0][1][1]) == MAX_CELL_CHARS - 1  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["accounts.pdf", "accounts", "accounts.xls.bak"])
def test_unknown_extension(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValidationError, match=rf"^{name}: cannot import a .* file; use a CSV or XLSX file$"):
        open_table(write_bytes(tmp_path, b"Account Name,IOR\nA,1\n", name))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"nothere\.csv: file not found"):
        open_table(tmp_path / "nothere.csv")


def test_sheet_for_a_csv_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="CSV file has no sheets"):
        open_table(write_bytes(tmp_path, b"A,B\n1,2\n"), sheet="Holds")


def test_garbage_named_xlsx(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, os.urandom(2048), "holds.xlsx")
    with pytest.raises(ValidationError, match=r"^holds\.xlsx: cannot be read as an Excel workbook"):
        open_table(path)


# --- XLSX ---------------------------------------------------------------------------------------------------


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Notes"
    sheet["A1"] = "not the data"
    holds = workbook.create_sheet("Holds")
    holds["B3"] = "Entry Number"
    holds["C3"] = "Hold Date"
    holds["D3"] = "Amount"
    holds["E3"] = "Due"
    holds.append([])
    holds["B4"] = "K7X-0004106-7"
    holds["C4"] = dt.datetime(2026, 11, 3, 8, 15)
    holds["D4"] = 1234.5
    holds["E4"] = dt.date(2026, 11, 30)
    holds["B6"] = "K7X-0004733-8"
    holds["C6"] = dt.datetime(2026, 11, 4, 9, 0)
    holds["D6"] = 7
    path = tmp_path / "holds.xlsx"
    workbook.save(path)
    return path


def assert_holds_sheet(header: list[str], header_row: int, rows: list[tuple[int, list[object]]]) -> None:
    assert header_row == 3
    offset = header.index("Entry Number")
    assert header[offset : offset + 4] == ["Entry Number", "Hold Date", "Amount", "Due"]
    assert [number for number, _ in rows] == [4, 6]
    first = rows[0][1][offset : offset + 4]
    assert first[0] == "K7X-0004106-7"
    assert first[1] == dt.datetime(2026, 11, 3, 8, 15)
    assert first[2] == 1234.5
    assert first[3] in (dt.date(2026, 11, 30), dt.datetime(2026, 11, 30))
    second = rows[1][1][offset : offset + 4]
    assert second[2] == 7
    assert second[3] == ""


def test_xlsx_first_sheet_by_default(workbook_path: Path) -> None:
    with pytest.raises(ValidationError, match="header but no data rows"):
        open_table(workbook_path)


def test_xlsx_named_sheet_keeps_native_values(workbook_path: Path) -> None:
    assert_holds_sheet(*read_all(workbook_path, sheet="holds"))


def test_xlsx_openpyxl_fallback_gives_the_same_rows(workbook_path: Path, monkeypatch) -> None:
    def broken(path: Path, sheet: str | None) -> None:
        raise RuntimeError("calamine cannot read this")

    monkeypatch.setattr(readers, "_calamine_rows", broken)
    assert_holds_sheet(*read_all(workbook_path, sheet="Holds"))


def test_xlsx_unknown_sheet_lists_the_sheets(workbook_path: Path) -> None:
    with pytest.raises(
        ValidationError, match=r"^holds\.xlsx: no sheet named 'Entries'; the sheets are: Notes, Holds"
    ):
        open_table(workbook_path, sheet="Entries")


def test_every_file_problem_is_a_user_error(tmp_path: Path) -> None:
    # The CLI turns UserError into a message and an exit code; anything else would be a traceback.
    assert issubclass(ValidationError, UserError)
    assert issubclass(NotFoundError, UserError)


# --- streaming ----------------------------------------------------------------------------------------------


def test_rows_are_streamed_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "entries.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Entry Number,Line Number,HTS Number,Entered Value\r\n")
        for number in range(200_000):
            out.write(f'K7X-{number:07d}-7,1,8471.30.0100,"$1,234.{number % 100:02d}"\r\n')
    tracemalloc.start()
    try:
        count = 0
        last = 0
        with open_table(path) as table:
            for number, _cells in table.rows():
                count += 1
                last = number
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert last == 200_001
    assert peak < 50 * 1024 * 1024


def test_closing_early_releases_the_file(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, b"A,B\n1,2\n3,4\n")
    with open_table(path) as table:
        rows = table.rows()
        assert next(rows) == (2, ["1", "2"])
    assert list(rows) == []  # closed: the stream is finished, the handle released


def test_classic_mac_line_endings(tmp_path: Path) -> None:
    _, _, rows = read_all(write_bytes(tmp_path, b"Account Name,IOR\rAcme,1\rBeta,2\r"))
    assert rows == [(2, ["Acme", "1"]), (3, ["Beta", "2"])]


def test_cp1252_file_with_an_undefined_byte_later_names_the_row(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(readers, "_SAMPLE_BYTES", 32)
    data = "Account Name,IOR\nSociété,1\n".encode("cp1252") + b"Acme,2\n" * 5 + b"Bad\x81Name,3\n"
    with pytest.raises(
        ValidationError, match=r"row 8 is not Windows-1252 \(cp1252\) like the rows before it"
    ):
        read_all(write_bytes(tmp_path, data))


@pytest.mark.parametrize(
    ("cells", "blank"),
    [([], True), (["", " ", None, "\t"], True), (["", 0], False), ([None, False], False), ([" x"], False)],
)
def test_is_blank(cells: list[object], blank: bool) -> None:
    assert readers.is_blank(cells) is blank


def test_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "entries.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ValidationError, match=r"^entries\.xlsx: the file is empty$"):
        open_table(path)


def test_a_sheet_breaking_mid_way_is_a_message(tmp_path: Path) -> None:
    class Workbook:
        closed = False

        def close(self) -> None:
            self.closed = True

    class BrokenSheet:
        def iter_rows(self, values_only: bool = True) -> Iterator[tuple[str, ...]]:
            yield ("Entry Number", "Hold Date")
            raise KeyError("xl/worksheets/sheet1.xml")

    workbook = Workbook()
    rows = readers._stream_openpyxl(tmp_path / "holds.xlsx", workbook, BrokenSheet())
    assert next(rows) == (1, ["Entry Number", "Hold Date"])
    expected = r"^holds\.xlsx: the sheet cannot be read from row 2 on"
    with pytest.raises(ValidationError, match=expected) as caught:
        next(rows)
    assert caught.value.row == 2
    assert workbook.closed
