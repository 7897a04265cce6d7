""" "Since last sync": what a sync brought, in four groups, in a window that stays open beside the work.

New holds, released holds, teammates' notes on the AE's accounts and follow-ups that fell due since the last
sync, each a top-level item with its count, its lines under it (account, what, when). A group with nothing
says "None" rather than vanishing, so the AE sees it was looked at. Non-modal: the AE may open the accounts
it names while it is up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.formatting import fmt_date, fmt_datetime, utc_to_local

# (attribute of the digest, heading): shown always, "None" when empty
GROUPS = (
    ("new_holds", "New holds"),
    ("released_holds", "Released holds"),
    ("teammate_notes", "Teammates' notes"),
    ("overdue_follow_ups", "Follow-ups now due"),
)
# Shown only when there is something: a rare event, not part of every sync's news
RARE_GROUPS = (("accounts_removed", "Accounts no longer yours, removed from this laptop"),)
NONE_TEXT = "None"


def when_text(value: Any) -> str:
    if isinstance(value, datetime):  # hold and note times are stored in UTC
        return fmt_datetime(utc_to_local(value))
    if isinstance(value, date):
        return fmt_date(value)
    return "" if value is None else str(value)


class SyncDigestDialog(QDialog):
    def __init__(self, digest: Any, parent: QWidget | None = None) -> None:
        """`digest`: the `SyncDigest` of a `SyncResult` (lists of lines with account, what, when)."""
        super().__init__(parent)
        self.setObjectName("sync-digest-dialog")
        self.setWindowTitle("Since last sync")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.intro = QLabel("What this sync brought for your accounts:", self)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("sync-digest-tree")
        self.tree.setAccessibleName("What the sync brought, by group")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Account", "What", "When"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.groups: list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]] = []
        for attribute, heading in GROUPS:
            self._add_group(heading, getattr(digest, attribute))
        for attribute, heading in RARE_GROUPS:
            if getattr(digest, attribute):
                self._add_group(heading, getattr(digest, attribute))
        for column, width in enumerate((280, 300)):
            self.tree.setColumnWidth(column, width)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 420)

    def _add_group(self, heading: str, lines: Sequence[Any]) -> None:
        group = QTreeWidgetItem(self.tree, [f"{heading} ({len(lines):,})"])
        group.setFirstColumnSpanned(True)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        rows = [] if lines else [QTreeWidgetItem(group, [NONE_TEXT])]
        for line in lines:
            what = " ".join(str(line.what).split())  # a note's first lines, on one row
            item = QTreeWidgetItem(group, [line.account, what, when_text(line.when)])
            item.setToolTip(1, str(line.what))
            rows.append(item)
        self.groups.append((group, rows))
        group.setExpanded(True)

    def group_texts(self) -> dict[str, list[str]]:
        """Each group's heading and the first column of its rows (for tests and the log)."""
        found: dict[str, list[str]] = {}
        for group, rows in self.groups:
            found[group.text(0)] = [row.text(0) for row in rows]
        return found
