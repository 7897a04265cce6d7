"""The passphrase of an encrypted database, asked at start when neither AE_WORKBENCH_PASSPHRASE nor the system
keyring has it (services/encryption.py). A wrong passphrase brings the dialog back saying so; Cancel quits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

TITLE = "AE Workbench — encrypted database"


class PassphraseDialog(QDialog):
    """Asks for the passphrase of `path`; `problem` (a wrong passphrase) is shown above the field."""

    def __init__(self, path: Path, problem: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        layout = QVBoxLayout(self)
        intro = QLabel(f"The database {path.name} is encrypted. Enter its passphrase to open it.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = QLabel(problem or "")
        self.problem.setAccessibleName("Problem")
        self.problem.setVisible(bool(problem))
        self.problem.setStyleSheet("color: palette(highlight); font-weight: bold")
        layout.addWidget(self.problem)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setPlaceholderText("Passphrase")
        layout.addWidget(self.passphrase)
        self.remember = QCheckBox("Remember in the system &keyring")
        self.remember.setAccessibleName("Remember in the system keyring")
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Open")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.passphrase.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))

    def answer(self) -> tuple[str, bool]:
        return self.passphrase.text(), self.remember.isChecked()


def ask_database_passphrase(path: Path, problem: str | None = None) -> tuple[str, bool] | None:
    """(passphrase, remember it) typed by the user; None when they cancelled."""
    dialog = PassphraseDialog(path, problem)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.answer()
