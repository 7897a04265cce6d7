"""Edit › Preferences…: the user's choices, one page each, saved on OK and only then.

A page is a `PreferencesPage`: it fills its controls from the saved preferences (`load()`), says whether they
can be saved (`validate()`, showing why not on the page itself), saves them (`apply()`) and puts its
controls back to the declared defaults (`restore_defaults()`, saved only on OK like any other change).
Defaults come from `Preferences.declared()` (app/ui/settings.py), never from here. A new page is one class
added to `PAGES`.

On OK every page is checked first, so nothing is saved while one page still refuses; then each page saves,
the settings file is written and `saved` is emitted for the window to follow (View › Appearance's items, the
Sync menu and the status bar's sync indicator). Cancel saves nothing. Saving can still fail where checking
could not tell (the system keyring refuses the team server's password): that page says why and the dialog
stays open on it, the other pages being saved by then.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.services.backups import backups_folder, prepare_folder
from app.ui.dialogs.security import SecurityControls
from app.ui.dialogs.team_server import TeamServerPanel
from app.ui.settings import Preferences
from app.ui.theme import (
    MAX_POINT_SIZE,
    MIN_POINT_SIZE,
    SYSTEM,
    THEME_TITLES,
    THEMES,
    apply_font_size,
    apply_theme,
    clamp_point_size,
)
from app.ui.views.base import ScreenContext
from app.ui.widgets.forms import FormGrid, message_label, show_message

PLATFORM_DEFAULT_SIZE = MIN_POINT_SIZE - 1  # the text size box's lowest step reads "Platform default" (0)
MIN_BACKUPS_KEPT, MAX_BACKUPS_KEPT = 1, 60


def default(name: str) -> Any:
    return Preferences.declared()[name].default


def _application() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "dialogs exist only inside a QApplication"
    return app


class PreferencesPage(QWidget):
    key: ClassVar[str] = ""  # what PreferencesDialog(page=…) names it by
    title: ClassVar[str] = ""
    summary: ClassVar[str] = ""  # one line under the title: what the page is about

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.preferences = context.settings.preferences
        self.setObjectName(f"preferences-{self.key}")

    def set_form(self, form: QLayout | QWidget) -> None:
        """The page's controls at its top; the dialog gives the margins."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if isinstance(form, QLayout):
            layout.addLayout(form)
        else:
            layout.addWidget(form)
        layout.addStretch(1)

    def load(self) -> None:
        """The controls show the saved preferences."""
        raise NotImplementedError

    def validate(self) -> bool:
        """True when the controls can be saved; otherwise show why on the page and focus the control."""
        return True

    def apply(self) -> bool:
        """Save the controls into the preferences; False (after saying why, saving nothing) if that failed."""
        raise NotImplementedError

    def restore_defaults(self) -> None:
        """The controls show the declared defaults (saved on OK, like any other change)."""
        raise NotImplementedError


class GeneralPage(PreferencesPage):
    key, title = "general", "General"
    summary = "Reports and start-up."

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.marking_edit = QLineEdit(self)
        self.marking_edit.setAccessibleName("Handling marking printed on every report")
        self.marking_edit.setToolTip("Printed on every report page and in every workbook")
        self.marking_edit.textEdited.connect(self._on_marking_edited)
        self.marking_message = message_label(self, "preferences-marking-message")
        self.restore_screen_check = QCheckBox(
            "&Open on the screen that was showing when the workbench was closed", self
        )
        self.restore_screen_check.setAccessibleName("Open on the screen that was showing at closing")
        form = FormGrid()
        form.add_row("Report &marking:", self.marking_edit)
        form.add_field(self.marking_message)
        form.add_field(self.restore_screen_check)
        self.set_form(form)

    def load(self) -> None:
        self._fill(self.preferences.report_marking, self.preferences.restore_last_screen)

    def restore_defaults(self) -> None:
        self._fill(default("report_marking"), default("restore_last_screen"))

    def _fill(self, marking: str, restore_screen: bool) -> None:
        self.marking_edit.setText(marking)
        self.restore_screen_check.setChecked(restore_screen)
        show_message(self.marking_message, "")

    def validate(self) -> bool:
        if self.marking_edit.text().strip():
            show_message(self.marking_message, "")
            return True
        message = "Enter a handling marking: every report page and workbook carries one"
        show_message(self.marking_message, message, error=True)
        self.marking_edit.setFocus()
        return False

    def _on_marking_edited(self, _text: str) -> None:
        if not self.marking_message.isHidden():  # once shown, the message follows the typing
            self.validate()

    def apply(self) -> bool:
        self.preferences.report_marking = self.marking_edit.text().strip()
        self.preferences.restore_last_screen = self.restore_screen_check.isChecked()
        return True


