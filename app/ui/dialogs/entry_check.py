"""Tools > Entry-number check-digit calculator (DOMAIN.md §4.2): live as the user types."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.domain.errors import ValidationError
from app.domain.identifiers import compact, make_entry_number, parse_entry_number


@dataclass(frozen=True)
class EntryCheck:
    """What the calculator shows for one input. `display` is "" when there is nothing valid to copy."""

    check_digit: int | None
    display: str
    message: str
    valid: bool


def check_entry(text: str) -> EntryCheck:
    """10 characters (filer code + transaction): compute the digit. 11: verify it, say what it should be."""
    base = compact(text)
    try:
        if len(base) == 10:
            entry = make_entry_number(base[:3], base[3:])
            return EntryCheck(entry.check_digit, entry.display, f"Check digit is {entry.check_digit}", True)
        entry = parse_entry_number(base, verify_check_digit=False)
    except ValidationError as exc:
        hint = "" if base else "Type a filer code and transaction number, or a whole entry number"
        return EntryCheck(None, "", hint or str(exc)[:1].upper() + str(exc)[1:], False)
    expected = entry.expected_check_digit
    fixed = make_entry_number(entry.filer_code, entry.transaction).display
    if entry.has_valid_check_digit:
        return EntryCheck(expected, fixed, "Valid entry number", True)
    return EntryCheck(
        expected, fixed, f"Invalid: check digit should be {expected}, not {entry.check_digit}", False
    )


class EntryCheckDialog(QDialog):
    """Non-modal: an AE keeps it open beside the board while reading numbers off a call or an email."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Entry-number check digit")
        self.setObjectName("entry-check-dialog")
        self.input = QLineEdit(self)
        self.input.setPlaceholderText("ABC1234567 or ABC-1234567-6")
        self.input.setAccessibleName("Entry number or filer code and transaction number")
        self.digit = QLabel(self)
        self.digit.setAccessibleName("Check digit")
        self.display = QLabel(self)
        self.display.setAccessibleName("Entry number in display form")
        self.status = QLabel(self)
        self.status.setAccessibleName("Validation result")
        self.status.setWordWrap(True)
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setAccessibleName("Copy entry number")
        self.copy_button.setAutoDefault(False)

        form = QFormLayout(self)
        form.addRow("&Entry number:", self.input)
        form.addRow("Check digit:", self.digit)
        display_row = QHBoxLayout()
        display_row.addWidget(self.display, 1)
        display_row.addWidget(self.copy_button)
        form.addRow("Display form:", display_row)
        form.addRow("", self.status)
        self.setTabOrder(self.input, self.copy_button)

        self.input.textChanged.connect(self._update)
        self.copy_button.clicked.connect(self.copy)
        self._update(self.input.text())

    def _update(self, text: str) -> None:
        result = check_entry(text)
        self.digit.setText("" if result.check_digit is None else str(result.check_digit))
        self.display.setText(result.display)
        self.status.setText(result.message)
        self.copy_button.setEnabled(bool(result.display))

    def copy(self) -> None:
        """Copy the display form with the right check digit."""
        QGuiApplication.clipboard().setText(self.display.text())
