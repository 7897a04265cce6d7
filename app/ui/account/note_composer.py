"""The notes tab's composer: write a new note, or edit the one picked in the timeline.

The composer only collects values (`NoteDraft`) and shows problems next to the field they concern; the tab
writes through `app.services.notes` inside an undo command. Ctrl+Return adds (or saves), Esc leaves edit mode.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.activity import HoldChoice, NoteActivity
from app.domain.enums import NoteKind
from app.domain.errors import ValidationError
from app.domain.identifiers import parse_entry_number
from app.ui import formatting as fmt
from app.ui.models.notes import KIND_LABELS, hold_label
from app.ui.widgets.forms import ERROR_STYLE

DEFAULT_FOLLOW_UP_DAYS = 2
SCOPE = Qt.ShortcutContext.WidgetWithChildrenShortcut
GENERAL = "general"  # problems that concern no one field (an edit made elsewhere)


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """What the composer holds. `entry_number` as typed (the service parses any spelling); None when a
    hold is linked (the hold names its entry) or the box is empty."""

    kind: NoteKind
    text: str
    entry_number: str | None
    hold_id: uuid.UUID | None
    follow_up: date | None
    include_in_summary: bool
    sensitive: bool


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class NoteComposer(QWidget):
    submitted = Signal(object)  # a NoteDraft: add it, or save it over `editing`
    cancelled = Signal()  # edit mode left without saving

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("note-composer")
        self._today = today  # None: the local date whenever a new note starts
        self.editing: NoteActivity | None = None
        self._holds: list[HoldChoice] = []
        self._make_fields()
        self._make_errors()
        self._layout()
        self._make_shortcuts()
        self.start_new()

    # --- widgets --------------------------------------------------------------------------------------------

    def _make_fields(self) -> None:
        self.mode_label = QLabel(self)
        self.mode_label.setObjectName("note-composer-mode")
        self.mode_label.setWordWrap(True)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName("Kind of note")
        for kind, text in KIND_LABELS.items():
            self.kind_combo.addItem(text, kind)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setAccessibleName("Note text")
        self.text_edit.setTabChangesFocus(True)  # Tab moves on; the text is prose, not a table
        self.text_edit.setPlaceholderText("What was said, seen or agreed")
        self.text_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.entry_edit = QLineEdit(self)
        self.entry_edit.setAccessibleName("Linked entry number")
        self.entry_edit.setPlaceholderText("Optional: XXX-NNNNNNN-C")
        self.entry_edit.setClearButtonEnabled(True)
        self.entry_edit.editingFinished.connect(self._check_entry_format)
        self.entry_edit.textEdited.connect(lambda _text: self.clear_error("entry_number"))
        self.hold_combo = QComboBox(self)
        self.hold_combo.setAccessibleName("Linked held shipment")
        self.hold_combo.currentIndexChanged.connect(self._on_hold_changed)
        self.follow_up_check = QCheckBox("Follo&w up on", self)
        self.follow_up_check.setAccessibleName("Set a follow-up date")
        self.follow_up_date = QDateEdit(self)
        self.follow_up_date.setAccessibleName("Follow-up date")
        self.follow_up_date.setDisplayFormat("MM/dd/yyyy")
        self.follow_up_date.setCalendarPopup(True)
        self.follow_up_check.toggled.connect(self.follow_up_date.setEnabled)
        self.summary_check = QCheckBox("Include in summa&ry", self)
        self.summary_check.setAccessibleName("Include the note in account summaries")
        self.sensitive_check = QCheckBox("&Sensitive", self)
        self.sensitive_check.setAccessibleName("Sensitive note, left out of reports")
        self.submit_button = QPushButton(self)
        self.submit_button.setToolTip("Ctrl+Return")
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel editing")
        self.cancel_button.setToolTip("Leave the note as it was (Esc)")
        self.cancel_button.clicked.connect(self.cancel_edit)

    def _make_errors(self) -> None:
        self.error_labels: dict[str, QLabel] = {}
        for field, what in [
            (GENERAL, "the note"),
            ("text", "the note text"),
            ("entry_number", "the entry number"),
            ("hold_id", "the held shipment"),
        ]:
            label = QLabel(self)
            label.setObjectName(f"note-error-{field}")
            label.setAccessibleName(f"Problem with {what}")
            label.setStyleSheet(ERROR_STYLE)
            label.setWordWrap(True)
            label.hide()
            self.error_labels[field] = label

    def _layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self._labelled("&Kind", self.kind_combo), self.kind_combo)
        form.addRow(self._labelled("Note te&xt", self.text_edit), self.text_edit)
        form.addRow("", self.error_labels["text"])
        form.addRow(self._labelled("Linked entr&y", self.entry_edit), self.entry_edit)
        form.addRow("", self.error_labels["entry_number"])
        form.addRow(self._labelled("Linked ho&ld", self.hold_combo), self.hold_combo)
        form.addRow("", self.error_labels["hold_id"])
        follow_up = QHBoxLayout()
        follow_up.addWidget(self.follow_up_check)
        follow_up.addWidget(self.follow_up_date, 1)
        form.addRow(follow_up)
        flags = QHBoxLayout()
        flags.addWidget(self.summary_check)
        flags.addWidget(self.sensitive_check)
        flags.addStretch(1)
        form.addRow(flags)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mode_label)
        layout.addWidget(self.error_labels[GENERAL])
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        order = [self.kind_combo, self.text_edit, self.entry_edit, self.hold_combo, self.follow_up_check]
        order += [self.follow_up_date, self.summary_check, self.sensitive_check, self.submit_button]
        order += [self.cancel_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _labelled(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)  # Alt+the underlined letter jumps to the field
        return label

    def _make_shortcuts(self) -> None:
        self.shortcuts: list[QShortcut] = []
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self, self.submit)
            shortcut.setContext(SCOPE)
            self.shortcuts.append(shortcut)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel_edit)
        escape.setContext(SCOPE)
        self.shortcuts.append(escape)

    # --- modes ----------------------------------------------------------------------------------------------

    def start_new(self) -> None:
        """An empty composer for a new note (kind note, no links, no follow-up)."""
        # The field with the focus may be about to be disabled (the follow-up date) or hidden (Cancel), and
        # the keyboard would fall out of the window: a keyboard user goes on in the text box.
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        self.editing = None
        self.clear_errors()
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(NoteKind.NOTE))
        self.text_edit.clear()
        self.hold_combo.setCurrentIndex(0)
        self._on_hold_changed()
        self.entry_edit.clear()
        today = self._today or date.today()
        self._set_follow_up(None, default=today + timedelta(days=DEFAULT_FOLLOW_UP_DAYS))
        self.summary_check.setChecked(False)
        self.sensitive_check.setChecked(False)
        self.mode_label.setText("New note")
        self.submit_button.setText("Add note")
        self.submit_button.setAccessibleName("Add the note")
        if had_focus:
            self.text_edit.setFocus()
        self.cancel_button.hide()

    def load(self, item: NoteActivity) -> None:
        """Edit mode: the composer shows `item`, and submitting saves over it."""
        note = item.note
        self.editing = item
        self.clear_errors()
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(note.kind), 0))
        self.text_edit.setPlainText(note.text)
        if item.hold is not None and self._hold_index(item.hold.hold_id) < 0:
            self._add_hold_item(item.hold)  # a released hold is no longer offered, but still linked
        self.hold_combo.setCurrentIndex(
            max(self._hold_index(item.hold.hold_id), 0) if item.hold is not None else 0
        )
        self._on_hold_changed()
        self.entry_edit.setText(item.entry_number)
        today = self._today or date.today()
        self._set_follow_up(note.follow_up_on, default=today + timedelta(days=DEFAULT_FOLLOW_UP_DAYS))
        self.summary_check.setChecked(note.include_in_summary)
        self.sensitive_check.setChecked(note.sensitive)
        written = fmt.fmt_datetime(fmt.utc_to_local(note.created_at))
        author = f" by {note.author}" if note.author else ""
        self.mode_label.setText(f"Editing the note of {written}{author}")
        self.submit_button.setText("Save chan&ges")
        self.submit_button.setAccessibleName("Save changes to the note")
        self.cancel_button.show()

    def cancel_edit(self) -> None:
        if self.editing is not None:
            self.start_new()
            self.cancelled.emit()

    def focus_text(self) -> None:
        self.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _set_follow_up(self, value: date | None, *, default: date) -> None:
        self.follow_up_check.setChecked(value is not None)
        self.follow_up_date.setEnabled(value is not None)
        self.follow_up_date.setDate(_qdate(value or default))

    # --- holds ----------------------------------------------------------------------------------------------

    def set_holds(self, holds: Sequence[HoldChoice]) -> None:
        """The account's open holds for the picker; the current choice is kept when still offered."""
        current = self.hold_combo.currentData()
        self._holds = list(holds)
        self.hold_combo.blockSignals(True)
        self.hold_combo.clear()
        self.hold_combo.addItem("None" if holds else "None (no open holds)", None)
        for hold in holds:
            self._add_hold_item(hold)
        self.hold_combo.setCurrentIndex(max(self.hold_combo.findData(current), 0))
        self.hold_combo.blockSignals(False)
        self._on_hold_changed()

    def _add_hold_item(self, hold: HoldChoice) -> None:
        self.hold_combo.addItem(hold_label(hold), str(hold.hold_id))
        self.hold_combo.setItemData(
            self.hold_combo.count() - 1, hold.entry_number, Qt.ItemDataRole.UserRole + 1
        )

    def _hold_index(self, hold_id: uuid.UUID) -> int:
        return self.hold_combo.findData(str(hold_id))

    def _on_hold_changed(self, *_args: object) -> None:
        """A linked hold names its entry: show that entry, and lock the box while the hold is chosen."""
        self.clear_error("hold_id")
        entry = self.hold_combo.currentData(Qt.ItemDataRole.UserRole + 1)
        linked = self.hold_combo.currentData() is not None
        if linked:
            self.entry_edit.setText(str(entry))
            self.clear_error("entry_number")
        self.entry_edit.setEnabled(not linked)

    # --- values and problems --------------------------------------------------------------------------------

    def draft(self) -> NoteDraft:
        hold = self.hold_combo.currentData()
        chosen = self.follow_up_date.date()
        follow_up = (
            date(chosen.year(), chosen.month(), chosen.day()) if self.follow_up_check.isChecked() else None
        )
        entry = self.entry_edit.text().strip()
        return NoteDraft(
            kind=NoteKind(self.kind_combo.currentData()),
            text=self.text_edit.toPlainText().strip(),
            entry_number=None if hold is not None or not entry else entry,
            hold_id=None if hold is None else uuid.UUID(str(hold)),
            follow_up=follow_up,
            include_in_summary=self.summary_check.isChecked(),
            sensitive=self.sensitive_check.isChecked(),
        )

    def submit(self) -> None:
        """Check what can be checked here (an empty note), then hand the draft to the tab."""
        self.clear_errors()
        draft = self.draft()
        if not draft.text:
            self.show_error("text", "The note is empty: write what happened.")
            return
        self.submitted.emit(draft)

    def show_error(self, field: str | None, message: str, *, focus: bool = True) -> None:
        """Show `message` next to its field (or above the form) and, with `focus`, put the cursor there."""
        key = field if field in self.error_labels else GENERAL
        label = self.error_labels[key]
        label.setText(message[:1].upper() + message[1:])
        label.show()
        target = {"text": self.text_edit, "entry_number": self.entry_edit, "hold_id": self.hold_combo}.get(
            key
        )
        if target is not None:
            target.setAccessibleDescription(label.text())
            if focus:
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_error(self, field: str) -> None:
        label = self.error_labels[field]
        label.clear()
        label.hide()

    def clear_errors(self) -> None:
        for field in self.error_labels:
            self.clear_error(field)
        for widget in (self.text_edit, self.entry_edit, self.hold_combo):
            widget.setAccessibleDescription("")

    def error_text(self, field: str) -> str:
        label = self.error_labels[field]
        return label.text() if not label.isHidden() else ""

    def _check_entry_format(self) -> None:
        """The shape of the number right away; whether it is one of the account's entries is the service's."""
        text = self.entry_edit.text().strip()
        if not text or not self.entry_edit.isEnabled():
            return
        try:
            parse_entry_number(text, verify_check_digit=False)
        except ValidationError as exc:
            self.show_error("entry_number", str(exc), focus=False)  # leaving the box must stay possible