class AppearancePage(PreferencesPage):
    key, title = "appearance", "Appearance"
    summary = "Colours and text size, also under View › Appearance."

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.theme_combo = QComboBox(self)
        self.theme_combo.setAccessibleName("Colour theme")
        for theme in THEMES:
            self.theme_combo.addItem(THEME_TITLES[theme].replace("&", ""), theme)
        self.size_spin = QSpinBox(self)
        self.size_spin.setAccessibleName("Text size in points")
        self.size_spin.setRange(PLATFORM_DEFAULT_SIZE, MAX_POINT_SIZE)
        self.size_spin.setSpecialValueText("Platform default")  # shown at the lowest step, saved as 0
        self.size_spin.setSuffix(" pt")
        self.size_spin.setToolTip(f"{MIN_POINT_SIZE} to {MAX_POINT_SIZE} points, or the platform's own size")
        form = FormGrid()
        form.add_row("&Theme:", self.theme_combo, grow=False)
        form.add_row("Text &size:", self.size_spin, grow=False)
        self.set_form(form)

    def load(self) -> None:
        self._fill(self.preferences.theme, self.preferences.font_size)

    def restore_defaults(self) -> None:
        self._fill(default("theme"), default("font_size"))

    def _fill(self, theme: str, points: int) -> None:
        self.theme_combo.setCurrentIndex(THEMES.index(theme if theme in THEMES else SYSTEM))
        self.size_spin.setValue(clamp_point_size(points) if points > 0 else PLATFORM_DEFAULT_SIZE)

    def chosen_theme(self) -> str:
        return str(self.theme_combo.currentData())

    def chosen_points(self) -> int:
        value = self.size_spin.value()
        return 0 if value == PLATFORM_DEFAULT_SIZE else value

    def apply(self) -> bool:
        # Applied only when changed: re-applying a theme repaints every widget of the application.
        app = _application()
        theme, points = self.chosen_theme(), self.chosen_points()
        if theme != self.preferences.theme:
            self.preferences.theme = theme
            apply_theme(app, theme)
        if points != self.preferences.font_size:
            self.preferences.font_size = points
            apply_font_size(app, points)
        return True


class TeamServerPage(PreferencesPage):
    key, title = "team-server", "Team server"
    summary = "Sync with your Center's team server. The password stays in the system keyring."

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.panel = TeamServerPanel(context, self)
        self.set_form(self.panel)

    def load(self) -> None:
        self.panel.load()

    def restore_defaults(self) -> None:
        self.panel.restore_defaults()

    def validate(self) -> bool:
        return self.panel.validate()

    def apply(self) -> bool:
        return self.panel.apply()


