"""How the reports name codes and states in words, and which rows need the reader's eye.

The words match the screens' (the GUI keeps its own copies next to its colours); a report may not import the
GUI, and a printed row must say in words what its colour says (`RowStyle`).
"""

from __future__ import annotations

from app.domain.enums import (
    ActionStatus,
    ContactRole,
    CTPATTier,
    HoldCategory,
    PartnershipState,
    Program,
    ThresholdState,
)
from app.domain.views import DueState
from app.reports.dataset import RowStyle

PROGRAM_LABELS = {
    Program.CTPAT_SECURITY: "CTPAT (security)",
    Program.CTPAT_TRADE_COMPLIANCE: "CTPAT Trade Compliance",
    Program.ISA: "ISA",
    Program.TRUSTED_TRADER: "Trusted Trader",
    Program.MRA_PARTNER: "MRA partner",
}
STATE_LABELS = {
    PartnershipState.PRE_APPLICANT: "Pre-applicant",
    PartnershipState.CERTIFIED: "Certified",
    PartnershipState.VALIDATED: "Validated",
    PartnershipState.SUSPENDED: "Suspended",
    PartnershipState.REMOVED: "Removed",
    PartnershipState.INACTIVE: "Inactive",
}
TIER_LABELS = {
    CTPATTier.NONE: "",
    CTPATTier.TIER1: "Tier 1",
    CTPATTier.TIER2: "Tier 2",
    CTPATTier.TIER3: "Tier 3",
}
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
THRESHOLD_STYLES = {
    ThresholdState.OK: RowStyle.NORMAL,
    ThresholdState.DECISION_DUE: RowStyle.WARNING,
    ThresholdState.NOTICE_DUE: RowStyle.WARNING,
    ThresholdState.EXCLUSION: RowStyle.ALERT,
}
DUE_LABELS: dict[DueState, str] = {
    "overdue": "Overdue",
    "due_soon": "Due within 7 days",
    "open": "Open",
    "done": "Answered or closed",
}
DUE_STYLES: dict[DueState, RowStyle] = {
    "overdue": RowStyle.ALERT,
    "due_soon": RowStyle.WARNING,
    "open": RowStyle.NORMAL,
    "done": RowStyle.NORMAL,
}
ACTION_STATUS_LABELS = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.CANCELLED: "Cancelled",
}
CONTACT_ROLE_LABELS = {
    ContactRole.TRADE_COMPLIANCE_MANAGER: "Trade compliance manager",
    ContactRole.BROKER: "Customs broker",
    ContactRole.PORT_SUPERVISOR: "Port supervisor",
    ContactRole.PGA_LIAISON: "PGA liaison",
    ContactRole.IMPORT_SPECIALIST: "Import specialist",
    ContactRole.CTPAT_SCSS: "CTPAT supply chain security specialist",
    ContactRole.OTHER: "Other",
}


def threshold_words(category: HoldCategory, state: ThresholdState | None) -> str:
    """The clock state in words; a UFLPA detention runs the response clock, not the detention one."""
    if state is None:
        return ""
    if category == HoldCategory.UFLPA and state in UFLPA_LABELS:
        return UFLPA_LABELS[state]
    return THRESHOLD_LABELS[state]


def threshold_style(state: ThresholdState | None) -> RowStyle:
    return RowStyle.NORMAL if state is None else THRESHOLD_STYLES[state]


def code_words(code: str) -> str:
    """`PGA_USDA_APHIS` -> `PGA USDA APHIS`: an enumeration value readable where no label exists."""
    return code.replace("_", " ")
