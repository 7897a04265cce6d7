"""One writer per SQLite file: a window holds `<file>.lock`; a second window on the same file opens it
read-only, says so in a banner, and every edit there is refused with the same words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLockFile, QSysInfo

from app.domain.errors import StorageError
from app.services.accounts import list_portfolio
from app.services.notes import add_note, list_notes
from app.services.stats import database_stats
from app.services.workspace import Workspace
from app.ui.main import IN_USE_ELSEWHERE, open_window_workspace
from app.ui.mainwindow import MainWindow

pytestmark = pytest.mark.gui


def database_file(workspace: Workspace) -> Path:
    path = workspace.database.sqlite_path
    assert path is not None
    return path


@pytest.fixture
def held_by_another_window(demo_workspace: Workspace):
    """The demo file's lock, held as another window would hold it."""
    lock = QLockFile(f"{database_file(demo_workspace)}.lock")
    lock.setStaleLockTime(0)
    assert lock.tryLock(0)
    yield lock
    lock.unlock()


def test_a_second_window_opens_read_only_with_a_banner(
    qtbot, make_context, demo_workspace, held_by_another_window
) -> None:
    path = database_file(demo_workspace)
    workspace, lock = open_window_workspace(str(path), demo=False)
    assert lock is None
    with workspace:
        assert workspace.read_only and workspace.read_only_reason == IN_USE_ELSEWHERE
        window = MainWindow(make_context(workspace))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        banner = window.read_only_banner
        assert banner is not None and banner.isVisible() and banner.text() == IN_USE_ELSEWHERE
        assert banner.accessibleName()
        accounts = database_stats(demo_workspace)["accounts"]
        portfolio = window.current_screen()  # reading works, the 12-month figures included
        assert portfolio is not None and portfolio.table.model().rowCount() == accounts

        followups = window.show_screen("followups")  # an edit from the window: refused, the bar says why
        assert followups.proxy.rowCount() > 0
        followups.table.selectRow(0)
        followups.mark_selected_done()
        assert followups.message_bar.text() == IN_USE_ELSEWHERE
        assert followups.undo_stack.count() == 0
        window.close()


def test_a_write_through_a_service_is_refused_and_nothing_is_written(
    demo_workspace, held_by_another_window
) -> None:
    path = database_file(demo_workspace)
    first = list_portfolio(demo_workspace)[0]
    before = len(list_notes(demo_workspace, str(first.account_id)))
    workspace, _lock = open_window_workspace(str(path), demo=False)
    with workspace:
        with pytest.raises(StorageError) as refused:
            add_note(workspace, str(first.account_id), "written from the second window")
        assert str(refused.value) == IN_USE_ELSEWHERE
    assert len(list_notes(demo_workspace, str(first.account_id))) == before


def test_the_first_window_holds_the_lock_and_a_second_one_reads_only(qtbot, make_context, tmp_path) -> None:
    path = tmp_path / "workbench.sqlite3"
    first, lock = open_window_workspace(str(path), demo=False)
    assert lock is not None and lock.isLocked() and Path(f"{path}.lock").is_file()
    try:
        assert not first.read_only
        window = MainWindow(make_context(first))
        qtbot.addWidget(window)
        assert window.read_only_banner is None
        second, second_lock = open_window_workspace(str(path), demo=False)
        with second:
            assert second_lock is None and second.read_only_reason == IN_USE_ELSEWHERE
        window.close()
    finally:
        first.close()
        lock.unlock()
    assert not Path(f"{path}.lock").exists()
    again, lock = open_window_workspace(str(path), demo=False)  # the first one closed: editable again
    with again:
        assert lock is not None and not again.read_only
        lock.unlock()


def test_a_lock_left_by_a_process_that_died_is_taken_over(tmp_path) -> None:
    path = tmp_path / "workbench.sqlite3"
    Workspace.open(str(path)).close()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    dead_pid = int(gone.stdout)
    # What QLockFile writes: pid, application, host (and, in Qt 6, the boot id); here of a process now gone.
    application, host = QCoreApplication.applicationFilePath(), QSysInfo.machineHostName()
    Path(f"{path}.lock").write_text(f"{dead_pid}\n{application}\n{host}\n", encoding="utf-8")
    workspace, lock = open_window_workspace(str(path), demo=False)
    with workspace:
        assert lock is not None and not workspace.read_only
        lock.unlock()


def test_a_server_database_takes_no_lock_file(monkeypatch, tmp_path) -> None:
    opened: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(Workspace, "open", classmethod(lambda cls, target, **kw: opened.append((target, kw))))
    url = "postgresql+psycopg://ae@localhost/workbench"
    _workspace, lock = open_window_workspace(url, demo=False)
    assert lock is None and opened == [(url, {})]
