"""The workbook writer: a `ReportDataset` as an .xlsx file, one sheet per table and an "About" sheet.

Layout of a table sheet: row 1 holds the handling marking (bold), row 2 the column headings (bold, filled,
with an autofilter), data from row 3 on; the panes are frozen below the headings. The marking, the report
title, generated-at, data-as-of and "Page X of Y" are also in the printed header and footer.

Values are typed, never numbers as text: integers, money (cents / 100, as dollars), fractions shown as
percent, one-decimal numbers, dates and date-times each get a number format. Date-times are stored as naive
UTC in the dataset and written in the local time of the computer that writes the workbook, like the PDF
and the screens; the About sheet says so. Rows that need the reader's eye (`RowStyle.WARNING` / `ALERT`)
get a fill on every cell: a cell style travels with its row when the reader sorts or filters. The row's own
text says why, so the colour is never alone. A column with `highlight_from` (a hold's age) also gets a
conditional format over its data cells, which follows the value when the reader edits it.

Text that a spreadsheet could take for a formula (it begins with =, +, -, @, tab or CR, also once the
control characters no cell can hold are dropped) is written as a string cell with the "quote prefix" style:
the visible text stays exactly the original and neither Excel nor LibreOffice evaluates it, even after the
reader edits the cell. `neutralize()` is the same guard for plain-text sinks (no cell styles there): it
prefixes an apostrophe.

Speed: openpyxl's write-only mode streams each appended row to the file at once, so memory stays flat and
a cell object handed to `append` is written before the next row is built. Each column therefore reuses one
pre-styled cell per row style instead of building a styled cell per value.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.reports.atomic import atomic_output
from app.reports.dataset import Column, Fact, Facts, ReportDataset, RowStyle, Table, Text, Value, ValueKind

NUMBER_FORMATS: dict[ValueKind, str] = {
    ValueKind.INTEGER: "#,##0",
    ValueKind.MONEY: '"$"#,##0.00',
    ValueKind.PERCENT: "0.0%",
    ValueKind.DECIMAL: "0.0",
    ValueKind.DATE: "mm/dd/yyyy",
    ValueKind.DATETIME: "mm/dd/yyyy hh:mm",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ABOUT_SHEET = "About"
CREATOR = "AE Workbench"
FIRST_DATA_ROW = 3  # row 1: marking, row 2: headings
MAX_SHEET_NAME = 31
MAX_CELL_TEXT = 32_767  # Excel's limit; longer text makes Excel "repair" the file
CANCEL_CHECK_ROWS = 1_000

ROW_FILLS = {
    RowStyle.WARNING: PatternFill("solid", fgColor="FFF2CC"),  # amber
    RowStyle.ALERT: PatternFill("solid", fgColor="F8CBAD"),  # red
}
HEADING_FILL = PatternFill("solid", fgColor="D9E1F2")
HIGHLIGHT_FILL = PatternFill("solid", fgColor="FFE8B3", bgColor="FFE8B3")  # conditional formats use bgColor
BOLD = Font(bold=True)
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HUMAN_TIME = "%m/%d/%Y %H:%M"


class CancelCheck(Protocol):
    """What the writer needs of a cancel token (the services' `CancelToken` fits)."""

    def raise_if_cancelled(self) -> None: ...


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet evaluate this text if it were typed into a cell?

    Judged on the text as a cell will hold it: the control characters a cell cannot hold are dropped on
    writing, so "=cmd…" behind a U+0001 is "=cmd…" in the cell and must be guarded like it.
    """
    if text.startswith(FORMULA_STARTS):
        return True
    # Every XML-illegal character sorts before " ": ordinary text never pays for the substitution.
    return text[:1] < " " and ILLEGAL_CHARACTERS_RE.sub("", text).startswith(FORMULA_STARTS)


def neutralize(text: str) -> str:
    """The formula guard for plain text: an apostrophe before text a spreadsheet would evaluate.

    The workbook itself keeps the text unchanged and marks such cells with the quote-prefix style instead.
    """
    return "'" + text if looks_like_formula(text) else text


def write_xlsx(dataset: ReportDataset, out: Path, *, cancel: CancelCheck | None = None) -> None:
    """Write `dataset` as a workbook at `out`, all at once or not at all (see `atomic_output`)."""
    with atomic_output(Path(out)) as temp:
        workbook = Workbook(write_only=True)
        try:
            _fill_workbook(workbook, dataset, cancel)
            workbook.save(temp)
        except BaseException:
            discard_scratch(workbook)
            raise


def _fill_workbook(workbook: Workbook, dataset: ReportDataset, cancel: CancelCheck | None) -> None:
    # The document properties are XML too: a control character in an account name would corrupt the file.
    workbook.properties.title = _clean_text(dataset.title)
    workbook.properties.subject = _clean_text(dataset.subtitle)
    workbook.properties.creator = CREATOR
    workbook.properties.keywords = _clean_text(dataset.marking)
    names = _SheetNames(reserved=ABOUT_SHEET)
    for table in dataset.tables():
        if table.sheet:
            _write_table(workbook.create_sheet(names.take(table.sheet)), table, dataset, cancel)
    _write_about(workbook.create_sheet(ABOUT_SHEET), dataset)


def discard_scratch(workbook: Workbook) -> None:
    """Close and delete the scratch files openpyxl streams each write-only sheet into.

    Left alone they would linger until the process ends, and the half-written sheets would complain about a
    closed file when they are garbage collected.
    """
    for sheet in workbook.worksheets:
        # End the row stream first (it writes its closing tag), then the scratch file, then delete it.
        for part in (getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)):
            if part is not None:
                with contextlib.suppress(Exception):
                    part.close()
        with contextlib.suppress(Exception):
            sheet._writer.cleanup()


# --- table sheets -------------------------------------------------------------------------------------------


def _write_table(
    sheet: WriteOnlyWorksheet, table: Table, dataset: ReportDataset, cancel: CancelCheck | None
) -> None:
    columns = list(table.columns)
    last_letter = get_column_letter(max(len(columns), 1))
    # Write-only sheets emit views and column widths with the first row: set them before appending.
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    for index, column in enumerate(columns, 1):
        # Room for the heading and the autofilter's drop-down button, so neither is clipped.
        sheet.column_dimensions[get_column_letter(index)].width = max(column.width, len(column.heading) + 3)
    sheet.auto_filter.ref = f"A{FIRST_DATA_ROW - 1}:{last_letter}{FIRST_DATA_ROW - 1 + len(table.rows)}"
    sheet.print_title_rows = f"1:{FIRST_DATA_ROW - 1}"
    _print_setup(sheet, dataset, landscape=len(columns) > 6)

    _stream_cells_as_given(sheet)
    sheet.append([_styled(sheet, dataset.marking, bold=True)])
    sheet.append([_styled(sheet, c.heading, bold=True, fill=HEADING_FILL) for c in columns])
    writers = [_ColumnWriter(sheet, column.kind) for column in columns]
    has_styles = bool(table.row_styles)
    for number, row in enumerate(table.rows):
        if cancel is not None and number % CANCEL_CHECK_ROWS == 0:
            cancel.raise_if_cancelled()
        style = table.style_of(number) if has_styles else RowStyle.NORMAL
        sheet.append([writer.put(value, style) for writer, value in zip(writers, row, strict=False)])
    _highlight_rules(sheet, columns, len(table.rows))


def _highlight_rules(sheet: WriteOnlyWorksheet, columns: list[Column], rows: int) -> None:
    """Conditional formatting for columns with `highlight_from`: the cell turns amber at that value."""
    if rows == 0:
        return
    for index, column in enumerate(columns, 1):
        if column.highlight_from is None:
            continue
        letter = get_column_letter(index)
        cells = f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + rows - 1}"
        rule = CellIsRule(
            operator="greaterThanOrEqual", formula=[repr(column.highlight_from)], fill=HIGHLIGHT_FILL
        )
        sheet.conditional_formatting.add(cells, rule)


class _ColumnWriter:
    """Turns one column's values into cells: one reused, pre-styled cell per (row style, quote prefix).

    Reuse is safe because a write-only sheet writes each appended row before `append` returns.
    """

    def __init__(self, sheet: WriteOnlyWorksheet, kind: ValueKind) -> None:
        self.sheet = sheet
        self.kind = kind
        self.number_format = NUMBER_FORMATS.get(kind)
        self.cells: dict[tuple[RowStyle, bool], Cell] = {}

    def put(self, value: Value, style: RowStyle) -> Cell | None:
        if value is None:
            return None if style is RowStyle.NORMAL else self._cell(style, False, None)
        if isinstance(value, str):
            quote = looks_like_formula(value)
            cell = self._cell(style, quote, _clean_text(value))
            if quote:
                cell.data_type = "s"  # openpyxl would otherwise take "=..." for a formula
            return cell
        if isinstance(value, datetime):
            value = _to_local(value)
        elif self.kind is ValueKind.MONEY and isinstance(value, int):
            value = value / 100
        return self._cell(style, False, value)

    def _cell(self, style: RowStyle, quote: bool, value: Value) -> Cell:
        cell = self.cells.get((style, quote))
        if cell is None:
            cell = self.cells[style, quote] = WriteOnlyCell(self.sheet)
            if self.number_format is not None:
                cell.number_format = self.number_format
            if style in ROW_FILLS:
                cell.fill = ROW_FILLS[style]
            if quote:
                cell.quotePrefix = True
        cell.value = value
        return cell


def _stream_cells_as_given(sheet: WriteOnlyWorksheet) -> None:
    """Let the sheet write the cells it is given as they are, for a table sheet that appends only cells.

    openpyxl's own row conversion first tries each cell as a value (an exception per cell) and then
    replaces its scratch cell after every styled one; for a 100k-row table that is a third of the time.
    """

    def cells_to_row(cells: Sequence[Cell | None], row_index: int) -> Iterator[Cell]:
        for column_index, cell in enumerate(cells, 1):
            if cell is not None:
                cell.column = column_index
                cell.row = row_index
                yield cell

    sheet._values_to_row = cells_to_row


# --- the About sheet ----------------------------------------------------------------------------------------


def _write_about(sheet: WriteOnlyWorksheet, dataset: ReportDataset) -> None:
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 45
    sheet.column_dimensions["C"].width = 45
    _print_setup(sheet, dataset, landscape=False)
    sheet.append([_styled(sheet, dataset.marking, bold=True)])
    sheet.append([_styled(sheet, dataset.title, bold=True)])
    sheet.append([_text_cell(sheet, dataset.subtitle)])
    sheet.append([])
    for label, value, kind in (
        ("Handling marking", dataset.marking, ValueKind.TEXT),
        ("Generated at", dataset.generated_at, ValueKind.DATETIME),
        ("Generated by", dataset.generated_by, ValueKind.TEXT),
        ("Data as of", dataset.data_as_of, ValueKind.DATETIME),
        ("Times", "Local time of the computer that wrote this workbook", ValueKind.TEXT),
    ):
        sheet.append(_fact_row(sheet, Fact(label, value, kind)))
    _append_facts(sheet, "Filters", dataset.filters)
    for section in dataset.sections:
        for block in section.blocks:
            if isinstance(block, Facts):
                _append_facts(sheet, block.title or section.title, block.facts)
            elif isinstance(block, Text) and block.paragraphs:
                _append_heading(sheet, block.title or section.title)
                for paragraph in block.paragraphs:
                    sheet.append([_text_cell(sheet, paragraph)])
    sheets = [table for table in dataset.tables() if table.sheet]
    if sheets:
        _append_heading(sheet, "Sheets")
        for table in sheets:
            sheet.append([_text_cell(sheet, table.sheet), _text_cell(sheet, table.title)])


def _append_heading(sheet: WriteOnlyWorksheet, title: str) -> None:
    sheet.append([])
    sheet.append([_styled(sheet, title, bold=True, fill=HEADING_FILL)])


def _append_facts(sheet: WriteOnlyWorksheet, title: str, facts: Sequence[Fact]) -> None:
    if facts:
        _append_heading(sheet, title)
        for fact in facts:
            sheet.append(_fact_row(sheet, fact))


def _fact_row(sheet: WriteOnlyWorksheet, fact: Fact) -> list[Cell | None]:
    # A fresh column writer per fact: its cell is not reused by the next row.
    row = [_text_cell(sheet, fact.label), _ColumnWriter(sheet, fact.kind).put(fact.value, RowStyle.NORMAL)]
    if fact.detail:
        row.append(_text_cell(sheet, fact.detail))
    return row


def _text_cell(sheet: WriteOnlyWorksheet, value: Value) -> Cell:
    return _guarded(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value)


def _guarded(sheet: WriteOnlyWorksheet, value: str) -> Cell:
    cell = WriteOnlyCell(sheet, _clean_text(value))
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _styled(
    sheet: WriteOnlyWorksheet, text: str, *, bold: bool = False, fill: PatternFill | None = None
) -> Cell:
    cell = _guarded(sheet, text)
    if bold:
        cell.font = BOLD
    if fill is not None:
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


# --- shared helpers -----------------------------------------------------------------------------------------


def _print_setup(sheet: WriteOnlyWorksheet, dataset: ReportDataset, *, landscape: bool) -> None:
    """Marking, title, times and page numbers in the printed header and footer; fit the width to the page."""
    as_of = _human(dataset.data_as_of) or "unknown"
    sheet.oddHeader.left.text = _header_text(dataset.title)[:100]
    sheet.oddHeader.center.text = _header_text(dataset.marking)
    sheet.oddFooter.left.text = _header_text(f"Generated {_human(dataset.generated_at)} · Data as of {as_of}")
    sheet.oddFooter.center.text = _header_text(dataset.marking)
    sheet.oddFooter.right.text = "Page &P of &N"
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _header_text(text: str) -> str:
    return _clean_text(text).replace("&", "&&").replace("\n", " ")


def _human(value: datetime | None) -> str:
    return _to_local(value).strftime(_HUMAN_TIME) if value is not None else ""


def _to_local(value: datetime) -> datetime:
    """Naive UTC (as stored) → naive local wall-clock time; an aware value is taken at its word."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone().replace(tzinfo=None)


def _clean_text(text: str) -> str:
    """Text a cell can hold: no XML-illegal control characters, line breaks as LF, within Excel's limit.

    A bare CR would not survive the file's XML anyway (parsers turn it into LF).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


class _SheetNames:
    """Sheet names Excel accepts: ≤ 31 characters, none of []:*?/\\, not quoted, unique (case-insensitive)."""

    def __init__(self, reserved: str) -> None:
        self.taken = {reserved.casefold()}

    def take(self, wanted: str) -> str:
        base = _SHEET_NAME_FORBIDDEN.sub("-", _clean_text(wanted)).strip().strip("'") or "Sheet"
        name = base[:MAX_SHEET_NAME]
        number = 2
        while name.casefold() in self.taken:
            suffix = f" ({number})"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            number += 1
        self.taken.add(name.casefold())
        return name
