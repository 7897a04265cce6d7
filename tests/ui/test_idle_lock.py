"""The idle lock: after the set minutes without input the window is covered and every other window hidden
until the database's passphrase is typed; input in the meantime starts the count again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow

from app.ui.idle_lock import MINUTE_MS, IdleLock

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def window(qtbot) -> QMainWindow:
    main = QMainWindow()
    main.setCentralWidget(QLabel("Harbor Goods: 3 open holds"))
    main.menuBar().addMenu("&File")
    main.resize(800, 500)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def test_no_lock_when_the_minutes_are_zero(window: QMainWindow) -> None:
    lock = IdleLock(window, lambda text: text == PASSPHRASE, "laptop.sqlite3", minutes=0)
    assert not lock.timer.isActive()
    lock.set_minutes(5)
    assert lock.timer.isActive() and lock.timer.interval() == 5 * MINUTE_MS


def test_input_starts_the_count_again(qtbot, window: QMainWindow) -> None:
    lock = IdleLock(window, lambda text: text == PASSPHRASE, "laptop.sqlite3", minutes=1)
    lock.timer.start(50)  # as if almost a minute had passed
    QApplication.sendEvent(
        window, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    )
    assert lock.timer.remainingTime() > 50_000  # a whole minute again
    assert not lock.locked


def test_locked_until_the_passphrase_and_everything_comes_back(qtbot, window: QMainWindow) -> None:
    dialog = QDialog(window)
    dialog.setWindowTitle("Report preview")
    dialog.show()
    lock = IdleLock(window, lambda text: text == PASSPHRASE, "laptop.sqlite3", minutes=1)
    with qtbot.waitSignal(lock.locked_changed):
        lock.timer.start(1)  # the minutes are up
    screen = lock.screen
    assert lock.locked and screen is not None and screen.isVisible()
    assert screen.geometry() == window.rect()  # the whole window is covered
    assert not dialog.isVisible() and not window.menuBar().isEnabled()
    assert not lock.timer.isActive()
    assert not lock.try_unlock("wrong guess")
    assert lock.locked and screen.message.isVisible() and screen.passphrase_edit.text() == ""
    screen.passphrase_edit.setText(PASSPHRASE)
    with qtbot.waitSignal(lock.locked_changed):
        screen.unlock_button.click()
    assert not lock.locked and lock.screen is None
    assert dialog.isVisible() and window.menuBar().isEnabled()
    assert lock.timer.isActive()


def test_the_main_window_of_an_encrypted_database_locks_with_its_passphrase(
    qtbot, make_context, tmp_path
) -> None:
    from app.services.encryption import encrypt
    from app.services.workspace import Workspace
    from app.ui.mainwindow import MainWindow

    plain_file, locked_file = tmp_path / "plain.sqlite3", tmp_path / "locked.sqlite3"
    for path in (plain_file, locked_file):
        Workspace.open(str(path)).close()
    encrypt(str(locked_file), PASSPHRASE)
    with Workspace.open(str(plain_file)) as plain:
        window = MainWindow(make_context(plain))
        qtbot.addWidget(window)
        assert window.idle_lock is None  # no passphrase to ask for
    with Workspace.open(str(locked_file), passphrase=PASSPHRASE) as locked:
        window = MainWindow(make_context(locked))
        qtbot.addWidget(window)
        lock = window.idle_lock
        assert lock is not None and lock.minutes == 15  # the preference's default
        lock.lock()
        assert not lock.try_unlock("not it") and lock.locked
        assert lock.try_unlock(PASSPHRASE) and not lock.locked
