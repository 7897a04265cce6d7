"""A line of grey text in an item view while it has no rows: "No contacts yet — Add contact… (Insert)".

An empty grid otherwise looks broken (did it load? is there nothing?). The hint is a label on the view's
viewport, shown and hidden as the model's rows come and go, so it needs no subclass of the view.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel


class EmptyHint(QLabel):
    def __init__(self, view: QAbstractItemView, text: str) -> None:
        super().__init__(text, view.viewport())
        self.setObjectName("empty-hint")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setEnabled(False)  # the palette's disabled text colour: grey in every theme
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._view = view
        self._filled = False  # an empty model before its first load means "loading", not "nothing"
        view.viewport().installEventFilter(self)
        model = view.model()
        model.modelReset.connect(self._on_reset)
        for signal in (model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.update_visibility)
        self.hide()

    def _on_reset(self) -> None:
        self._filled = True
        self.update_visibility()

    def update_visibility(self, *_args: object) -> None:
        model = self._view.model()
        self.setVisible(self._filled and model is not None and model.rowCount() == 0)
        self.setGeometry(self._view.viewport().rect().adjusted(12, 12, -12, -12))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self._view.viewport().rect().adjusted(12, 12, -12, -12))
        return False
