"""Start the window: `run_gui()` is what `ae-workbench` (no subcommand) calls, after importing this lazily.

Order matters: the QApplication exists before any dialog (a bad database is reported in a message box), the
crash handler is installed before the first slot can raise, and the demo database is filled before the main
window opens on it, so the first thing a new user sees is a full portfolio.
"""

from __future__ import annotations

import os
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.errors import StorageError, UserError
from app.locations import demo_database_path
from app.services.progress import Cancelled
from app.services.stats import database_stats
from app.services.workspace import Workspace
from app.ui.app import CrashHandler, create_application
from app.ui.mainwindow import MainWindow
from app.ui.settings import Settings
from app.ui.tasks import TaskRunner, run_with_progress_dialog
from app.ui.theme import apply_appearance
from app.ui.views.base import ScreenContext

EXIT_OK = 0
EXIT_UNUSABLE = 2  # CONTRACTS.md §2: unreadable or unreachable database

DEMO_SCALE = "small"
DEMO_SEED = 7


def missing_display() -> str | None:
    """Why no window can open here, before Qt finds out by aborting the process (Linux without a display)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return "cannot open the window: no display (neither DISPLAY nor WAYLAND_DISPLAY is set)"


def resolve_target(target: str | None, *, demo: bool) -> str | None:
    """`--demo` means the demo file in the user data folder (its folder created: SQLite will not)."""
    if not demo:
        return target
    path = demo_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def open_workspace(target: str | None, *, demo: bool) -> Workspace:
    """Open the database the command line chose; raises StorageError with a one-line message."""
    return Workspace.open(resolve_target(target, demo=demo))


def needs_demo_data(workspace: Workspace) -> bool:
    return database_stats(workspace).get("accounts", 0) == 0


def fill_demo_data(workspace: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> bool:
    """Generate the demo portfolio behind a progress dialog; False when the user cancelled or it failed."""
    from app.services.demo import generate_demo  # only on first start: not worth importing every time

    def work(progress, cancel):
        return generate_demo(workspace, scale=DEMO_SCALE, seed=DEMO_SEED, progress=progress, cancel=cancel)

    try:
        run_with_progress_dialog(
            runner,
            work,
            title="AE Workbench",
            label="Creating the demo portfolio (first start only)…",
            parent=parent,
        )
    except Cancelled:
        return False
    except UserError as exc:
        QMessageBox.warning(parent, "AE Workbench", f"The demo portfolio could not be created: {exc}")
        return False
    return True


def close_on_terminate(window: QWidget) -> QTimer:
    """Ctrl+C in the terminal (`make run`) or SIGTERM closes the window properly, so its layout is saved.

    Python runs signal handlers only between bytecodes, and the Qt event loop runs none while idle: the timer
    hands control back to Python a few times a second. Returns the timer, which must be kept alive.
    """
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_args: window.close())
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)
    return heartbeat


def run_gui(target: str | None, *, demo: bool = False, smoke: bool = False) -> int:
    """Open the workbench on `target` (None: the default database); returns the process exit status."""
    if smoke:
        from app.ui.smoke import run_smoke

        return run_smoke(target, demo=demo)

    problem = missing_display()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_UNUSABLE
    app = create_application()
    settings = Settings()
    apply_appearance(app, settings.preferences)  # before the first dialog, so that has the user's colours too
    crash_handler = CrashHandler()
    crash_handler.install()
    try:
        try:
            workspace = open_workspace(target, demo=demo)
        except StorageError as exc:
            QMessageBox.critical(None, "AE Workbench — cannot open the database", str(exc))
            return EXIT_UNUSABLE
        runner = TaskRunner(app)
        with workspace:
            if demo and needs_demo_data(workspace):
                fill_demo_data(workspace, runner)  # cancelled: open anyway, the window explains "no accounts"
            window = MainWindow(ScreenContext(workspace, runner, settings))
            window.show()
            heartbeat = close_on_terminate(window)
            status = app.exec()
            heartbeat.stop()
            runner.shutdown()  # no worker may still hold a session when the database closes
        return status
    finally:
        crash_handler.uninstall()
