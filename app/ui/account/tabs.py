"""The open accounts: one closable, movable tab per account, so several can be open side by side.

This is the main window's "Accounts" page. Opening an account that is already open switches to its tab
rather than opening a second copy; closing the last tab tells the window (`emptied`) so it can go back to the
screen the user came from.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.ui.account.view import AccountView
from app.ui.views.base import ScreenContext

MAX_TITLE = 28  # characters of an account name on its tab; the full name is the tooltip


def short_title(name: str) -> str:
    return name if len(name) <= MAX_TITLE else name[: MAX_TITLE - 1].rstrip() + "…"


class AccountTabs(QWidget):
    key = "accounts"
    title = "Accounts"

    emptied = Signal()  # the last account tab was closed
    current_changed = Signal()  # another account became current (or the set changed): undo stack, title
    open_account = Signal(object)  # an account named inside one of the views

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("screen-accounts")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("open-accounts")
        self.tabs.setAccessibleName("Open accounts")
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(lambda _index: self.current_changed.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def open(self, account_id: uuid.UUID) -> AccountView:
        """Show the account's tab, opening it (and starting its load) if it is not open yet."""
        view = self.view_for(account_id)
        if view is None:
            view = AccountView(self.context, account_id, self.tabs)
            index = self.tabs.addTab(view, "Loading…")
            view.title_changed.connect(lambda name, v=view: self._set_title(v, name))
            view.open_account.connect(self.open_account)
            self.tabs.setCurrentIndex(index)
            view.reload()
        else:
            self.tabs.setCurrentWidget(view)
        # A keyboard user lands on the account's sections: arrows switch them, Tab goes into the current one.
        view.tabs.tabBar().setFocus(Qt.FocusReason.OtherFocusReason)
        return view

    def _set_title(self, view: AccountView, name: str) -> None:
        index = self.tabs.indexOf(view)
        if index >= 0:
            self.tabs.setTabText(index, short_title(name).replace("&", "&&"))
            self.tabs.setTabToolTip(index, name)
            self.current_changed.emit()

    def view_for(self, account_id: uuid.UUID) -> AccountView | None:
        return next((view for view in self.views() if view.account_id == account_id), None)

    def views(self) -> list[AccountView]:
        found = [self.tabs.widget(index) for index in range(self.tabs.count())]
        return [view for view in found if isinstance(view, AccountView)]

    def current_view(self) -> AccountView | None:
        view = self.tabs.currentWidget()
        return view if isinstance(view, AccountView) else None

    def current_undo_stack(self) -> QUndoStack | None:
        view = self.current_view()
        return view.undo_stack if view is not None else None

    def close_tab(self, index: int) -> None:
        view = self.tabs.widget(index)
        if not isinstance(view, AccountView):
            return
        view.save_state()
        self.tabs.removeTab(index)
        view.deleteLater()
        self.current_changed.emit()
        if self.tabs.count() == 0:
            self.emptied.emit()

    def close_current(self) -> None:
        if self.tabs.count():
            self.close_tab(self.tabs.currentIndex())

    def next_tab(self, step: int = 1) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def count(self) -> int:
        return self.tabs.count()

    def summary(self) -> str:
        view = self.current_view()
        return view.summary() if view is not None else "no account open"

    def save_state(self) -> None:
        for view in self.views():
            view.save_state()