class BackupsPage(PreferencesPage):
    key, title = "backups", "Backups"
    summary = (
        "A verified copy of the database at every start, readable by you only; File › Restore from backup… "
        "puts one back. Team server databases are backed up on the server."
    )

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.enabled_check = QCheckBox("&Back up the database at every start", self)
        self.enabled_check.setAccessibleName("Back up the database at every start")
        self.keep_spin = QSpinBox(self)
        self.keep_spin.setAccessibleName("Number of automatic backups to keep")
        self.keep_spin.setRange(MIN_BACKUPS_KEPT, MAX_BACKUPS_KEPT)
        self.keep_spin.setSuffix(" backups")
        self.keep_spin.setToolTip("Older automatic backups of the database are deleted after each new one")
        self.enabled_check.toggled.connect(self.keep_spin.setEnabled)
        self.folder_label = QLabel(str(backups_folder()), self)
        self.folder_label.setObjectName("preferences-backups-folder")
        self.folder_label.setAccessibleName("Backups folder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.open_button = QPushButton("Open &folder", self)
        self.open_button.setAccessibleName("Open the backups folder")
        self.open_button.clicked.connect(self.open_folder)
        self.folder_message = message_label(self, "preferences-backups-message")
        form = FormGrid()
        form.add_field(self.enabled_check)
        form.add_row("&Keep the newest:", self.keep_spin, grow=False)
        form.add_row("Folder:", self.folder_label)
        form.add_field(self.open_button, grow=False)
        form.add_field(self.folder_message)
        self.set_form(form)

    def load(self) -> None:
        self._fill(self.preferences.backups_enabled, self.preferences.backups_keep)

    def restore_defaults(self) -> None:
        self._fill(default("backups_enabled"), default("backups_keep"))

    def _fill(self, enabled: bool, keep: int) -> None:
        self.enabled_check.setChecked(enabled)
        self.keep_spin.setValue(keep)  # the spin box clamps a hand-edited value into its range
        self.keep_spin.setEnabled(enabled)

    def apply(self) -> bool:
        self.preferences.backups_enabled = self.enabled_check.isChecked()
        self.preferences.backups_keep = self.keep_spin.value()
        return True

    def open_folder(self) -> None:
        """Show the folder in the desktop's file manager (created first: there is none before the first
        backup)."""
        try:
            folder = prepare_folder()
        except UserError as exc:
            show_message(self.folder_message, str(exc), error=True)
            return
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            show_message(self.folder_message, "")
        else:
            show_message(self.folder_message, "No file manager could open the folder", error=True)


class SecurityPage(PreferencesPage):
    key, title = "security", "Security"
    summary = "A passphrase for this database, and locking the window when nobody is at it."

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.controls = SecurityControls(context, self)
        self.set_form(self.controls)

    def load(self) -> None:
        self.controls.lock_spin.setValue(self.preferences.lock_after_minutes)

    def restore_defaults(self) -> None:
        self.controls.lock_spin.setValue(default("lock_after_minutes"))

    def apply(self) -> bool:
        self.preferences.lock_after_minutes = self.controls.lock_spin.value()
        return True


PAGES: tuple[type[PreferencesPage], ...] = (
    GeneralPage,
    AppearancePage,
    TeamServerPage,
    BackupsPage,
    SecurityPage,
)


class PreferencesDialog(QDialog):
    saved = Signal()  # after OK wrote the preferences (and perhaps the keyring)
    # An EncryptionRequest from the Security page, after the other pages were saved: the window closes for it.
    encryption_requested = Signal(object)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None, page: str = "general") -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("preferences-dialog")
        self.setWindowTitle("Preferences")
        # Made before the pages: Tab goes from the list to the page's controls, then to the buttons.
        self.page_list = QListWidget(self)
        self.page_list.setAccessibleName("Preferences pages")
        self.page_list.setSpacing(2)
        self.stack = QStackedWidget(self)
        self.pages = [page_class(context, self.stack) for page_class in PAGES]
        for each in self.pages:
            each.load()
            self.page_list.addItem(each.title)
            self.stack.addWidget(each)
            if isinstance(each, SecurityPage):
                each.controls.conversion_requested.connect(self._convert)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("preferences-page-title")
        title_font = QFont(self.title_label.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        self.title_label.setFont(title_font)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("preferences-page-summary")
        self.summary_label.setWordWrap(True)
        self.page_list.currentRowChanged.connect(self._on_row_changed)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.restore_button.setAccessibleName("Restore this page's defaults")
        self.restore_button.clicked.connect(self.restore_defaults)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        self.show_page(page)

    def _layout(self) -> None:
        # The list is as wide as its longest title: the page gets the rest.
        frame = 2 * self.page_list.frameWidth()
        self.page_list.setFixedWidth(self.page_list.sizeHintForColumn(0) + frame + 24)  # + the items' padding
        page_side = QVBoxLayout()
        page_side.addWidget(self.title_label)
        page_side.addWidget(self.summary_label)
        page_side.addSpacing(8)
        page_side.addWidget(self.stack, 1)
        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addSpacing(8)
        body.addLayout(page_side, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        # The layout sets the minimum (no page's text is ever cut); this is only the size it opens at.
        self.resize(self.sizeHint().expandedTo(QSize(680, 320)))

    def page(self, key: str) -> PreferencesPage:
        for each in self.pages:
            if each.key == key:
                return each
        raise KeyError(f"no preferences page {key!r}")

    def current_page(self) -> PreferencesPage:
        return self.pages[self.stack.currentIndex()]

    def show_page(self, key: str) -> PreferencesPage:
        page = self.page(key)
        self.page_list.setCurrentRow(self.pages.index(page))  # the stack and the title follow
        return page

    def _on_row_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.title_label.setText(self.pages[row].title)
        self.summary_label.setText(self.pages[row].summary)

    def restore_defaults(self) -> None:
        self.current_page().restore_defaults()

    def _convert(self, request: object) -> None:
        """The Security page's conversion: save the pages first (the window is about to close for it)."""
        self.accept()
        if self.result() == QDialog.DialogCode.Accepted:
            self.encryption_requested.emit(request)

    def accept(self) -> None:
        for page in self.pages:
            if not page.validate():
                self.show_page(page.key)
                return
        failed: list[PreferencesPage] = []
        for page in self.pages:
            if not page.apply():
                failed.append(page)
        self.context.settings.sync()
        self.saved.emit()  # even after a failure: the other pages are saved
        if failed:  # the keyring refused the password: the page says why, and the dialog stays open
            self.show_page(failed[0].key)
            return
        super().accept()
