"""The portfolio's filter bar (Center, CTPAT tier, risk, open holds) and its column chooser menu."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QToolButton,
    QWidget,
)

from app.domain.enums import CenterCode, CTPATTier, RiskSegment
from app.ui import formatting as fmt
from app.ui.models.portfolio import COLUMNS, RowFilter, column_index

E = TypeVar("E", bound=StrEnum)

# Display names of the Centers of Excellence and Expertise (DOMAIN.md §2.2), for the combo's tooltips.
CENTER_NAMES: dict[CenterCode, str] = {
    CenterCode.ELEC: "Electronics",
    CenterCode.PHC: "Pharmaceuticals, Health & Chemicals",
    CenterCode.AA: "Automotive & Aerospace",
    CenterCode.PNGM: "Petroleum, Natural Gas & Minerals",
    CenterCode.IMM: "Industrial & Manufacturing Materials",
    CenterCode.MACH: "Machinery",
    CenterCode.BM: "Base Metals",
    CenterCode.AGRI: "Agriculture & Prepared Products",
    CenterCode.AFT: "Apparel, Footwear & Textiles",
    CenterCode.CPMM: "Consumer Products & Mass Merchandising",
}
TIER_CHOICES = [
    ("Tier 1", CTPATTier.TIER1),
    ("Tier 2", CTPATTier.TIER2),
    ("Tier 3", CTPATTier.TIER3),
    ("None", CTPATTier.NONE),
]
RISK_CHOICES = [(fmt.RISK_LABELS[risk], risk) for risk in RiskSegment]


def _parse(kind: type[E], text: str | None) -> E | None:
    """A saved choice back as its enum; a value this version no longer knows means "All"."""
    try:
        return kind(text) if text else None
    except ValueError:
        return None


class PortfolioFilterBar(QWidget):
    """Combos and a checkbox that narrow the portfolio; `changed` carries the new `RowFilter`."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.center_combo = self._combo("portfolio-center", "Center filter", "All Centers")
        for code in CenterCode:
            self.center_combo.addItem(code.value, code)
            self.center_combo.setItemData(
                self.center_combo.count() - 1, CENTER_NAMES[code], Qt.ItemDataRole.ToolTipRole
            )
        self.tier_combo = self._combo("portfolio-tier", "CTPAT tier filter", "All tiers", TIER_CHOICES)
        self.risk_combo = self._combo("portfolio-risk", "Risk filter", "All risks", RISK_CHOICES)
        self.holds_check = QCheckBox("Has open holds", self)
        self.holds_check.setObjectName("portfolio-open-holds")
        self.holds_check.setAccessibleName("Only accounts with open holds")
        self.holds_check.toggled.connect(self._emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, combo in (
            ("Center:", self.center_combo),
            ("Tier:", self.tier_combo),
            ("Risk:", self.risk_combo),
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            layout.addWidget(label)
            layout.addWidget(combo)
        layout.addWidget(self.holds_check)

    def _combo(
        self, name: str, accessible: str, everything: str, choices: Sequence[tuple[str, StrEnum]] = ()
    ) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.addItem(everything, None)
        for text, value in choices:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def controls(self) -> list[QWidget]:
        """The controls in tab order."""
        return [self.center_combo, self.tier_combo, self.risk_combo, self.holds_check]

    def row_filter(self) -> RowFilter:
        # Item data comes back from Qt as plain text, not as the enum that went in.
        return RowFilter(
            center=_parse(CenterCode, self.center_combo.currentData()),
            tier=_parse(CTPATTier, self.tier_combo.currentData()),
            risk=_parse(RiskSegment, self.risk_combo.currentData()),
            open_holds_only=self.holds_check.isChecked(),
        )

    def set_row_filter(self, row_filter: RowFilter) -> None:
        """Show `row_filter` in the controls, announcing the result once rather than once per control."""
        blockers = self.controls()
        for widget in blockers:
            widget.blockSignals(True)
        try:
            for combo, value in (
                (self.center_combo, row_filter.center),
                (self.tier_combo, row_filter.tier),
                (self.risk_combo, row_filter.risk),
            ):
                combo.setCurrentIndex(max(0, combo.findData(value)))
            self.holds_check.setChecked(row_filter.open_holds_only)
        finally:
            for widget in blockers:
                widget.blockSignals(False)
        self._emit()

    def _emit(self, *_args: object) -> None:
        self.changed.emit(self.row_filter())


def filter_to_values(row_filter: RowFilter) -> dict[str, str]:
    """The choices as settings text; "All" is simply absent."""
    values = {
        "center": row_filter.center.value if row_filter.center else "",
        "tier": row_filter.tier.value if row_filter.tier else "",
        "risk": row_filter.risk.value if row_filter.risk else "",
        "open_holds": "true" if row_filter.open_holds_only else "",
    }
    return {key: value for key, value in values.items() if value}


def filter_from_values(values: dict[str, str]) -> RowFilter:
    return RowFilter(
        center=_parse(CenterCode, values.get("center")),
        tier=_parse(CTPATTier, values.get("tier")),
        risk=_parse(RiskSegment, values.get("risk")),
        open_holds_only=values.get("open_holds") == "true",
    )


def fill_column_menu(menu: QMenu, header: QHeaderView) -> None:
    """(Re)build `menu` as one checkable action per column, reflecting the header as it is now.

    The Account column stays: without it no row says which account it is.
    """
    menu.clear()
    always = column_index("name")
    for section, column in enumerate(COLUMNS):
        action = QAction(column.title, menu)
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(section))
        action.setEnabled(section != always)
        action.setData(section)
        action.toggled.connect(lambda shown, s=section: header.setSectionHidden(s, not shown))
        menu.addAction(action)


def column_chooser(table: QTableView, parent: QWidget) -> QToolButton:
    """A "Columns…" button whose menu shows or hides columns; right-clicking the header opens the same menu.

    Hidden sections are part of QHeaderView.saveState(), so the screen's header state keeps the choice.
    """
    header = table.horizontalHeader()
    menu = QMenu(parent)
    menu.setObjectName("portfolio-columns-menu")
    menu.aboutToShow.connect(lambda: fill_column_menu(menu, header))
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(lambda pos: menu.popup(header.viewport().mapToGlobal(pos)))
    button = QToolButton(parent)
    button.setObjectName("portfolio-columns")
    button.setText("Columns…")
    button.setToolTip("Choose the columns to show (also: right-click a column header)")
    button.setAccessibleName("Choose columns")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setMenu(menu)
    return button
