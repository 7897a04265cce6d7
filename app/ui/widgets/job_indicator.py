"""The status bar's background-job indicator: "⟳ 2 background jobs" with a busy bar, hidden when idle.

Most work (a screen's query, the status bar's counts) finishes in well under a second; an indicator that
flashed for each would be noise, so it appears only when the runner has stayed busy for SHOW_DELAY_MS. It
hides as soon as the last task finishes.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from app.ui.formatting import plural
from app.ui.tasks import TaskRunner

SHOW_DELAY_MS = 400


class JobIndicator(QWidget):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("job-indicator")
        self.runner = runner
        self.count = 0
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # indeterminate: tasks report progress to their own screens, not here
        self.bar.setTextVisible(False)
        self.bar.setFixedSize(60, 10)
        self.bar.setAccessibleName("Background jobs running")
        self.label = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self._show_later = QTimer(self)
        self._show_later.setSingleShot(True)
        self._show_later.setInterval(SHOW_DELAY_MS)
        self._show_later.timeout.connect(self._update)
        runner.busy_changed.connect(self._on_busy_changed)
        self.hide()

    def _on_busy_changed(self, count: int) -> None:
        self.count = count
        if count == 0:
            self._show_later.stop()
            self.hide()
        elif not self.isHidden():
            self._update()  # already showing: keep the count current
        elif not self._show_later.isActive():
            self._show_later.start()

    def _update(self) -> None:
        if self.count == 0:
            return
        text = f"⟳ {plural(self.count, 'background job')}"
        self.label.setText(text)
        names = self.runner.running_names()
        self.setToolTip("Running:\n" + "\n".join(f"• {name}" for name in names) if names else text)
        self.setAccessibleName(text)
        self.show()
