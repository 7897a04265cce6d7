"""One application-wide signal that says which kinds of data a finished task changed.

A view that writes (a note, a contact, a follow-up marked done) announces what it changed; every other view
listening decides whether that concerns it and reloads — now if it is visible, else the next time it is shown.
Kinds are plain strings from `KINDS`, so no view needs to import another to keep in step with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

ACCOUNTS = "accounts"  # account fields, importer numbers, partnership status
CONTACTS = "contacts"
NOTES = "notes"
ACTION_ITEMS = "action_items"
COMPLIANCE = "compliance"
TRADE = "trade"  # entries, lines, holds (imports, demo data)
KINDS = frozenset({ACCOUNTS, CONTACTS, NOTES, ACTION_ITEMS, COMPLIANCE, TRADE})


class ChangeHub(QObject):
    changed = Signal(frozenset)  # the kinds that changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # While `changed` is being delivered: the view that wrote, which has already shown its own change
        # (listeners may skip reloading it). None otherwise.
        self.source: object | None = None

    def announce(self, kinds: Iterable[str], *, source: object | None = None) -> None:
        found = frozenset(kinds)
        unknown = found - KINDS
        if unknown:
            raise ValueError(f"unknown change kinds: {sorted(unknown)}")
        if found:
            self.source = source
            try:
                self.changed.emit(found)
            finally:
                self.source = None
