"""The QApplication, what happens when our own code raises where nobody catches it, and Qt's messages.

Errors split two ways (ARCHITECTURE.md §4, "Errors"): a `UserError` that escapes is still the user's or the
environment's to fix, so it is shown as a plain message (and logged in one line); anything else is a bug, so
it is written to the workbench's log (app/logs.py) and the crash dialog shows it, with selectable details, a
Copy button for the bug report and where the log is. The app keeps running after either: a failed slot should
not take unsaved work down with it.

`QtMessageLog` sends Qt's own warnings to the same log. Only the real start-up installs it (run_gui): under
pytest-qt a Qt warning must still reach pytest-qt's handler and fail the test, so it passes every message on
to the handler it replaced.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory, QTextEdit

from app import __version__
from app.domain.errors import UserError
from app.locations import APP_AUTHOR, APP_NAME
from app.logs import configure_logging, stop_logging, write_crash

log = logging.getLogger(__name__)

QT_LOG_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def create_application(argv: list[str] | None = None) -> QApplication:
    """Create (or return the already created) QApplication, configured for the workbench."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        configure_application(existing)
        return existing
    # Before the QApplication exists: fractional scale factors (125 %, 150 %) are used as they are instead of
    # being rounded to whole multiples, which makes tables tiny or huge on common laptop screens. Qt 6 does
    # this by default; saying so pins it, unless the user chose otherwise with Qt's own environment variable.
    if "QT_SCALE_FACTOR_ROUNDING_POLICY" not in os.environ:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    configure_application(app)
    return app


def configure_application(app: QApplication) -> None:
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(APP_AUTHOR)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName("ae-workbench")
    # Fusion looks the same on every desktop, so screenshots in the guide match what users see.
    if "Fusion" in QStyleFactory.keys():  # noqa: SIM118 (a list, not a dict)
        app.setStyle("Fusion")


def environment_summary() -> str:
    return (
        f"AE Workbench {__version__}; Python {platform.python_version()}; PySide6 {pyside_version}; "
        f"Qt {qVersion()}; {platform.platform()}; platform plugin {QGuiApplication.platformName() or '?'}"
    )


def format_crash(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    stamp = datetime.now().isoformat(timespec="seconds")
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    return f"{stamp}\n{environment_summary()}\n\n{details}"


def write_crash_log(text: str, folder: Path | None = None) -> Path | None:
    """Write `text` to the workbench's log (in `folder`, default the user log folder); the log file, or None
    when even that fails (disk full, read-only folder)."""
    return write_crash(text, folder)


def show_crash_dialog(details: str, log_path: Path | None) -> None:
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("AE Workbench — unexpected error")
    box.setText("Something went wrong inside AE Workbench. Your data has not been changed by this error.")
    where = f"The details were written to the log {log_path}." if log_path else "They could not be saved."
    box.setInformativeText(f"{where} Please send them to the workbench team.")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the log's path, to copy
    box.setDetailedText(details)
    make_details_selectable(box)
    copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    # An ActionRole button would close the box; disconnect that so Copy can be pressed and the box stays.
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
    box.exec()


def make_details_selectable(box: QMessageBox) -> None:
    """The box's details (a read-only QTextEdit) selectable with the mouse and the keyboard, and named."""
    details = box.findChild(QTextEdit)
    if details is None:
        return
    details.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    details.setAccessibleName("Error details")


def show_user_error(exc: BaseException) -> None:
    QMessageBox.warning(QApplication.activeWindow(), "AE Workbench", str(exc))


class CrashHandler:
    """sys.excepthook for the GUI. Re-entrant-safe: an error while reporting an error is only printed."""

    def __init__(self, *, interactive: bool = True) -> None:
        self.interactive = interactive
        self.reporting = False
        self.crashes: list[str] = []
        self._previous: ExceptHook | None = None

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook = self._previous
            self._previous = None

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        details = format_crash(exc_type, exc, tb)
        self.crashes.append(details)
        print(details, file=sys.stderr)
        is_user_error = isinstance(exc, UserError)
        if is_user_error:
            log.warning("%s", exc)
        log_path = None if is_user_error else write_crash_log(details)
        if self.reporting or not self.interactive or QApplication.instance() is None:
            return
        self.reporting = True
        try:
            if is_user_error:
                show_user_error(exc)
            else:
                show_crash_dialog(details, log_path)
        except Exception:
            traceback.print_exc()
        finally:
            self.reporting = False


class QtMessageLog:
    """Qt's messages (its own and its plugins' warnings) to the log at their level, logger `qt.<category>`.

    Each message also goes where it went before: to the handler this one replaced (pytest-qt's, which fails
    a test on a warning), or, with none, to stderr as Qt's default handler does.
    """

    def __init__(self) -> None:
        self._previous: Any = None
        self._installed = False

    def install(self) -> None:
        self._previous = qInstallMessageHandler(self)
        self._installed = True

    def uninstall(self) -> None:
        if self._installed:
            qInstallMessageHandler(self._previous)
            self._installed = False

    def __call__(self, msg_type: QtMsgType, context: QMessageLogContext, message: str) -> None:
        try:
            category = context.category or "default"
            name = "qt" if category == "default" else f"qt.{category.removeprefix('qt.')}"
            logging.getLogger(name).log(QT_LOG_LEVELS.get(msg_type, logging.WARNING), "%s", message)
        except Exception:  # a message handler must never raise back into Qt
            traceback.print_exc()
        if self._previous is not None:
            self._previous(msg_type, context, message)
        elif sys.stderr is not None:
            print(message, file=sys.stderr)


def start_logging() -> QtMessageLog:
    """The window's logging: records of INFO and above to the log file, Qt's messages with them. Call
    `finish_logging` with the result when the window is done."""
    handler = configure_logging(logging.INFO)
    qt_log = QtMessageLog()
    qt_log.install()
    log.info("starting; %s; log %s", environment_summary(), handler.path)
    return qt_log


def finish_logging(qt_log: QtMessageLog) -> None:
    qt_log.uninstall()
    log.info("stopped")
    stop_logging()
