"""The passphrase asked at start for an encrypted database (ui/dialogs/passphrase.py, ui/main.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services import encryption
from app.services.workspace import Workspace
from app.ui.dialogs.passphrase import PassphraseDialog
from app.ui.main import open_protected_workspace
from tests.support.memory_keyring import MemoryKeyring


@pytest.fixture
def encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(encryption.PASSPHRASE_ENV_VAR, raising=False)
    path = tmp_path / "laptop.sqlite3"
    Workspace.open(str(path)).close()
    encryption.encrypt(str(path), "right one")
    return path


def test_dialog_gives_the_passphrase_and_the_keyring_choice(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PassphraseDialog(tmp_path / "laptop.sqlite3", "wrong passphrase for laptop.sqlite3. Try again.")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem.text().startswith("wrong passphrase")
    dialog.passphrase.setText("typed")
    dialog.remember.setChecked(True)
    assert dialog.ok_button.isEnabled()
    assert dialog.answer() == ("typed", True)
    assert dialog.passphrase.accessibleName() and dialog.remember.accessibleName()


def test_a_wrong_passphrase_asks_again_then_opens_and_remembers(
    encrypted: Path, memory_keyring: MemoryKeyring
) -> None:
    answers = [("guess", False), ("right one", True)]
    problems: list[str | None] = []

    def ask(path: Path, problem: str | None) -> tuple[str, bool] | None:
        assert path == encrypted
        problems.append(problem)
        return answers.pop(0)

    opened = open_protected_workspace(str(encrypted), demo=False, passphrase=None, ask=ask)
    assert opened is not None
    workspace, lock, passphrase = opened
    try:
        assert workspace.encrypted and passphrase == "right one"
        assert problems == [None, f"wrong passphrase for {encrypted}. Try again."]
        assert encryption.remembered_passphrase(encrypted) == "right one"
    finally:
        workspace.close()
        if lock is not None:
            lock.unlock()
    # Next start: the keyring has it, nothing is asked.
    again = open_protected_workspace(str(encrypted), demo=False, passphrase=None, ask=lambda *_: None)
    assert again is not None
    again[0].close()
    if again[1] is not None:
        again[1].unlock()


def test_cancel_opens_nothing(encrypted: Path, memory_keyring: MemoryKeyring) -> None:
    assert open_protected_workspace(str(encrypted), demo=False, passphrase=None, ask=lambda *_: None) is None
