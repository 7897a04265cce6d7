"""Add contact… / Edit contact…: a small form that checks its values before it closes.

The dialog collects `ContactFields` and hands them to `validate` (the contacts service's `validate_contact`):
a ValidationError stays in the dialog, under the field it names; the caller writes the returned, normalised
fields through an undoable command, so the dialog itself never writes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import ContactRole
from app.domain.errors import ValidationError
from app.services.contacts import ContactFields
from app.ui.account.editing import FieldForm

ROLE_LABELS = {
    ContactRole.TRADE_COMPLIANCE_MANAGER: "Trade compliance manager",
    ContactRole.BROKER: "Customs broker",
    ContactRole.PORT_SUPERVISOR: "Port supervisor",
    ContactRole.PGA_LIAISON: "PGA liaison",
    ContactRole.IMPORT_SPECIALIST: "Import specialist",
    ContactRole.CTPAT_SCSS: "CTPAT supply chain security specialist",
    ContactRole.OTHER: "Other",
}


class ContactDialog(QDialog):
    def __init__(
        self,
        validate: Callable[[ContactFields], ContactFields],
        fields: ContactFields | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contact-dialog")
        self.setWindowTitle("Edit contact" if fields else "Add contact")
        self._validate = validate
        self.result_fields: ContactFields | None = None
        self.name = QLineEdit(self)
        self.role = QComboBox(self)
        for role, label in ROLE_LABELS.items():
            self.role.addItem(label, role.value)
        self.organization = QLineEdit(self)
        self.agency = QLineEdit(self)
        self.agency.setPlaceholderText("e.g. CBP, FDA, APHIS")
        self.port = QLineEdit(self)
        self.port.setPlaceholderText("4-digit Schedule D code, e.g. 2704")
        self.phone = QLineEdit(self)
        self.email = QLineEdit(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.form = FieldForm()
        for key, label, widget, accessible in [
            ("name", "&Name:", self.name, "Contact name"),
            ("role", "&Role:", self.role, "Contact role"),
            ("organization", "&Organisation:", self.organization, "Organisation"),
            ("agency_code", "&Agency code:", self.agency, "Agency code"),
            ("port_code", "Port &code:", self.port, "Port code"),
            ("phone", "&Phone:", self.phone, "Phone"),
            ("email", "&Email:", self.email, "Email"),
            ("notes", "No&tes:", self.notes, "Notes about the contact"),
        ]:
            self.form.add_field(key, label, widget, accessible)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        if fields is not None:
            self.set_fields(fields)
        self.name.setFocus()

    def set_fields(self, fields: ContactFields) -> None:
        self.name.setText(fields.name)
        self.role.setCurrentIndex(max(self.role.findData(ContactRole(fields.role).value), 0))
        self.organization.setText(fields.organization)
        self.agency.setText(fields.agency_code)
        self.port.setText(fields.port_code)
        self.phone.setText(fields.phone)
        self.email.setText(fields.email)
        self.notes.setPlainText(fields.notes)

    def fields(self) -> ContactFields:
        """What the form holds now, as typed."""
        return ContactFields(
            name=self.name.text(),
            role=ContactRole(self.role.currentData()),
            organization=self.organization.text(),
            agency_code=self.agency.text(),
            port_code=self.port.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            notes=self.notes.toPlainText(),
        )

    def accept(self) -> None:
        try:
            self.result_fields = self._validate(self.fields())
        except ValidationError as exc:
            self.form.show_error(exc)
            return
        self.form.clear_errors()
        super().accept()
