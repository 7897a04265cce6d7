"""The team server's address, its password (OS keyring only), the AE's name, and a test of the connection.

`TeamServerPanel` holds these controls and their behaviour; it is the "Team server" page of Edit ›
Preferences (dialogs/preferences.py), and `TeamServerDialog` (Sync › Team server…) is a thin dialog around it.

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

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.services.identity import current_user
from app.services.progress import Cancelled
from app.services.team_server import check_server, forget_password, save_password, stored_url
from app.ui.settings import Preferences
from app.ui.views.base import ScreenContext
from app.ui.widgets.forms import FormGrid, message_label, show_message

URL_EXAMPLE = "postgresql+psycopg://user@host[:port]/database"


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


class TeamServerPanel(QWidget):
    """The controls; on OK its holder calls `validate()`, then `apply()`, then syncs the settings."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._test_generation = 0
        self.setObjectName("team-server-panel")
        self.url_edit = QLineEdit(self)
        self.url_edit.setAccessibleName("Team server address")
        self.url_edit.setPlaceholderText(URL_EXAMPLE)
        self.url_edit.setToolTip(f"{URL_EXAMPLE}; blank: work on this laptop only")
        self.url_edit.textEdited.connect(self._on_url_edited)
        self.url_message = message_label(self, "team-server-url-message")
        self.password_edit = QLineEdit(self)
        self.password_edit.setAccessibleName("Team server password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("Leave blank to keep the saved one")
        self.forget_button = QPushButton("&Forget saved password", self)
        self.forget_button.setAccessibleName("Forget the saved team server password")
        self.forget_button.clicked.connect(self.forget)
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Your name as your Center's AE list spells it")
        self.name_edit.setPlaceholderText(current_user())
        self.name_edit.setToolTip("Blank uses AE_WORKBENCH_USER or the login name")
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.setAccessibleName("Test the connection to the team server")
        self.test_button.clicked.connect(self.test_connection)
        self.test_message = message_label(self, "team-server-test-message")
        self._layout()
        self.load()

    def _layout(self) -> None:
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_edit, 1)
        password_row.addWidget(self.forget_button)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch()
        form = FormGrid(self)  # the dialog around the panel gives the margins
        form.add_row("&Address:", self.url_edit)
        form.add_field(self.url_message)
        form.add_row("&Password:", password_row, self.password_edit)
        form.add_row("&Your name:", self.name_edit)
        form.add_field(test_row)
        form.add_field(self.test_message)
        order = [self.url_edit, self.password_edit, self.forget_button, self.name_edit, self.test_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def load(self) -> None:
        prefs = self.context.settings.preferences
        self._fill(prefs.team_server_url, prefs.ae_name)

    def restore_defaults(self) -> None:
        declared = Preferences.declared()
        self._fill(declared["team_server_url"].default, declared["ae_name"].default)

    def _fill(self, url: str, name: str) -> None:
        self.url_edit.setText(url)
        self.name_edit.setText(name)
        self.password_edit.clear()
        show_message(self.url_message, "")
        show_message(self.test_message, "")

    # --- checking -------------------------------------------------------------------------------------------

    def validated_url(self) -> str | None:
        """The address as it will be saved ("" for none), or None after showing why it cannot be."""
        text = self.url_edit.text().strip()
        if not text:
            show_message(self.url_message, "")
            return ""
        try:
            address = stored_url(text)
        except UserError as exc:
            show_message(self.url_message, str(exc), error=True)
            return None
        show_message(self.url_message, "")
        return address

    def validate(self) -> bool:
        if self.validated_url() is None:
            self.url_edit.setFocus()
            return False
        return True

    def _on_url_edited(self, _text: str) -> None:
        show_message(self.test_message, "")
        if not self.url_message.isHidden():  # once shown, the message follows the typing
            self.validated_url()

    def test_connection(self) -> None:
        address = self.validated_url()
        if not address:
            if address == "":
                show_message(self.test_message, "Enter the team server's address first", error=True)
            return
        self._test_generation += 1
        generation = self._test_generation
        url = with_typed_password(address, self.password_edit.text())
        self.test_button.setEnabled(False)
        show_message(self.test_message, "Connecting…")
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
            show_message(self.test_message, "✓ Connected")
        elif isinstance(exc, UserError):
            show_message(self.test_message, f"✗ {exc}", error=True)
        else:
            show_message(self.test_message, "")
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
            show_message(self.test_message, str(exc), error=True)
            return
        self.password_edit.clear()
        show_message(self.test_message, "Saved password forgotten")

    def apply(self) -> bool:
        """Save the address and name (the password to the keyring); False, saving nothing, if that fails."""
        address = self.validated_url()
        if address is None:
            return False
        password = self.password_edit.text() or password_in(self.url_edit.text())
        if password and address:
            try:
                save_password(address, password)
            except UserError as exc:  # no usable keyring: say so and keep the dialog open
                show_message(self.test_message, str(exc), error=True)
                return False
        prefs = self.context.settings.preferences
        prefs.team_server_url = address
        prefs.ae_name = self.name_edit.text().strip()
        self.password_edit.clear()
        return True


class TeamServerDialog(QDialog):
    """Sync › Team server…: the panel alone, with OK and Cancel."""

    saved = Signal()  # the preferences (and perhaps the keyring) were updated

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("team-server-dialog")
        self.setWindowTitle("Team server")
        self.panel = TeamServerPanel(context, self)
        # The panel's controls, under the names callers and tests have always used.
        self.url_edit, self.url_message = self.panel.url_edit, self.panel.url_message
        self.password_edit, self.forget_button = self.panel.password_edit, self.panel.forget_button
        self.name_edit = self.panel.name_edit
        self.test_button, self.test_message = self.panel.test_button, self.panel.test_message
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def validated_url(self) -> str | None:
        return self.panel.validated_url()

    def test_connection(self) -> None:
        self.panel.test_connection()

    def forget(self) -> None:
        self.panel.forget()

    def accept(self) -> None:
        if not (self.panel.validate() and self.panel.apply()):
            return
        self.context.settings.sync()
        self.saved.emit()
        super().accept()
