"""The Compliance tab: the account's compliance events with due dates, over its partnership status history.

Two tables in a vertical splitter. The due state is written out ("Overdue", "Due soon", "Done"); overdue rows
are also red and bold, due-soon ones amber, so colour never carries the meaning alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from app.domain.enums import CTPATTier
from app.domain.views import AccountCompliance, ComplianceEventLine, DueState, ProgramStatus
from app.services.account360 import account_compliance
from app.ui import formatting as fmt
from app.ui.account.header import PROGRAM_LABELS
from app.ui.account.overview_tab import ReadTab
from app.ui.changes import ACCOUNTS, COMPLIANCE
from app.ui.views.base import ScreenContext
from app.ui.widgets.empty_hint import EmptyHint
from app.ui.widgets.grid import make_grid

EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SPLITTER_KEY = "account-compliance"
EVENTS_HEADER_KEY = "account-compliance-events"
HISTORY_HEADER_KEY = "account-compliance-history"
DARK_LIGHTNESS = 128  # a row colour darker than this is a dark theme's

DUE_LABELS: dict[DueState, str] = {
    "overdue": "Overdue",
    "due_soon": "Due soon",
    "open": "Open",
    "done": "Done",
}
# Dark red and amber on light rows (as the follow-ups list's), light ones on dark rows: 4.5:1 or better.
DUE_COLOURS: dict[DueState, QColor] = {"overdue": QColor(176, 0, 32), "due_soon": QColor(150, 90, 0)}
DUE_COLOURS_ON_DARK: dict[DueState, QColor] = {
    "overdue": QColor(255, 138, 128),
    "due_soon": QColor(255, 204, 128),
}


def due_colour(state: DueState) -> QColor | None:
    dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < DARK_LIGHTNESS
    return (DUE_COLOURS_ON_DARK if dark else DUE_COLOURS).get(state)


Index = QModelIndex | QPersistentModelIndex


def _amounts(event: ComplianceEventLine) -> str:
    parts = (
        ("amount", event.amount_cents),
        ("loss of revenue", event.loss_of_revenue_cents),
        ("proposed", event.proposed_cents),
        ("assessed", event.assessed_cents),
        ("mitigated", event.mitigated_cents),
        ("paid", event.paid_cents),
    )
    text = ", ".join(f"{name} {fmt.fmt_money(cents)}" for name, cents in parts if cents is not None)
    return text[:1].upper() + text[1:]


EVENT_COLUMNS: tuple[tuple[str, Callable[[ComplianceEventLine], str]], ...] = (
    ("Type", lambda e: e.type_label),
    ("Reference", lambda e: e.reference),
    ("Entry", lambda e: e.entry_number),
    ("Opened", lambda e: fmt.fmt_date(e.opened_on)),
    ("Due", lambda e: fmt.fmt_date(e.due_on)),
    ("State", lambda e: DUE_LABELS[e.due_state]),
    ("Responded", lambda e: fmt.fmt_date(e.responded_on)),
    ("Closed", lambda e: fmt.fmt_date(e.closed_on)),
    ("Amounts", _amounts),
    ("Outcome", lambda e: e.outcome),
)
DUE_COLUMNS = frozenset({4, 5})


def _tier(status: ProgramStatus) -> str:
    return "" if status.tier == CTPATTier.NONE else fmt.label(fmt.TIER_LABELS, status.tier)


HISTORY_COLUMNS: tuple[tuple[str, Callable[[ProgramStatus], str]], ...] = (
    ("Program", lambda s: fmt.label(PROGRAM_LABELS, s.program)),
    ("State", lambda s: fmt.label(fmt.STATE_LABELS, s.state)),
    ("Tier", _tier),
    ("Effective", lambda s: fmt.fmt_date(s.effective_on)),
    ("Certified", lambda s: fmt.fmt_date(s.certified_on)),
    ("Validated", lambda s: fmt.fmt_date(s.last_validated_on)),
    ("Next validation due", lambda s: fmt.fmt_date(s.next_validation_due)),
    ("Annual notification due", lambda s: fmt.fmt_date(s.annual_notification_due)),
    ("Reference", lambda s: s.reference),
)


class _TextTable(QAbstractTableModel):
    """Rows formatted once by the column functions; subclasses add roles."""

    columns: tuple[tuple[str, Callable[[Any], str]], ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._texts: list[tuple[str, ...]] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._texts = [tuple(text(row) for _heading, text in self.columns) for row in self._rows]
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._texts[index.row()][index.column()]
            return text if role == Qt.ItemDataRole.DisplayRole else (text or None)
        return self.extra(self._rows[index.row()], index.column(), role)

    def extra(self, row: Any, column: int, role: int) -> Any:
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns)
        if horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][0]
        return None


class ComplianceEventsModel(_TextTable):
    columns = EVENT_COLUMNS

    def extra(self, row: ComplianceEventLine, column: int, role: int) -> Any:
        if role == EVENT_ID_ROLE:
            return row.event_id
        if column not in DUE_COLUMNS:
            return None
        colour = due_colour(row.due_state)
        if role == Qt.ItemDataRole.ForegroundRole and colour is not None:
            return QBrush(colour)
        if role == Qt.ItemDataRole.FontRole and row.due_state == "overdue":
            font = QFont()
            font.setBold(True)
            return font
        return None

    def overdue_count(self) -> int:
        return sum(1 for event in self._rows if event.due_state == "overdue")


class PartnershipHistoryModel(_TextTable):
    columns = HISTORY_COLUMNS


def _table(name: str, accessible: str, model: QAbstractTableModel, parent: QWidget) -> QTableView:
    return make_grid(parent, name, accessible, model, movable_columns=False)


class ComplianceTab(ReadTab):
    key = "compliance"
    title = "Co&mpliance"

    def __init__(
        self,
        context: ScreenContext,
        account_id: uuid.UUID,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, undo_stack, parent)
        self.data: AccountCompliance | None = None
        self.events_model = ComplianceEventsModel(self)
        self.history_model = PartnershipHistoryModel(self)
        self.events_label = QLabel("Compliance event&s", self)
        self.history_label = QLabel("Partnership status histor&y", self)
        self.events_table = _table("compliance-events-table", "Compliance events", self.events_model, self)
        self.history_table = _table(
            "partnership-history-table", "Partnership status history", self.history_model, self
        )
        EmptyHint(self.events_table, "No CF-28, CF-29, penalty, protest or other compliance event on record")
        EmptyHint(self.history_table, "No CTPAT or Trade Compliance status on record for this account")
        self.events_label.setBuddy(self.events_table)
        self.history_label.setBuddy(self.history_table)
        QWidget.setTabOrder(self.events_table, self.history_table)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("compliance-splitter")
        self.splitter.setChildrenCollapsible(False)
        for label, table in (
            (self.events_label, self.events_table),
            (self.history_label, self.history_table),
        ):
            pane = QWidget(self.splitter)
            pane_layout = QVBoxLayout(pane)
            pane_layout.setContentsMargins(0, 0, 0, 0)
            pane_layout.addWidget(label)
            pane_layout.addWidget(table, 1)
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self._restore_state()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)

    def _restore_state(self) -> None:
        ui = self.context.settings.ui
        splitter = ui.splitter_state(SPLITTER_KEY)
        if splitter is not None:
            self.splitter.restoreState(splitter)
        for key, table in ((EVENTS_HEADER_KEY, self.events_table), (HISTORY_HEADER_KEY, self.history_table)):
            state = ui.header_state(key)
            if state is not None:
                table.horizontalHeader().restoreState(state)

    def reacts_to(self) -> frozenset[str]:
        return frozenset({COMPLIANCE, ACCOUNTS})

    def fetch(self) -> Callable[[], AccountCompliance]:
        workspace, account_id, today = self.context.workspace, self.account_id, self.today
        return lambda: account_compliance(workspace, account_id, today)

    def show_data(self, data: AccountCompliance) -> None:
        self.data = data
        self.events_model.set_rows(data.events)
        self.history_model.set_rows(data.history)
        if self.context.settings.ui.header_state(EVENTS_HEADER_KEY) is None:
            self.events_table.resizeColumnsToContents()
            self.history_table.resizeColumnsToContents()

    def summary(self) -> str:
        if self.data is None:
            return ""
        events = fmt.plural(len(self.data.events), "compliance event")
        overdue = self.events_model.overdue_count()
        return f"{events} ({overdue:,} overdue), {fmt.plural(len(self.data.history), 'status row')}"

    def save_state(self) -> None:
        ui = self.context.settings.ui
        ui.save_splitter_state(SPLITTER_KEY, self.splitter.saveState())
        ui.save_header_state(EVENTS_HEADER_KEY, self.events_table.horizontalHeader().saveState())
        ui.save_header_state(HISTORY_HEADER_KEY, self.history_table.horizontalHeader().saveState())
