"""Appearance: the colour theme and the text size, applied to the whole QApplication.

Themes are palettes over the Fusion style (set in app.ui.app), not style sheets, so every widget — ours and
Qt's dialogs alike — follows them, and widgets that style themselves with `palette(...)` roles do too.

* "system" follows the operating system's light/dark setting (`QStyleHints.colorScheme()`, Qt >= 6.5) and
  switches live when the user changes it, while the workbench is open.
* "high contrast" is black and white with yellow selection and focus (contrast ratio > 15:1 for text on its
  window, WCAG AAA asks for 7:1), plus a small style sheet that draws strong borders around the controls
  people type into or click, which Fusion otherwise draws in a barely visible grey.

The text size is a point size for the application font; 0 means the platform's default, which is captured
the first time it is changed so "Reset text size" can return to it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.ui.settings import Preferences

SYSTEM, LIGHT, DARK, HIGH_CONTRAST = "system", "light", "dark", "high contrast"
THEMES: tuple[str, ...] = (SYSTEM, LIGHT, DARK, HIGH_CONTRAST)
THEME_TITLES = {SYSTEM: "&System", LIGHT: "&Light", DARK: "&Dark", HIGH_CONTRAST: "&High contrast"}

MIN_POINT_SIZE, MAX_POINT_SIZE = 8, 20

# Kept on the QApplication (dynamic properties) rather than in module globals: a test or a second window
# sees the state of the application it runs in, and nothing outlives the application.
_THEME_PROPERTY = "aeTheme"
_DEFAULT_SIZE_PROPERTY = "aeDefaultPointSize"
_HOOKED_PROPERTY = "aeColorSchemeHooked"

HIGH_CONTRAST_STYLE = (
    "QLineEdit, QAbstractSpinBox, QComboBox, QPlainTextEdit, QTextEdit, QAbstractItemView, QPushButton"
    " { border: 1px solid #ffffff; }"
    "QLineEdit:focus, QAbstractSpinBox:focus, QComboBox:focus, QPlainTextEdit:focus, QTextEdit:focus,"
    " QAbstractItemView:focus, QPushButton:focus { border: 2px solid #ffff00; }"
    "QPushButton { padding: 3px 10px; }"
)

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def _palette(colours: dict[Role, str], disabled: dict[Role, str]) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role, colour in disabled.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    return _palette(
        {
            Role.Window: "#efefef",
            Role.WindowText: "#000000",
            Role.Base: "#ffffff",
            Role.AlternateBase: "#f5f5f5",
            Role.Text: "#000000",
            Role.Button: "#efefef",
            Role.ButtonText: "#000000",
            Role.BrightText: "#ffffff",
            Role.Highlight: "#3071c5",
            Role.HighlightedText: "#ffffff",
            Role.Link: "#0b57d0",
            Role.LinkVisited: "#6a3ab2",
            Role.ToolTipBase: "#ffffdc",
            Role.ToolTipText: "#000000",
            Role.PlaceholderText: "#6b6b6b",
            Role.Light: "#ffffff",
            Role.Midlight: "#e3e3e3",
            Role.Mid: "#b8b8b8",
            Role.Dark: "#9f9f9f",
            Role.Shadow: "#767676",
        },
        {Role.WindowText: "#8a8a8a", Role.Text: "#8a8a8a", Role.ButtonText: "#8a8a8a"},
    )


def dark_palette() -> QPalette:
    return _palette(
        {
            Role.Window: "#2b2b2b",
            Role.WindowText: "#e8e8e8",
            Role.Base: "#1e1e1e",
            Role.AlternateBase: "#262626",
            Role.Text: "#e8e8e8",
            Role.Button: "#353535",
            Role.ButtonText: "#e8e8e8",
            Role.BrightText: "#ffffff",
            Role.Highlight: "#2f65ca",
            Role.HighlightedText: "#ffffff",
            Role.Link: "#8ab4f8",
            Role.LinkVisited: "#c58af9",
            Role.ToolTipBase: "#3c3c3c",
            Role.ToolTipText: "#e8e8e8",
            Role.PlaceholderText: "#9a9a9a",
            Role.Light: "#4a4a4a",
            Role.Midlight: "#3e3e3e",
            Role.Mid: "#5a5a5a",
            Role.Dark: "#1a1a1a",
            Role.Shadow: "#000000",
        },
        {Role.WindowText: "#808080", Role.Text: "#808080", Role.ButtonText: "#808080"},
    )


def high_contrast_palette() -> QPalette:
    # Selection is black on yellow (not white on blue): the one colour that stays distinct from both the
    # black background and the white text. Disabled text is a mid grey that still reads at 4.5:1 on black.
    return _palette(
        {
            Role.Window: "#000000",
            Role.WindowText: "#ffffff",
            Role.Base: "#000000",
            Role.AlternateBase: "#1a1a1a",
            Role.Text: "#ffffff",
            Role.Button: "#000000",
            Role.ButtonText: "#ffffff",
            Role.BrightText: "#ffff00",
            Role.Highlight: "#ffff00",
            Role.HighlightedText: "#000000",
            Role.Link: "#00ffff",
            Role.LinkVisited: "#ff80ff",
            Role.ToolTipBase: "#000000",
            Role.ToolTipText: "#ffffff",
            Role.PlaceholderText: "#c0c0c0",
            Role.Light: "#ffffff",
            Role.Midlight: "#ffffff",
            Role.Mid: "#ffffff",
            Role.Dark: "#ffffff",
            Role.Shadow: "#ffffff",
        },
        {
            Role.WindowText: "#a0a0a0",
            Role.Text: "#a0a0a0",
            Role.ButtonText: "#a0a0a0",
            Role.Highlight: "#808000",
            Role.HighlightedText: "#000000",
        },
    )


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def palette_for(theme: str) -> QPalette:
    """The palette `theme` means right now ("system" depends on the OS setting); unknown names: system."""
    if theme == HIGH_CONTRAST:
        return high_contrast_palette()
    if theme == LIGHT:
        return light_palette()
    return dark_palette() if theme == DARK or system_is_dark() else light_palette()


def current_theme(app: QApplication) -> str:
    value = app.property(_THEME_PROPERTY)
    return value if isinstance(value, str) and value in THEMES else SYSTEM


def apply_theme(app: QApplication, theme: str) -> None:
    theme = theme if theme in THEMES else SYSTEM
    app.setProperty(_THEME_PROPERTY, theme)
    app.setPalette(palette_for(theme))
    app.setStyleSheet(HIGH_CONTRAST_STYLE if theme == HIGH_CONTRAST else "")
    if not app.property(_HOOKED_PROPERTY):
        app.setProperty(_HOOKED_PROPERTY, True)
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _follow_system(app))


def _follow_system(app: QApplication) -> None:
    """The OS switched light/dark: only the "system" theme follows it."""
    if current_theme(app) == SYSTEM:
        app.setPalette(palette_for(SYSTEM))


def default_point_size(app: QApplication) -> int:
    """The platform's own text size, remembered before the workbench first changes it."""
    value = app.property(_DEFAULT_SIZE_PROPERTY)
    if isinstance(value, int) and value > 0:
        return value
    size = app.font().pointSize()
    size = size if size > 0 else 10  # a font sized in pixels has no point size; 10 pt is the common default
    app.setProperty(_DEFAULT_SIZE_PROPERTY, size)
    return size


def clamp_point_size(points: int) -> int:
    return max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, points))


def apply_font_size(app: QApplication, points: int) -> int:
    """Set the application's text size (0: the platform default); returns the size now in effect."""
    size = default_point_size(app) if points <= 0 else clamp_point_size(points)
    font = app.font()
    if font.pointSize() != size:
        font.setPointSize(size)
        app.setFont(font)
    return size


def apply_appearance(app: QApplication, preferences: Preferences) -> None:
    """Start-up: the saved theme and text size, before the first window is shown."""
    apply_theme(app, preferences.theme)
    apply_font_size(app, preferences.font_size)


__all__ = [
    "DARK",
    "HIGH_CONTRAST",
    "LIGHT",
    "SYSTEM",
    "THEMES",
    "apply_appearance",
    "apply_font_size",
    "apply_theme",
    "palette_for",
]
