"""Start the window: `run_gui()` is what `ae-workbench` (no subcommand) calls, after importing this lazily.

Order matters: the QApplication exists before any dialog (a bad database is reported in a message box), the
crash handler is installed before the first slot can raise, and the demo database is filled before the main
window opens on it, so the first thing a new user sees is a full portfolio. Once the window shows, the
database is backed up in the background (services/backups.py). File › Restore from backup… closes the window:
the file is replaced only with the database closed, then a new window opens on it (`run_window` once more).
A window is its SQLite file's one writer while it holds `<file>.lock`; a second window on the same file opens
it read-only (`open_window_workspace`). Everything the window logs, Qt's warnings and crashes included, goes
to the rotating log (app/logs.py) from `start_logging()` on. An encrypted database opens with the passphrase
from AE_WORKBENCH_PASSPHRASE or the keyring, else the one typed in the passphrase dialog
(`open_protected_workspace`), asked again after a wrong one; Cancel quits.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLockFile, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.domain.errors import StorageError, UserError
from app.locations import demo_database_path
from app.services import encryption
from app.services.progress import Cancelled, CancelToken, Progress
from app.services.stats import database_stats
from app.services.workspace import Workspace
from app.ui.app import CrashHandler, create_application, finish_logging, start_logging
from app.ui.mainwindow import MainWindow
from app.ui.settings import Settings
from app.ui.tasks import Task, TaskRunner, run_with_progress_dialog
from app.ui.theme import apply_appearance
from app.ui.views.base import ScreenContext

if TYPE_CHECKING:
    from app.services.backups import BackupInfo
    from app.ui.dialogs.restore_backup import RestoreRequest
    from app.ui.dialogs.security import EncryptionRequest

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNUSABLE = 2  # CONTRACTS.md §2: unreadable or unreachable database

STATUS_MESSAGE_MS = 15_000  # how long the status bar says a backup was taken or restored

DEMO_SCALE = "small"
DEMO_SEED = 7

# The banner of a window that found its database in use by another, and what its refused edits say.
IN_USE_ELSEWHERE = (
    "Another AE Workbench window has this database open: this one is read-only. "
    "Close the other one, then reopen to edit."
)


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


def claim_database_file(path: Path) -> tuple[QLockFile | None, bool]:
    """Take `<file>.lock`, which makes this window the file's one writer: (the lock, False) when taken;
    (None, True) when another live window holds it; (None, False) when no lock can be made there (a read-only
    folder: SQLite then says what can be done). A lock left by a process that died is taken over."""
    lock = QLockFile(f"{path}.lock")
    # Stale only when its process is gone: a window may hold the lock for days, so never by age.
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return lock, False
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None, True
    log.warning("cannot create the lock file %s.lock (%s); opening without it", path, lock.error().name)
    return None, False


def open_window_workspace(
    target: str | None, *, demo: bool, passphrase: str | None = None
) -> tuple[Workspace, QLockFile | None]:
    """The database for a window, which it edits holding the file's lock (returned: unlock it when the window
    is done); read-only, saying IN_USE_ELSEWHERE, when another window holds it. Raises StorageError.
    `passphrase`: of an encrypted file."""
    resolved = resolve_target(target, demo=demo)
    path = Workspace.sqlite_file(resolved)
    lock, in_use = None, False
    if path is not None and path.parent.is_dir() and not path.is_dir():
        lock, in_use = claim_database_file(path)
    keyed: dict[str, Any] = {"passphrase": passphrase} if passphrase else {}  # only an encrypted file
    try:
        if in_use:
            log.info("%s is in use by another window: opening it read-only", path)
            return Workspace.open(resolved, read_only=True, read_only_reason=IN_USE_ELSEWHERE, **keyed), None
        return Workspace.open(resolved, **keyed), lock
    except BaseException:
        if lock is not None:
            lock.unlock()
        raise


AskPassphrase = Callable[[Path, "str | None"], "tuple[str, bool] | None"]


def open_protected_workspace(
    target: str | None, *, demo: bool, passphrase: str | None, ask: AskPassphrase
) -> tuple[Workspace, QLockFile | None, str | None] | None:
    """open_window_workspace, with the passphrase of an encrypted file: `passphrase` (the one that opened it
    before a restore), AE_WORKBENCH_PASSPHRASE or the keyring, else `ask(path, problem)` until it fits;
    (workspace, lock, passphrase), or None when the user cancelled. Raises StorageError."""
    resolved = resolve_target(target, demo=demo)
    if not encryption.is_encrypted(resolved):
        return (*open_window_workspace(target, demo=demo), None)
    path = encryption.database_file(resolved)
    passphrase = passphrase or encryption.find_passphrase(resolved)
    problem, remember = None, False
    while True:
        if passphrase is None:
            answer = ask(path, problem)
            if answer is None:
                return None
            passphrase, remember = answer
        try:
            workspace, lock = open_window_workspace(target, demo=demo, passphrase=passphrase)
        except encryption.WrongPassphraseError as exc:
            problem, passphrase = f"{exc}. Try again.", None
            continue
        if remember:
            try:
                encryption.remember_passphrase(path, passphrase)
            except UserError as exc:  # the database is open all the same: say so, do not stop
                log.warning("%s", exc)
        return workspace, lock, passphrase


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
    qt_log = start_logging()
    try:
        from app.ui.dialogs.passphrase import ask_database_passphrase
        from app.ui.dialogs.security import EncryptionRequest

        first_start, message, passphrase = True, "", None
        while True:  # once more after each File › Restore from backup…, on the restored database
            try:
                opened = open_protected_workspace(
                    target, demo=demo, passphrase=passphrase, ask=ask_database_passphrase
                )
            except StorageError as exc:
                log.warning("cannot open the database: %s", exc)
                QMessageBox.critical(None, "AE Workbench — cannot open the database", str(exc))
                return EXIT_UNUSABLE
            if opened is None:  # Cancel in the passphrase dialog
                return EXIT_OK
            workspace, lock, passphrase = opened
            try:
                fill_demo = demo and first_start and not workspace.read_only
                status, restore = run_window(
                    app, workspace, settings, fill_demo=fill_demo, back_up=first_start, message=message
                )
                if restore is None:
                    return status
                # Still holding the lock: no other window opens the file while it is being replaced.
                first_start = False
                if isinstance(restore, EncryptionRequest):
                    message, passphrase = convert_closed_database(restore, passphrase)
                else:
                    message = restore_closed_database(restore)
            finally:
                if lock is not None:
                    lock.unlock()
    finally:
        finish_logging(qt_log)
        crash_handler.uninstall()


def run_window(
    app: QApplication,
    workspace: Workspace,
    settings: Settings,
    *,
    fill_demo: bool = False,
    back_up: bool = True,
    message: str = "",
) -> tuple[int, RestoreRequest | EncryptionRequest | None]:
    """One main window on `workspace` until it closes: (exit status, the restore it was closed for)."""
    from app.ui.dialogs.restore_backup import pending_restore
    from app.ui.dialogs.security import pending_encryption

    runner = TaskRunner(app)
    with workspace:
        if fill_demo and needs_demo_data(workspace):
            fill_demo_data(workspace, runner)  # cancelled: open anyway, the window explains "no accounts"
        window = MainWindow(ScreenContext(workspace, runner, settings))
        window.show()
        if message:
            window.statusBar().showMessage(message, STATUS_MESSAGE_MS)
        if back_up:  # not in a window reopened after a restore: that is no new start
            start_automatic_backup(window)
        heartbeat = close_on_terminate(window)
        status = app.exec()
        heartbeat.stop()
        runner.shutdown()  # no worker may still hold a session when the database closes
    runner.deleteLater()
    return status, pending_restore(window) or pending_encryption(window)


def convert_closed_database(request: EncryptionRequest, passphrase: str | None) -> tuple[str, str | None]:
    """Encrypt, decrypt or re-key the database, closed by now (Preferences › Security); the line for the
    reopened window and the passphrase it opens with. After a failure (reported here) the file is as it was
    and opens with `passphrase`."""
    from app.ui.dialogs.security import carry_out_encryption

    try:
        message, new_passphrase = carry_out_encryption(request)
    except UserError as exc:
        QMessageBox.warning(None, "AE Workbench — encryption", f"The database was not changed: {exc}.")
        return "", passphrase
    log.info("%s", message)
    return message, new_passphrase


def restore_closed_database(request: RestoreRequest) -> str:
    """Replace the database, closed by now, with the backup; the line for the reopened window's status bar
    ("" after a failure, which a message box has reported: the database is then unchanged)."""
    from app.ui.dialogs.restore_backup import carry_out, report_restore_error

    try:
        message = carry_out(request)
    except Exception as exc:  # the window reopens in any case, on whichever database is there
        report_restore_error(None, exc)
        return ""
    log.info("%s (from %s)", message, request.source)
    return message


def start_automatic_backup(window: MainWindow) -> Task | None:
    """Back up the window's SQLite database in the background (Edit › Preferences… › Backups). The outcome
    goes to the status bar and the log; a failure never stands in the way of the start."""
    context, workspace = window.context, window.context.workspace
    preferences = context.settings.preferences
    if not preferences.backups_enabled or workspace.read_only or workspace.dialect != "sqlite":
        return None
    keep = preferences.backups_keep

    def work(_progress: Progress, _cancel: CancelToken) -> tuple[BackupInfo | None, int]:
        from app.services.backups import automatic_backup, list_backups  # off the start-up path

        info = automatic_backup(workspace, keep)
        return info, sum(1 for each in list_backups(workspace) if each.automatic)

    def done(result: tuple[BackupInfo | None, int]) -> None:
        info, kept = result
        if info is not None:
            log.info("automatic backup %s written and verified; %d kept", info.path, kept)
            window.statusBar().showMessage(
                f"Backup taken {info.taken_at:%H:%M}, {kept} kept", STATUS_MESSAGE_MS
            )

    def failed(exc: BaseException) -> None:
        if isinstance(exc, Cancelled):  # the window closed first
            return
        log.warning("automatic backup failed: %s", exc, exc_info=not isinstance(exc, UserError))
        window.statusBar().showMessage(f"Automatic backup failed: {exc}")  # stays until the next message

    return context.runner.run(work, name="automatic backup", owner=window, on_result=done, on_error=failed)
