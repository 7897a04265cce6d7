"""The held-shipments board model: a `PagedTableModel` over open-hold ids, formatted a page at a time.

Each page arrives from `app.services.holdboard.open_hold_rows` and is formatted once (`_Formatted`), so
`cell()` is a tuple lookup. The threshold state is shown three ways, so no one depends on colour: a
background colour, an icon (DecorationRole) and words naming the deadline.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from app.domain.deadlines import RESPONSE_CLOCK_CATEGORIES, hold_clock
from app.domain.enums import HoldOwner, ThresholdState
from app.domain.views import OpenHoldRow
from app.ui import formatting as fmt
from app.ui.models.columns import Column, column_header
from app.ui.models.paged import PagedTableModel, SortSpec
from app.ui.tasks import TaskRunner

HOLD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
THRESHOLD_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


COLUMNS: tuple[Column, ...] = (
    Column("entry_number", "Entry", "Entry number"),
    Column("account", "Account", "Importer account"),
    Column("port", "Port", "Port of entry (Schedule D code and name)"),
    Column("category", "Category", "Hold category"),
    Column(
        "owner", "Owner", "Who owns the hold and can release it: the port, a partner agency, or the Center"
    ),
    Column("disposition", "Disposition", "Disposition code and status text"),
    Column("placed_at", "Placed", "When the hold was placed"),
    Column("age", "Age", "Business days since the hold was placed"),
    Column("threshold", "Threshold", "Where the hold stands against its clock (DOMAIN.md §5.6)"),
    Column("exam", "Exam", "Exam type and location"),
    Column("last_action", "Last action", "Your newest note on this hold"),
)
SORTABLE = frozenset(column.key for column in COLUMNS if column.key != "last_action")


@dataclass(frozen=True)
class HoldFilter:
    """What the board shows: filter words, one threshold state (None: all), and the grouping key."""

    text: str = ""
    threshold: ThresholdState | None = None
    group_by: str | None = None  # "port", "agency", "account"


def column_index(key: str) -> int:
    return next(i for i, column in enumerate(COLUMNS) if column.key == key)


THRESHOLD_LABELS = {
    ThresholdState.OK: "OK",
    ThresholdState.DECISION_DUE: "Decision due (day 5)",
    ThresholdState.NOTICE_DUE: "Notice due (day 10)",
    ThresholdState.EXCLUSION: "Deemed exclusion (day 30)",
}
UFLPA_LABELS = {
    ThresholdState.DECISION_DUE: "UFLPA response window running",
    ThresholdState.EXCLUSION: "UFLPA response overdue (day 30)",
}
# Light tints: the text stays black on them (contrast above 4.5:1); the icon and words carry the meaning too.
THRESHOLD_COLOURS = {
    ThresholdState.DECISION_DUE: QColor(255, 243, 205),
    ThresholdState.NOTICE_DUE: QColor(255, 224, 178),
    ThresholdState.EXCLUSION: QColor(248, 215, 218),
}
THRESHOLD_ICONS = {
    ThresholdState.OK: QStyle.StandardPixmap.SP_DialogApplyButton,
    ThresholdState.DECISION_DUE: QStyle.StandardPixmap.SP_MessageBoxInformation,
    ThresholdState.NOTICE_DUE: QStyle.StandardPixmap.SP_MessageBoxWarning,
    ThresholdState.EXCLUSION: QStyle.StandardPixmap.SP_MessageBoxCritical,
}
OWNER_LABELS = {HoldOwner.PORT: "Port", HoldOwner.PGA: "PGA", HoldOwner.CENTER: "Center"}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def threshold_text(row: OpenHoldRow) -> str:
    if row.category in RESPONSE_CLOCK_CATEGORIES and row.threshold in UFLPA_LABELS:
        return UFLPA_LABELS[row.threshold]
    return THRESHOLD_LABELS[row.threshold]


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _disposition(code: str, text: str) -> str:
    """Code and text; broker systems often repeat the code in the text ("1A - ENTERED ..."): show it once."""
    if code and text.upper().startswith(code.upper()):
        return text
    return _joined(code, text)


def format_row(row: OpenHoldRow) -> tuple[str, ...]:
    owner = OWNER_LABELS.get(row.owner, row.owner.value)
    last = ""
    if row.last_action_kind is not None and row.last_action_at is not None:
        last = f"{row.last_action_kind.value.capitalize()} {fmt.fmt_date(fmt.local_date(row.last_action_at))}"
    return (
        row.entry_number,
        row.account_name,
        _joined(row.port_code, row.port_name),
        row.category.value.replace("_", " "),
        owner if row.owner != HoldOwner.PGA else _joined(owner, row.agency_code),
        _disposition(row.disposition_code, row.status_text),
        fmt.fmt_datetime(row.placed_at),
        fmt.plural(row.age_business_days, "day"),
        threshold_text(row),
        ""
        if row.exam_type.value == "NONE"
        else _joined(row.exam_type.value.replace("_", " "), row.exam_location),
        last,
    )


def threshold_tooltip(row: OpenHoldRow) -> str:
    """The clock's due dates, so the AE sees what comes next and when (DOMAIN.md §5.6)."""
    clock = hold_clock(row.category, row.placed_at.date(), date.today())
    if clock.decision_due is not None and clock.notice_due is not None and clock.deemed_exclusion_on:
        return (
            f"Detention decision due {fmt.fmt_date(clock.decision_due)} (business day 5)\n"
            f"Notice of detention due {fmt.fmt_date(clock.notice_due)} (business day 10)\n"
            f"Deemed exclusion on {fmt.fmt_date(clock.deemed_exclusion_on)} (calendar day 30)"
        )
    if row.category in RESPONSE_CLOCK_CATEGORIES:
        return "UFLPA: the importer has 30 calendar days from the detention notice to respond"
    return "No statutory clock for this category: the owning agency sets the timing"


