"""The neutral report dataset: what a report says, with no idea of how a PDF or a workbook lays it out.

A service (`services/reports.py`) builds one `ReportDataset` per report from the database; the PDF writer
(`reports/pdf.py`) and the workbook writer (`reports/xlsx.py`) render the same dataset, so the two formats
can never disagree on a figure. Values stay typed here (int, cents, date, datetime, str, None) and each
column says what its values are (`ValueKind`), so the PDF formats them for reading and the workbook stores
them as numbers and dates with a number format.

Blocks, in reading order:
- `Facts`: labelled values (the account header, the 12-month KPIs, the report's filters).
- `Table`: rows under typed columns; the long one of a report (lines, events) can run to tens of thousands.
- `Chart`: categories and one or more series (bars or lines).
- `Text`: paragraphs (notes flagged include-in-summary, the signature block).

Money is integer cents everywhere (as in the store); a writer divides by 100 only when it writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

DEFAULT_MARKING = "CUI // LES"


class ValueKind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"  # int cents
    PERCENT = "percent"  # a fraction: 0.125 is 12.5 %
    DECIMAL = "decimal"  # a float shown with one decimal (hold days)
    DATE = "date"
    DATETIME = "datetime"  # naive UTC, as stored; writers show local time


class RowStyle(StrEnum):
    """A row that needs the reader's eye; writers show it by colour *and* by its text (never colour alone)."""

    NORMAL = "normal"
    WARNING = "warning"  # e.g. a hold past its 5th business day, a response due within 7 days
    ALERT = "alert"  # e.g. a hold past day 30, an overdue response


Value = str | int | float | date | datetime | None


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    kind: ValueKind = ValueKind.TEXT
    width: int = 12  # characters: the workbook's column width, the PDF's relative share
    # A number from which a cell is highlighted in the workbook by conditional formatting, which follows the
    # value when the reader edits or sorts (an ageing hold: its age in business days from the decision day).
    highlight_from: float | None = None


@dataclass(frozen=True)
class Fact:
    label: str
    value: Value
    kind: ValueKind = ValueKind.TEXT
    detail: str = ""  # a second, smaller line ("1 proposed, 0 taken")


@dataclass(frozen=True)
class Facts:
    title: str
    facts: Sequence[Fact]


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Value]]
    row_styles: Sequence[RowStyle] = ()  # empty, or one per row
    sheet: str = ""  # the workbook's sheet name (≤ 31 characters); "" = not in the workbook
    empty_text: str = "None."  # what the PDF prints when there are no rows

    def style_of(self, row: int) -> RowStyle:
        return self.row_styles[row] if row < len(self.row_styles) else RowStyle.NORMAL


class ChartKind(StrEnum):
    BAR = "bar"
    LINE = "line"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


@dataclass(frozen=True)
class Chart:
    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    kind: ChartKind = ChartKind.BAR


@dataclass(frozen=True)
class Text:
    title: str
    paragraphs: Sequence[str]


Block = Facts | Table | Chart | Text


@dataclass(frozen=True)
class Section:
    """A heading and its blocks; the PDF may start a section on a new page (`new_page`)."""

    title: str
    blocks: Sequence[Block]
    new_page: bool = False


@dataclass(frozen=True)
class ReportDataset:
    kind: str  # "account", "portfolio", "holds", "compliance"
    title: str
    subtitle: str
    sections: Sequence[Section]
    generated_at: datetime  # naive UTC
    data_as_of: datetime | None  # naive UTC: the newest data in the database
    generated_by: str = ""
    marking: str = DEFAULT_MARKING
    filters: Sequence[Fact] = field(default_factory=tuple)  # what the report was asked for (About sheet)

    def tables(self) -> list[Table]:
        return [block for section in self.sections for block in section.blocks if isinstance(block, Table)]
