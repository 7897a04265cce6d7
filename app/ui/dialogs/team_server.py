"""Sync › Team server…: the server's address, its password (OS keyring only), the AE's name, and a test.

The address is saved in the preferences without a password (`services.team_server.stored_url` strips one
typed into it); the password, typed in its own field or into the address, goes to the OS keyring on OK, never
to the settings file.
"Test connection" runs `check_server` on the task runner, with the password typed here when there is one, so
a wrong password shows before it is saved.
"""

from __future__ import annotations

import itertools
import sys
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.services.identity import current_user
from app.services.progress import Cancelled
from app.services.team_server import check_server, forget_password, save_password, stored_url
from app.ui.views.base import ScreenContext

URL_EXAMPLE = "postgresql+psycopg://user@host[:port]/database"
ERROR_STYLE = "color: #b00020;"  # with the words, never instead of them


def with_typed_password(url: str, password: str) -> str:
    """`url` with `password` put into it (for a test before the password is saved); `url` itself without."""
    if not password:
        return url
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0] if at else ""
    netloc = f"{user}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def password_in(url: str) -> str:
    """A password typed into the address itself (it goes to the keyring like one typed in its field)."""
    try:
        return unquote(urlsplit(url.strip()).password or "")
    except ValueError:  # not a URL: the address check says so
        return ""


class TeamServerDialog(QDialog):
    saved = Signal()  # the preferences (and perhaps the keyring) were updated

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._test_generation = 0
        self.setObjectName("team-server-dialog")
        self.setWindowTitle("Team server")
        prefs = context.settings.preferences
        self.url_edit = QLineEdit(prefs.team_server_url, self)
        self.url_edit.setAccessibleName("Team server address")
        self.url_edit.setPlaceholderText(URL_EXAMPLE)
        self.url_edit.setToolTip(f"{URL_EXAMPLE}; blank: work on this laptop only")
        self.url_edit.textEdited.connect(self._on_url_edited)
        self.url_message = self._message_label("team-server-url-message")
        self.password_edit = QLineEdit(self)
        self.password_edit.setAccessibleName("Team server password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("Leave blank to keep the saved one")
        self.forget_button = QPushButton("&Forget saved password", self)
        self.forget_button.setAccessibleName("Forget the saved team server password")
        self.forget_button.clicked.connect(self.forget)
        self.name_edit = QLineEdit(prefs.ae_name, self)
        self.name_edit.setAccessibleName("Your name as your Center's AE list spells it")
        self.name_edit.setPlaceholderText(current_user())
        self.name_edit.setToolTip("Blank uses AE_WORKBENCH_USER or the login name")
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.setAccessibleName("Test the connection to the team server")
        self.test_button.clicked.connect(self.test_connection)
        self.test_message = self._message_label("team-server-test-message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._layout()

    def _message_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    def _layout(self) -> None:
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_edit, 1)
        password_row.addWidget(self.forget_button)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_message, 1)
        form = QFormLayout()
        form.addRow("&Address:", self.url_edit)
        form.addRow("", self.url_message)
        form.addRow("&Password:", password_row)
        form.addRow("&Your name:", self.name_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        order = [self.url_edit, self.password_edit, self.forget_button, self.name_edit, self.test_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # --- checking -------------------------------------------------------------------------------------------

    def validated_url(self) -> str | None:
        """The address as it will be saved ("" for none), or None after showing why it cannot be."""
        text = self.url_edit.text().strip()
        if not text:
            self._show(self.url_message, "")
            return ""
        try:
            address = stored_url(text)
        except UserError as exc:
            self._show(self.url_message, str(exc), error=True)
            return None
        self._show(self.url_message, "")
        return address

    def _on_url_edited(self, _text: str) -> None:
        self._show(self.test_message, "")
        if not self.url_message.isHidden():  # once shown, the message follows the typing
            self.validated_url()

    @staticmethod
    def _show(label: QLabel, text: str, *, error: bool = False) -> None:
        label.setText(text)
        label.setStyleSheet(ERROR_STYLE if error else "")
        label.setVisible(bool(text))

    def test_connection(self) -> None:
        address = self.validated_url()
        if not address:
            if address == "":
                self._show(self.test_message, "Enter the team server's address first", error=True)
            return
        self._test_generation += 1
        generation = self._test_generation
        url = with_typed_password(address, self.password_edit.text())
        self.test_button.setEnabled(False)
        self._show(self.test_message, "Connecting…")
        self.context.runner.run(
            lambda _progress, _cancel: check_server(url),
            name="test the team server connection",
            owner=self,
            on_result=lambda _none: self._on_tested(generation, None),
            on_error=lambda exc: self._on_tested(generation, exc),
        )

    def _on_tested(self, generation: int, exc: BaseException | None) -> None:
        if generation != self._test_generation:
            return
        self.test_button.setEnabled(True)
        if exc is None:
            self._show(self.test_message, "✓ Connected")
        elif isinstance(exc, UserError):
            self._show(self.test_message, f"✗ {exc}", error=True)
        else:
            self._show(self.test_message, "")
            if not isinstance(exc, Cancelled):  # a bug, not the user's: the crash handler reports it
                sys.excepthook(type(exc), exc, exc.__traceback__)

    # --- saving ---------------------------------------------------------------------------------------------

    def forget(self) -> None:
        address = self.validated_url()
        if not address:
            return
        try:
            forget_password(address)
        except UserError as exc:
            self._show(self.test_message, str(exc), error=True)
            return
        self.password_edit.clear()
        self._show(self.test_message, "Saved password forgotten")

    def accept(self) -> None:
        address = self.validated_url()
        if address is None:
            self.url_edit.setFocus()
            return
        password = self.password_edit.text() or password_in(self.url_edit.text())
        if password and address:
            try:
                save_password(address, password)
            except UserError as exc:
                self._show(self.test_message, str(exc), error=True)
                return
        prefs = self.context.settings.preferences
        prefs.team_server_url = address
        prefs.ae_name = self.name_edit.text().strip()
        self.context.settings.sync()
        self.password_edit.clear()
        self.saved.emit()
        super().accept()
