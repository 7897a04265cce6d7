"""Run service calls off the GUI thread and hear back on it.

`TaskRunner.run(work, ...)` calls `work(progress, cancel)` on a worker thread and returns a `Task`: a QObject
living on the GUI thread whose signals (`progressed`, `succeeded`, `failed`, `finished`) are therefore always
delivered on the GUI thread, so their receivers may touch widgets. `work` gets a throttled `Progress` callable
and a `CancelToken` (app.services.progress), exactly what the services take, and no Qt: it must not touch a
widget.

Reads go to the global thread pool; writes (`write=True`) to a private pool of one thread, so the database
never sees two writers from this process. Tests construct `TaskRunner(synchronous=True)`: work then runs
inside `run()` and the signals fire before it returns.

`run_with_progress_dialog()` is the blocking "do this, show a progress dialog with Cancel if it takes a
while" used before the main window exists (demo data on first start) and for modal operations later.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.services.progress import Cancelled, CancelToken, Progress

# At most one progress update per this many seconds crosses to the GUI thread: services may report per row,
# and thousands of queued signals would starve the event loop.
PROGRESS_INTERVAL_S = 0.05
# A progress dialog appears only when the work has not finished by then (a flash of a dialog is noise).
DIALOG_DELAY_MS = 500

Work = Callable[[Progress, CancelToken], Any]


class Task(QObject):
    """One piece of background work, as seen from the GUI thread."""

    progressed = Signal(int, int, str)  # done, total, message
    succeeded = Signal(object)  # the work's return value
    failed = Signal(object)  # the exception (a Cancelled one when cancelled)
    finished = Signal()  # after succeeded or failed, always

    # Emitted by the worker thread; connected with a queued connection to the slots below, which re-emit the
    # public signals on the GUI thread (the thread this object lives on).
    _progress_from_worker = Signal(int, int, str)
    _outcome_from_worker = Signal(bool, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.cancel_token = CancelToken()
        self.done = False
        self.abandoned = False  # its receivers are gone: finish quietly
        self._last_progress = 0.0
        queued = Qt.ConnectionType.QueuedConnection
        self._progress_from_worker.connect(self._deliver_progress, queued)
        self._outcome_from_worker.connect(self._deliver_outcome, queued)

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @Slot()
    def abandon(self) -> None:
        """The owner is being destroyed: stop, and never call its callbacks (they would touch its widgets)."""
        self.abandoned = True
        self.cancel()

    @property
    def cancelled(self) -> bool:
        return self.cancel_token.cancelled

    def throttled_progress(self, emit: Callable[[int, int, str], None]) -> Progress:
        """A `Progress` for the service: forwards at most every PROGRESS_INTERVAL_S, and the last step."""

        def progress(done: int, total: int, message: str) -> None:
            now = time.monotonic()
            if now - self._last_progress >= PROGRESS_INTERVAL_S or (total and done >= total):
                self._last_progress = now
                emit(done, total, message)

        return progress

    @Slot(int, int, str)
    def _deliver_progress(self, done: int, total: int, message: str) -> None:
        if not (self.done or self.abandoned):
            self.progressed.emit(done, total, message)

    @Slot(bool, object)
    def _deliver_outcome(self, ok: bool, value: object) -> None:
        self.done = True
        if not self.abandoned:
            (self.succeeded if ok else self.failed).emit(value)
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, work: Work) -> None:
        super().__init__()
        self._task = task
        self._work = work

    def run(self) -> None:
        task = self._task
        progress = task.throttled_progress(task._progress_from_worker.emit)
        try:
            task.cancel_token.raise_if_cancelled()
            result = self._work(progress, task.cancel_token)
        except BaseException as exc:  # delivered to the GUI thread: a worker must never die silently
            task._outcome_from_worker.emit(False, exc)
        else:
            task._outcome_from_worker.emit(True, result)


class TaskRunner(QObject):
    """Owns the worker threads; keeps every running Task alive until it has finished.

    Lifetime rule: whoever creates a runner calls `shutdown()` before dropping it. That waits for the workers,
    which hold its tasks, and closes the runner: work submitted afterwards is not run (its Task is returned
    already done and abandoned), so a late signal during teardown cannot start a worker that outlives it.

    `busy_changed(count)` is emitted whenever the number of running tasks changes (the status bar's
    background-job indicator); `running_names()` says which they are.
    """

    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._read_pool = QThreadPool.globalInstance()
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)
        self._active: set[Task] = set()
        self.closed = False

    def run(
        self,
        work: Work,
        *,
        name: str = "task",
        write: bool = False,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        owner: QObject | None = None,
    ) -> Task:
        """Run `work(progress, cancel)`; the callbacks are called on the GUI thread.

        `owner` (the widget the callbacks belong to): when it is destroyed first, the task is cancelled and
        its callbacks are never called.
        """
        task = Task(name, self)
        if self.closed:
            task.abandon()
            task.done = True
            return task
        if owner is not None:
            owner.destroyed.connect(task.abandon)
        if on_progress is not None:
            task.progressed.connect(on_progress)
        if on_result is not None:
            task.succeeded.connect(on_result)
        if on_error is not None:
            task.failed.connect(on_error)
        # A bound slot, not a lambda: a lambda would hold the runner alive through its task, and the runner
        # could then be destroyed from inside its own child's destructor (a double delete).
        task.finished.connect(self._forget_finished_task)
        self._active.add(task)
        self.busy_changed.emit(len(self._active))
        if self.synchronous:
            self._run_inline(task, work)
        else:
            (self._write_pool if write else self._read_pool).start(_Runnable(task, work))
        return task

    @staticmethod
    def _run_inline(task: Task, work: Work) -> None:
        progress = task.throttled_progress(task._deliver_progress)
        try:
            result = work(progress, task.cancel_token)
        except Exception as exc:
            task._deliver_outcome(False, exc)
        else:
            task._deliver_outcome(True, result)

    @Slot()
    def _forget_finished_task(self) -> None:
        task = self.sender()
        if isinstance(task, Task):
            self._active.discard(task)
            task.deleteLater()
            self.busy_changed.emit(len(self._active))

    @property
    def busy(self) -> bool:
        return bool(self._active)

    def running_names(self) -> list[str]:
        """The names of the tasks still running, sorted (for a tooltip: the order they started is noise)."""
        return sorted(task.objectName() for task in self._active)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Ask every running task to stop, wait for the threads, and take no more work."""
        self.closed = True
        for task in list(self._active):
            task.cancel()
        self._write_pool.waitForDone(timeout_ms)
        self._read_pool.waitForDone(timeout_ms)


