"""Lock the window after a while without input, until the database's passphrase is typed again.

A laptop left open in a meeting room must not show an AE's accounts to whoever walks by. After
`lock_after_minutes` (a preference; 0 = never) without a key press, click or scroll anywhere in the
application, `IdleLock` covers the main window with an opaque lock screen, hides every other window of the
workbench (dialogs, previews) and disables the menus; typing the passphrase that opens the database unlocks it
and brings everything back as it was. Only an encrypted database can be locked: without a passphrase there is
nothing to ask for (Preferences says so).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets.forms import message_label, show_message

MINUTE_MS = 60_000
# What counts as someone at the keyboard (not a repaint, a timer or the mouse merely resting).
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class LockScreen(QWidget):
    """The opaque cover over the main window, with the passphrase field."""

    unlock_requested = Signal(str)

    def __init__(self, database_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock-screen")
        self.setAutoFillBackground(True)  # opaque: nothing of the window shows through
        title = QLabel("AE Workbench is locked", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        detail = QLabel(f"Type the passphrase of {database_name} to go on.", self)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setObjectName("lock-passphrase")
        self.passphrase_edit.setAccessibleName("Passphrase of the database")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setMinimumWidth(300)  # room for a long passphrase
        self.passphrase_edit.returnPressed.connect(self._submit)
        self.unlock_button = QPushButton("Unlock", self)
        self.unlock_button.setAccessibleName("Unlock the workbench")
        self.unlock_button.clicked.connect(self._submit)
        self.message = message_label(self, "lock-message")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, detail, self.passphrase_edit, self.message, self.unlock_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def _submit(self) -> None:
        self.unlock_requested.emit(self.passphrase_edit.text())

    def refuse(self) -> None:
        self.passphrase_edit.clear()
        show_message(self.message, "That is not the passphrase of this database.", error=True)
        self.passphrase_edit.setFocus()


class IdleLock(QObject):
    """Watches the application's input; locks `window` after `minutes` without any (0: never)."""

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        verify: Callable[[str], bool],
        database_name: str,
        minutes: int = 0,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.verify = verify
        self.database_name = database_name
        self.locked = False
        self.screen: LockScreen | None = None
        self._hidden: list[QWidget] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        window.installEventFilter(self)  # its resizes keep the cover over it

    def set_minutes(self, minutes: int) -> None:
        """Lock after `minutes` without input from now on; 0 turns the lock off."""
        self.minutes = max(0, int(minutes))
        if self.minutes and not self.locked:
            self.timer.start(self.minutes * MINUTE_MS)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Resize and self.screen is not None:
            self.screen.setGeometry(self.window.rect())
        elif kind in ACTIVITY and not self.locked and self.minutes:
            self.timer.start(self.minutes * MINUTE_MS)  # someone is here: start counting again
        return False

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self.timer.stop()
        self._hidden = [
            widget
            for widget in QApplication.topLevelWidgets()
            if widget is not self.window and widget.isVisible()
        ]
        for widget in self._hidden:
            widget.hide()
        self.window.menuBar().setEnabled(False)
        self.screen = LockScreen(self.database_name, self.window)
        self.screen.setGeometry(self.window.rect())
        self.screen.unlock_requested.connect(self.try_unlock)
        self.screen.show()
        self.screen.raise_()
        self.screen.passphrase_edit.setFocus()
        self.locked_changed.emit(True)

    def try_unlock(self, passphrase: str) -> bool:
        if not self.locked or self.screen is None:
            return True
        if not passphrase or not self.verify(passphrase):
            self.screen.refuse()
            return False
        self.screen.deleteLater()
        self.screen = None
        self.window.menuBar().setEnabled(True)
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.locked = False
        self.set_minutes(self.minutes)
        self.locked_changed.emit(False)
        return True
