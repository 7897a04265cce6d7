"""A KPI card (a big number with a caption that opens the matching list) and a row of them that wraps.

Cards are buttons for every purpose but looks: focusable with Tab, activated by a click, Enter or Space, and
named for screen readers as "<caption>: <value>".
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

CARD_WIDTH = 210
VALUE_POINT_SCALE = 2.0  # the number is what the eye looks for first
ACTIVATION_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space})


class KpiCard(QFrame):
    activated = Signal()

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.setProperty("kpiCard", True)  # the style sheet's selector; screens set their own object names
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedWidth(CARD_WIDTH)
        # Fixed width, but free to grow to the height of the tallest card in its row (see FlowLayout).
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        self.value_label = QLabel("—", self)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * VALUE_POINT_SCALE)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption, self)
        self.caption_label.setWordWrap(True)
        self.detail_label = QLabel("", self)
        self.detail_label.setWordWrap(True)
        self.detail_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.detail_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(2)
        for label in (self.value_label, self.caption_label, self.detail_label):
            # Clicks go to the card, not to the labels (which would swallow them for text selection).
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        layout.addStretch(1)
        self._update_style()
        self._update_accessible()

    def set_value(self, value: int, detail: str = "") -> None:
        self.value_label.setText(f"{value:,}")
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))
        self._update_accessible()

    @property
    def value_text(self) -> str:
        return self.value_label.text()

    def _update_accessible(self) -> None:
        name = f"{self.caption}: {self.value_label.text()}"
        self.setAccessibleName(name)
        self.setAccessibleDescription(self.detail_label.text() or "Opens the matching list")
        self.setToolTip(f"{name}\nClick or press Enter to open the list")

    def _update_style(self) -> None:
        # Palette roles only, so the card follows light and dark themes; the focus ring is the highlight.
        self.setStyleSheet(
            "QFrame[kpiCard='true'] { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 6px; }"
            "QFrame[kpiCard='true']:hover { border-color: palette(highlight); }"
            "QFrame[kpiCard='true']:focus { border: 2px solid palette(highlight); }"
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ACTIVATION_KEYS and not event.isAutoRepeat():
            self.activated.emit()
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit()
            return
        super().mouseReleaseEvent(event)


class FlowLayout(QLayout):
    """Lays widgets out left to right and wraps onto the next line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 10) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add_widget(self, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items (when `move`) and return the height they need at this width."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        # Every item gets the tallest one's height, so a row of cards lines up at the bottom too.
        tallest = max((_height(item) for item in self._items), default=0)
        for item in self._items:
            hint = QSize(item.sizeHint().width(), tallest)
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line_height = area.x(), y + line_height + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


def _height(item: QLayoutItem) -> int:
    """The height an item needs at its preferred width (word-wrapped labels guess too tall a size hint)."""
    hint = item.sizeHint()
    return item.heightForWidth(hint.width()) if item.hasHeightForWidth() else hint.height()
