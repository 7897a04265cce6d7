"""A report table as PDF: tens of thousands of rows, the header on every page, in roughly linear time.

ReportLab's Table re-measures every remaining row each time it splits at a page end, so one 20,000-row table
takes half a minute. `PagedTable` instead builds a table of only about as many rows as the last page held,
lets ReportLab split that at the page end, keeps the part that fits and carries the rest (as rows, not a
table) to the next page. Each page therefore holds one table with one header row, as if it were one long
table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table as RLTable

from app.reports import pdf_fonts
from app.reports.dataset import Column, RowStyle, Table, ValueKind
from app.reports.pdf_format import NUMERIC_KINDS, format_value, truncate

# More rows than any page can hold (a row is at least ~13 pt; a page frame at most ~650 pt): a rest this short
# is one ReportLab table that may end on this page; a longer one is always split at a page end.
MAX_ROWS_PER_PAGE = 60
FIRST_GUESS = 40  # rows of a first page, before any page has been measured
MAX_CELL_LINES = 36  # 36 lines of 9 pt: a row of the tallest cells still fits a landscape page
FONT_SIZE = 7.5
PADDING = 2
HEADER_BACKGROUND = colors.HexColor("#D9D9D9")
STRIPE = colors.HexColor("#F4F4F4")
ROW_BACKGROUNDS = {RowStyle.WARNING: colors.HexColor("#FFE8B3"), RowStyle.ALERT: colors.HexColor("#F7C6C6")}
GRID = colors.HexColor("#9A9A9A")

_CELL = ParagraphStyle("cell", fontName=pdf_fonts.REGULAR, fontSize=FONT_SIZE, leading=FONT_SIZE * 1.2)
_CELL_BOLD = ParagraphStyle("cell-bold", parent=_CELL, fontName=pdf_fonts.BOLD)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName=pdf_fonts.BOLD)
_HEAD_RIGHT = ParagraphStyle("head-right", parent=_HEAD, alignment=TA_RIGHT)

Cell: TypeAlias = str | Flowable  # what a ReportLab table cell holds
Check = Callable[[], None]


# The widest value of each kind that must stay on one line: a date broken as "11/08/2 / 026" misleads.
ONE_LINE_SAMPLES = {
    ValueKind.DATE: "00/00/0000",
    ValueKind.DATETIME: "00/00/0000 00:00",
    ValueKind.MONEY: "-$00,000,000.00",
    ValueKind.PERCENT: "100.0%",
    ValueKind.INTEGER: "000,000",
    ValueKind.DECIMAL: "000.0",
}


LONGEST_UNBROKEN = 16  # characters: a word up to this long (an entry number, "EXAMINATION") is never split
SAMPLE_ROWS = 200  # rows looked at for their words: enough to see a column's kind of values


def _minimum_width(column: Column, values: Sequence[object]) -> float:
    """Room for the column's one-line values (dates, amounts), for the words of its values (an entry number,
    a code, "EXAMINATION") and for the longest word of its heading, each unbroken."""
    longest_word = max(column.heading.split() or [""], key=len)
    widths = [
        stringWidth(ONE_LINE_SAMPLES.get(column.kind, ""), pdf_fonts.REGULAR, FONT_SIZE),
        stringWidth(longest_word, pdf_fonts.BOLD, FONT_SIZE),
    ]
    if column.kind is ValueKind.TEXT:
        words = {word for value in values if isinstance(value, str) for word in value.split()}
        widths += [
            pdf_fonts.string_width(word, pdf_fonts.REGULAR, FONT_SIZE)
            for word in words
            if len(word) <= LONGEST_UNBROKEN
        ]
    return max(widths) + 2 * PADDING + 4


def column_widths(table: Table, width: float) -> list[float]:
    """Each column gets its minimum (`_minimum_width`), then a share of what is left in proportion to its
    `Column.width` (characters). Minimums wider than the page are scaled down together."""
    sample = table.rows[:SAMPLE_ROWS]
    minimums = [
        _minimum_width(column, [row[index] for row in sample if index < len(row)])
        for index, column in enumerate(table.columns)
    ]
    spare = width - sum(minimums)
    if spare <= 0:
        return [width * minimum / sum(minimums) for minimum in minimums]
    total = sum(max(column.width, 1) for column in table.columns) or 1
    return [
        minimum + spare * max(column.width, 1) / total
        for minimum, column in zip(minimums, table.columns, strict=True)
    ]


class PagedTable(Flowable):
    """The rows of one dataset table from `start` on, laid out one page-sized ReportLab table at a time."""

    def __init__(self, cells: _Cells, check: Check, start: int = 0, per_page: int = FIRST_GUESS) -> None:
        super().__init__()
        self.cells = cells
        self.check = check
        self.start = start
        self.per_page = per_page  # rows the previous page held: the next page's first guess
        self._table: RLTable | None = None  # the rest of the table, once it is short enough to fit a page

    def _rest_is_short(self) -> bool:
        return self.cells.count - self.start <= MAX_ROWS_PER_PAGE

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._rest_is_short():
            self._table = self._table or self.cells.table(self.start, self.cells.count)
            return self._table.wrap(availWidth, availHeight)
        return availWidth, availHeight + 1  # more than a page: always ask to be split

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.check()
        if self._rest_is_short():
            assert self._table is not None
            return self._table.split(availWidth, availHeight)
        guess = self.per_page + self.per_page // 4 + 4
        while True:
            stop = min(self.start + guess, self.cells.count)
            chunk = self.cells.table(self.start, stop)
            chunk.wrap(availWidth, availHeight)
            parts = chunk.split(availWidth, availHeight)
            placed = len(parts[0]._cellvalues) - 1 if parts else 0  # minus the header row
            if placed < stop - self.start or stop == self.cells.count:
                break
            guess *= 2  # the whole guess fitted: the page may hold more, so measure again with more rows
        if placed <= 0:
            return []  # not even the header and one row fit: the frame moves on to the next page
        if self.start + placed >= self.cells.count:
            return [parts[0]]
        return [parts[0], PagedTable(self.cells, self.check, self.start + placed, placed)]

    def draw(self) -> None:
        assert self._table is not None  # wrap() built it: only a short rest is ever drawn whole
        self._table.drawOn(self.canv, 0, 0)


class _Cells:
    """The header and the cells of a dataset table, each row converted once however often it is measured."""

    def __init__(self, table: Table, widths: Sequence[float]) -> None:
        self.source = table
        self.widths = list(widths)
        self.count = len(table.rows)
        self.kinds = [column.kind for column in table.columns]
        self.header: list[Cell] = [
            Paragraph(
                pdf_fonts.markup(column.heading), _HEAD_RIGHT if column.kind in NUMERIC_KINDS else _HEAD
            )
            for column in table.columns
        ]
        self._rows: dict[int, list[Cell]] = {}

    def row(self, index: int) -> list[Cell]:
        cells = self._rows.get(index)
        if cells is None:
            cells = _row_cells(self.source.rows[index], self.kinds, self.widths, self.source.style_of(index))
            self._rows[index] = cells
        return cells

    def forget_before(self, index: int) -> None:
        for old in [key for key in self._rows if key < index]:
            del self._rows[old]

    def table(self, start: int, stop: int) -> RLTable:
        """A ReportLab table of the header and rows [start, stop), styled."""
        self.forget_before(start)  # rows before `start` are on earlier pages: free them
        data: list[list[Cell]] = [self.header]
        commands: list[tuple[Any, ...]] = [*_BASE_COMMANDS]
        for position, index in enumerate(range(start, stop), start=1):
            style = self.source.style_of(index)
            data.append(self.row(index))
            if style in ROW_BACKGROUNDS:
                commands.append(("BACKGROUND", (0, position), (-1, position), ROW_BACKGROUNDS[style]))
            if style is RowStyle.ALERT:
                commands.append(("FONTNAME", (0, position), (-1, position), pdf_fonts.BOLD))
        for column, kind in enumerate(self.kinds):
            if kind in NUMERIC_KINDS:
                commands.append(("ALIGN", (column, 1), (column, -1), "RIGHT"))
        return RLTable(data, colWidths=self.widths, repeatRows=1, style=commands, hAlign="LEFT")


def paged_table(table: Table, width: float, check: Check) -> PagedTable:
    """A flowable for `table` (with at least one row) across `width` points."""
    return PagedTable(_Cells(table, column_widths(table, width)), check)


_BASE_COMMANDS: list[tuple[Any, ...]] = [
    ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.REGULAR),
    ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
    ("LEADING", (0, 0), (-1, -1), FONT_SIZE * 1.2),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), PADDING),
    ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
    ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
    ("BOX", (0, 0), (-1, -1), 0.5, GRID),
]


def _row_cells(
    values: Sequence[object], kinds: Sequence[ValueKind], widths: Sequence[float], style: RowStyle
) -> list[Cell]:
    cells: list[Cell] = []
    for value, kind, width in zip(values, kinds, widths, strict=False):
        text = format_value(value, kind)  # type: ignore[arg-type]
        cells.append(_fitting_cell(text, width, style))
    return cells + [""] * (len(kinds) - len(cells))  # a short row still fills every column


def _fitting_cell(text: str, width: float, style: RowStyle) -> Cell:
    """The cheapest cell that shows `text`: a plain string when DejaVu draws it on one line, a one-line run
    of fallback fonts when it fits, and a wrapping Paragraph (slow: markup parsing) only for long text."""
    font = pdf_fonts.BOLD if style is RowStyle.ALERT else pdf_fonts.REGULAR
    # A row cannot break across pages: cap a cell at MAX_CELL_LINES lines of full-width (CJK) characters.
    text = truncate(pdf_fonts.clean(text), max(1, int((width - 6) // FONT_SIZE)) * MAX_CELL_LINES)
    if "\n" not in text:
        if not pdf_fonts.needs_fallback(text):
            if stringWidth(text, font, FONT_SIZE) <= width - 6:
                return text
        elif pdf_fonts.string_width(text, font, FONT_SIZE) <= width - 6:
            return _OneLine(text, font)
    return Paragraph(pdf_fonts.markup(text), _CELL_BOLD if style is RowStyle.ALERT else _CELL)


class _OneLine(Flowable):
    """A short text that needs fallback fonts, drawn run by run on one line (no Paragraph needed)."""

    def __init__(self, text: str, font: str) -> None:
        super().__init__()
        self.text = text
        self.font = font

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = pdf_fonts.string_width(self.text, self.font, FONT_SIZE)
        return self.width, _CELL.leading

    def draw(self) -> None:
        x, baseline = 0.0, _CELL.leading - FONT_SIZE  # where a one-line Paragraph puts its baseline
        for run_font, piece in pdf_fonts.runs(self.text):
            name = self.font if run_font == pdf_fonts.REGULAR else run_font
            self.canv.setFont(name, FONT_SIZE)
            self.canv.drawString(x, baseline, piece)
            x += stringWidth(piece, name, FONT_SIZE)


def empty_table_note(table: Table) -> Paragraph:
    return Paragraph(
        pdf_fonts.markup(table.empty_text),
        ParagraphStyle(
            "empty",
            parent=_CELL,
            fontSize=9,
            leading=12,
            alignment=TA_LEFT,
            textColor=colors.HexColor("#444444"),
        ),
    )
