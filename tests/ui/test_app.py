"""Application setup, the crash handler, and `run_gui`'s handling of a database it cannot open."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton

from app.domain.errors import NotFoundError
from app.ui import app as ui_app
from app.ui.app import CrashHandler, create_application, show_crash_dialog, write_crash_log

pytestmark = pytest.mark.gui


def raise_and_catch(exc: BaseException):
    try:
        raise exc
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


def test_application_is_named_and_styled(qapp) -> None:
    app = create_application()
    assert app is qapp
    assert QCoreApplication.applicationName() == "AE Workbench"
    assert QCoreApplication.organizationName() == "AE Workbench"
    assert app.style().name().lower() == "fusion"


def test_a_bug_writes_a_crash_log_and_shows_the_dialog(monkeypatch, qapp, isolated_user_data: Path) -> None:
    shown: list[tuple[str, Path | None]] = []
    monkeypatch.setattr(ui_app, "show_crash_dialog", lambda details, path: shown.append((details, path)))
    handler = CrashHandler()
    handler(*raise_and_catch(RuntimeError("kaboom")))
    details, log_path = shown[0]
    assert "RuntimeError: kaboom" in details
    assert "PySide6" in details  # the environment, for the bug report
    assert log_path is not None and log_path.parent == isolated_user_data / "logs"
    assert "kaboom" in log_path.read_text(encoding="utf-8")
    assert handler.crashes == [details]


def test_a_user_error_is_a_plain_message_not_a_crash(monkeypatch, qapp, isolated_user_data: Path) -> None:
    warned: list[str] = []
    monkeypatch.setattr(ui_app, "show_user_error", lambda exc: warned.append(str(exc)))
    monkeypatch.setattr(ui_app, "show_crash_dialog", lambda *a: pytest.fail("crash dialog for a user error"))
    CrashHandler()(*raise_and_catch(NotFoundError("no account 12-3456789")))
    assert warned == ["no account 12-3456789"]
    assert not (isolated_user_data / "logs").exists()


def test_non_interactive_handler_only_records(monkeypatch, qapp) -> None:
    monkeypatch.setattr(ui_app, "show_crash_dialog", lambda *a: pytest.fail("no dialog in smoke mode"))
    handler = CrashHandler(interactive=False)
    handler(*raise_and_catch(ValueError("x")))
    assert len(handler.crashes) == 1


def test_install_and_uninstall_restore_the_previous_hook(qapp) -> None:
    before = sys.excepthook
    handler = CrashHandler()
    handler.install()
    assert sys.excepthook is handler
    handler.uninstall()
    assert sys.excepthook is before


def test_crash_log_failure_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert write_crash_log("details", folder=blocker / "logs") is None


def test_crash_dialog_copies_the_details(monkeypatch, qtbot, qapp) -> None:
    seen: dict[str, object] = {}

    # Instead of a nested event loop (which a Quit queued by an earlier test's last window could end at once):
    # show the box, press Copy, look, close.
    def press_copy_then_close(box: QMessageBox) -> int:
        box.show()
        qtbot.waitExposed(box)
        copy = next(b for b in box.findChildren(QPushButton) if b.text() == "Copy details")
        copy.click()
        seen["still_open"] = box.isVisible()
        seen["clipboard"] = QGuiApplication.clipboard().text()
        seen["details"] = box.detailedText()
        box.done(0)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_copy_then_close)
    show_crash_dialog("Traceback: details here", Path("/tmp/crash.log"))
    assert seen == {
        "still_open": True,
        "clipboard": "Traceback: details here",
        "details": "Traceback: details here",
    }


def test_first_demo_start_fills_an_empty_database(empty_workspace, sync_runner) -> None:
    from app.ui.main import fill_demo_data, needs_demo_data

    assert needs_demo_data(empty_workspace)
    assert fill_demo_data(empty_workspace, sync_runner) is True
    assert not needs_demo_data(empty_workspace)


def test_cancelling_the_demo_opens_the_window_on_the_empty_database(
    monkeypatch, empty_workspace, sync_runner
) -> None:
    import app.services.demo
    from app.services.progress import Cancelled
    from app.ui.main import fill_demo_data, needs_demo_data

    def cancelled(*args, **kwargs):
        raise Cancelled()

    monkeypatch.setattr(app.services.demo, "generate_demo", cancelled)
    assert fill_demo_data(empty_workspace, sync_runner) is False
    assert needs_demo_data(empty_workspace)


def test_run_gui_without_a_display_says_so_in_one_line(monkeypatch, capsys) -> None:
    from app.ui import main

    monkeypatch.setattr(main.sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert main.run_gui(None) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot open the window: no display") and err.count("\n") == 1


def test_run_gui_reports_an_unusable_database_and_exits_2(monkeypatch, qapp, tmp_path: Path) -> None:
    from app.ui import main

    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: messages.append(text))
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert main.run_gui(str(folder)) == 2
    assert len(messages) == 1 and "folder" in messages[0] and "\n" not in messages[0]
