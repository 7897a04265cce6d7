"""`ae-workbench --smoke`: start the real window offscreen, open every main screen once, time it, exit.

A self-test for packaged builds and CI: it fails (exit 1) on any exception and on any Qt warning, because a
warning in a clean start (a bad connection, a missing plugin, a layout loop) is a bug someone will meet later.
One line per screen on stdout: `portfolio      123 ms  40 rows`. Problems go to stderr.

The window runs with its own throwaway settings file, so the user's layout neither affects the result nor is
changed by it; the database is the real one (`--db`, the environment, or `--demo`).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app.domain.errors import StorageError
from app.services.accounts import list_portfolio
from app.ui.account.base import AccountTab
from app.ui.app import CrashHandler, create_application
from app.ui.main import DEMO_SCALE, DEMO_SEED, needs_demo_data, open_workspace
from app.ui.mainwindow import MainWindow
from app.ui.settings import Settings
from app.ui.tasks import TaskRunner
from app.ui.views.base import Screen, ScreenContext

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2
SCREEN_TIMEOUT_MS = 120_000
PROBLEM_TYPES = {QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg}
# The offscreen platform (which --smoke uses) has no window system: it says so whenever a shown window's
# minimum size changes (e.g. when a screen joins the main window) or a popup is raised. That is the platform
# describing itself, not a fault of ours: it is neither printed nor counted.
OFFSCREEN_NOTICES = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
)


class QtMessageRecorder:
    """Prints every Qt message to stderr and keeps the warnings and worse, which fail the smoke test."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._previous: Any = None

    def __call__(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        name = kind.name.removeprefix("Qt").removesuffix("Msg").lower()
        line = f"qt {name}: {message}"
        if message in OFFSCREEN_NOTICES:
            return
        if kind in PROBLEM_TYPES:
            self.problems.append(line)
        print(line, file=sys.stderr)

    def install(self) -> None:
        self._previous = qInstallMessageHandler(self)

    def uninstall(self) -> None:
        qInstallMessageHandler(self._previous)


def wait_for_load(screen: Screen | AccountTab, start) -> BaseException | None:
    """Run the event loop until `start()`'s reload of `screen` has finished; its error, or None."""
    loop = QEventLoop()
    outcome: dict[str, BaseException | None] = {}

    def done(error: BaseException | None = None) -> None:
        outcome["error"] = error
        loop.quit()

    screen.loaded.connect(done)
    screen.load_failed.connect(done)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: done(TimeoutError(f"no data after {SCREEN_TIMEOUT_MS // 1000} s")))
    timer.start(SCREEN_TIMEOUT_MS)
    start()
    while "error" not in outcome:  # a synchronous runner has already finished; a stray quit() ends exec()
        loop.exec()
    timer.stop()
    screen.loaded.disconnect(done)
    screen.load_failed.disconnect(done)
    return outcome["error"]


def wait_until_idle(runner: TaskRunner, timeout_ms: int = SCREEN_TIMEOUT_MS) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while runner.busy and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def visit_screens(window: MainWindow, runner: TaskRunner) -> list[str]:
    """Open each enabled screen, print its line; returns the errors."""
    errors: list[str] = []
    for key in window.enabled_screen_keys():
        started = time.perf_counter()
        screen = window.screen_for(key)
        # The first show starts the load. The start-up screen was shown (and began loading) with the window,
        # so it is reloaded: that load overtakes the first one, and it is the one timed.
        reload_too = window.has_shown(key)

        def open_screen(screen: Screen = screen, key: str = key, reload_too: bool = reload_too) -> None:
            window.show_screen(key)
            if reload_too:
                screen.reload()

        error = wait_for_load(screen, open_screen)
        QApplication.processEvents()
        screen.grab()  # paint it, offscreen or not: errors in drawing code count too
        elapsed_ms = (time.perf_counter() - started) * 1000
        if error is not None:
            errors.append(f"{key}: {type(error).__name__}: {error}")
            print(f"{key:<14} {elapsed_ms:6.0f} ms  FAILED: {error}", flush=True)
        else:
            print(f"{key:<14} {elapsed_ms:6.0f} ms  {screen.summary()}", flush=True)
    wait_until_idle(runner)
    return errors


def visit_account(window: MainWindow, runner: TaskRunner) -> list[str]:
    """Open the busiest account (most entries in 12 months) and each of its tabs, one line per tab."""
    rows = list_portfolio(window.context.workspace)
    if not rows:
        return []
    busiest = max(rows, key=lambda row: row.entries_12m)
    errors: list[str] = []
    view = window.open_account(busiest.account_id)  # starts loading the header and the first tab
    for key in view.tab_keys():
        started = time.perf_counter()
        tab = view.tab(key)
        error = wait_for_load(tab, lambda key=key: view.show_tab(key))
        QApplication.processEvents()
        tab.grab()
        elapsed_ms = (time.perf_counter() - started) * 1000
        name = f"account-{key}"
        if error is not None:
            errors.append(f"{name}: {type(error).__name__}: {error}")
            print(f"{name:<19} {elapsed_ms:6.0f} ms  FAILED: {error}", flush=True)
        else:
            print(f"{name:<19} {elapsed_ms:6.0f} ms  {tab.summary()}", flush=True)
    wait_until_idle(runner)
    return errors


def fill_demo_quietly(workspace) -> None:
    from app.services.demo import generate_demo

    started = time.perf_counter()
    generate_demo(workspace, scale=DEMO_SCALE, seed=DEMO_SEED)
    print(f"{'demo data':<14} {(time.perf_counter() - started) * 1000:6.0f} ms", flush=True)


def run_smoke(target: str | None, *, demo: bool = False) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before the QApplication, or it is too late
    recorder = QtMessageRecorder()
    recorder.install()
    crash_handler = CrashHandler(interactive=False)
    crash_handler.install()
    try:
        app = create_application()
        try:
            workspace = open_workspace(target, demo=demo)
        except StorageError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_UNUSABLE
        with workspace, tempfile.TemporaryDirectory(prefix="ae-workbench-smoke-") as scratch:
            if demo and needs_demo_data(workspace):
                fill_demo_quietly(workspace)
            errors = run_window(app, workspace, Path(scratch) / "settings.ini")
    finally:
        crash_handler.uninstall()
        recorder.uninstall()
    problems = errors + recorder.problems + [c.strip().splitlines()[-1] for c in crash_handler.crashes]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return EXIT_FAILED if problems else EXIT_OK


def run_window(app: QApplication, workspace, settings_file: Path) -> list[str]:
    runner = TaskRunner(app)
    started = time.perf_counter()
    window = MainWindow(ScreenContext(workspace, runner, Settings(settings_file)))
    window.show()
    app.processEvents()
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(f"{'window':<14} {elapsed_ms:6.0f} ms  {window.windowTitle()}", flush=True)
    try:
        return visit_screens(window, runner) + visit_account(window, runner)
    finally:
        window.close()
        runner.shutdown()
        app.processEvents()  # deliver the queued results of the finished tasks before the database closes
        window.deleteLater()