@dataclass(frozen=True, slots=True)
class Formatted:
    row: OpenHoldRow
    texts: tuple[str, ...]
    threshold_tip: str


class HoldsModel(PagedTableModel[uuid.UUID, Formatted]):
    def __init__(
        self,
        runner: TaskRunner,
        fetch_ids: Callable[[SortSpec, Any], list[uuid.UUID]],
        fetch_rows: Callable[[Sequence[uuid.UUID]], list[OpenHoldRow]],
        parent: Any = None,
    ) -> None:
        super().__init__(
            runner,
            fetch_ids,
            lambda ids: [Formatted(row, format_row(row), threshold_tooltip(row)) for row in fetch_rows(ids)],
            lambda formatted: formatted.row.hold_id,
            parent,
        )
        self._icons: dict[ThresholdState, QIcon] = {}

    def hold_at(self, row: int) -> OpenHoldRow | None:
        formatted = self.row_at(row)
        return None if formatted is None else formatted.row

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(COLUMNS)

    def cell(self, row: Formatted, column: int, role: int) -> Any:
        if not 0 <= column < len(COLUMNS):
            return None
        key = COLUMNS[column].key
        hold = row.row
        if role == Qt.ItemDataRole.ToolTipRole and key == "threshold":
            return f"{row.texts[column]}\n{row.threshold_tip}"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.texts[column]
        if role == HOLD_ID_ROLE:
            return hold.hold_id
        if role == ACCOUNT_ID_ROLE:
            return hold.account_id
        if role == THRESHOLD_ROLE:
            return hold.threshold
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if key == "age" else LEFT
        if key == "threshold" and role == Qt.ItemDataRole.BackgroundRole:
            colour = THRESHOLD_COLOURS.get(hold.threshold)
            return QBrush(colour) if colour is not None else None
        if (
            key == "threshold"
            and role == Qt.ItemDataRole.ForegroundRole
            and hold.threshold in THRESHOLD_COLOURS
        ):
            return QBrush(QColor(0, 0, 0))  # dark text on the light tint whatever the palette
        if key == "threshold" and role == Qt.ItemDataRole.DecorationRole:
            return self._icon(hold.threshold)
        return None

    def _icon(self, state: ThresholdState) -> QIcon:
        if state not in self._icons:
            style = QApplication.style()
            self._icons[state] = style.standardIcon(THRESHOLD_ICONS[state]) if style else QIcon()
        return self._icons[state]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        return column_header(COLUMNS, section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the id query's (SQL); a column that cannot be sorted there is left as it is."""
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].key not in SORTABLE:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(SortSpec(COLUMNS[column].key, descending), self.filter)
