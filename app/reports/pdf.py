"""The PDF writer: a `ReportDataset` as a printable report (ReportLab platypus).

Every page carries the handling marking at top and bottom centre, the generated-at and data-as-of times and
"Page X of Y". Y is only known when the story has been laid out, so the canvas keeps each finished page and
draws the page furniture onto all of them at the end (one layout pass, not two). Several account summaries
can share one file (`write_pdfs`); each starts on a new page and counts its own pages.

Portfolio and holds reports are wide tables and print landscape; the others portrait, on US Letter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate

from app.reports import pdf_fonts
from app.reports.atomic import atomic_output
from app.reports.dataset import ReportDataset
from app.reports.pdf_format import fmt_timestamp, truncate
from app.reports.pdf_layout import report_flowables

LANDSCAPE_KINDS = frozenset({"portfolio", "holds"})
SIDE_MARGIN = 0.6 * inch
TOP_MARGIN = 0.8 * inch  # room for the marking and running title above the frame
BOTTOM_MARGIN = 0.85 * inch  # room for the marking and the footer line below it


class Cancellable(Protocol):
    """What the writers need of a cancel token (app.services.progress.CancelToken is one)."""

    def raise_if_cancelled(self) -> None: ...


@dataclass(frozen=True)
class _Furniture:
    """What the header and footer of one report's pages say."""

    marking: str
    title: str
    footer: str  # "Generated … · Data as of …"


def _furniture(dataset: ReportDataset) -> _Furniture:
    generated = f"Generated {fmt_timestamp(dataset.generated_at)}"
    if dataset.generated_by:
        generated += f" by {truncate(dataset.generated_by, 60)}"
    as_of = (
        f"Data as of {fmt_timestamp(dataset.data_as_of)}" if dataset.data_as_of else "Data as of: no data yet"
    )
    return _Furniture(marking=dataset.marking, title=dataset.title, footer=f"{generated}  ·  {as_of}")


class _StartReport(Flowable):
    """Zero-size marker at the top of a report's first page: the pages from here on belong to that report."""

    def __init__(self, furniture: _Furniture) -> None:
        super().__init__()
        self.furniture = furniture

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.begin_report(self.furniture)


