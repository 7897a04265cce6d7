"""Appearance (themes, text size) and the status bar's background-job indicator."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from app.ui.mainwindow import MainWindow
from app.ui.settings import Settings
from app.ui.theme import (
    DARK,
    HIGH_CONTRAST,
    LIGHT,
    SYSTEM,
    THEMES,
    apply_appearance,
    apply_font_size,
    apply_theme,
    default_point_size,
)

pytestmark = pytest.mark.gui

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


@pytest.fixture(autouse=True)
def restore_appearance(qapp):
    """Themes and text size are application-wide: put them back so later tests see the usual app."""
    palette, font = qapp.palette(), qapp.font()
    yield
    apply_theme(qapp, LIGHT)  # leaves "system" tracking off while the palette is restored below
    qapp.setStyleSheet("")
    qapp.setPalette(palette)
    qapp.setFont(font)


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colours(qapp, role_a: Role, role_b: Role, group: Group = Group.Active) -> tuple[QColor, QColor]:
    palette = qapp.palette()
    return palette.color(group, role_a), palette.color(group, role_b)


@pytest.mark.parametrize(
    ("theme", "window", "text"),
    [(LIGHT, "#efefef", "#000000"), (DARK, "#2b2b2b", "#e8e8e8"), (HIGH_CONTRAST, "#000000", "#ffffff")],
)
def test_each_theme_applies_its_palette(qapp, theme: str, window: str, text: str) -> None:
    apply_theme(qapp, theme)
    assert qapp.palette().color(Role.Window) == QColor(window)
    assert qapp.palette().color(Role.WindowText) == QColor(text)
    assert qapp.palette().color(Role.Text) == QColor(text)


def test_every_theme_keeps_text_readable(qapp) -> None:
    for theme in THEMES:
        apply_theme(qapp, theme)
        assert contrast(*colours(qapp, Role.WindowText, Role.Window)) >= 4.5, theme
        assert contrast(*colours(qapp, Role.HighlightedText, Role.Highlight)) >= 4.5, theme


def test_high_contrast_meets_aaa_and_keeps_selection_and_disabled_text_legible(qapp) -> None:
    apply_theme(qapp, HIGH_CONTRAST)
    assert contrast(*colours(qapp, Role.WindowText, Role.Window)) >= 7
    assert contrast(*colours(qapp, Role.Text, Role.Base)) >= 7
    assert contrast(*colours(qapp, Role.HighlightedText, Role.Highlight)) >= 7
    assert contrast(*colours(qapp, Role.Text, Role.Base, Group.Disabled)) >= 4.5
    assert "#ffff00" in qapp.styleSheet()  # the yellow focus border
    apply_theme(qapp, DARK)
    assert qapp.styleSheet() == ""  # the strong borders belong to high contrast only


def test_system_theme_follows_the_os_colour_scheme_live(qapp, monkeypatch) -> None:
    # The offscreen platform cannot be switched to dark, so the OS's answer is faked and its signal emitted.
    scheme = {"dark": True}
    monkeypatch.setattr("app.ui.theme.system_is_dark", lambda: scheme["dark"])
    hints = QGuiApplication.styleHints()
    apply_theme(qapp, SYSTEM)
    assert qapp.palette().color(Role.Window) == QColor("#2b2b2b")
    scheme["dark"] = False
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert qapp.palette().color(Role.Window) == QColor("#efefef")
    apply_theme(qapp, HIGH_CONTRAST)  # a chosen theme ignores the OS
    scheme["dark"] = True
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert qapp.palette().color(Role.Window) == QColor("#000000")


def test_font_size_applies_clamps_and_resets(qapp) -> None:
    default = default_point_size(qapp)
    assert apply_font_size(qapp, 15) == 15
    assert qapp.font().pointSize() == 15
    assert apply_font_size(qapp, 99) == 20
    assert apply_font_size(qapp, 0) == default
    assert qapp.font().pointSize() == default


def test_saved_preferences_apply_at_start_up(qapp, settings_file) -> None:
    settings = Settings(settings_file)
    settings.preferences.theme = HIGH_CONTRAST
    settings.preferences.font_size = 14
    apply_appearance(qapp, Settings(settings_file).preferences)
    assert qapp.palette().color(Role.Window) == QColor("#000000")
    assert qapp.font().pointSize() == 14


@pytest.fixture
def window(qtbot, make_context, demo_workspace):
    window = MainWindow(make_context(demo_workspace))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_appearance_menu_switches_theme_and_persists_it(qapp, window: MainWindow, settings_file) -> None:
    menu = window.appearance_menu
    assert menu.theme_actions[SYSTEM].isChecked()  # the default
    menu.theme_actions[DARK].trigger()
    assert qapp.palette().color(Role.Window) == QColor("#2b2b2b")
    assert menu.theme_actions[DARK].isChecked() and not menu.theme_actions[SYSTEM].isChecked()
    menu.theme_actions[HIGH_CONTRAST].trigger()
    assert qapp.palette().color(Role.Window) == QColor("#000000")
    window.context.settings.sync()
    assert Settings(settings_file).preferences.theme == HIGH_CONTRAST


def test_text_size_actions_change_and_persist_the_font(qapp, window: MainWindow, settings_file) -> None:
    menu = window.appearance_menu
    default = default_point_size(qapp)
    assert menu.larger_text.shortcut().toString() == "Ctrl++"
    menu.larger_text.trigger()
    menu.larger_text.trigger()
    assert qapp.font().pointSize() == default + 2
    assert window.statusBar().currentMessage() == f"Text size {default + 2} pt"
    menu.smaller_text.trigger()
    assert qapp.font().pointSize() == default + 1
    assert Settings(settings_file).preferences.font_size == default + 1
    menu.reset_text.trigger()
    assert qapp.font().pointSize() == default
    assert Settings(settings_file).preferences.font_size == 0


def test_job_indicator_shows_the_count_while_tasks_run(qtbot, make_context, demo_workspace, threaded_runner):
    window = MainWindow(make_context(demo_workspace, threaded_runner))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not threaded_runner.busy)  # the screen's and status bar's own loads
    indicator = window.job_indicator
    qtbot.waitUntil(lambda: indicator.isHidden())
    release = threading.Event()
    for name in ("Export portfolio", "Import entries"):
        threaded_runner.run(lambda _progress, _cancel: release.wait(10), name=name)
    try:
        qtbot.waitUntil(lambda: indicator.isVisible())
        assert indicator.label.text() == "⟳ 2 background jobs"
        assert "Export portfolio" in indicator.toolTip() and "Import entries" in indicator.toolTip()
        assert indicator.bar.maximum() == 0  # indeterminate: a busy animation
    finally:
        release.set()
    qtbot.waitUntil(lambda: indicator.isHidden())
    assert not threaded_runner.busy


def test_runner_reports_how_many_tasks_are_running(sync_runner) -> None:
    seen: list[object] = []
    sync_runner.busy_changed.connect(seen.append)
    sync_runner.run(lambda _p, _c: sync_runner.running_names(), name="count", on_result=seen.append)
    assert seen == [1, ["count"], 0]  # one running (named "count") while it worked, none after
