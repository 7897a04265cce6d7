"""Add action item… / Edit action item…: issue → root cause → action → owner → due → status.

The dialog checks its values with the action plan service's `validate_action` before it closes (a problem
stays in the dialog, under the field it names) and hands back `ActionFields`; the caller writes them through
an undoable command.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import ActionStatus
from app.domain.errors import ValidationError
from app.services.action_plan import ActionFields, validate_action
from app.ui.account.editing import FieldForm

STATUS_LABELS = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.CANCELLED: "Cancelled",
}
DEFAULT_DUE_DAYS = 30  # a new item's suggested due date: the next monthly partner call, give or take


class ActionDialog(QDialog):
    def __init__(
        self, fields: ActionFields | None = None, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("action-dialog")
        self.setWindowTitle("Edit action item" if fields else "Add action item")
        self.result_fields: ActionFields | None = None
        self.issue = QLineEdit(self)
        self.issue.setPlaceholderText("What is wrong, e.g. assists not declared on tooling")
        self.root_cause = self._text_box("Why it happened (data error, process gap, targeting…)")
        self.action = self._text_box("What will be done about it")
        self.owner = QLineEdit(self)
        self.has_due = QCheckBox("&Due by", self)
        self.has_due.setAccessibleName("Has a due date")
        self.due = QDateEdit(self)
        self.due.setAccessibleName("Due date")
        self.due.setCalendarPopup(True)
        start = (today or date.today()).toordinal() + DEFAULT_DUE_DAYS
        self.due.setDate(_qdate(date.fromordinal(start)))
        self.due.setEnabled(False)
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QWidget(self)
        row = QHBoxLayout(due_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.has_due)
        row.addWidget(self.due, 1)
        self.status = QComboBox(self)
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.form = FieldForm()
        self.form.add_field("issue", "&Issue:", self.issue, "Issue")
        self.form.add_field("root_cause", "&Root cause:", self.root_cause, "Root cause")
        self.form.add_field("action", "&Action:", self.action, "Action to take")
        self.form.add_field("owner", "O&wner:", self.owner, "Owner")
        self.form.add_field("due_on", "Due:", due_row, "Due date")
        self.form.add_field("status", "&Status:", self.status, "Status")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        if fields is not None:
            self.set_fields(fields)
        self.issue.setFocus()

    def _text_box(self, placeholder: str) -> QPlainTextEdit:
        box = QPlainTextEdit(self)
        box.setPlaceholderText(placeholder)
        box.setTabChangesFocus(True)
        box.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        return box

    def set_fields(self, fields: ActionFields) -> None:
        self.issue.setText(fields.issue)
        self.root_cause.setPlainText(fields.root_cause)
        self.action.setPlainText(fields.action)
        self.owner.setText(fields.owner)
        self.has_due.setChecked(fields.due_on is not None)
        if fields.due_on is not None:
            self.due.setDate(_qdate(fields.due_on))
        self.status.setCurrentIndex(max(self.status.findData(ActionStatus(fields.status).value), 0))

    def fields(self) -> ActionFields:
        """What the form holds now, as typed."""
        chosen = self.due.date()
        due = date(chosen.year(), chosen.month(), chosen.day()) if self.has_due.isChecked() else None
        return ActionFields(
            issue=self.issue.text(),
            action=self.action.toPlainText(),
            root_cause=self.root_cause.toPlainText(),
            owner=self.owner.text(),
            due_on=due,
            status=ActionStatus(self.status.currentData()),
        )

    def accept(self) -> None:
        try:
            self.result_fields = validate_action(self.fields())
        except ValidationError as exc:
            self.form.show_error(exc)
            return
        self.form.clear_errors()
        super().accept()


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)
