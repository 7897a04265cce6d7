"""The top of an account view: name, DBA, importer numbers, Center, AEs and program badges.

Badges are pill labels whose words carry the meaning (program, tier, state); colour only repeats it. Each
badge sets its own text and background as a pair with a contrast ratio above 7:1, so it reads the same in the
light, dark and high-contrast themes instead of depending on the palette around it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.domain.enums import AccountStatus, CTPATTier, PartnershipState, Program
from app.domain.views import AccountHeader as HeaderData, ProgramStatus
from app.ui import formatting as fmt

NAME_POINT_SCALE = 1.6

PROGRAM_LABELS = {
    Program.CTPAT_SECURITY: "CTPAT",
    Program.CTPAT_TRADE_COMPLIANCE: "Trade Compliance",
    Program.ISA: "ISA",
    Program.TRUSTED_TRADER: "Trusted Trader",
    Program.MRA_PARTNER: "MRA partner",
}
# (text, background): white on dark green / dark red / dark grey, black on amber — all above 7:1.
GOOD = ("#ffffff", "#1b5e20")
BAD = ("#ffffff", "#b00020")
WAITING = ("#000000", "#ffc107")
NEUTRAL = ("#ffffff", "#424242")
STATE_COLOURS = {
    PartnershipState.CERTIFIED: GOOD,
    PartnershipState.VALIDATED: GOOD,
    PartnershipState.PRE_APPLICANT: WAITING,
    PartnershipState.SUSPENDED: BAD,
    PartnershipState.REMOVED: BAD,
    PartnershipState.INACTIVE: NEUTRAL,
}


def badge_text(status: ProgramStatus) -> str:
    """E.g. "CTPAT Tier 3 · Validated", "Trade Compliance · Certified"."""
    program = fmt.label(PROGRAM_LABELS, status.program)
    if status.program == Program.CTPAT_SECURITY and status.tier != CTPATTier.NONE:
        program = f"{program} {fmt.label(fmt.TIER_LABELS, status.tier)}"
    return f"{program} · {fmt.label(fmt.STATE_LABELS, status.state)}"


class Badge(QLabel):
    def __init__(self, text: str, colours: tuple[str, str], parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        foreground, background = colours
        self.setObjectName("account-badge")
        self.setStyleSheet(
            f"QLabel#account-badge {{ color: {foreground}; background: {background};"
            " border-radius: 9px; padding: 2px 9px; font-weight: bold; }"
        )
        self.setAccessibleName(f"Program status: {text}")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)


class AccountHeader(QWidget):
    """Shows one account's `AccountHeader` data (`show_header`); read-only, selectable text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("account-header")
        self.header: HeaderData | None = None
        self.name_label = self._label("account-name", "Account name")
        font = QFont(self.name_label.font())
        font.setPointSizeF(font.pointSizeF() * NAME_POINT_SCALE)
        font.setBold(True)
        self.name_label.setFont(font)
        self.dba_label = self._label("account-dba", "Doing business as")
        self.numbers_label = self._label("account-importer-numbers", "Importer numbers")
        self.center_label = self._label("account-center", "Center")
        self.ae_label = self._label("account-ae", "Account executives")
        self.badges: list[Badge] = []
        self._badge_row = QHBoxLayout()
        self._badge_row.setSpacing(6)
        self._layout()

    def _label(self, name: str, accessible: str) -> QLabel:
        label = QLabel("", self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _layout(self) -> None:
        title_row = QHBoxLayout()
        title_row.addWidget(self.name_label, 0)
        title_row.addWidget(self.dba_label, 1, Qt.AlignmentFlag.AlignBottom)
        self.name_label.setWordWrap(True)
        details = QHBoxLayout()
        details.setSpacing(24)
        for label in (self.numbers_label, self.center_label, self.ae_label):
            details.addWidget(label)
        details.addStretch(1)
        self._badge_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 4)
        layout.setSpacing(4)
        layout.addLayout(title_row)
        layout.addLayout(details)
        layout.addLayout(self._badge_row)

    def show_header(self, header: HeaderData) -> None:
        self.header = header
        self.name_label.setText(header.name)
        self.dba_label.setText(f"DBA {header.dba}" if header.dba else "")
        self.dba_label.setVisible(bool(header.dba))
        numbers = ", ".join(header.importer_numbers) or "no importer number"
        self.numbers_label.setText(f"IOR: {numbers}")
        self.center_label.setText(f"Center: {header.center.value} — {header.center_name}".rstrip(" —"))
        ae = header.ae_name or "unassigned"
        backup = f" (backup {header.backup_ae_name})" if header.backup_ae_name else ""
        risk = fmt.label(fmt.RISK_LABELS, header.risk_segment)
        self.ae_label.setText(f"AE: {ae}{backup} · Risk: {risk}")
        self._show_badges(header)
        self.setAccessibleName(f"Account {header.name}")

    def _show_badges(self, header: HeaderData) -> None:
        for badge in self.badges:
            self._badge_row.removeWidget(badge)
            badge.deleteLater()
        self.badges = []
        if header.status == AccountStatus.INACTIVE:
            self.badges.append(Badge("Account inactive", NEUTRAL, self))
        if header.created_by_import:
            badge = Badge("Created by import", WAITING, self)
            badge.setToolTip(
                "An entries import found this importer number on no account and created the account: "
                "check its name, Center and AE (Account › Edit account…, Ctrl+E). "
                "Saving the account clears this badge."
            )
            self.badges.append(badge)
        for status in header.programs:
            self.badges.append(Badge(badge_text(status), STATE_COLOURS.get(status.state, NEUTRAL), self))
        if not header.programs:
            self.badges.append(Badge("No partnership program", NEUTRAL, self))
        for position, badge in enumerate(self.badges):
            self._badge_row.insertWidget(position, badge)

    def badge_texts(self) -> list[str]:
        return [badge.text() for badge in self.badges]
