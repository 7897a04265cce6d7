"""Backups in the GUI: the automatic backup after the window shows (status bar, log, never in the way), and
File › Restore from backup… (the list, confirmation declined changes nothing, accepted restores the older data
and keeps a copy of the current database, run_gui reopening the window on the restored file)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from app.services import backups
from app.services.accounts import list_portfolio
from app.services.workspace import Workspace
from app.ui.dialogs import restore_backup
from app.ui.dialogs.restore_backup import RestoreBackupDialog, carry_out, open_restore_dialog, pending_restore
from app.ui.formatting import fmt_datetime
from app.ui.main import start_automatic_backup
from app.ui.mainwindow import MainWindow
from tests.store import factories as f

pytestmark = pytest.mark.gui

EARLIER = datetime(2026, 11, 2, 8, 30)


def add_account(workspace: Workspace, name: str) -> None:
    with workspace.database.session() as s:
        f.add_account(s, name, [])


def names(workspace: Workspace) -> list[str]:
    return [row.name for row in list_portfolio(workspace)]


def names_in(path: Path) -> list[str]:
    workspace = Workspace.open(str(path))
    try:
        return names(workspace)
    finally:
        workspace.close()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """laptop.sqlite3: an automatic backup taken at EARLIER with Acme only; Bolt added since."""
    path = tmp_path / "laptop.sqlite3"
    workspace = Workspace.open(str(path))
    try:
        add_account(workspace, "Acme Imports")
        backups.automatic_backup(workspace, keep=7, now=EARLIER)
        add_account(workspace, "Bolt Freight")
    finally:
        workspace.close()
    return path


@pytest.fixture
def window(qtbot, make_context, database: Path) -> Iterator[MainWindow]:
    workspace = Workspace.open(str(database))
    window = MainWindow(make_context(workspace))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    workspace.close()


def open_dialog(qtbot, window: MainWindow) -> RestoreBackupDialog:
    dialog = open_restore_dialog(window)
    qtbot.addWidget(dialog)
    return dialog


# --- the automatic backup at start --------------------------------------------------------------------------


def test_the_backup_at_start_says_so_in_the_status_bar(window: MainWindow, caplog) -> None:
    caplog.set_level(logging.INFO, logger="app.ui.main")
    task = start_automatic_backup(window)
    assert task is not None and task.done  # the synchronous runner of the tests
    listed = [info for info in backups.list_backups(window.context.workspace) if info.automatic]
    assert len(listed) == 2 and names_in(listed[0].path) == ["Acme Imports", "Bolt Freight"]
    assert window.statusBar().currentMessage() == f"Backup taken {listed[0].taken_at:%H:%M}, 2 kept"
    assert "written and verified" in caplog.text


def test_no_backup_at_start_when_turned_off_and_a_failure_is_shown_not_raised(
    window: MainWindow, monkeypatch, caplog
) -> None:
    window.context.settings.preferences.backups_enabled = False
    assert start_automatic_backup(window) is None
    window.context.settings.preferences.backups_enabled = True
    monkeypatch.setattr(backups, "integrity_problems", lambda _path: ["Page 7: btreeInitPage() error 11"])
    start_automatic_backup(window)
    message = window.statusBar().currentMessage()
    assert message.startswith("Automatic backup failed: the automatic backup of laptop.sqlite3 failed its")
    assert "automatic backup failed" in caplog.text
    assert len(backups.list_backups(window.context.workspace)) == 1  # only the earlier one


# --- File › Restore from backup… ----------------------------------------------------------------------------


def test_file_menu_lists_restore_from_backup(window: MainWindow) -> None:
    file_menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&File")
    action = window.findChild(QAction, "action-restore-backup")
    assert isinstance(file_menu, QMenu) and isinstance(action, QAction) and action in file_menu.actions()
    assert action.text() == "&Restore from backup…" and action.isEnabled()


def test_a_trip_pack_window_cannot_restore_nor_back_up(qtbot, make_context, database: Path) -> None:
    from app.store.database import Database  # a trip pack is an image held in memory

    pack = Workspace(Database.from_sqlite_image(database.read_bytes(), name="Trip 2026-12-01"))
    window = MainWindow(make_context(pack))
    qtbot.addWidget(window)
    try:
        action = window.findChild(QAction, "action-restore-backup")
        assert isinstance(action, QAction) and not action.isEnabled()
        assert start_automatic_backup(window) is None
        dialog = open_dialog(qtbot, window)
        assert not dialog.restore_button.isEnabled() and not dialog.choose_button.isEnabled()
        assert "cannot be restored here" in dialog.intro_label.text()
        dialog.reject()
    finally:
        window.close()
        pack.close()


def test_the_dialog_lists_the_backups_newest_first(qtbot, window: MainWindow) -> None:
    backups.keep_before_restore(window.context.workspace, EARLIER + timedelta(hours=1))
    dialog = open_dialog(qtbot, window)
    rows = [
        [dialog.list.topLevelItem(row).text(column) for column in range(3)]
        for row in range(dialog.list.topLevelItemCount())
    ]
    assert [(row[0], row[2]) for row in rows] == [
        (fmt_datetime(EARLIER + timedelta(hours=1)), "Kept before a restore"),
        (fmt_datetime(EARLIER), "Automatic"),
    ]
    assert all(row[1].endswith(" KB") for row in rows)
    assert dialog.selected_backup() == dialog.backups[0] and dialog.restore_button.isEnabled()


def test_declining_the_confirmation_changes_nothing(qtbot, window: MainWindow, monkeypatch, database) -> None:
    asked: list[str] = []
    monkeypatch.setattr(restore_backup, "confirm_restore", lambda _parent, text: asked.append(text) or False)
    dialog = open_dialog(qtbot, window)
    assert dialog.restore_selected() is None
    assert len(asked) == 1 and dialog.isVisible() and window.isVisible()
    assert pending_restore(window) is None
    assert [info.automatic for info in backups.list_backups(window.context.workspace)] == [True]  # no copy
    assert names(window.context.workspace) == ["Acme Imports", "Bolt Freight"]


def test_accepting_keeps_a_copy_closes_the_window_and_restores_the_older_data(
    qtbot, window: MainWindow, monkeypatch, database: Path
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(restore_backup, "confirm_restore", lambda _parent, text: asked.append(text) or True)
    dialog = open_dialog(qtbot, window)
    request = dialog.restore_selected()
    assert request is not None and request.taken_at == EARLIER
    assert asked[0].startswith(f"Replace the current database with the backup of {fmt_datetime(EARLIER)}? ")
    assert "Changes made since then are lost." in asked[0] and request.kept_as.name in asked[0]
    assert request.kept_as.name.startswith("laptop-") and "-before-restore-" in request.kept_as.name
    qtbot.waitUntil(lambda: not window.isVisible())
    assert pending_restore(window) == request

    window.context.workspace.close()  # as run_gui does once the window has closed
    message = carry_out(request)
    assert message.startswith(f"Restored the backup of {fmt_datetime(EARLIER)}.")
    assert names_in(database) == ["Acme Imports"]
    assert names_in(request.kept_as) == ["Acme Imports", "Bolt Freight"]  # the safety copy has the later data


def test_a_damaged_backup_is_refused_before_anything_is_asked(qtbot, window: MainWindow, tmp_path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 300)
    dialog = open_dialog(qtbot, window)
    assert dialog.restore_from(damaged) is None
    assert "Nothing was changed" in dialog.message_bar.text() and window.isVisible()


def test_run_gui_restores_after_the_window_closes_and_reopens_on_it(
    qapp, qtbot, monkeypatch, database
) -> None:
    from app.ui import main

    monkeypatch.setattr(restore_backup, "confirm_restore", lambda _parent, _text: True)
    seen: list[tuple[list[str], str]] = []

    def exec_() -> int:
        (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        qtbot.waitUntil(lambda: not window.context.runner.busy)  # the backup at start, the first screen
        seen.append((names(window.context.workspace), window.statusBar().currentMessage()))
        if len(seen) == 1:
            dialog = open_restore_dialog(window)
            (earlier,) = [info for info in dialog.backups if info.taken_at == EARLIER]
            dialog.restore_from(earlier.path, earlier.taken_at)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000) if len(seen) == 1 else window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(exec_))
    assert main.run_gui(str(database)) == 0
    (first_names, first_message), (second_names, second_message) = seen
    assert first_names == ["Acme Imports", "Bolt Freight"] and first_message.startswith("Backup taken ")
    assert second_names == ["Acme Imports"]
    assert second_message.startswith(f"Restored the backup of {fmt_datetime(EARLIER)}.")


def test_the_confirmation_defaults_to_cancel(qtbot, window: MainWindow) -> None:
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        default = box.defaultButton()
        seen.append(default.text().replace("&", "") if default is not None else "")
        qtbot.keyClick(box, Qt.Key.Key_Return)  # what Enter does: the default button

    QTimer.singleShot(0, answer)
    assert restore_backup.confirm_restore(window, "Replace the current database?") is False
    assert seen == ["Cancel"]


def test_a_restore_failing_after_the_window_closed_is_reported_and_changes_nothing(
    monkeypatch, database: Path, tmp_path: Path
) -> None:
    from app.ui import main

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    gone = tmp_path / "gone.sqlite3"  # deleted between the choice and the restore
    request = restore_backup.RestoreRequest(gone, EARLIER, f"sqlite:///{database}", tmp_path / "kept.sqlite3")
    assert main.restore_closed_database(request) == ""
    assert len(warnings) == 1 and "could not be restored" in warnings[0] and "was not changed" in warnings[0]
    assert names_in(database) == ["Acme Imports", "Bolt Freight"]
