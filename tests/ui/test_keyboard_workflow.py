"""The workbench by keyboard alone: find an account, open it, log a note with a follow-up, find it under
Follow-ups; plus the rules that make that possible everywhere (unique Alt+letter mnemonics on screen,
an accessible name on every control) and window-wide undo/redo."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from app.services.search import search
from app.services.workspace import Workspace
from app.ui.mainwindow import MainWindow
from app.ui.views.followups import FollowUpsView

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
ACCOUNT = "Société Lumière"
NOTE = "Broker promised the commercial invoices by Friday"


@pytest.fixture
def writable_workspace(tmp_path: Path):
    from app.services.demo import generate_demo

    workspace = Workspace.open(str(tmp_path / "demo.sqlite3"))
    generate_demo(workspace, scale="small", seed=7)
    yield workspace
    workspace.close()


def _window(qtbot, context) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # shortcuts and the focus work only in the active window
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: _focus_in(window))
    return window


def _focus_in(window: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and focus.window() is window


def _focus(qtbot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def _press(qtbot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the user's focus is, as a real keyboard would deliver it."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifiers)


def _type(qtbot, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClicks(target, text)


def test_find_open_note_with_follow_up_then_find_it_under_follow_ups(
    qtbot, make_context, writable_workspace
) -> None:
    window = _window(qtbot, make_context(writable_workspace))

    _press(qtbot, Qt.Key.Key_K, CTRL)  # Find anything
    qtbot.waitUntil(window.quick_find.line.hasFocus)  # the popup is up and active
    _type(qtbot, "societe lumiere")  # as typed on a US keyboard: accents are not needed
    qtbot.waitUntil(lambda: window.quick_find.current_hit() is not None)
    _press(qtbot, Qt.Key.Key_Return)

    view = window.current_account_view()
    assert view is not None and view.account_name == "Société Lumière SA"
    # Once the popup has gone and the window is active again, the keyboard is in the account.
    qtbot.waitUntil(lambda: view.isAncestorOf(QApplication.focusWidget()))

    _press(qtbot, Qt.Key.Key_N, CTRL)  # Account › Add note
    notes = view.current_tab()
    assert notes.key == "notes"
    composer = notes.composer
    qtbot.waitUntil(composer.text_edit.hasFocus)
    _type(qtbot, NOTE)
    _press(qtbot, Qt.Key.Key_W, ALT)  # Follo&w up on
    qtbot.waitUntil(composer.follow_up_check.isChecked)  # a mnemonic clicks the box (animated)
    _press(qtbot, Qt.Key.Key_Tab)
    assert composer.follow_up_date.hasFocus()
    _press(qtbot, Qt.Key.Key_Up)  # a month later
    _press(qtbot, Qt.Key.Key_Return, CTRL)  # add
    qtbot.waitUntil(lambda: notes.model.rowCount() > 0 and NOTE in str(notes.model.index(0, 3).data()))
    assert composer.text_edit.toPlainText() == ""

    _press(qtbot, Qt.Key.Key_P, CTRL | SHIFT)  # Command palette
    qtbot.waitUntil(window.command_palette.line.hasFocus)
    _type(qtbot, "go to follow-ups")
    _press(qtbot, Qt.Key.Key_Return)
    followups = window.current_screen()
    assert isinstance(followups, FollowUpsView)
    qtbot.waitUntil(lambda: window.isActiveWindow() and QApplication.focusWidget() is not None)

    _press(qtbot, Qt.Key.Key_F, CTRL)  # the screen's filter
    assert followups.filter_edit.hasFocus()
    _type(qtbot, "commercial invoices by Friday")
    qtbot.waitUntil(lambda: followups.table.model().rowCount() == 1)  # the filter is debounced
    shown = [
        followups.table.model().index(row, column).data()
        for row in range(followups.table.model().rowCount())
        for column in range(followups.table.model().columnCount())
    ]
    assert any(NOTE in str(text) for text in shown), shown
    assert any(text == "Société Lumière SA" for text in shown), shown


def test_ctrl_z_undoes_the_note_in_front_of_the_user_and_ctrl_shift_z_redoes_it(
    qtbot, make_context, writable_workspace
) -> None:
    window = _window(qtbot, make_context(writable_workspace))
    account_id = search(writable_workspace, ACCOUNT)[0].account_id
    view = window.open_account(account_id)
    view.add_note()
    notes = view.current_tab()
    qtbot.keyClicks(notes.composer.text_edit, NOTE)
    qtbot.keyClick(notes.composer.text_edit, Qt.Key.Key_Return, CTRL)
    count = notes.model.rowCount()
    assert window.window_undo.undo_action.isEnabled()
    assert NOTE[:20] in window.window_undo.undo_action.text()

    _focus(qtbot, view.tabs.tabBar())  # out of the text box, which has its own Ctrl+Z
    _press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: notes.model.rowCount() == count - 1)
    _press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.waitUntil(lambda: notes.model.rowCount() == count)


def test_each_account_keeps_its_own_undo_history(qtbot, make_context, writable_workspace) -> None:
    window = _window(qtbot, make_context(writable_workspace))
    first = window.open_account(search(writable_workspace, ACCOUNT)[0].account_id)
    first.add_note()
    qtbot.keyClicks(first.current_tab().composer.text_edit, NOTE)
    qtbot.keyClick(first.current_tab().composer.text_edit, Qt.Key.Key_Return, CTRL)
    other = next(row for row in search(writable_workspace, "Inc") if row.account_id != first.account_id)
    window.open_account(other.account_id)
    assert not window.window_undo.undo_action.isEnabled()  # nothing done on this account yet
    window.account_tabs().next_tab(-1)
    assert window.window_undo.undo_action.isEnabled()


# --- mnemonics and accessible names ----------------------------------------------------------------------


def _mnemonic(text: str) -> str | None:
    cleaned = text.replace("&&", "")
    at = cleaned.find("&")
    return cleaned[at + 1].lower() if 0 <= at < len(cleaned) - 1 else None


def _visible_mnemonics(window: MainWindow) -> Counter[str]:
    found: list[str | None] = [_mnemonic(action.text()) for action in window.menuBar().actions()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            found.append(_mnemonic(widget.text()))
        elif isinstance(widget, QTabWidget):
            found += [_mnemonic(widget.tabText(index)) for index in range(widget.count())]
    return Counter(letter for letter in found if letter)


def _controls_without_names(root: QWidget) -> list[str]:
    buddied = {label.buddy() for label in root.findChildren(QLabel) if label.buddy() is not None}
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, QPlainTextEdit)
    missing = []
    for widget in root.findChildren(QWidget):
        if (
            not isinstance(widget, kinds)
            or not widget.isVisible()
            or widget.focusPolicy() == Qt.FocusPolicy.NoFocus
        ):
            continue
        if widget.parent() is not None and isinstance(widget.parent(), QAbstractSpinBox | QComboBox):
            continue  # the editor inside a spin box or combo box: the outer control carries the name
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or widget in buddied or text.replace("&", "").strip()):
            missing.append(f"{type(widget).__name__} {widget.objectName() or '(no object name)'}")
    return missing


def test_every_account_tab_has_unique_mnemonics_and_named_controls(qtbot, make_context, demo_workspace):
    window = _window(qtbot, make_context(demo_workspace))
    view = window.open_account(search(demo_workspace, ACCOUNT)[0].account_id)
    for key in view.tab_keys():
        view.show_tab(key)
        clashes = {letter: n for letter, n in _visible_mnemonics(window).items() if n > 1}
        assert not clashes, f"{key}: Alt+{clashes} reach more than one control"
        assert not _controls_without_names(view), f"{key}: {_controls_without_names(view)}"


def test_every_screen_has_unique_mnemonics_and_named_controls(qtbot, make_context, demo_workspace):
    window = _window(qtbot, make_context(demo_workspace))
    for key in window.enabled_screen_keys():
        screen = window.show_screen(key)
        clashes = {letter: n for letter, n in _visible_mnemonics(window).items() if n > 1}
        assert not clashes, f"{key}: Alt+{clashes} reach more than one control"
        assert not _controls_without_names(screen), f"{key}: {_controls_without_names(screen)}"


def test_edit_menu_undoes_a_mark_done_on_the_follow_ups_screen(
    qtbot, make_context, writable_workspace
) -> None:
    window = _window(qtbot, make_context(writable_workspace))
    followups = window.show_screen("followups")
    assert isinstance(followups, FollowUpsView)
    qtbot.waitUntil(lambda: followups.table.model().rowCount() > 0)
    before = followups.table.model().rowCount()
    _focus(qtbot, followups.table)
    followups.table.selectRow(0)
    _press(qtbot, Qt.Key.Key_D, CTRL)  # Mark done
    qtbot.waitUntil(lambda: followups.table.model().rowCount() == before - 1)
    assert window.window_undo.undo_action.text().startswith("&Undo")
    assert window.window_undo.undo_action.isEnabled()

    _press(qtbot, Qt.Key.Key_Z, CTRL)  # the window's Edit › Undo, on the screen's stack
    qtbot.waitUntil(lambda: followups.table.model().rowCount() == before)
    window.show_screen("portfolio")
    assert not window.window_undo.undo_action.isEnabled()  # nothing to undo on the portfolio


def test_a_tab_that_writes_reloads_once(qtbot, make_context, writable_workspace, monkeypatch) -> None:
    window = _window(qtbot, make_context(writable_workspace))
    view = window.open_account(search(writable_workspace, ACCOUNT)[0].account_id)
    view.add_note()
    notes = view.current_tab()
    loads: list[int] = []
    original = notes.reload
    monkeypatch.setattr(notes, "reload", lambda: (loads.append(1), original()))
    qtbot.keyClicks(notes.composer.text_edit, NOTE)
    qtbot.keyClick(notes.composer.text_edit, Qt.Key.Key_Return, CTRL)
    assert NOTE in str(notes.model.index(0, 3).data())
    assert len(loads) == 1  # by itself after the write; the account view does not load it a second time
