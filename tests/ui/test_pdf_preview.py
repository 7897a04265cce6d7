"""The PDF preview: pages, navigation, printing (to a PDF-file printer: no print dialog) and Save as."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from app.ui.dialogs.pdf_preview import PdfPreviewDialog

pytestmark = pytest.mark.gui


def make_pdf(path: Path, pages: int) -> Path:
    """A real PDF of `pages` Letter pages, each saying its number."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path), pagesize=letter)
    for page in range(pages):
        drawing.drawString(72, 720, f"Report page {page + 1}")
        drawing.showPage()
    drawing.save()
    return path


def page_count(path: Path) -> int:
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    return document.pageCount()


@pytest.fixture
def three_pages(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "summary.pdf", 3)


@pytest.fixture
def preview(qtbot, three_pages: Path) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(three_pages)
    qtbot.addWidget(dialog)
    return dialog


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_shows_every_page_with_its_number(preview: PdfPreviewDialog, three_pages: Path) -> None:
    assert preview.page_count() == 3
    assert preview.page_label.text() == "Page 1 of 3"
    assert preview.windowTitle() == "Preview — summary.pdf"
    assert preview.print_button.isEnabled() and preview.save_button.isEnabled()


def test_page_navigation_stays_within_the_document(preview: PdfPreviewDialog) -> None:
    preview.go_to_page(2)
    assert preview.current_page() == 2
    assert preview.page_label.text() == "Page 3 of 3"
    preview.go_to_page(7)
    assert preview.current_page() == 2
    preview.go_to_page(-1)
    assert preview.page_label.text() == "Page 1 of 3"


def test_print_to_renders_every_page_into_the_printer(preview: PdfPreviewDialog, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    assert preview.print_to(pdf_printer(out)) == 3
    assert out.read_bytes().startswith(b"%PDF")
    assert page_count(out) == 3


def test_print_to_honours_the_page_range_chosen_in_the_print_dialog(
    preview: PdfPreviewDialog, tmp_path: Path
) -> None:
    out = tmp_path / "pages-2-3.pdf"
    printer = pdf_printer(out)
    printer.setFromTo(2, 3)
    assert preview.print_to(printer) == 2
    assert page_count(out) == 2


def test_save_to_copies_the_file(preview: PdfPreviewDialog, three_pages: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kept" / "copy.pdf"
    copy.parent.mkdir()
    preview.save_to(copy)
    assert copy.read_bytes() == three_pages.read_bytes()
    preview.save_to(three_pages)  # onto itself: nothing happens, the file stays intact
    assert page_count(three_pages) == 3


def test_a_temporary_preview_removes_its_file_and_folder_when_closed(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "private"
    folder.mkdir()
    path = make_pdf(folder / "Acme summary.pdf", 1)
    dialog = PdfPreviewDialog(path, temporary=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.close_button.click()
    assert not path.exists()
    assert not folder.exists()


def test_a_kept_preview_leaves_its_file_when_closed(preview: PdfPreviewDialog, three_pages: Path) -> None:
    preview.show()
    preview.close_button.click()
    assert three_pages.exists()


def test_a_file_that_is_not_a_pdf_says_so_and_offers_nothing_to_print(qtbot, tmp_path: Path) -> None:
    bogus = tmp_path / "broken.pdf"
    bogus.write_text("not a pdf")
    dialog = PdfPreviewDialog(bogus)
    qtbot.addWidget(dialog)
    assert dialog.page_count() == 0
    assert "could not be opened" in dialog.page_label.text()
    assert not dialog.print_button.isEnabled()
    assert dialog.print_to(pdf_printer(tmp_path / "nothing.pdf")) == 0
