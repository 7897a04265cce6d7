"""File › Make trip pack… and Open trip pack…: the form's checks, a pack made with a synchronous runner, and
the pack opened read-only in a window of its own."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from app.services.accounts import list_portfolio
from app.services.sealed import PACK_FILE_NAME
from app.services.trip_pack import TripPackResult, make_trip_pack
from app.ui.dialogs.trip_pack import TripPackDialog, open_trip_pack
from app.ui.mainwindow import MainWindow

pytestmark = pytest.mark.gui

PASSPHRASE = "harbour pilot 42"
TRIP = date(2026, 12, 1)


@pytest.fixture
def accounts(demo_workspace) -> list[tuple[uuid.UUID, str]]:
    return [(row.account_id, row.name) for row in list_portfolio(demo_workspace)]


@pytest.fixture
def dialog(qtbot, make_context, demo_workspace, tmp_path: Path):
    context = make_context(demo_workspace)
    context.settings.store.setValue("trip_pack/folder", str(tmp_path))
    made = TripPackDialog(context, [])
    qtbot.addWidget(made)
    return made


def _fill(dialog: TripPackDialog, folder: Path, first: str = PASSPHRASE, again: str = PASSPHRASE) -> None:
    dialog.folder_edit.setText(str(folder))
    dialog.passphrase_edit.setText(first)
    dialog.repeat_edit.setText(again)


def test_the_account_list_is_a_sound_model_of_every_account(qtmodeltester, dialog, accounts) -> None:
    qtmodeltester.check(dialog.account_list.model())
    assert dialog.account_list.count() == len(accounts)
    assert dialog.checked_accounts() == []
    assert dialog.folder_edit.text()  # the last folder used (or the home folder)
    for widget in (dialog.filter_edit, dialog.account_list, dialog.date_edit, dialog.passphrase_edit):
        assert widget.accessibleName()


def test_the_portfolio_selection_comes_checked(qtbot, make_context, demo_workspace, accounts) -> None:
    chosen = [accounts[3][0], accounts[1][0]]
    dialog = TripPackDialog(make_context(demo_workspace), chosen)
    qtbot.addWidget(dialog)
    assert sorted(dialog.checked_accounts()) == sorted(chosen)
    assert dialog.count_label.text() == "2 accounts ticked"


def test_the_filter_hides_other_accounts(dialog, accounts) -> None:
    name = accounts[0][1]
    dialog.filter_edit.setText(name.upper())
    shown = [dialog.account_list.item(row) for row in range(dialog.account_list.count())]
    visible = [item.text() for item in shown if not item.isHidden()]
    assert visible and all(text.startswith(name) for text in visible)
    assert len(visible) < len(accounts)


def test_make_stays_disabled_until_the_form_is_complete(dialog, accounts, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert not dialog.make_button.isEnabled()
    assert dialog.hint_label.text() == "Tick at least one account."
    dialog.set_checked([accounts[0][0]])
    _fill(dialog, out, "short")
    assert not dialog.make_button.isEnabled()
    assert "at least 8 characters" in dialog.hint_label.text()
    _fill(dialog, out, PASSPHRASE, PASSPHRASE + "!")
    assert not dialog.make_button.isEnabled()
    assert dialog.hint_label.text() == "The two passphrases do not match."
    assert dialog.start() is None  # nothing runs while the form has a problem
    assert list(out.iterdir()) == []
    _fill(dialog, out)
    assert dialog.make_button.isEnabled()
    assert dialog.hint_label.text().startswith("The pack will be written to ")


def test_make_writes_the_folder_and_says_where(qtbot, dialog, accounts, tmp_path: Path) -> None:
    chosen = [accounts[0][0], accounts[2][0]]
    dialog.set_checked(chosen)
    _fill(dialog, tmp_path)
    with qtbot.waitSignal(dialog.made) as made:
        qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    result = made.args[0]
    assert isinstance(result, TripPackResult)
    folder = tmp_path / f"Trip {dialog.trip_date().isoformat()}"
    assert result.folder == folder and result.accounts == 2
    assert sorted(path.suffix for path in folder.iterdir()) == [".aewpack", ".pdf", ".pdf", ".xlsx"]
    assert str(folder) in dialog.status_label.text()
    assert dialog.cancel_button.text() == "Close"
    assert dialog.message_bar.isHidden()

    dialog.start()  # the same trip again: the folder is no longer empty
    assert not dialog.message_bar.isHidden()
    assert "not empty" in dialog.message_bar.text() and folder.name in dialog.message_bar.text()


def test_open_trip_pack_shows_it_read_only(qtbot, make_context, demo_workspace, accounts, tmp_path) -> None:
    chosen = [accounts[0][0], accounts[1][0]]
    result = make_trip_pack(demo_workspace, chosen, TRIP, tmp_path, PASSPHRASE)
    window = MainWindow(make_context(demo_workspace))
    qtbot.addWidget(window)
    names = {action.objectName(): action for action in window.findChildren(QAction)}
    assert {"action-make-trip-pack", "action-open-trip-pack"} <= set(names)

    open_trip_pack(window, result.folder / PACK_FILE_NAME, PASSPHRASE)
    packs = [child for child in window.findChildren(MainWindow) if child.objectName() == "trip-pack-window"]
    assert len(packs) == 1
    pack_window = packs[0]
    assert pack_window.windowTitle() == f"{result.folder.name} — Trip pack (read-only)"
    assert pack_window.context.workspace.read_only
    portfolio = pack_window.current_screen()
    assert portfolio is not None and portfolio.table.model().rowCount() == 2

    followups = pack_window.show_screen("followups")  # an edit: the store refuses, the bar says why
    assert followups.proxy.rowCount() > 0
    followups.table.selectRow(0)
    followups.mark_selected_done()
    assert followups.message_bar.text().startswith("This trip pack is read-only")
    assert followups.undo_stack.count() == 0  # the failed write left nothing to undo
    pack_window.close()


def test_a_wrong_passphrase_is_reported(
    qtbot, make_context, demo_workspace, accounts, tmp_path, monkeypatch
) -> None:
    result = make_trip_pack(demo_workspace, [accounts[0][0]], TRIP, tmp_path, PASSPHRASE)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    window = MainWindow(make_context(demo_workspace))
    qtbot.addWidget(window)
    open_trip_pack(window, result.folder / PACK_FILE_NAME, "not the passphrase")
    assert warnings == ["The trip pack could not be opened: wrong passphrase, or the trip pack is damaged"]
    assert not [
        child for child in window.findChildren(MainWindow) if child.objectName() == "trip-pack-window"
    ]
