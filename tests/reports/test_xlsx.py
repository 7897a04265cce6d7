"""The workbook writer: typed cells, layout, the About sheet, the formula guard, row fills, atomic writing."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._writer import ALL_TEMP_FILES
from openpyxl.worksheet.worksheet import Worksheet

from app.reports import xlsx
from app.reports.dataset import (
    Column,
    Fact,
    Facts,
    ReportDataset,
    RowStyle,
    Section,
    Table,
    Text,
    Value,
    ValueKind,
)
from app.reports.xlsx import neutralize, write_xlsx

HOSTILE = (
    "=cmd|' /C calc'!A0",
    "+SUM(1)",
    "@A1",
    "-2+3",
    '=HYPERLINK("http://x","y")',
    "\t=1",
    "\r=1",
)
GENERATED = datetime(2026, 1, 5, 15, 30)  # UTC; 10:30 in New York (EST)
AS_OF = datetime(2026, 1, 5, 14, 0)

ALL_KINDS = (
    Column("name", "Importer", ValueKind.TEXT, 30),
    Column("count", "Entries", ValueKind.INTEGER, 8),
    Column("value", "Entered value", ValueKind.MONEY, 14),
    Column("rate", "Exam rate", ValueKind.PERCENT, 9),
    Column("days", "Hold days", ValueKind.DECIMAL, 9),
    Column("day", "Entry date", ValueKind.DATE, 12),
    Column("at", "Hold placed", ValueKind.DATETIME, 16),
)
ROWS: list[list[Value]] = [
    ["Acme Imports LLC", 1234, 1234567, 0.125, 3.5, date(2026, 1, 2), datetime(2026, 1, 5, 15, 0)],
    ["Borealis Trading", 7, -500, 0.0, 12.25, date(2025, 12, 31), datetime(2025, 7, 1, 12, 0)],
    ["Cascade Goods", None, 0, None, None, None, None],
]


@pytest.fixture(autouse=True)
def new_york_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Date-times are written in local time: pin the local zone so the expected values are fixed."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def make_dataset(*tables: Table, facts: Sequence[Facts] = (), texts: Sequence[Text] = ()) -> ReportDataset:
    return ReportDataset(
        kind="portfolio",
        title="Portfolio report",
        subtitle="All accounts assigned to J. Rivera",
        sections=(Section("Portfolio", (*facts, *tables, *texts)),),
        generated_at=GENERATED,
        data_as_of=AS_OF,
        generated_by="jrivera",
        marking="CUI // LES",
        filters=(Fact("Minimum hold age (days)", 5, ValueKind.INTEGER), Fact("Accounts shown", "All")),
    )


def kinds_table(rows: Sequence[Sequence[Value]] = ROWS, styles: Sequence[RowStyle] = ()) -> Table:
    return Table("Accounts", ALL_KINDS, rows, row_styles=styles, sheet="Accounts")


def write_and_open(tmp_path: Path, dataset: ReportDataset) -> Workbook:
    out = tmp_path / "report.xlsx"
    write_xlsx(dataset, out)
    return load_workbook(out)


def data_row(sheet: Worksheet, row: int) -> list[Value]:
    return [cell.value for cell in sheet[row]]


def test_cells_hold_typed_values(tmp_path: Path) -> None:
    sheet = write_and_open(tmp_path, make_dataset(kinds_table()))["Accounts"]

    assert data_row(sheet, 3) == [
        "Acme Imports LLC",
        1234,
        12345.67,
        0.125,
        3.5,
        datetime(2026, 1, 2),
        datetime(2026, 1, 5, 10, 0),  # 15:00 UTC in New York
    ]
    assert data_row(sheet, 4) == [
        "Borealis Trading",
        7,
        -5.0,
        0.0,
        12.25,
        datetime(2025, 12, 31),
        datetime(2025, 7, 1, 8, 0),  # daylight saving time: UTC-4
    ]
    assert data_row(sheet, 5) == ["Cascade Goods", None, 0.0, None, None, None, None]
    assert [cell.data_type for cell in sheet[3]] == ["s", "n", "n", "n", "n", "d", "d"]
    assert isinstance(sheet["B3"].value, int)
    assert sheet.max_row == 5


def test_number_formats_per_kind(tmp_path: Path) -> None:
    sheet = write_and_open(tmp_path, make_dataset(kinds_table()))["Accounts"]

    formats = [cell.number_format for cell in sheet[4]]
    assert formats == ["General", "#,##0", '"$"#,##0.00', "0.0%", "0.0", "mm/dd/yyyy", "mm/dd/yyyy hh:mm"]


def test_table_sheet_layout(tmp_path: Path) -> None:
    sheet = write_and_open(tmp_path, make_dataset(kinds_table()))["Accounts"]

    assert sheet["A1"].value == "CUI // LES"
    assert sheet["A1"].font.bold
    assert data_row(sheet, 2) == [column.heading for column in ALL_KINDS]
    assert all(cell.font.bold and cell.fill.fill_type == "solid" for cell in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:G5"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFG"]
    # Column.width, widened where the heading plus the filter button would not fit.
    assert widths == [30, 10, 16, 12, 12, 13, 16]
    assert sheet.print_title_rows == "$1:$2"


def test_about_sheet(tmp_path: Path) -> None:
    kpis = Facts(
        "12-month figures",
        (
            Fact("Entries", 1520, ValueKind.INTEGER),
            Fact("Entered value", 123456789, ValueKind.MONEY),
            Fact("Exam rate", 0.031, ValueKind.PERCENT, detail="47 of 1,520 entries"),
            Fact("Last visit", date(2025, 11, 3), ValueKind.DATE),
        ),
    )
    notes = Text("Notes", ("Broker changed in March.",))
    workbook = write_and_open(tmp_path, make_dataset(kinds_table(), facts=[kpis], texts=[notes]))

    assert workbook.sheetnames == ["Accounts", "About"]
    about = workbook["About"]
    values = {row[0].value: row for row in about.iter_rows() if row[0].value is not None}
    assert about["A1"].value == "CUI // LES"
    assert about["A2"].value == "Portfolio report"
    assert about["A3"].value == "All accounts assigned to J. Rivera"
    assert values["Handling marking"][1].value == "CUI // LES"
    assert values["Generated at"][1].value == datetime(2026, 1, 5, 10, 30)
    assert values["Generated at"][1].number_format == "mm/dd/yyyy hh:mm"
    assert values["Generated by"][1].value == "jrivera"
    assert values["Data as of"][1].value == datetime(2026, 1, 5, 9, 0)
    assert values["Filters"][0].font.bold
    assert values["Minimum hold age (days)"][1].value == 5
    assert values["Accounts shown"][1].value == "All"
    assert values["12-month figures"][0].font.bold
    assert values["Entries"][1].value == 1520
    assert values["Entered value"][1].value == 1234567.89
    assert values["Entered value"][1].number_format == '"$"#,##0.00'
    assert values["Exam rate"][1].value == 0.031
    assert values["Exam rate"][2].value == "47 of 1,520 entries"
    assert values["Last visit"][1].value == datetime(2025, 11, 3)
    assert values["Notes"][0].font.bold
    assert "Broker changed in March." in values
    sheets_heading = [row[0].row for row in about.iter_rows() if row[0].value == "Sheets"]
    assert [cell.value for cell in about[sheets_heading[0] + 1][:2]] == ["Accounts", "Accounts"]


def test_workbook_properties(tmp_path: Path) -> None:
    workbook = write_and_open(tmp_path, make_dataset(kinds_table()))

    assert workbook.properties.title == "Portfolio report"
    assert workbook.properties.creator == "AE Workbench"


def test_marking_on_every_sheet_and_every_printed_page(tmp_path: Path) -> None:
    second = Table("Holds", ALL_KINDS[:2], [["x", 1]], sheet="Holds")
    workbook = write_and_open(tmp_path, make_dataset(kinds_table(), second))

    assert workbook.sheetnames == ["Accounts", "Holds", "About"]
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == "CUI // LES"
        assert sheet.oddHeader.center.text == "CUI // LES"
        assert sheet.oddFooter.center.text == "CUI // LES"
        assert sheet.oddHeader.left.text == "Portfolio report"
        assert sheet.oddFooter.left.text == "Generated 01/05/2026 10:30 · Data as of 01/05/2026 09:00"
        assert sheet.oddFooter.right.text == "Page &P of &N"


def test_marking_is_configurable(tmp_path: Path) -> None:
    dataset = make_dataset(kinds_table())
    dataset = ReportDataset(**{**dataset.__dict__, "marking": "CUI // SP-EXPT & LES"})
    sheet = write_and_open(tmp_path, dataset)["Accounts"]

    assert sheet["A1"].value == "CUI // SP-EXPT & LES"
    assert sheet.oddHeader.center.text == "CUI // SP-EXPT && LES"  # "&" starts a header code: doubled


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralize_prefixes_formula_like_text(text: str) -> None:
    assert neutralize(text) == "'" + text


@pytest.mark.parametrize("text", ["Acme", "", "'quoted", "1-800-FLOWERS", "a=b", "— none —"])
def test_neutralize_leaves_ordinary_text(text: str) -> None:
    assert neutralize(text) == text


def test_hostile_text_is_never_a_formula(tmp_path: Path) -> None:
    rows: list[list[Value]] = [[text, index] for index, text in enumerate(HOSTILE)]
    styles = [RowStyle.ALERT if index % 2 else RowStyle.NORMAL for index in range(len(HOSTILE))]
    table = Table(
        "Notes", (Column("text", "Text"), Column("n", "N", ValueKind.INTEGER)), rows, styles, "Notes"
    )
    facts = Facts("=SUM(A1)", (Fact("+label", "@value"), Fact("-1", "=1+1", detail="=2")))
    dataset = make_dataset(table, facts=[facts])
    dataset = ReportDataset(**{**dataset.__dict__, "title": "=title", "generated_by": "-me"})
    out = tmp_path / "hostile.xlsx"
    write_xlsx(dataset, out)

    with zipfile.ZipFile(out) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(
            b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets
        )
    workbook = load_workbook(out)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    risky = [cell for cell in cells if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t"]
    assert risky and all(cell.quotePrefix and cell.data_type == "s" for cell in risky)

    notes = workbook["Notes"]
    expected = [text.replace("\r", "\n") for text in HOSTILE]  # a bare CR cannot survive the file's XML
    assert [notes.cell(row, 1).value for row in range(3, 3 + len(HOSTILE))] == expected
    assert all(notes.cell(row, 1).quotePrefix for row in range(3, 3 + len(HOSTILE)))
    assert workbook["About"]["A2"].value == "=title"


def test_ordinary_text_has_no_quote_prefix(tmp_path: Path) -> None:
    sheet = write_and_open(tmp_path, make_dataset(kinds_table()))["Accounts"]

    assert sheet["A3"].value == "Acme Imports LLC"
    assert not sheet["A3"].quotePrefix


def test_control_characters_are_dropped(tmp_path: Path) -> None:
    table = Table(
        "Notes", (Column("text", "Text"),), [["bell\x07 and\x00 null"], ["two\r\nlines"]], sheet="Notes"
    )
    sheet = write_and_open(tmp_path, make_dataset(table))["Notes"]

    assert [sheet["A3"].value, sheet["A4"].value] == ["bell and null", "two\nlines"]


def test_row_styles_fill_every_cell_of_the_row(tmp_path: Path) -> None:
    styles = [RowStyle.WARNING, RowStyle.NORMAL, RowStyle.ALERT]
    sheet = write_and_open(tmp_path, make_dataset(kinds_table(styles=styles)))["Accounts"]

    warning = xlsx.ROW_FILLS[RowStyle.WARNING].fgColor.rgb
    alert = xlsx.ROW_FILLS[RowStyle.ALERT].fgColor.rgb
    assert warning != alert
    assert [cell.fill.fgColor.rgb for cell in sheet[3]] == [warning] * len(ALL_KINDS)
    assert all(cell.fill.fill_type is None for cell in sheet[4])
    # The alert row has empty cells: they are filled too, so the whole row reads as one.
    assert [cell.fill.fgColor.rgb for cell in sheet[5]] == [alert] * len(ALL_KINDS)
    assert sheet["D5"].value is None
    # The fill does not cost a cell its number format.
    assert sheet["C3"].number_format == '"$"#,##0.00'
    assert sheet["C5"].number_format == '"$"#,##0.00'


def test_empty_table_gives_a_header_only_sheet(tmp_path: Path) -> None:
    sheet = write_and_open(tmp_path, make_dataset(kinds_table(rows=[])))["Accounts"]

    assert sheet.max_row == 2
    assert data_row(sheet, 2) == [column.heading for column in ALL_KINDS]
    assert sheet.auto_filter.ref == "A2:G2"
    assert sheet.freeze_panes == "A3"


def test_only_tables_with_a_sheet_name_get_a_sheet(tmp_path: Path) -> None:
    hidden = Table("Chart data", ALL_KINDS[:1], [["x"]])
    workbook = write_and_open(tmp_path, make_dataset(hidden, kinds_table()))

    assert workbook.sheetnames == ["Accounts", "About"]


def test_sheet_names_are_made_valid_and_unique(tmp_path: Path) -> None:
    columns = ALL_KINDS[:1]
    tables = [
        Table("a", columns, [], sheet="Holds/Open: [all]?"),
        Table("b", columns, [], sheet="holds-open- -all--"),
        Table("c", columns, [], sheet="About"),
        Table("d", columns, [], sheet="A very long sheet name that Excel refuses"),
    ]
    workbook = write_and_open(tmp_path, make_dataset(*tables))

    assert workbook.sheetnames == [
        "Holds-Open- -all--",
        "holds-open- -all-- (2)",
        "About (2)",
        "A very long sheet name that Exc",
        "About",
    ]


class CancelAfter:
    def __init__(self, checks: int) -> None:
        self.checks = checks

    def raise_if_cancelled(self) -> None:
        self.checks -= 1
        if self.checks < 0:
            raise RuntimeError("cancelled")


def test_cancel_mid_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "CANCEL_CHECK_ROWS", 1)
    out = tmp_path / "report.xlsx"
    scratch_files = list(ALL_TEMP_FILES)

    with pytest.raises(RuntimeError, match="cancelled"):
        write_xlsx(make_dataset(kinds_table()), out, cancel=CancelAfter(2))

    assert list(tmp_path.iterdir()) == []
    assert list(ALL_TEMP_FILES) == scratch_files  # the sheets' scratch files are gone too


def test_failure_mid_write_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"the earlier report")
    bad_rows: list[list[Value]] = [["fine", 1], ["broken", [1, 2]]]  # type: ignore[list-item]
    table = Table("Bad", ALL_KINDS[:2], bad_rows, sheet="Bad")

    with pytest.raises(ValueError):
        write_xlsx(make_dataset(table), out)

    assert out.read_bytes() == b"the earlier report"
    assert [path.name for path in tmp_path.iterdir()] == ["report.xlsx"]


def test_rewrite_replaces_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"the earlier report")

    write_xlsx(make_dataset(kinds_table()), out)

    assert load_workbook(out)["Accounts"]["A3"].value == "Acme Imports LLC"
    assert [path.name for path in tmp_path.iterdir()] == ["report.xlsx"]


def test_many_rows_keep_their_own_values(tmp_path: Path) -> None:
    """Cells are reused from row to row while streaming: every row must still hold its own values."""
    rows: list[list[Value]] = [
        [f"Importer {n}", n, n * 100, n / 1000, n / 10, date(2026, 1, 1), None] for n in range(2500)
    ]
    styles = [RowStyle.WARNING if n % 7 == 0 else RowStyle.NORMAL for n in range(2500)]
    sheet = write_and_open(tmp_path, make_dataset(kinds_table(rows=rows, styles=styles)))["Accounts"]

    assert sheet.max_row == 2502
    for n in (0, 1, 7, 1234, 2499):
        assert data_row(sheet, n + 3)[:5] == [f"Importer {n}", n, float(n), n / 1000, n / 10]
    assert sheet.auto_filter.ref == "A2:G2502"


def test_ageing_holds_are_highlighted_by_conditional_formatting(tmp_path: Path) -> None:
    columns = (
        Column("entry", "Entry", ValueKind.TEXT, 14),
        Column("age", "Age (business days)", ValueKind.INTEGER, 8, highlight_from=5),
    )
    table = Table("Open holds", columns, [("184-0249368-0", 44), ("W47-1169445-1", 2)], sheet="Open holds")
    sheet = write_and_open(tmp_path, make_dataset(table))["Open holds"]
    (fmt,) = list(sheet.conditional_formatting)
    assert str(fmt.sqref) == "B3:B4"  # the age cells of the data rows, not the header
    (rule,) = fmt.rules
    assert (rule.type, rule.operator, rule.formula) == ("cellIs", "greaterThanOrEqual", ["5"])


def test_no_conditional_formatting_without_a_threshold_or_rows(tmp_path: Path) -> None:
    book = write_and_open(tmp_path, make_dataset(kinds_table(), kinds_table(rows=[])))
    assert all(not list(sheet.conditional_formatting) for sheet in book.worksheets)
