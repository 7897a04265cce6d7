"""The crash hook writes to the workbench's log; the crash dialog's details are selectable and copyable; Qt's
own warnings reach the log without escaping pytest-qt."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, qWarning
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QTextEdit

from app import logs
from app.ui import app as ui_app
from app.ui.app import CrashHandler, QtMessageLog, show_crash_dialog

pytestmark = pytest.mark.gui

QT_TEST_WARNING = "workbench log test: a warning from Qt"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """Logging set up as the window sets it up, into this test's folder."""
    handler = logs.configure_logging(logging.INFO, folder=tmp_path / "logs")
    try:
        yield handler.path
    finally:
        logs.stop_logging()


def raise_and_catch(exc: BaseException):
    try:
        raise exc
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


def test_the_crash_hook_writes_the_crash_to_the_log(monkeypatch, qapp, log_file: Path) -> None:
    logging.getLogger("app.ui.main").info("window opened")
    shown: list[tuple[str, Path | None]] = []
    monkeypatch.setattr(ui_app, "show_crash_dialog", lambda details, path: shown.append((details, path)))
    CrashHandler()(*raise_and_catch(RuntimeError("kaboom")))
    [(details, path)] = shown
    assert path == log_file
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert "app.ui.main: window opened" in lines[0]
    assert " CRITICAL " in lines[1] and lines[1].endswith("app.crash: unhandled error")
    assert "    RuntimeError: kaboom" in lines
    assert "\n".join(line.removeprefix(logs.CONTINUATION) for line in lines[2:]) == details.rstrip()


def test_a_user_error_is_one_warning_line_in_the_log(monkeypatch, qapp, log_file: Path) -> None:
    from app.domain.errors import StorageError

    monkeypatch.setattr(ui_app, "show_user_error", lambda exc: None)
    CrashHandler()(*raise_and_catch(StorageError("database x.sqlite3 is busy")))
    [line] = log_file.read_text(encoding="utf-8").splitlines()
    assert " WARNING " in line and line.endswith("app.ui.app: database x.sqlite3 is busy")


def test_the_crash_dialog_says_where_the_log_is_and_its_details_can_be_selected(
    monkeypatch, qtbot, qapp, tmp_path: Path
) -> None:
    details_text = "Traceback (most recent call last):\nRuntimeError: kaboom"
    log_path = tmp_path / "logs" / "ae-workbench.log"
    seen: dict[str, object] = {}

    def inspect_then_close(box: QMessageBox) -> int:
        box.show()
        qtbot.waitExposed(box)
        details = box.findChild(QTextEdit)
        flags = details.textInteractionFlags()
        seen["selectable"] = bool(flags & Qt.TextInteractionFlag.TextSelectableByMouse) and bool(
            flags & Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        seen["name"] = details.accessibleName()
        seen["informative"] = box.informativeText()
        QGuiApplication.clipboard().clear()
        details.selectAll()
        details.copy()
        seen["selected_copy"] = QGuiApplication.clipboard().text()
        QGuiApplication.clipboard().clear()
        next(b for b in box.findChildren(QPushButton) if b.text() == "Copy details").click()
        seen["button_copy"] = QGuiApplication.clipboard().text()
        box.done(0)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", inspect_then_close)
    show_crash_dialog(details_text, log_path)
    assert seen["selectable"] and seen["name"] == "Error details"
    assert str(log_path) in str(seen["informative"])
    assert seen["selected_copy"] == details_text
    assert seen["button_copy"] == details_text


@pytest.mark.qt_log_ignore(QT_TEST_WARNING)
def test_qt_warnings_go_to_the_log_and_still_reach_pytest_qt(qtlog, qapp, log_file: Path) -> None:
    qt_log = QtMessageLog()
    qt_log.install()
    try:
        qWarning(f"{QT_TEST_WARNING} (logged)")
    finally:
        qt_log.uninstall()
    qWarning(f"{QT_TEST_WARNING} (after uninstall)")
    [line] = log_file.read_text(encoding="utf-8").splitlines()
    assert " WARNING " in line and line.endswith(f"qt: {QT_TEST_WARNING} (logged)")
    # pytest-qt saw both: the log handler passed the first on, and gave pytest-qt its place back after.
    assert [record.message for record in qtlog.records if QT_TEST_WARNING in record.message] == [
        f"{QT_TEST_WARNING} (logged)",
        f"{QT_TEST_WARNING} (after uninstall)",
    ]
