"""Log contact… / Set follow-up…: a small form for a note about one held shipment.

The dialog only collects the values (`ContactInput`); the caller writes the note through
`app.services.notes.add_note` on the TaskRunner, so the dialog never touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from app.domain.enums import NoteKind

KIND_LABELS = {
    NoteKind.CALL: "Call",
    NoteKind.EMAIL: "Email",
    NoteKind.MEETING: "Meeting",
    NoteKind.VISIT: "Visit",
    NoteKind.NOTE: "Note",
}
DEFAULT_FOLLOW_UP_DAYS = 2


@dataclass(frozen=True)
class ContactInput:
    kind: NoteKind
    text: str
    follow_up: date | None


class LogContactDialog(QDialog):
    """`follow_up_only`: the "Set follow-up…" preset (kind note, follow-up date on and focused)."""

    def __init__(
        self,
        subject: str,
        parent: QWidget | None = None,
        *,
        follow_up_only: bool = False,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set follow-up" if follow_up_only else "Log contact")
        self.setObjectName("log-contact-dialog")
        self.subject = QLabel(subject, self)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of contact")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName("What happened")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("What was said or agreed")
        self.follow_up_check = QCheckBox("Follow up on", self)
        self.follow_up_check.setAccessibleName("Set a follow-up date")
        self.follow_up = QDateEdit(self)
        self.follow_up.setAccessibleName("Follow-up date")
        self.follow_up.setCalendarPopup(True)
        start = today or date.today()
        self.follow_up.setDate(QDate(start.year, start.month, start.day).addDays(DEFAULT_FOLLOW_UP_DAYS))
        self.follow_up_check.toggled.connect(self.follow_up.setEnabled)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._update_save)
        self._layout()
        self.follow_up_check.setChecked(follow_up_only)
        self.follow_up.setEnabled(follow_up_only)
        if follow_up_only:
            self.kind.setCurrentIndex(self.kind.findData(NoteKind.NOTE))
        self._update_save()

    def _layout(self) -> None:
        date_row = QHBoxLayout()
        date_row.addWidget(self.follow_up_check)
        date_row.addWidget(self.follow_up, 1)
        form = QFormLayout(self)
        form.addRow(self.subject)
        form.addRow("&Kind", self.kind)
        form.addRow("&Text", self.text)
        form.addRow(date_row)
        form.addRow(self.buttons)
        QWidget.setTabOrder(self.kind, self.text)
        QWidget.setTabOrder(self.text, self.follow_up_check)
        QWidget.setTabOrder(self.follow_up_check, self.follow_up)
        QWidget.setTabOrder(self.follow_up, self.buttons)

    def _update_save(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(self.text.toPlainText().strip()))  # add_note rejects an empty note anyway

    def value(self) -> ContactInput:
        chosen = self.follow_up.date()
        follow_up = (
            date(chosen.year(), chosen.month(), chosen.day()) if self.follow_up_check.isChecked() else None
        )
        return ContactInput(NoteKind(self.kind.currentData()), self.text.toPlainText().strip(), follow_up)
