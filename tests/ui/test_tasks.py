"""TaskRunner: work off the GUI thread, results and errors back on it; the synchronous variant for tests."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, QThread

from app.services.progress import Cancelled
from app.ui.tasks import TaskRunner, run_with_progress_dialog

pytestmark = pytest.mark.gui


@pytest.fixture
def runner(qapp):
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def test_result_arrives_on_the_gui_thread(qtbot, runner: TaskRunner) -> None:
    seen: dict[str, object] = {}

    def work(progress, cancel):
        seen["worker"] = threading.get_ident()
        return 42

    def on_result(value):
        seen["value"] = value
        seen["gui"] = QThread.currentThread() == QCoreApplication.instance().thread()

    task = runner.run(work, on_result=on_result)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen["value"] == 42
    assert seen["gui"] is True
    assert seen["worker"] != threading.get_ident()
    assert not runner.busy


def test_error_is_delivered_not_raised(qtbot, runner: TaskRunner) -> None:
    def work(progress, cancel):
        raise ValueError("boom")

    task = runner.run(work)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], ValueError)


def test_progress_is_throttled_but_the_last_step_arrives(qtbot, runner: TaskRunner) -> None:
    steps: list[tuple[int, int, str]] = []

    def work(progress, cancel):
        for done in range(1, 10_001):
            progress(done, 10_000, f"row {done}")
        return "ok"

    task = runner.run(work, on_progress=lambda *step: steps.append(step))
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert 1 <= len(steps) < 1_000
    assert steps[-1] == (10_000, 10_000, "row 10000")


def test_cancel_reaches_the_work(qtbot, runner: TaskRunner) -> None:
    started = threading.Event()

    def work(progress, cancel):
        started.set()
        while True:
            cancel.raise_if_cancelled()
            QThread.msleep(5)

    task = runner.run(work)
    assert started.wait(5)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.cancel()
    assert isinstance(blocker.args[0], Cancelled)


def test_writes_run_one_at_a_time(qtbot, runner: TaskRunner) -> None:
    active, peak = [0], [0]
    lock = threading.Lock()

    def work(progress, cancel):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        QThread.msleep(20)
        with lock:
            active[0] -= 1

    tasks = [runner.run(work, write=True) for _ in range(4)]
    qtbot.waitUntil(lambda: all(task.done for task in tasks), timeout=5000)
    assert peak[0] == 1


def test_synchronous_runner_finishes_inside_run(qapp) -> None:
    runner = TaskRunner(synchronous=True)
    results, errors = [], []
    task = runner.run(lambda progress, cancel: progress(1, 1, "x") or "done", on_result=results.append)
    assert task.done and results == ["done"]
    runner.run(lambda progress, cancel: 1 / 0, on_error=errors.append)
    assert isinstance(errors[0], ZeroDivisionError)


def test_progress_dialog_helper_returns_the_result(qtbot, runner: TaskRunner) -> None:
    def work(progress, cancel):
        progress(1, 2, "half")
        QThread.msleep(50)
        progress(2, 2, "all")
        return "filled"

    assert run_with_progress_dialog(runner, work, title="t", label="working") == "filled"


def test_progress_dialog_helper_raises_the_error(qapp) -> None:
    def work(progress, cancel):
        raise Cancelled()

    with pytest.raises(Cancelled):
        run_with_progress_dialog(TaskRunner(synchronous=True), work, title="t", label="working")
