"""Quick-find (Ctrl+K): one search line over accounts, importer numbers, entry numbers and notes.

Typing is debounced (SEARCH_DELAY_MS) and every search runs on the TaskRunner; only the latest request's
answer is shown (an earlier, slower one arriving late is dropped), so the list never jumps back. The cursor
stays in the search line: Up/Down move the selection over the hits (skipping group headers), Enter emits
`activated(hit)` and closes, Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.views import SearchHit
from app.services.search import search
from app.ui.models.search_hits import HeaderRole, HtmlRole, SearchHitsModel
from app.ui.views.base import MessageBar, ScreenContext, handle_task_error

SEARCH_DELAY_MS = 150
SEARCH_LIMIT = 30
Index = QModelIndex | QPersistentModelIndex


class RichTextDelegate(QStyledItemDelegate):
    """Paints a row's HtmlRole (bold highlights, a smaller detail line) over the normal item background."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(str(index.data(HtmlRole) or ""))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        document = self._document(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text
        context.palette.setColor(opt.palette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(text_rect.topLeft())
        painter.setClipRect(text_rect.translated(-text_rect.topLeft()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        document = self._document(opt, index)
        base = super().sizeHint(option, index)
        return QSize(base.width(), max(base.height(), int(document.size().height())))


class QuickFindDialog(QDialog):
    """A non-modal search popup. The owner connects `activated` and shows the hit (account, entry, note)."""

    activated = Signal(object)  # the SearchHit chosen
    results_shown = Signal(int)  # hit count, after a search's answer is on screen

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Find anything")
        self.setObjectName("quick-find")
        self.resize(640, 420)
        self._generation = 0  # bumped per request; an answer for an older one is dropped
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("Account name, importer number, entry number or words of a note")
        self.line.setAccessibleName("Find anything")
        self.line.setClearButtonEnabled(True)
        self.line.installEventFilter(self)
        self.message_bar = MessageBar(self)
        self.status = QLabel(self)
        self.status.setAccessibleName("Search status")
        self.model = SearchHitsModel(self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(RichTextDelegate(self.list))
        self.list.setAccessibleName("Search results")
        self.list.setUniformItemSizes(False)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the cursor stays in the line; Up/Down drive it
        self.list.activated.connect(self._activate_index)
        self.list.doubleClicked.connect(self._activate_index)
        layout = QVBoxLayout(self)
        layout.addWidget(self.line)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search)
        self.line.textChanged.connect(self._timer.start)
        self.line.returnPressed.connect(self.activate_current)

    def open_search(self) -> None:
        """Show (or raise) the popup with the previous text selected, ready to type over."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.line.setFocus()
        self.line.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None:
                self.move_selection(step)
                return True
        return super().eventFilter(watched, event)

    def move_selection(self, step: int) -> None:
        """Select the next (step 1) or previous (-1) hit, skipping headers; stays put at either end."""
        row = self.list.currentIndex().row()
        row = row + step if row >= 0 else 0
        while 0 <= row < self.model.rowCount():
            if self.model.hit_at(row) is not None:
                self.list.setCurrentIndex(self.model.index(row, 0))
                return
            row += step

    def current_hit(self) -> SearchHit | None:
        return self.model.hit_at(self.list.currentIndex().row())

    def activate_current(self) -> None:
        """Enter: emit the selected hit and close (the owner navigates); nothing selected, nothing to do."""
        self._timer.stop()
        hit = self.current_hit()
        if hit is not None:
            self.activated.emit(hit)
            self.accept()

    def _activate_index(self, index: QModelIndex) -> None:
        if not index.data(HeaderRole):
            self.list.setCurrentIndex(index)
            self.activate_current()

    def _search(self) -> None:
        self._generation += 1
        generation, text = self._generation, self.line.text()
        workspace = self.context.workspace
        self.context.runner.run(
            lambda progress, cancel: search(workspace, text, limit=SEARCH_LIMIT),
            name="quick-find",
            owner=self,
            on_result=lambda hits: self._show(generation, text, hits),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _show(self, generation: int, text: str, hits: list[SearchHit]) -> None:
        if generation != self._generation:
            return
        self.message_bar.clear_error()
        self.model.set_hits(hits, text)
        self.list.setCurrentIndex(QModelIndex())
        self.move_selection(1)  # the best hit is selected: Enter right away opens it
        count = self.model.hit_count()
        if not text.strip():
            self.status.setText("")
        else:
            self.status.setText(f"{count} found" + (" (the first ones)" if count >= SEARCH_LIMIT else ""))
        self.results_shown.emit(count)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            handle_task_error(exc, self.message_bar)
