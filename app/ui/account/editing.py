"""What the account tabs' edits share: an undoable service write, and a form that shows errors inline.

`WriteCommand` writes on the GUI thread, like the follow-ups' `MarkDoneCommand`: each write is one small
statement, and the undo stack must know at once whether it happened. A write that fails reports its message
and makes the command obsolete, so the stack drops it instead of offering to undo what never happened.

`FieldForm` lays out labelled fields, each with a hidden error line under it; a service's
ValidationError(message, field=...) is shown under the field it names, which then takes the focus.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.domain.errors import ValidationError
from app.ui.views.base import ScreenContext
from app.ui.widgets.forms import ERROR_STYLE


class WriteCommand(QUndoCommand):
    """One undoable write: subclasses implement `forward()` (redo) and `backward()` (undo).

    After each successful write the command announces `kinds` on the context's ChangeHub and calls
    `after_write(item_id)` (the tab reloads and selects that row); a failure goes to `report_error`.
    """

    item_id: uuid.UUID | None = None  # the row written (known after the first redo of an add)

    def __init__(
        self,
        text: str,
        context: ScreenContext,
        kinds: Iterable[str],
        *,
        report_error: Callable[[BaseException], None],
        after_write: Callable[[uuid.UUID | None], None] | None = None,
        source: object | None = None,
    ) -> None:
        super().__init__(text)
        self._source = source  # the tab that writes and shows the result itself (ChangeHub.source)
        self.context = context
        self._kinds = frozenset(kinds)
        self._report_error = report_error
        self._after_write = after_write

    def forward(self) -> None:
        raise NotImplementedError

    def backward(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        self._write(self.forward)

    def undo(self) -> None:
        self._write(self.backward)

    def _write(self, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception as exc:  # shown (or sent to the crash handler) right here, by the tab
            self.setObsolete(True)  # the stack drops a command whose write did not happen
            self._report_error(exc)
            return
        self.context.changes.announce(self._kinds, source=self._source)
        if self._after_write is not None:
            self._after_write(self.item_id)


class FieldForm(QFormLayout):
    """A form whose rows carry an error line each, shown by `show_error` for a ValidationError's field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.general_error = QLabel()  # for errors naming no field on the form (a version conflict)
        self.general_error.setObjectName("form-error")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()

    def add_field(self, key: str, label: str, widget: QWidget, accessible_name: str) -> None:
        """Add `widget` under `label` (with its & mnemonic); `key` is the service's field name."""
        widget.setObjectName(f"field-{key}")
        widget.setAccessibleName(accessible_name)
        error = QLabel()
        error.setObjectName(f"error-{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        error.hide()
        cell = QVBoxLayout()
        cell.setSpacing(2)
        cell.addWidget(widget)
        cell.addWidget(error)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.addRow(caption, cell)
        self.fields[key] = widget
        self.errors[key] = error

    def clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.clear()
            label.hide()
        for widget in self.fields.values():
            widget.setAccessibleDescription("")

    def show_error(self, error: ValidationError) -> None:
        """Show the message under its field (or above the buttons) and put the focus there."""
        self.clear_errors()
        label = self.errors.get(error.field or "", self.general_error)
        label.setText(str(error))
        label.show()
        widget = self.fields.get(error.field or "")
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            widget.setAccessibleDescription(str(error))

    def error_text(self, key: str) -> str:
        """The message shown for `key` ("" when none; "form" for the general line)."""
        label = self.general_error if key == "form" else self.errors[key]
        return label.text() if not label.isHidden() else ""
