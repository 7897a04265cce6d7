"""The command palette (Ctrl+Shift+P): every enabled action, its menu path and shortcut, found by typing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from app.ui import saved_view_actions
from app.ui.dialogs.command_palette import Command, CommandsModel, fold, plain_text
from app.ui.mainwindow import MainWindow
from app.ui.views.holds import HoldsView
from app.ui.views.portfolio import PortfolioView

# The offscreen platform cannot raise a window; the palette asks to, as quick-find does.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support raise")]


@pytest.fixture
def window(qtbot, make_context, demo_workspace) -> MainWindow:
    main = MainWindow(make_context(demo_workspace))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def rows(window: MainWindow) -> list[tuple[str, str]]:
    model = window.command_palette.model
    return [(model.index(row, 0).data(), model.index(row, 1).data()) for row in range(model.rowCount())]


def test_lists_menu_actions_with_path_and_shortcut(window: MainWindow) -> None:
    assert QKeySequence("Ctrl+Shift+P") in window.palette_action.shortcuts()
    window.palette_action.trigger()
    palette = window.command_palette
    assert palette.isVisible()
    listed = dict(rows(window))
    assert listed["View › Refresh"] == QKeySequence("F5").toString(QKeySequence.SequenceFormat.NativeText)
    assert listed["File › Quit"] == QKeySequence("Ctrl+Q").toString(QKeySequence.SequenceFormat.NativeText)
    assert listed["View › Save current view as…"] == QKeySequence("Ctrl+Shift+S").toString(
        QKeySequence.SequenceFormat.NativeText
    )
    assert "Help › About AE Workbench" in listed
    assert "View › Appearance › Larger text" in listed  # a submenu  # a submenu's actions, with its path
    assert "Go to Held shipments" in listed
    assert not any("Command palette" in path for path in listed)
    assert palette.status.text() == f"{len(listed):,} commands"


def test_typing_filters_by_words_ignoring_case_and_accents(qtbot, window: MainWindow) -> None:
    window.palette_action.trigger()
    palette = window.command_palette
    qtbot.keyClicks(palette.line, "RÉFR vie")
    assert [path for path, _ in rows(window)] == ["View › Refresh"]
    palette.line.setText("nothing like this")
    assert rows(window) == []
    palette.activate_current()  # nothing to run: stays open
    assert palette.isVisible()


def test_enter_runs_an_action_added_later_and_closes(qtbot, window: MainWindow) -> None:
    runs: list[bool] = []
    late = QAction("Recount &everything", window)
    late.setShortcut(QKeySequence("Ctrl+Alt+E"))
    late.triggered.connect(lambda: runs.append(True))
    window.addAction(late)
    hidden = QAction("Disabled thing", window)
    hidden.setEnabled(False)
    window.addAction(hidden)
    window.palette_action.trigger()
    palette = window.command_palette
    assert "Disabled thing" not in dict(rows(window))
    qtbot.keyClicks(palette.line, "recount")
    assert rows(window) == [
        ("Recount everything", QKeySequence("Ctrl+Alt+E").toString(QKeySequence.SequenceFormat.NativeText))
    ]
    qtbot.keyClick(palette.line, Qt.Key.Key_Return)
    assert runs == [True]
    assert not palette.isVisible()


def test_up_down_move_and_escape_closes(qtbot, window: MainWindow) -> None:
    window.palette_action.trigger()
    palette = window.command_palette
    qtbot.keyClicks(palette.line, "go to")
    assert palette.list.currentIndex().row() == 0
    qtbot.keyClick(palette.line, Qt.Key.Key_Down)
    qtbot.keyClick(palette.line, Qt.Key.Key_Down)
    qtbot.keyClick(palette.line, Qt.Key.Key_Up)
    assert palette.list.currentIndex().row() == 1
    assert palette.current_command().path == "Go to Portfolio"
    qtbot.keyClick(palette.line, Qt.Key.Key_Escape)
    assert not palette.isVisible()


def test_go_to_a_screen_and_to_a_saved_view(qtbot, window: MainWindow, monkeypatch) -> None:
    window.palette_action.trigger()
    qtbot.keyClicks(window.command_palette.line, "go held")
    qtbot.keyClick(window.command_palette.line, Qt.Key.Key_Return)
    assert isinstance(window.current_screen(), HoldsView)

    window.show_screen("portfolio")
    view = window.current_screen()
    assert isinstance(view, PortfolioView)
    view.filter_edit.setText("zz-no-such-account")
    monkeypatch.setattr(saved_view_actions, "ask_name", lambda *_args: "Nobody")
    window.saved_views.save_as_action.trigger()
    view.filter_edit.clear()
    window.show_screen("holds")
    window.palette_action.trigger()
    qtbot.keyClicks(window.command_palette.line, "saved nobody")
    assert [path for path, _ in rows(window)] == ["Go to saved view Nobody (Portfolio)"]
    qtbot.keyClick(window.command_palette.line, Qt.Key.Key_Return)
    assert window.current_screen() is view
    assert view.filter_edit.text() == "zz-no-such-account"
    assert window.sidebar.current_choice() == ("portfolio", "Nobody")


def test_the_current_screens_own_actions_are_listed(qtbot, window: MainWindow) -> None:
    window.show_screen("holds")
    window.palette_action.trigger()
    qtbot.keyClicks(window.command_palette.line, "held log")
    assert [path for path, _ in rows(window)] == ["Held shipments › Log contact…"]


def test_model_passes_the_model_tester(qtmodeltester) -> None:
    model = CommandsModel()
    model.set_commands(
        [Command.make("View › Refresh", "F5", lambda: None), Command.make("Go to Today", "", lambda: None)]
    )
    qtmodeltester.check(model)
    model.set_filter("today")
    assert model.rowCount() == 1 and model.index(0, 0).data() == "Go to Today"
    qtmodeltester.check(model)


def test_text_helpers() -> None:
    assert fold("Révision ÉCHÉANCE") == "revision echeance"
    action = QAction("R&&D &report")
    assert plain_text(action) == "R&D report"
