"""The error workbook: the rows an import rejected, as the file gave them, with what is wrong with each.

A person opens it, fixes the cells and imports it again, so each row keeps its original cells under the
file's own header: columns "Row" (the file row), the file's columns in file order, then "Error" (the
messages). On the next import "Row" and "Error" are unknown columns and are ignored with a warning.

Values are written as the reader gave them: CSV text stays text (an amount "$1,234.56" is not turned into a
number), native XLSX dates stay dates with a date format, numbers stay numbers. Text a spreadsheet would take
for a formula (it begins with =, +, -, @, tab or CR) is a string cell with the quote-prefix style, exactly as
the report workbooks do it: the characters stay the same and nothing is evaluated, so a fixed row imports
back to the same value. Two things cannot survive any workbook and are adjusted: line breaks are stored as LF
(the file's XML turns a CR into LF anyway) and control characters XML cannot hold are dropped.

Rows are streamed (openpyxl's write-only mode), so a file with a million rejected rows does not sit in
memory. Nothing touches the target folder until `close()`, which writes the workbook atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.reports.atomic import atomic_output
from app.reports.xlsx import discard_scratch, looks_like_formula

SHEET_TITLE = "Rejected rows"
ROW_HEADING = "Row"
ERROR_HEADING = "Error"
MESSAGE_SEPARATOR = "; "
SUFFIX = "-errors.xlsx"

DATE_FORMAT = "mm/dd/yyyy"
DATETIME_FORMAT = "mm/dd/yyyy hh:mm:ss"
MAX_CELL_TEXT = 32_767  # Excel's limit; longer text makes Excel "repair" the file
MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows less the header
ROW_WIDTH = 8
MIN_WIDTH = 10
MAX_WIDTH = 40
ERROR_WIDTH = 80

BOLD = Font(bold=True)
ERROR_FONT = Font(color="C00000")
ERROR_ALIGNMENT = Alignment(wrap_text=True, vertical="top")

# Types a cell holds natively; anything else is written as its text.
_NATIVE = (bool, int, float, time, timedelta)


def default_error_workbook_path(source: Path) -> Path:
    """Where the rejected rows of `source` go by default: `<folder>/<stem>-errors.xlsx`."""
    source = Path(source)
    return source.with_name(f"{source.stem}{SUFFIX}")


class ErrorWorkbook:
    """Collects rejected rows (`add`) and writes them as one workbook at `path` on `close`.

    `header` is the file's header row as read. Until the first `add` nothing exists, not even in memory;
    `close()` with no rows writes nothing and returns None.
    """

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path = Path(path)
        self.header = list(header)
        self._rows = 0
        self._dropped = 0
        self._workbook: Workbook | None = None
        self._sheet: WriteOnlyWorksheet | None = None
        self._width = len(self.header) + 2  # the widest row so far, for the autofilter
        self._cells: _CellFactory | None = None

    @property
    def rows(self) -> int:
        """How many rejected rows were added."""
        return self._rows

    @property
    def dropped(self) -> int:
        """Rows not written because the sheet was full (Excel's row limit)."""
        return self._dropped

    def add(self, row: int, cells: Sequence[object], messages: Sequence[str]) -> None:
        """Add file row `row` with its original `cells` (file order) and the `messages` about it."""
        if self._rows >= MAX_ROWS:
            self._dropped += 1
            return
        if self._sheet is None:
            self._start()
        assert self._sheet is not None and self._cells is not None
        make = self._cells
        values = [make.value(cell) for cell in cells[: len(self.header)]]
        values.extend([None] * (len(self.header) - len(values)))
        line: list[object] = [row, *values, make.error(MESSAGE_SEPARATOR.join(messages))]
        # Cells beyond the header are kept after "Error" (the importer never reads them, but they are the
        # person's data), so the columns above stay aligned with their headings.
        extra = cells[len(self.header) :]
        if extra:
            line.extend(make.value(cell) for cell in extra)
            self._width = max(self._width, len(line))
        self._sheet.append(line)
        self._rows += 1

    def close(self) -> Path | None:
        """Write the workbook (atomically, replacing an earlier one) and return its path; None if empty.

        An OSError (a read-only or missing folder, a full disk) propagates after the scratch data is dropped.
        """
        workbook, sheet = self._workbook, self._sheet
        if workbook is None or sheet is None:
            return None
        self._workbook = self._sheet = self._cells = None
        sheet.auto_filter.ref = f"A1:{get_column_letter(self._width)}{self._rows + 1}"
        try:
            with atomic_output(self.path) as temp:
                workbook.save(temp)
        except BaseException:
            discard_scratch(workbook)
            raise
        return self.path

    def discard(self) -> None:
        """Drop the rows without writing anything (a cancelled or failed import)."""
        workbook = self._workbook
        self._workbook = self._sheet = self._cells = None
        if workbook is not None:
            discard_scratch(workbook)

    def _start(self) -> None:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(SHEET_TITLE)
        # A write-only sheet writes its views and column widths with the first row: set them now.
        sheet.freeze_panes = "A2"
        headings = [ROW_HEADING, *self.header, ERROR_HEADING]
        for index, heading in enumerate(headings, 1):
            sheet.column_dimensions[get_column_letter(index)].width = _width(heading)
        sheet.column_dimensions["A"].width = ROW_WIDTH
        sheet.column_dimensions[get_column_letter(len(headings))].width = ERROR_WIDTH
        cells = _CellFactory(sheet)
        sheet.append([cells.heading(text) for text in headings])
        self._workbook, self._sheet, self._cells = workbook, sheet, cells


def _width(heading: str) -> int:
    # Room for the heading and the autofilter's drop-down button, so neither is clipped.
    return min(MAX_WIDTH, max(MIN_WIDTH, len(heading) + 4))


class _CellFactory:
    """Turns read values into what a write-only sheet accepts: plain values, or styled cells where needed."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet

    def value(self, value: object) -> object:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            # Plain text needs no cell of its own: openpyxl stores any str that is not "=…" as a string.
            return self._text(value) if looks_like_formula(value) else _cell_text(value)
        if isinstance(value, datetime):
            return self._formatted(value, DATETIME_FORMAT)
        if isinstance(value, date):
            return self._formatted(value, DATE_FORMAT)
        if isinstance(value, _NATIVE):
            return value
        return self._text(str(value))

    def heading(self, text: str) -> WriteOnlyCell:
        cell = self._text(text)
        cell.font = BOLD
        return cell

    def error(self, text: str) -> WriteOnlyCell:
        cell = self._text(text)
        cell.font = ERROR_FONT
        cell.alignment = ERROR_ALIGNMENT
        return cell

    def _text(self, text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, _cell_text(text))
        cell.data_type = "s"  # never a formula, never a number parsed out of text
        if looks_like_formula(text):
            cell.quotePrefix = True
        return cell

    def _formatted(self, value: date, number_format: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value)
        cell.number_format = number_format
        return cell


def _cell_text(text: str) -> str:
    """Text a cell can hold: line breaks as LF, no XML-illegal control characters, within Excel's limit."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text
