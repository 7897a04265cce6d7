"""The QApplication, and what happens when our own code raises where nobody catches it.

Errors split two ways (ARCHITECTURE.md §4, "Errors"): a `UserError` that escapes is still the user's or the
environment's to fix, so it is shown as a plain message; anything else is a bug, so the crash dialog shows it,
offers to copy the details for a bug report, and writes them to a log file under the user data folder.
The app keeps running after either: a failed slot should not take unsaved work down with it.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory

from app import __version__
from app.domain.errors import UserError
from app.locations import APP_AUTHOR, APP_NAME, user_data_dir

LOG_DIR = "logs"

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
    """Write `text` to a new file under <user data>/logs; None when even that fails (disk full, read-only)."""
    folder = folder or user_data_dir() / LOG_DIR
    path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return path


def show_crash_dialog(details: str, log_path: Path | None) -> None:
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("AE Workbench — unexpected error")
    box.setText("Something went wrong inside AE Workbench. Your data has not been changed by this error.")
    where = f"The details were saved to {log_path}." if log_path else "The details could not be saved."
    box.setInformativeText(f"{where} Please send them to the workbench team.")
    box.setDetailedText(details)
    copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    # An ActionRole button would close the box; disconnect that so Copy can be pressed and the box stays.
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
    box.exec()


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
        if self.reporting or not self.interactive or QApplication.instance() is None:
            return
        self.reporting = True
        try:
            if isinstance(exc, UserError):
                show_user_error(exc)
            else:
                show_crash_dialog(details, write_crash_log(details))
        except Exception:
            traceback.print_exc()
        finally:
            self.reporting = False
