"""Edit › Preferences…: each page shows the saved preferences, OK saves them (and only OK), Restore Defaults,
a blank marking refused, the theme applied at once, the team server's password in the keyring only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QColor, QDesktopServices, QKeySequence, QPalette
from PySide6.QtWidgets import QDialog, QMenu

from app.domain.errors import UserError
from app.services.team_server import KEYRING_SERVICE
from app.services.workspace import Workspace
from app.ui.dialogs.command_palette import collect_commands
from app.ui.dialogs.preferences import (
    PLATFORM_DEFAULT_SIZE,
    AppearancePage,
    BackupsPage,
    GeneralPage,
    PreferencesDialog,
    SecurityPage,
    TeamServerPage,
)
from app.ui.mainwindow import MainWindow
from app.ui.settings import Preferences, Settings
from app.ui.theme import DARK, HIGH_CONTRAST, LIGHT, SYSTEM, apply_theme
from tests.support.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.gui

URL = "postgresql+psycopg://dana@teamserver.example:5433/aew"
CREDENTIAL = (KEYRING_SERVICE, "dana@teamserver.example:5433/aew")
PASSWORD = "Wh1spered-Secret"
MARKING = "CUI // PROPIN"
DEFAULTS = {name: pref.default for name, pref in Preferences.declared().items()}


@pytest.fixture(autouse=True)
def restore_appearance(qapp):
    """OK applies the theme and text size to the whole application: put them back for later tests."""
    palette, font = qapp.palette(), qapp.font()
    yield
    apply_theme(qapp, LIGHT)  # leaves "system" tracking off while the palette is restored below
    qapp.setStyleSheet("")
    qapp.setPalette(palette)
    qapp.setFont(font)


@pytest.fixture
def context(make_context, empty_workspace):
    return make_context(empty_workspace)


@pytest.fixture
def open_dialog(qtbot, context):
    def open_(page: str = "general") -> PreferencesDialog:
        dialog = PreferencesDialog(context, page=page)
        qtbot.addWidget(dialog)
        dialog.open()
        return dialog

    return open_


def saved_preferences(settings_file: Path) -> dict[str, object]:
    """What the settings file holds, read back as the next run would."""
    prefs = Settings(settings_file).preferences
    return {name: getattr(prefs, name) for name in Preferences.declared()}


def store_non_defaults(context) -> None:
    prefs = context.settings.preferences
    prefs.report_marking = MARKING
    prefs.restore_last_screen = False
    prefs.theme = DARK
    prefs.font_size = 14
    prefs.team_server_url = URL
    prefs.ae_name = "Dana Reyes"
    prefs.lock_after_minutes = 30
    context.settings.sync()


def pages(dialog: PreferencesDialog) -> tuple[GeneralPage, AppearancePage, TeamServerPage]:
    general, appearance, team = (dialog.page(key) for key in ("general", "appearance", "team-server"))
    assert isinstance(general, GeneralPage) and isinstance(appearance, AppearancePage)
    assert isinstance(team, TeamServerPage)
    return general, appearance, team


def test_each_page_shows_the_saved_preferences(open_dialog, context) -> None:
    store_non_defaults(context)
    dialog = open_dialog("appearance")
    assert [dialog.page_list.item(row).text() for row in range(dialog.page_list.count())] == [
        "General",
        "Appearance",
        "Team server",
        "Backups",
        "Security",
    ]
    assert dialog.current_page().key == "appearance" and dialog.title_label.text() == "Appearance"
    general, appearance, team = pages(dialog)
    assert general.marking_edit.text() == MARKING
    assert not general.restore_screen_check.isChecked()
    assert appearance.theme_combo.currentText() == "Dark" and appearance.chosen_theme() == DARK
    assert appearance.size_spin.value() == 14 and appearance.size_spin.text() == "14 pt"
    assert team.panel.url_edit.text() == URL and team.panel.name_edit.text() == "Dana Reyes"
    assert team.panel.password_edit.text() == ""
    security = dialog.page("security")
    assert isinstance(security, SecurityPage) and security.controls.lock_spin.value() == 30


def test_platform_default_text_size_is_the_spin_box_lowest_step(open_dialog) -> None:
    dialog = open_dialog("appearance")
    _general, appearance, _team = pages(dialog)
    assert appearance.size_spin.value() == PLATFORM_DEFAULT_SIZE
    assert appearance.size_spin.text() == "Platform default" and appearance.chosen_points() == 0
    appearance.size_spin.stepBy(1)
    assert appearance.chosen_points() == 8
    appearance.size_spin.setValue(99)
    assert appearance.chosen_points() == 20


def test_cancel_saves_nothing_and_ok_saves_every_page(
    open_dialog, context, settings_file: Path, memory_keyring: MemoryKeyring
) -> None:
    def change(dialog: PreferencesDialog) -> None:
        general, appearance, team = pages(dialog)
        general.marking_edit.setText(f"  {MARKING} ")
        general.restore_screen_check.setChecked(False)
        appearance.theme_combo.setCurrentIndex(appearance.theme_combo.findData(HIGH_CONTRAST))
        appearance.size_spin.setValue(12)
        team.panel.url_edit.setText(URL)
        team.panel.name_edit.setText("Dana Reyes")

    dialog = open_dialog()
    change(dialog)
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert saved_preferences(settings_file) == DEFAULTS

    dialog = open_dialog()
    saved: list[bool] = []
    dialog.saved.connect(lambda: saved.append(True))
    change(dialog)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted and saved == [True]
    assert saved_preferences(settings_file) == {
        "report_marking": MARKING,
        "restore_last_screen": False,
        "theme": HIGH_CONTRAST,
        "font_size": 12,
        "team_server_url": URL,
        "ae_name": "Dana Reyes",
        "backups_enabled": True,
        "backups_keep": 7,
        "lock_after_minutes": 15,
    }
    assert memory_keyring.saved == {}  # no password typed: none saved


def test_restore_defaults_resets_the_current_page_only_and_saves_on_ok(
    open_dialog, context, settings_file: Path
) -> None:
    store_non_defaults(context)
    dialog = open_dialog("appearance")
    general, appearance, team = pages(dialog)
    dialog.restore_button.click()
    assert appearance.chosen_theme() == SYSTEM and appearance.chosen_points() == 0
    assert general.marking_edit.text() == MARKING and team.panel.url_edit.text() == URL  # other pages kept
    dialog.show_page("team-server")
    dialog.restore_button.click()
    assert team.panel.url_edit.text() == "" and team.panel.name_edit.text() == ""
    assert saved_preferences(settings_file)["theme"] == DARK  # nothing saved before OK
    dialog.accept()
    saved = saved_preferences(settings_file)
    assert (saved["theme"], saved["font_size"], saved["team_server_url"], saved["ae_name"]) == (
        SYSTEM,
        0,
        "",
        "",
    )
    assert saved["report_marking"] == MARKING


def test_a_blank_marking_is_refused_inline_and_nothing_is_saved(
    qtbot, open_dialog, settings_file: Path
) -> None:
    dialog = open_dialog("appearance")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    general, appearance, _team = pages(dialog)
    appearance.theme_combo.setCurrentIndex(appearance.theme_combo.findData(DARK))
    general.marking_edit.setText("   ")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.current_page() is general  # the page at fault is shown, its control has the focus
    assert general.marking_edit.hasFocus()
    assert general.marking_message.isVisible() and "marking" in general.marking_message.text()
    assert "#b00020" in general.marking_message.styleSheet()
    assert saved_preferences(settings_file) == DEFAULTS  # not even the other page's theme
    qtbot.keyClicks(general.marking_edit, "CUI")  # once shown, the message follows the typing
    assert general.marking_message.isHidden()


def test_a_bad_team_server_address_shows_its_page(open_dialog, settings_file: Path) -> None:
    dialog = open_dialog("general")
    _general, _appearance, team = pages(dialog)
    team.panel.url_edit.setText("sqlite:///x")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.current_page() is team
    assert dialog.focusWidget() is team.panel.url_edit
    assert "PostgreSQL" in team.panel.url_message.text()
    assert saved_preferences(settings_file) == DEFAULTS


def test_the_team_server_page_keeps_the_password_in_the_keyring_only(
    open_dialog, context, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog("team-server")
    _general, _appearance, team = pages(dialog)
    team.panel.url_edit.setText(URL)
    team.panel.password_edit.setText(PASSWORD)
    team.panel.name_edit.setText("Dana Reyes")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert memory_keyring.saved == {CREDENTIAL: PASSWORD}
    written = context.settings.path.read_text(encoding="utf-8")
    assert "teamserver.example" in written and PASSWORD not in written


def test_when_the_keyring_refuses_the_dialog_stays_open_on_the_team_server_page(
    open_dialog, settings_file: Path, monkeypatch
) -> None:
    def refuse(_url: str, _password: str) -> None:
        raise UserError("the password could not be saved in the system keyring: locked")

    monkeypatch.setattr("app.ui.dialogs.team_server.save_password", refuse)
    dialog = open_dialog("general")
    general, _appearance, team = pages(dialog)
    general.marking_edit.setText(MARKING)
    team.panel.url_edit.setText(URL)
    team.panel.password_edit.setText(PASSWORD)
    dialog.accept()
    assert dialog.isVisible() and dialog.current_page() is team
    assert "keyring" in team.panel.test_message.text()
    saved = saved_preferences(settings_file)
    assert saved["team_server_url"] == "" and saved["report_marking"] == MARKING  # the other pages saved


def test_the_backups_page_saves_its_choices_and_opens_the_folder(
    open_dialog, settings_file: Path, isolated_user_data: Path, monkeypatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    dialog = open_dialog("backups")
    page = dialog.current_page()
    assert isinstance(page, BackupsPage) and dialog.title_label.text() == "Backups"
    assert page.enabled_check.isChecked() and page.keep_spin.value() == 7 and page.keep_spin.isEnabled()
    assert page.folder_label.text() == str(isolated_user_data / "backups")
    assert (page.keep_spin.minimum(), page.keep_spin.maximum()) == (1, 60)
    page.open_button.click()
    assert opened == [str(isolated_user_data / "backups")] and (isolated_user_data / "backups").is_dir()
    page.keep_spin.setValue(12)
    page.enabled_check.setChecked(False)
    assert not page.keep_spin.isEnabled()  # nothing to keep when none are taken
    dialog.accept()
    saved = saved_preferences(settings_file)
    assert (saved["backups_enabled"], saved["backups_keep"]) == (False, 12)
    dialog = open_dialog("backups")
    page = dialog.current_page()
    assert (
        isinstance(page, BackupsPage) and not page.enabled_check.isChecked() and page.keep_spin.value() == 12
    )
    dialog.restore_button.click()
    assert page.enabled_check.isChecked() and page.keep_spin.value() == 7


# --- in the main window -----------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, make_context, tmp_path: Path, memory_keyring) -> Iterator[MainWindow]:
    workspace = Workspace.open(str(tmp_path / "laptop.sqlite3"))
    window = MainWindow(make_context(workspace))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    workspace.close()


def open_from_menu(window: MainWindow) -> PreferencesDialog:
    action = window.findChild(QAction, "action-preferences")
    assert isinstance(action, QAction)
    action.trigger()
    (dialog,) = [each for each in window.findChildren(PreferencesDialog) if each.isVisible()]
    return dialog


def test_edit_preferences_opens_the_dialog_and_is_in_the_command_palette(window: MainWindow) -> None:
    edit_menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&Edit")
    action = window.findChild(QAction, "action-preferences")
    assert isinstance(edit_menu, QMenu) and isinstance(action, QAction) and action in edit_menu.actions()
    assert action.text() == "&Preferences…"
    assert QKeySequence("Ctrl+,") in action.shortcuts()
    assert any(command.path == "Edit › Preferences…" for command in collect_commands(window))
    dialog = open_from_menu(window)
    assert dialog.isModal() and dialog.current_page().key == "general"
    dialog.reject()


def test_ok_applies_the_theme_and_text_size_and_the_appearance_menu_follows(qapp, window: MainWindow) -> None:
    menu = window.appearance_menu
    assert menu.theme_actions[SYSTEM].isChecked()
    dialog = open_from_menu(window)
    _general, appearance, _team = pages(dialog)
    appearance.theme_combo.setCurrentIndex(appearance.theme_combo.findData(DARK))
    appearance.size_spin.setValue(15)
    assert qapp.palette().color(QPalette.ColorRole.Window) != QColor("#2b2b2b")  # nothing before OK
    dialog.accept()
    assert qapp.palette().color(QPalette.ColorRole.Window) == QColor("#2b2b2b")
    assert qapp.font().pointSize() == 15
    assert menu.theme_actions[DARK].isChecked() and not menu.theme_actions[SYSTEM].isChecked()
    assert window.statusBar().currentMessage() == "Text size 15 pt"


def test_saving_the_team_server_in_preferences_enables_sync_now(window: MainWindow) -> None:
    assert not window.sync_actions.sync_action.isEnabled()  # no server yet
    dialog = open_from_menu(window)
    _general, _appearance, team = pages(dialog)
    team.panel.url_edit.setText("postgresql+psycopg://u@127.0.0.1:1/x")
    dialog.accept()
    assert window.sync_actions.sync_action.isEnabled()


def test_a_new_marking_reaches_the_reports_screen_unless_typed_there(window: MainWindow) -> None:
    form = window.show_screen("reports").form  # type: ignore[attr-defined]
    assert form.marking_edit.text() == "CUI // LES"
    dialog = open_from_menu(window)
    general = pages(dialog)[0]
    general.marking_edit.setText("CUI")
    dialog.accept()
    assert form.marking_edit.text() == "CUI"
    form.marking_edit.setText("CUI // LES // PROPIN")  # this report's own marking
    dialog = open_from_menu(window)
    pages(dialog)[0].marking_edit.setText("CUI // LES")
    dialog.accept()
    assert form.marking_edit.text() == "CUI // LES // PROPIN"
