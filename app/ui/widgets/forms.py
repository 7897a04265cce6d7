"""Form pieces for dialogs: two-column rows of labels and fields, and inline messages under a field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QLayout, QStyle, QWidget

ERROR_STYLE = "color: #b00020;"  # with the words, never instead of them


def show_message(label: QLabel, text: str, *, error: bool = False) -> None:
    """An inline message under a control: hidden when blank, dark red (with its words) for an error."""
    label.setText(text)
    label.setStyleSheet(ERROR_STYLE if error else "")
    label.setVisible(bool(text))


def message_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class FormGrid(QGridLayout):
    """Labels and fields in two columns like a QFormLayout, but a wrapped message under a field is as tall as
    its text (a QFormLayout reckons that height at too narrow a width and pads the text with blank lines)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setContentsMargins(0, 0, 0, 0)
        self.setColumnStretch(1, 1)
        self.rows = 0
        style = QApplication.style()
        hint = style.styleHint(QStyle.StyleHint.SH_FormLayoutLabelAlignment) if style is not None else 0
        self.label_alignment = Qt.AlignmentFlag(hint) | Qt.AlignmentFlag.AlignVCenter

    def add_row(
        self, text: str, field: QWidget | QLayout, buddy: QWidget | None = None, *, grow: bool = True
    ) -> QLabel:
        """A labelled row; Alt+ the label's letter goes to `buddy` (by default `field`, when a widget)."""
        label = QLabel(text)
        buddy = buddy or (field if isinstance(field, QWidget) else None)
        if buddy is not None:
            label.setBuddy(buddy)
        self.addWidget(label, self.rows, 0, self.label_alignment)
        self.add_field(field, grow=grow)
        return label

    def add_field(self, field: QWidget | QLayout, *, grow: bool = True) -> None:
        """A row in the field column only (a message, a check box, a button)."""
        alignment = Qt.AlignmentFlag(0) if grow else Qt.AlignmentFlag.AlignLeft
        if isinstance(field, QLayout):
            self.addLayout(field, self.rows, 1, alignment)
        else:
            self.addWidget(field, self.rows, 1, alignment)
        self.rows += 1
