"""Preview a PDF report inside the workbench, then print it or keep a copy.

`PdfPreviewDialog(path)` shows every page (QtPdf: continuous pages, fit to width) with "Page x of y", PgUp and
PgDn between pages, and Print…, Save as…, Close. Printing renders each page with QPdfDocument.render() into
the printer's painter (`print_to()`, which the tests drive with a PDF-file printer: no print dialog there).

A preview of a file made only to be looked at (`temporary=True`, e.g. Account › Print summary) removes the
file when the dialog closes; Save as… is how the user keeps it.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

# Pages are rendered as images for the printer; beyond this resolution the image only costs memory (a Letter
# page at 1200 dpi is a 540 MB image) and no printer shows the difference in a report's text.
MAX_PRINT_DPI = 300
POINTS_PER_INCH = 72


class PdfPreviewDialog(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None, *, temporary: bool = False) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.temporary = temporary
        self.setObjectName("pdf-preview")
        self.setWindowTitle(f"Preview — {self.path.name}")
        self.setSizeGripEnabled(True)
        self.resize(900, 1000)

        self.document = QPdfDocument(self)
        self.load_error = self.document.load(str(self.path))
        self.view = QPdfView(self)
        self.view.setObjectName("pdf-preview-pages")
        self.view.setAccessibleName("Report pages")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.pageNavigator().currentPageChanged.connect(self._update_page_label)

        self.page_label = QLabel(self)
        self.page_label.setObjectName("pdf-preview-page")
        self.print_button = QPushButton("&Print…", self)
        self.print_button.setAccessibleName("Print the report")
        self.print_button.setToolTip("Print the report (Ctrl+P)")
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton("&Save as…", self)
        self.save_button.setAccessibleName("Save a copy of the report")
        self.save_button.setToolTip("Save a copy of the PDF (Ctrl+S)")
        self.save_button.clicked.connect(self.save_as)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAccessibleName("Close the preview")
        self.close_button.clicked.connect(self.accept)
        for button in (self.print_button, self.save_button):
            button.setEnabled(self.page_count() > 0)
        self._make_shortcuts()
        self._layout()
        self._update_page_label()
        self.finished.connect(self._remove_temporary)

    def _make_shortcuts(self) -> None:
        keys = [
            (QKeySequence.StandardKey.MoveToPreviousPage, lambda: self.go_to_page(self.current_page() - 1)),
            (QKeySequence.StandardKey.MoveToNextPage, lambda: self.go_to_page(self.current_page() + 1)),
            (QKeySequence.StandardKey.Print, self.print_document),
            (QKeySequence.StandardKey.Save, self.save_as),
        ]
        self._shortcuts = [QShortcut(QKeySequence(key), self, slot) for key, slot in keys]

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.page_label, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.view.setFocus()  # PgUp/PgDn and the arrows scroll the pages at once

    # --- pages ----------------------------------------------------------------------------------------------

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """0-based."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        if self.page_count() == 0:
            return
        page = max(0, min(page, self.page_count() - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())
        self._update_page_label()

    def _update_page_label(self, *_args: object) -> None:
        if self.load_error != QPdfDocument.Error.None_:
            self.page_label.setText(f"This file could not be opened as a PDF ({self.load_error.name}).")
        else:
            self.page_label.setText(f"Page {self.current_page() + 1} of {self.page_count()}")

    # --- print, save ----------------------------------------------------------------------------------------

    def print_document(self) -> None:
        if self.page_count() == 0:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.path.stem)
        printer.setFromTo(1, self.page_count())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print report")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Render the pages (the printer's From–To range, else all) into `printer`; return how many."""
        first, last = printer.fromPage(), printer.toPage()
        pages = range(max(first, 1) - 1, min(last, self.page_count()) if last else self.page_count())
        if not pages:
            return 0
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "Print report", "The printer could not be started.")
            return 0
        try:
            for number, page in enumerate(pages):
                if number:
                    printer.newPage()
                self._paint_page(painter, printer, page)
        finally:
            painter.end()
        return len(pages)

    def _paint_page(self, painter: QPainter, printer: QPrinter, page: int) -> None:
        """One PDF page, as large as fits the printable area with its proportions kept, centred."""
        area = QRectF(painter.viewport())
        points = self.document.pagePointSize(page)
        scale = min(area.width() / points.width(), area.height() / points.height())
        width, height = points.width() * scale, points.height() * scale
        target = QRectF(
            area.x() + (area.width() - width) / 2, area.y() + (area.height() - height) / 2, width, height
        )
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        pixels = QSize(
            round(points.width() * dpi / POINTS_PER_INCH), round(points.height() * dpi / POINTS_PER_INCH)
        )
        image = self.document.render(page, pixels)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, image)

    def save_as(self) -> None:
        start = str(Path.home() / self.path.name)
        chosen, _ = QFileDialog.getSaveFileName(self, "Save report as", start, "PDF (*.pdf)")
        if not chosen:
            return
        destination = Path(chosen) if chosen.lower().endswith(".pdf") else Path(f"{chosen}.pdf")
        try:
            self.save_to(destination)
        except OSError as exc:
            QMessageBox.warning(
                self, "Save report as", f"The report could not be saved: {exc.strerror or exc}"
            )

    def save_to(self, destination: Path) -> None:
        if destination.resolve() != self.path.resolve():
            shutil.copyfile(self.path, destination)

    def _remove_temporary(self) -> None:
        if not self.temporary:
            return
        self.document.close()  # release the file before removing it (Windows keeps it locked otherwise)
        self.path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # the private folder it was made in, when now empty
            self.path.parent.rmdir()


__all__ = ["PdfPreviewDialog"]
