"""Account 360: one account's header, its actions and its tabs, with one undo stack for every edit made here.

Tabs load lazily: a tab fetches its data the first time it is shown, and again after a change it cares about
(`AccountTab.reacts_to()`), at once when it is the current tab, else the next time it is shown. Opening an
account therefore costs its header and one tab, however many tabs it has.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.services.account360 import account_header
from app.ui.account.account_dialog import EditAccountCommand, EditAccountDialog
from app.ui.account.action_plan_tab import ActionPlanTab
from app.ui.account.base import AccountTab
from app.ui.account.compliance_tab import ComplianceTab
from app.ui.account.contacts_tab import ContactsTab
from app.ui.account.entries_tab import EntriesTab
from app.ui.account.header import AccountHeader
from app.ui.account.history_tab import HistoryTab
from app.ui.account.holds_tab import HoldsTab
from app.ui.account.notes_tab import NotesTab
from app.ui.account.overview_tab import OverviewTab
from app.ui.changes import ACCOUNTS, CONTACTS
from app.ui.views.base import MessageBar, ScreenContext, handle_task_error
from app.ui.views.reports import preview_account_summary

TAB_CLASSES: tuple[type[AccountTab], ...] = (
    OverviewTab,
    EntriesTab,
    HoldsTab,
    NotesTab,
    ComplianceTab,
    ContactsTab,
    ActionPlanTab,
    HistoryTab,
)
HEADER_REACTS_TO = frozenset({ACCOUNTS, CONTACTS})


class AccountView(QWidget):
    title_changed = Signal(str)  # the account's name, once the header has loaded (for the tab label)
    open_account = Signal(object)  # another account, named from a tab

    def __init__(self, context: ScreenContext, account_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.account_id = account_id
        self.setObjectName("account-view")
        self.undo_stack = QUndoStack(self)
        self.account_name = ""
        self._header_data: Any = None
        self._stale: set[str] = set()  # tab keys to reload when next shown
        self._loaded: set[str] = set()

        self.message_bar = MessageBar(self)
        self.header = AccountHeader(self)
        self.edit_button = QPushButton("Edit acco&unt…", self)
        self.edit_button.setAccessibleName("Edit the account's details")
        self.edit_button.setToolTip("Edit name, risk segment, status, location… (Ctrl+E)")
        self.edit_button.setEnabled(False)  # until the header (and so the current values) has loaded
        self.edit_button.clicked.connect(self.edit_account)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("account-tabs")
        self.tabs.setAccessibleName("Account sections")
        self.tabs.setDocumentMode(True)
        self._tabs: dict[str, AccountTab] = {}
        for tab_class in TAB_CLASSES:
            tab = tab_class(context, account_id, self.undo_stack, self.tabs)
            self._tabs[tab.key] = tab
            self.tabs.addTab(tab, tab.title)
            tab.load_failed.connect(lambda exc: handle_task_error(exc, self.message_bar))
            tab.open_account.connect(self.open_account)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        context.changes.changed.connect(self._on_data_changed)

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    # --- loading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the header, and the current tab if it has never loaded or is stale."""
        self.reload_header()
        self._load_current_tab(force=False)

    def reload_header(self) -> None:
        workspace, account_id = self.context.workspace, self.account_id
        self.context.runner.run(
            lambda _progress, _cancel: account_header(workspace, account_id),
            name="account header",
            owner=self,
            on_result=self._show_header,
            on_error=lambda exc: handle_task_error(exc, self.message_bar),
        )

    def _show_header(self, header: Any) -> None:
        self._header_data = header
        self.header.show_header(header)
        self.edit_button.setEnabled(True)
        if header.name != self.account_name:
            self.account_name = header.name
            self.title_changed.emit(header.name)

    def _load_current_tab(self, *, force: bool) -> None:
        tab = self.current_tab()
        if force or tab.key not in self._loaded or tab.key in self._stale:
            self._loaded.add(tab.key)
            self._stale.discard(tab.key)
            tab.reload()

    def _on_tab_changed(self, _index: int) -> None:
        self._load_current_tab(force=False)

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if kinds & HEADER_REACTS_TO:
            self.reload_header()
        current = self.current_tab()
        for key, tab in self._tabs.items():
            if tab is self.context.changes.source:
                continue  # it wrote, and has shown its own change already
            if key in self._loaded and kinds & tab.reacts_to():
                if tab is current and self.isVisible():
                    tab.reload()
                else:
                    self._stale.add(key)

    # --- actions --------------------------------------------------------------------------------------------

    def edit_account(self) -> None:
        if self._header_data is None:
            return
        dialog = EditAccountDialog(self.context, self.account_id, self)
        if dialog.exec():
            command = EditAccountCommand(self.context, self.account_id, dialog.original(), dialog.changes())
            self.undo_stack.push(command)

    def show_tab(self, key: str) -> AccountTab:
        tab = self._tabs[key]
        self.tabs.setCurrentWidget(tab)
        return tab

    def add_note(self) -> None:
        """Go to the note composer, ready to type (the account's Ctrl+N)."""
        notes = self.show_tab("notes")
        focus = getattr(notes, "focus_composer", None)
        if focus is not None:
            focus()

    def print_summary(self) -> None:
        """Ctrl+P: this account's printed summary, written in the background and shown in the preview."""
        on_error = partial(handle_task_error, bar=self.message_bar)
        preview_account_summary(self.context, self.account_id, self.account_name, self, on_error)

    def refresh(self) -> None:
        """F5: the header and the current tab again, now."""
        self.reload_header()
        self._load_current_tab(force=True)

    def focus_filter(self) -> None:
        """Ctrl+F: the current tab's filter box, when it has one."""
        edit = getattr(self.current_tab(), "filter_edit", None)
        if edit is not None:
            edit.setFocus()
            edit.selectAll()

    def show_note(self, note_id: uuid.UUID) -> None:
        notes = self.show_tab("notes")
        select = getattr(notes, "select_note", None)
        if select is not None and not select(note_id):
            # Still loading (the tab was never shown): select it once the timeline is there.
            def once() -> None:
                notes.loaded.disconnect(once)
                select(note_id)

            notes.loaded.connect(once)

    def show_entry(self, entry_number: str) -> None:
        """The Entries tab filtered to one entry's lines."""
        entries = self.show_tab("entries")
        show = getattr(entries, "show_entry", None)
        if show is not None:
            show(entry_number)

    # --- state ----------------------------------------------------------------------------------------------

    def current_tab(self) -> AccountTab:
        widget = self.tabs.currentWidget()
        assert isinstance(widget, AccountTab)
        return widget

    def tab(self, key: str) -> AccountTab:
        return self._tabs[key]

    def tab_keys(self) -> list[str]:
        return list(self._tabs)

    def summary(self) -> str:
        return f"{self.account_name or self.account_id}: {self.current_tab().summary()}"

    def save_state(self) -> None:
        for tab in self._tabs.values():
            tab.save_state()