class _NumberedCanvas(Canvas):
    """Holds back every page until the end so each can say "Page X of Y" of its own report."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = pdf_fonts.REGULAR  # never reference the unembedded Helvetica
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._report_number = 0
        self._report_furniture: _Furniture | None = None

    def begin_report(self, furniture: _Furniture) -> None:
        self._report_number += 1
        self._report_furniture = furniture

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(state["_report_number"] for state in self._held_pages)
        seen: Counter[int] = Counter()
        for state in self._held_pages:
            self.__dict__.update(state)
            seen[self._report_number] += 1
            if self._report_furniture is not None:
                _draw_furniture(
                    self, self._report_furniture, seen[self._report_number], totals[self._report_number]
                )
            super().showPage()
        super().save()


def _draw_furniture(canvas: Canvas, furniture: _Furniture, page: int, pages: int) -> None:
    width, height = canvas._pagesize
    canvas.saveState()
    _draw_centred(canvas, width / 2, height - 0.4 * inch, furniture.marking, pdf_fonts.BOLD, 10)
    canvas.setFillGray(0.35)
    if page > 1:  # page 1 shows the title in full
        _draw_text(canvas, SIDE_MARGIN, height - 0.6 * inch, _shorten(furniture.title, width / 2.5), 7.5)
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.5)
    canvas.line(SIDE_MARGIN, height - 0.65 * inch, width - SIDE_MARGIN, height - 0.65 * inch)
    canvas.line(SIDE_MARGIN, 0.68 * inch, width - SIDE_MARGIN, 0.68 * inch)
    _draw_text(canvas, SIDE_MARGIN, 0.52 * inch, furniture.footer, 7.5)
    page_label = f"Page {page} of {pages}"
    label_width = pdf_fonts.string_width(page_label, pdf_fonts.REGULAR, 7.5)
    _draw_text(canvas, width - SIDE_MARGIN - label_width, 0.52 * inch, page_label, 7.5)
    canvas.setFillGray(0)
    _draw_centred(canvas, width / 2, 0.3 * inch, furniture.marking, pdf_fonts.BOLD, 10)
    canvas.restoreState()


def _draw_text(
    canvas: Canvas, x: float, y: float, text: str, size: float, font: str = pdf_fonts.REGULAR
) -> None:
    """Draw `text` run by run, so characters DejaVu lacks come from the fallback fonts."""
    for run_font, piece in pdf_fonts.runs(text):
        name = font if run_font == pdf_fonts.REGULAR else run_font
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += canvas.stringWidth(piece, name, size)


def _draw_centred(canvas: Canvas, centre: float, y: float, text: str, font: str, size: float) -> None:
    _draw_text(canvas, centre - pdf_fonts.string_width(text, font, size) / 2, y, text, size, font)


def _shorten(text: str, width: float) -> str:
    if pdf_fonts.string_width(text, pdf_fonts.REGULAR, 7.5) <= width:
        return text
    while text and pdf_fonts.string_width(text + "…", pdf_fonts.REGULAR, 7.5) > width:
        text = text[:-1]
    return text + "…"


class _ReportDoc(BaseDocTemplate):
    def __init__(self, filename: str, cancel: Cancellable | None, **kwargs: Any) -> None:
        super().__init__(filename, **kwargs)
        self._cancel = cancel

    def check_cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.raise_if_cancelled()

    def afterFlowable(self, flowable: Flowable) -> None:
        self.check_cancel()


def _template(name: str, pagesize: tuple[float, float]) -> PageTemplate:
    width, height = pagesize
    frame = Frame(
        SIDE_MARGIN,
        BOTTOM_MARGIN,
        width - 2 * SIDE_MARGIN,
        height - TOP_MARGIN - BOTTOM_MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=f"{name}-body",
    )
    return PageTemplate(id=name, frames=[frame], pagesize=pagesize)


def _orientation(dataset: ReportDataset) -> str:
    return "landscape" if dataset.kind in LANDSCAPE_KINDS else "portrait"


def write_pdfs(datasets: Sequence[ReportDataset], out: Path, *, cancel: Cancellable | None = None) -> int:
    """Write `datasets` into one PDF at `out`, each report from a new page; returns the total page count."""
    if not datasets:
        raise ValueError("write_pdfs needs at least one report")
    pdf_fonts.register_fonts()
    sizes = {"portrait": letter, "landscape": landscape(letter)}
    first = _orientation(datasets[0])
    order = [first, *(name for name in sizes if name != first)]  # the document starts on the first template
    with atomic_output(Path(out)) as temp:
        doc = _ReportDoc(
            str(temp),
            cancel,
            pagesize=sizes[first],
            pageTemplates=[_template(name, sizes[name]) for name in order],
            title=datasets[0].title,
            author=datasets[0].generated_by,
            subject=datasets[0].marking,
            creator="AE Workbench",
        )
        story: list[Flowable] = []
        for index, dataset in enumerate(datasets):
            frame_width = sizes[_orientation(dataset)][0] - 2 * SIDE_MARGIN
            if index:
                story += [NextPageTemplate(_orientation(dataset)), PageBreak()]
            story.append(_StartReport(_furniture(dataset)))
            story.extend(report_flowables(dataset, frame_width, doc.check_cancel))
        doc.build(story, canvasmaker=_NumberedCanvas)
        return int(doc.page)


def write_pdf(dataset: ReportDataset, out: Path, *, cancel: Cancellable | None = None) -> int:
    """Write one report as a PDF at `out` (atomically); returns its page count."""
    return write_pdfs([dataset], out, cancel=cancel)
