"""GUI test fixtures: the small demo portfolio (built once per session), a synchronous task runner, and
settings in the test's own folder.

`demo_workspace` is shared by the whole session: tests must only read from it. A test that writes makes its
own database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services.workspace import Workspace

DEMO_SCALE = "small"
DEMO_SEED = 7


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The small demo portfolio (seed 7) on SQLite in a session tmp folder. Read only."""
    from app.services.demo import generate_demo

    path = tmp_path_factory.mktemp("ui-demo") / "demo.sqlite3"
    workspace = Workspace.open(str(path))
    try:
        generate_demo(workspace, scale=DEMO_SCALE, seed=DEMO_SEED)
        yield workspace
    finally:
        workspace.close()


@pytest.fixture
def empty_workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(str(tmp_path / "empty.sqlite3"))
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.fixture
def sync_runner(qapp):
    """Work runs inside `run()`: results are on screen when the call returns, no waiting needed."""
    from app.ui.tasks import TaskRunner

    return TaskRunner(synchronous=True)


@pytest.fixture
def threaded_runner(qapp):
    """The real runner (thread pool), shut down after the test's widgets are gone."""
    from app.ui.tasks import TaskRunner

    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    """Where this test's settings live (also inside the isolated user data folder's tmp tree)."""
    return tmp_path / "settings" / "settings.ini"


@pytest.fixture
def make_context(sync_runner, settings_file: Path):
    """`make_context(workspace, runner=None)`: a ScreenContext with fresh Settings over `settings_file`."""
    from app.ui.settings import Settings
    from app.ui.views.base import ScreenContext

    def make(workspace: Workspace, runner=None) -> ScreenContext:
        return ScreenContext(workspace, runner or sync_runner, Settings(settings_file))

    return make


@pytest.fixture(autouse=True)
def _no_modifier_keys_held(qapp):
    """Start every test with no modifier key held down.

    Qt remembers the modifiers of the last key event it saw. A test whose Ctrl+… shortcut closed or replaced
    the widget it was sent to never delivers the release, so Qt goes on believing Ctrl is held, and the next
    test's `selectRow()` in an extended-selection grid then toggles the row off instead of selecting it.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    if QGuiApplication.keyboardModifiers() != Qt.KeyboardModifier.NoModifier:
        sink = QWidget()
        for key in (Qt.Key.Key_Control, Qt.Key.Key_Shift, Qt.Key.Key_Alt, Qt.Key.Key_Meta):
            QTest.keyRelease(sink, key, Qt.KeyboardModifier.NoModifier)
        sink.deleteLater()
    yield