def run_with_progress_dialog(
    runner: TaskRunner, work: Work, *, title: str, label: str, parent: QWidget | None = None
) -> Any:
    """Run `work` in the background behind a modal progress dialog; return its result or raise its error.

    Blocks the caller in a local event loop (the GUI stays painted and Cancel works). The dialog appears
    only if the work takes longer than DIALOG_DELAY_MS. Cancel raises `Cancelled`.
    """
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    dialog.hide()  # a QProgressDialog shows itself on a timer; the delay below decides instead
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def on_progress(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if message:  # under the caller's label, which says what the whole operation is
            dialog.setLabelText(f"{label}\n{message}")

    def on_finished() -> None:
        loop.quit()

    task = runner.run(
        work,
        name=title,
        write=True,
        owner=dialog,
        on_result=lambda value: outcome.update(result=value),
        on_error=lambda exc: outcome.update(error=exc),
        on_progress=on_progress,
    )
    if not task.done:
        task.finished.connect(on_finished)
        dialog.canceled.connect(task.cancel)
        dialog.canceled.connect(lambda: dialog.setLabelText("Cancelling…"))
        show_later = QTimer(dialog)  # parented: it cannot fire after the dialog is gone
        show_later.setSingleShot(True)
        show_later.timeout.connect(dialog.show)
        show_later.start(DIALOG_DELAY_MS)
        while not task.done:  # a stray application-wide quit() ends the loop early: the work still runs
            loop.exec()
        show_later.stop()
    dialog.hide()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


__all__ = ["Cancelled", "Task", "TaskRunner", "run_with_progress_dialog"]
