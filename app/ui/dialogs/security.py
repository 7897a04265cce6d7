"""Edit › Preferences… › Security: encrypt the database with a passphrase, remove it, change it, and the idle
lock's minutes.

Converting the file needs it closed, so the page does not convert anything itself: it asks for the
passphrases (`PassphraseChangeDialog`), and the window closes with an `EncryptionRequest` on it; `run_gui`
then converts the closed file (`carry_out_encryption`) and reopens it with the new passphrase, like File ›
Restore from backup…. The conversion goes copy → verify → swap (store/encryption.py): a failure leaves the
file as it was, and the window reopens on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.services.encryption import (
    change_passphrase,
    database_file,
    decrypt,
    encrypt,
    is_encrypted,
    passphrase_matches,
)
from app.services.sealed import MIN_PASSPHRASE
from app.ui.views.base import ScreenContext
from app.ui.widgets.forms import FormGrid, message_label, show_message

ENCRYPT, DECRYPT, CHANGE = "encrypt", "decrypt", "change"
REQUEST_ATTRIBUTE = "encryption_request"  # set on the main window, read by run_gui once it has closed
TITLES = {
    ENCRYPT: "Encrypt the database",
    DECRYPT: "Remove the encryption",
    CHANGE: "Change the passphrase",
}


@dataclass(frozen=True)
class EncryptionRequest:
    action: str  # ENCRYPT, DECRYPT or CHANGE
    path: Path
    current: str | None  # the passphrase it opens with now (None: not encrypted)
    new: str | None  # the one it will open with (None: decrypted)
    remember: bool = False


def carry_out_encryption(request: EncryptionRequest) -> tuple[str, str | None]:
    """Convert the closed database; (the line for the reopened window, the passphrase it opens with now).
    A failure is raised (UserError): the file is then as it was, and opens with the old passphrase."""
    target = str(request.path)
    if request.action == ENCRYPT and request.new:
        encrypt(target, request.new, remember=request.remember)
        return f"{request.path.name} is encrypted: it opens with its passphrase only.", request.new
    if request.action == DECRYPT and request.current:
        decrypt(target, request.current)
        return f"{request.path.name} is no longer encrypted.", None
    if request.action == CHANGE and request.current and request.new:
        change_passphrase(target, request.current, request.new, remember=request.remember)
        return f"The passphrase of {request.path.name} was changed.", request.new
    raise UserError("nothing to do: a passphrase is missing")


def pending_encryption(window: QWidget) -> EncryptionRequest | None:
    request = getattr(window, REQUEST_ATTRIBUTE, None)
    return request if isinstance(request, EncryptionRequest) else None


def request_conversion(window: QMainWindow, request: EncryptionRequest) -> None:
    """Close the window for the conversion; run_gui converts the file and reopens it."""
    setattr(window, REQUEST_ATTRIBUTE, request)
    QTimer.singleShot(0, window, window.close)  # after the dialogs' own event handling has finished


class PassphraseChangeDialog(QDialog):
    """The passphrases one action needs: the current one (to decrypt or change), a new one typed twice (to
    encrypt or change), and whether the system keyring keeps it."""

    def __init__(self, context: ScreenContext, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.action = context, action
        self.setObjectName("passphrase-change-dialog")
        self.setWindowTitle(TITLES[action])
        self.current_edit = self._field("Current passphrase")
        self.new_edit = self._field("New passphrase")
        self.repeat_edit = self._field("New passphrase again")
        self.remember_check = QCheckBox("Remember in the system &keyring", self)
        self.remember_check.setAccessibleName("Remember the new passphrase in the system keyring")
        self.message = message_label(self, "passphrase-change-message")
        form = FormGrid()
        if action != ENCRYPT:
            form.add_row("&Current passphrase:", self.current_edit)
        if action != DECRYPT:
            form.add_row("&New passphrase:", self.new_edit)
            form.add_row("&Again:", self.repeat_edit)
            form.add_field(self.remember_check)
        form.add_field(self.message)
        intro = QLabel(
            "The workbench closes the database, converts it (a copy is checked before it replaces the file) "
            "and opens it again.",
            self,
        )
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(TITLES[action])
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _field(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(name)
        return edit

    def problem(self) -> tuple[str, QLineEdit] | None:
        """What is wrong with the passphrases typed, and where; None when they will do."""
        workspace = self.context.workspace
        if self.action != ENCRYPT and not passphrase_matches(workspace, self.current_edit.text()):
            return "That is not the current passphrase of this database.", self.current_edit
        if self.action != DECRYPT:
            new = self.new_edit.text()
            if len(new) < MIN_PASSPHRASE:
                return f"Use at least {MIN_PASSPHRASE} characters.", self.new_edit
            if new != self.repeat_edit.text():
                return "The two new passphrases differ.", self.repeat_edit
        return None

    def accept(self) -> None:
        found = self.problem()
        if found is not None:
            text, field = found
            show_message(self.message, text, error=True)
            field.setFocus()
            return
        super().accept()

    def request(self) -> EncryptionRequest:
        workspace = self.context.workspace
        return EncryptionRequest(
            action=self.action,
            path=database_file(workspace),
            current=self.current_edit.text() if self.action != ENCRYPT else None,
            new=self.new_edit.text() if self.action != DECRYPT else None,
            remember=self.remember_check.isChecked(),
        )


class SecurityControls(QWidget):
    """The Security page's controls: the database's state, the conversion buttons and the lock minutes."""

    conversion_requested = Signal(object)  # an EncryptionRequest, once its passphrases were typed

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        workspace = context.workspace
        self.convertible = (
            workspace.dialect == "sqlite" and not workspace.read_only and not _in_memory(context)
        )
        self.encrypted = is_encrypted(workspace) if self.convertible else False
        self.state_label = QLabel(self._state_text(), self)
        self.state_label.setObjectName("security-state")
        self.state_label.setWordWrap(True)
        self.encrypt_button = self._button("&Encrypt with a passphrase…", lambda: self.ask(ENCRYPT))
        self.change_button = self._button("C&hange passphrase…", lambda: self.ask(CHANGE))
        self.decrypt_button = self._button("&Remove the encryption…", lambda: self.ask(DECRYPT))
        self.encrypt_button.setVisible(not self.encrypted)
        for button in (self.change_button, self.decrypt_button):
            button.setVisible(self.encrypted)
        for button in (self.encrypt_button, self.change_button, self.decrypt_button):
            button.setEnabled(self.convertible)
        self.lock_spin = QSpinBox(self)
        self.lock_spin.setAccessibleName("Lock after minutes without input")
        self.lock_spin.setRange(0, 240)
        self.lock_spin.setSpecialValueText("Never")
        self.lock_spin.setSuffix(" minutes")
        self.lock_note = QLabel("Only an encrypted database locks: the passphrase unlocks it.", self)
        self.lock_note.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.encrypt_button, self.change_button, self.decrypt_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form = FormGrid(self)
        form.add_field(self.state_label)
        form.add_field(buttons)
        form.add_row("&Lock after:", self.lock_spin, grow=False)
        form.add_field(self.lock_note)
        self.dialog: PassphraseChangeDialog | None = None

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        return button

    def _state_text(self) -> str:
        workspace = self.context.workspace
        if workspace.dialect != "sqlite":
            return "This database is on a server: encryption protects a laptop's own file."
        if not self.convertible:
            return (
                "This database is read-only here (a trip pack, or another window's): it cannot be converted."
            )
        state = "is encrypted: it opens with its passphrase only" if self.encrypted else "is not encrypted"
        return f"{workspace.name} {state}."

    def ask(self, action: str) -> PassphraseChangeDialog:
        dialog = PassphraseChangeDialog(self.context, action, self)
        dialog.accepted.connect(lambda: self.conversion_requested.emit(dialog.request()))
        dialog.open()
        self.dialog = dialog
        return dialog


def _in_memory(context: ScreenContext) -> bool:
    try:
        database_file(context.workspace)
    except UserError:
        return True
    return False
