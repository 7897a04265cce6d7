"""The dataset's blocks as ReportLab flowables: title, section headings, fact grids, tables, charts, text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table as RLTable,
)

from app.reports import pdf_fonts
from app.reports.dataset import Chart, Fact, Facts, ReportDataset, Section, Table, Text
from app.reports.pdf_chart import chart_drawing
from app.reports.pdf_format import format_value, truncate
from app.reports.pdf_table import empty_table_note, paged_table

GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#9A9A9A")

TITLE = ParagraphStyle("title", fontName=pdf_fonts.BOLD, fontSize=18, leading=22, spaceAfter=2)
SUBTITLE = ParagraphStyle("subtitle", fontName=pdf_fonts.REGULAR, fontSize=10, leading=13, textColor=GREY)
SECTION = ParagraphStyle(
    "section", fontName=pdf_fonts.BOLD, fontSize=13, leading=16, spaceBefore=12, spaceAfter=4, keepWithNext=1
)
BLOCK = ParagraphStyle(
    "block", fontName=pdf_fonts.BOLD, fontSize=10, leading=13, spaceBefore=8, spaceAfter=3, keepWithNext=1
)
# Before a long table, headings must not be kept with it (ReportLab would try to move the whole table to the
# next page); a conditional page break keeps heading and first rows together instead.
SECTION_BEFORE_TABLE = ParagraphStyle("section-before-table", parent=SECTION, keepWithNext=0)
BLOCK_BEFORE_TABLE = ParagraphStyle("block-before-table", parent=BLOCK, keepWithNext=0)
ROOM_FOR_TABLE_START = 110  # points: a heading, the header row and a few rows
BODY = ParagraphStyle("body", fontName=pdf_fonts.REGULAR, fontSize=9, leading=12, spaceAfter=5)
FACT_LABEL = ParagraphStyle("fact-label", fontName=pdf_fonts.REGULAR, fontSize=7, leading=9, textColor=GREY)
FACT_VALUE = ParagraphStyle("fact-value", fontName=pdf_fonts.BOLD, fontSize=12, leading=15)
FACT_DETAIL = ParagraphStyle(
    "fact-detail", fontName=pdf_fonts.REGULAR, fontSize=6.5, leading=8, textColor=GREY
)

# A fact grid row cannot break across pages, so longer labels, values and details are cut (even in CJK,
# twice as wide, a cell then stays well under the height of a landscape page).
MAX_LABEL_CHARS, MAX_VALUE_CHARS, MAX_DETAIL_CHARS = 80, 120, 160
FACT_CELL_WIDTH = 130.0  # points: about four fact cells across a portrait page, six across a landscape one
Check = Callable[[], None]


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(pdf_fonts.markup(text), style)


def title_block(dataset: ReportDataset) -> list[Flowable]:
    flowables: list[Flowable] = [paragraph(dataset.title, TITLE)]
    if dataset.subtitle:
        flowables.append(paragraph(dataset.subtitle, SUBTITLE))
    flowables.append(Spacer(1, 6))
    return flowables


def section_flowables(section: Section, width: float, check: Check) -> list[Flowable]:
    starts_with_table = bool(section.blocks) and _is_long(section.blocks[0])
    room = ROOM_FOR_TABLE_START + 40 if starts_with_table else 90
    flowables: list[Flowable] = [PageBreak()] if section.new_page else [CondPageBreak(room)]
    if section.title:
        flowables.append(paragraph(section.title, SECTION_BEFORE_TABLE if starts_with_table else SECTION))
    for block in section.blocks:
        check()
        flowables.extend(block_flowables(block, width, check))
    return flowables


def block_flowables(block: Facts | Table | Chart | Text, width: float, check: Check) -> list[Flowable]:
    if isinstance(block, Facts):
        return _facts(block, width)
    if isinstance(block, Table):
        return _table(block, width, check)
    if isinstance(block, Chart):
        return _chart(block, width)
    return _text(block)


def _heading(title: str) -> list[Flowable]:
    return [paragraph(title, BLOCK)] if title else []


def _facts(block: Facts, width: float) -> list[Flowable]:
    if not block.facts:
        return []
    per_row = max(1, min(len(block.facts), int(width // FACT_CELL_WIDTH)))
    cells = [_fact_cell(fact) for fact in block.facts]
    rows: list[list[Any]] = [cells[start : start + per_row] for start in range(0, len(cells), per_row)]
    rows[-1] = rows[-1] + [""] * (per_row - len(rows[-1]))
    grid = RLTable(
        rows,
        colWidths=[width / per_row] * per_row,
        hAlign="LEFT",
        style=[
            ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.REGULAR),  # the empty filler cells: not Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ],
    )
    return [KeepTogether([*_heading(block.title), grid])]


def _fact_cell(fact: Fact) -> list[Flowable]:
    cell: list[Flowable] = [
        paragraph(truncate(fact.label, MAX_LABEL_CHARS), FACT_LABEL),
        paragraph(truncate(format_value(fact.value, fact.kind), MAX_VALUE_CHARS) or "—", FACT_VALUE),
    ]
    if fact.detail:
        cell.append(paragraph(truncate(fact.detail, MAX_DETAIL_CHARS), FACT_DETAIL))
    return cell


def _is_long(block: Facts | Table | Chart | Text) -> bool:
    return isinstance(block, Table) and bool(block.rows)


def _table(block: Table, width: float, check: Check) -> list[Flowable]:
    if not block.rows:
        return [*_heading(block.title), empty_table_note(block)]
    heading = [paragraph(block.title, BLOCK_BEFORE_TABLE)] if block.title else []
    return [CondPageBreak(ROOM_FOR_TABLE_START), *heading, paged_table(block, width, check), Spacer(1, 4)]


def _chart(block: Chart, width: float) -> list[Flowable]:
    drawing = chart_drawing(block, width)
    if drawing is None:
        return [*_heading(block.title), paragraph("No data to chart.", BODY)]
    return [KeepTogether([*_heading(block.title), drawing])]


def _text(block: Text) -> list[Flowable]:
    return [*_heading(block.title), *(paragraph(text, BODY) for text in block.paragraphs if text)]


def report_flowables(dataset: ReportDataset, width: float, check: Check) -> list[Flowable]:
    """The whole story of one report (title first); the page furniture is drawn by the canvas."""
    flowables = title_block(dataset)
    for section in _sections(dataset.sections):
        flowables.extend(section_flowables(section, width, check))
    return flowables


def _sections(sections: Sequence[Section]) -> Sequence[Section]:
    # The first section never starts a page of its own: it follows the title.
    if sections and sections[0].new_page:
        first = sections[0]
        return [Section(first.title, first.blocks, new_page=False), *sections[1:]]
    return sections
