"""Edit account…: the account's own fields (name, segment, HTS chapters, risk, status, place, plan summary).

`EditAccountDialog` loads the account as stored, checks the form with the account service before it closes
(a problem stays in the dialog, under the field it names) and hands back only the fields that changed.
`EditAccountCommand` writes them on redo and writes the old values back on undo, each time at the version the
previous write left, so an edit made elsewhere in between is reported instead of overwritten.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Mapping

from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import AccountStatus, RiskSegment
from app.domain.errors import UserError, ValidationError
from app.domain.model import Account
from app.services import account_edit as service
from app.ui.account.editing import FieldForm, WriteCommand
from app.ui.changes import ACCOUNTS
from app.ui.formatting import RISK_LABELS
from app.ui.views.base import ScreenContext

STATUS_LABELS = {AccountStatus.ACTIVE: "Active", AccountStatus.INACTIVE: "Inactive"}


class EditAccountDialog(QDialog):
    def __init__(self, context: ScreenContext, account_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("edit-account-dialog")
        self.setWindowTitle("Edit account")
        self.context = context
        self.account_id = account_id
        self._original: Account | None = None
        self._changes: dict[str, str] = {}
        self.name = QLineEdit(self)
        self.dba = QLineEdit(self)
        self.industry_segment = QLineEdit(self)
        self.primary_hts_chapters = QLineEdit(self)
        self.primary_hts_chapters.setPlaceholderText("two-digit chapters, e.g. 84 85 90")
        self.risk_segment = QComboBox(self)
        for risk, label in RISK_LABELS.items():
            self.risk_segment.addItem(label, risk.value)
        self.status = QComboBox(self)
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.city = QLineEdit(self)
        self.state = QLineEdit(self)
        self.country = QLineEdit(self)
        self.country.setPlaceholderText("ISO alpha-2, e.g. US")
        self.country.setMaxLength(2)
        self.action_plan_summary = QPlainTextEdit(self)
        self.action_plan_summary.setTabChangesFocus(True)
        self.action_plan_summary.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.form = FieldForm()
        for key, label, accessible in [
            ("name", "&Legal name:", "Legal name"),
            ("dba", "&DBA:", "Doing business as"),
            ("industry_segment", "&Industry segment:", "Industry segment"),
            ("primary_hts_chapters", "&HTS chapters:", "Primary HTS chapters"),
            ("risk_segment", "&Risk segment:", "Risk segment"),
            ("status", "&Status:", "Account status"),
            ("city", "&City:", "City"),
            ("state", "S&tate:", "State or province"),
            ("country", "C&ountry:", "Country code"),
            ("action_plan_summary", "Action &plan summary:", "Action plan summary"),
        ]:
            self.form.add_field(key, label, getattr(self, key), accessible)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)  # until loaded
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self._load()

    def _load(self) -> None:
        workspace, account_id = self.context.workspace, self.account_id
        self.context.runner.run(
            lambda _progress, _cancel: service.get_account(workspace, account_id),
            name="load account for editing",
            owner=self,
            on_result=self.set_account,
            on_error=self._on_load_failed,
        )

    def _on_load_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            sys.excepthook(type(exc), exc, exc.__traceback__)
            return
        self.form.show_error(ValidationError(str(exc)))

    def set_account(self, account: Account) -> None:
        """Fill the form with the account as stored; the changes are measured against it."""
        self._original = account
        for key in ("name", "dba", "industry_segment", "primary_hts_chapters", "city", "state", "country"):
            getattr(self, key).setText(getattr(account, key))
        self.risk_segment.setCurrentIndex(max(self.risk_segment.findData(account.risk_segment.value), 0))
        self.status.setCurrentIndex(max(self.status.findData(account.status.value), 0))
        self.action_plan_summary.setPlainText(account.action_plan_summary)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self.name.setFocus()

    def values(self) -> dict[str, object]:
        """Every field as the form holds it now, as typed."""
        texts = ("name", "dba", "industry_segment", "primary_hts_chapters", "city", "state", "country")
        values: dict[str, object] = {key: getattr(self, key).text() for key in texts}
        values["risk_segment"] = RiskSegment(self.risk_segment.currentData())
        values["status"] = AccountStatus(self.status.currentData())
        values["action_plan_summary"] = self.action_plan_summary.toPlainText()
        return values

    def original(self) -> Account:
        """The account as it was loaded (what undo restores)."""
        assert self._original is not None, "the dialog was accepted before the account loaded"
        return self._original

    def changes(self) -> dict[str, str]:
        """The checked fields that differ from the account as loaded (empty: nothing to write)."""
        return dict(self._changes)

    def accept(self) -> None:
        if self._original is None:
            return
        try:
            checked = service.validate_account_changes(self.context.workspace, self.values())
        except ValidationError as exc:
            self.form.show_error(exc)
            return
        original = self.original()
        self._changes = {key: value for key, value in checked.items() if value != _stored(original, key)}
        self.form.clear_errors()
        super().accept()


def _stored(account: Account, key: str) -> str:
    value = getattr(account, key)
    return str(value.value) if isinstance(value, (RiskSegment, AccountStatus)) else str(value)


def show_error_dialog(exc: BaseException) -> None:
    """A failed account write without a message bar: a user error in a dialog, a bug to the crash log."""
    if isinstance(exc, UserError):
        QMessageBox.warning(QApplication.activeWindow(), "Edit account", str(exc))
    else:
        sys.excepthook(type(exc), exc, exc.__traceback__)


class EditAccountCommand(WriteCommand):
    """Writes `changes` to the account on redo, the values of `before` on undo; announces {ACCOUNTS}."""

    def __init__(
        self,
        context: ScreenContext,
        account_id: uuid.UUID,
        before: Account,
        changes: Mapping[str, object],
        *,
        report_error: Callable[[BaseException], None] = show_error_dialog,
        after_write: Callable[[uuid.UUID | None], None] | None = None,
    ) -> None:
        names = ", ".join(key.replace("_", " ") for key in changes) or "nothing"
        super().__init__(
            f"Edit account {names}", context, {ACCOUNTS}, report_error=report_error, after_write=after_write
        )
        self.item_id = account_id
        self._after = dict(changes)
        self._before = {key: _stored(before, key) for key in changes}
        self._version = before.version  # what the next write expects to find
        self.setObsolete(not changes)  # an unchanged form pushes nothing to undo

    def forward(self) -> None:
        self._write_values(self._after)

    def backward(self) -> None:
        self._write_values(self._before)

    def _write_values(self, values: Mapping[str, object]) -> None:
        assert self.item_id is not None
        account = service.update_account(self.context.workspace, self.item_id, values, self._version)
        self._version = account.version
