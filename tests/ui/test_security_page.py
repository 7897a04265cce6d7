"""Preferences › Security: encrypt the database, change its passphrase or remove it (the window closes, the
file is converted, and the window reopens on it), and the idle lock's minutes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.services.encryption import encrypt, is_encrypted, passphrase_matches
from app.services.workspace import Workspace
from app.store import orm
from app.ui.dialogs.preferences import PreferencesDialog, SecurityPage
from app.ui.dialogs.security import (
    CHANGE,
    DECRYPT,
    ENCRYPT,
    EncryptionRequest,
    carry_out_encryption,
    pending_encryption,
)
from app.ui.mainwindow import MainWindow
from app.ui.settings import Settings
from app.ui.window_menus import open_preferences
from tests.store import factories as f

PASSPHRASE = "correct horse battery"
NEW = "staple of the harbour"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "laptop.sqlite3"
    with Workspace.open(str(path)) as ws, ws.database.session() as session:
        f.add_account(session, "Harbor Goods")
        session.commit()
    return path


@pytest.fixture
def window(qtbot, make_context, database: Path) -> Iterator[MainWindow]:
    with Workspace.open(str(database)) as ws:
        main = MainWindow(make_context(ws))
        qtbot.addWidget(main)
        main.show()
        yield main


def security(dialog: PreferencesDialog) -> SecurityPage:
    page = dialog.show_page("security")
    assert isinstance(page, SecurityPage)
    return page


def test_encrypting_asks_twice_then_saves_the_pages_and_closes_the_window(
    qtbot, window: MainWindow, settings_file: Path, database: Path
) -> None:
    dialog = open_preferences(window, "security")
    controls = security(dialog).controls
    assert "is not encrypted" in controls.state_label.text()
    assert controls.encrypt_button.isVisible() and not controls.decrypt_button.isVisible()
    controls.lock_spin.setValue(5)
    ask = controls.ask(ENCRYPT)
    ask.new_edit.setText("short")
    ask.repeat_edit.setText("short")
    ask.accept()
    assert ask.isVisible() and "at least 8" in ask.message.text()
    ask.new_edit.setText(PASSPHRASE)
    ask.repeat_edit.setText(PASSPHRASE + "!")
    ask.accept()
    assert "differ" in ask.message.text()
    ask.repeat_edit.setText(PASSPHRASE)
    ask.accept()
    qtbot.waitUntil(lambda: not window.isVisible())
    request = pending_encryption(window)
    assert request == EncryptionRequest(ENCRYPT, database.resolve(), None, PASSPHRASE, False)
    assert Settings(settings_file).preferences.lock_after_minutes == 5  # the pages were saved first


def test_the_conversions_of_a_closed_file(database: Path) -> None:
    message, passphrase = carry_out_encryption(EncryptionRequest(ENCRYPT, database, None, PASSPHRASE))
    assert passphrase == PASSPHRASE and "is encrypted" in message
    assert is_encrypted(str(database)) and passphrase_matches(str(database), PASSPHRASE)
    _message, passphrase = carry_out_encryption(EncryptionRequest(CHANGE, database, PASSPHRASE, NEW))
    assert passphrase == NEW and passphrase_matches(str(database), NEW)
    assert not passphrase_matches(str(database), PASSPHRASE)
    _message, passphrase = carry_out_encryption(EncryptionRequest(DECRYPT, database, NEW, None))
    assert passphrase is None and not is_encrypted(str(database))
    with Workspace.open(str(database)) as ws, ws.database.session() as session:
        assert session.scalar(select(func.count()).select_from(orm.AccountRow)) == 1  # the data came through


def test_changing_needs_the_current_passphrase(qtbot, make_context, database: Path) -> None:
    encrypt(str(database), PASSPHRASE)
    with Workspace.open(str(database), passphrase=PASSPHRASE) as ws:
        dialog = PreferencesDialog(make_context(ws))
        qtbot.addWidget(dialog)
        controls = security(dialog).controls
        assert "is encrypted" in controls.state_label.text()
        assert controls.change_button.isVisibleTo(dialog) and not controls.encrypt_button.isVisibleTo(dialog)
        ask = controls.ask(CHANGE)
        ask.current_edit.setText("a guess at it")
        ask.new_edit.setText(NEW)
        ask.repeat_edit.setText(NEW)
        assert ask.problem() is not None and "not the current passphrase" in ask.problem()[0]  # type: ignore[index]
        ask.current_edit.setText(PASSPHRASE)
        with qtbot.waitSignal(controls.conversion_requested) as requested:
            ask.accept()
        assert requested.args == [EncryptionRequest(CHANGE, database.resolve(), PASSPHRASE, NEW, False)]


def test_run_gui_encrypts_after_the_window_closes_and_reopens_with_the_passphrase(
    qapp, qtbot, monkeypatch, database: Path
) -> None:
    from app.ui import main

    seen: list[tuple[bool, str]] = []

    def exec_() -> int:
        (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        qtbot.waitUntil(lambda: not window.context.runner.busy)
        seen.append((is_encrypted(window.context.workspace), window.statusBar().currentMessage()))
        if len(seen) == 1:
            dialog = open_preferences(window, "security")
            ask = security(dialog).controls.ask(ENCRYPT)
            ask.new_edit.setText(PASSPHRASE)
            ask.repeat_edit.setText(PASSPHRASE)
            ask.accept()
            qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
        else:
            window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(exec_))
    assert main.run_gui(str(database)) == 0
    (before, _), (after, message) = seen
    assert not before and after and message.startswith("laptop.sqlite3 is encrypted")
    assert is_encrypted(str(database))


def test_an_encrypted_databases_backup_restores_with_the_passphrase_it_was_opened_with(
    qtbot, monkeypatch, make_context, database: Path, tmp_path: Path, memory_keyring
) -> None:
    """Typed at start (not in the keyring, not in the environment): the restore needs no second typing."""
    from app.services.admin import backup
    from app.ui.dialogs import restore_backup
    from app.ui.dialogs.restore_backup import RestoreBackupDialog, carry_out

    monkeypatch.delenv("AE_WORKBENCH_PASSPHRASE", raising=False)
    monkeypatch.setattr(restore_backup, "confirm_restore", lambda _parent, _text: True)
    encrypt(str(database), PASSPHRASE)
    copy = tmp_path / "backup.sqlite3"
    with Workspace.open(str(database), passphrase=PASSPHRASE) as ws:
        backup(ws, copy)
        with ws.database.session() as session:
            f.add_account(session, "Bolt Freight")
            session.commit()
        dialog = RestoreBackupDialog(make_context(ws))
        qtbot.addWidget(dialog)
        request = dialog.restore_from(copy)
        assert request is not None and request.passphrase == PASSPHRASE
    carry_out(request)  # the window has closed the database by now
    with Workspace.open(str(database), passphrase=PASSPHRASE) as ws, ws.database.session() as session:
        names = session.scalars(select(orm.AccountRow.name)).all()
    assert names == ["Harbor Goods"]
