"""View › Appearance: the colour theme (radio items) and the text size, applied at once and saved as
preferences (app.ui.theme applies them; app.ui.main applies the saved ones at start-up).

Edit › Preferences… changes the same two preferences; after it saves, `follow_preferences()` brings the
radio items and the window (through `text_size_changed`) in step."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from app.ui.settings import Settings
from app.ui.theme import (
    SYSTEM,
    THEME_TITLES,
    THEMES,
    apply_font_size,
    apply_theme,
    clamp_point_size,
)


def _application() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "menus exist only inside a QApplication"
    return app


class AppearanceMenu(QMenu):
    text_size_changed = Signal(int)  # the point size now in effect

    def __init__(self, settings: Settings, parent: QWidget) -> None:
        super().__init__("&Appearance", parent)
        self.setObjectName("appearance-menu")
        self.preferences = settings.preferences
        self.theme_group = QActionGroup(self)  # exclusive by default: radio items
        self.theme_actions: dict[str, QAction] = {}
        saved = self.preferences.theme if self.preferences.theme in THEMES else SYSTEM
        for theme in THEMES:
            action = QAction(THEME_TITLES[theme], self.theme_group, checkable=True)
            action.setChecked(theme == saved)
            action.triggered.connect(lambda _checked=False, theme=theme: self.set_theme(theme))
            self.theme_actions[theme] = action
            self.addAction(action)
        self.addSeparator()
        zoom_in, zoom_out = QKeySequence.StandardKey.ZoomIn, QKeySequence.StandardKey.ZoomOut
        self.larger_text = self._action("&Larger text", "Ctrl++", lambda: self.step_text_size(1), zoom_in)
        self.smaller_text = self._action("&Smaller text", "Ctrl+-", lambda: self.step_text_size(-1), zoom_out)
        self.reset_text = self._action("&Reset text size", "Ctrl+0", self.reset_text_size)
        self._announced_size = _application().font().pointSize()  # the size the window last heard of

    def _action(
        self, text: str, key: str, slot: Callable[[], None], standard: QKeySequence.StandardKey | None = None
    ) -> QAction:
        action = QAction(text, self)
        shortcuts = [QKeySequence(key)]
        if standard is not None:  # also the platform's own binding where it differs (Ctrl+= to zoom in)
            shortcuts += [seq for seq in QKeySequence.keyBindings(standard) if seq not in shortcuts]
        action.setShortcuts(shortcuts)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def text_size_actions(self) -> list[QAction]:
        return [self.larger_text, self.smaller_text, self.reset_text]

    def follow_preferences(self) -> None:
        """The preferences changed elsewhere (and were applied there): check the saved theme's item, and tell
        the window when the text size in effect is not the one it last heard of."""
        theme = self.preferences.theme if self.preferences.theme in THEMES else SYSTEM
        self.theme_actions[theme].setChecked(True)
        size = _application().font().pointSize()
        if size != self._announced_size:
            self._announced_size = size
            self.text_size_changed.emit(size)

    def set_theme(self, theme: str) -> None:
        self.preferences.theme = theme
        apply_theme(_application(), theme)
        self.theme_actions[theme].setChecked(True)

    def step_text_size(self, delta: int) -> None:
        self._set_text_size(clamp_point_size(_application().font().pointSize() + delta))

    def reset_text_size(self) -> None:
        self._set_text_size(0)

    def _set_text_size(self, points: int) -> None:
        size = apply_font_size(_application(), points)
        self.preferences.font_size = points
        self._announced_size = size
        self.text_size_changed.emit(size)
