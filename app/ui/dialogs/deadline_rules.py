"""The rules the deadline calculator offers, as plain data over `app.domain.deadlines` (no Qt, testable).

Each rule names its input dates and cites where DOMAIN.md takes it from; `compute` returns the lines to show.
Post-entry deadlines are calendar days, never moved off weekends or holidays (DOMAIN.md gives no such rule);
the detention clock counts business days on the federal calendar (`app.domain.calendar`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain import deadlines
from app.domain.enums import HoldCategory, ThresholdState
from app.ui.formatting import fmt_date


@dataclass(frozen=True)
class DeadlineRule:
    key: str
    title: str
    first_label: str
    second_label: str  # "" when the rule takes one date
    second_optional: bool  # the second date may be left out (PSC without a scheduled liquidation)
    text: str


RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        "cf28",
        "CF-28 reply",
        "Issued on",
        "",
        False,
        "CF-28 Request for Information: reply within 30 days of issue.",
    ),
    DeadlineRule(
        "cf29",
        "CF-29 proposed response",
        "Issued on",
        "",
        False,
        "CF-29 Notice of Action (proposed): about 20 days to respond.",
    ),
    DeadlineRule(
        "psc",
        "Post-Summary Correction window",
        "Entry date",
        "Scheduled liquidation",
        True,
        "Post-Summary Correction: within 300 days of entry and at least 15 days before scheduled liquidation,"
        " whichever is earlier (without a scheduled date, the estimated liquidation at entry + 314 days).",
    ),
    DeadlineRule(
        "liquidation",
        "Estimated liquidation",
        "Entry date",
        "",
        False,
        "ACE schedules liquidation about 314 days after entry (statutory limit one year, extendable).",
    ),
    DeadlineRule(
        "protest",
        "Protest",
        "Liquidation or decision",
        "",
        False,
        "Protest (CBP Form 19, 19 U.S.C. 1514): within 180 days of liquidation, or of the exclusion or"
        " decision protested.",
    ),
    DeadlineRule(
        "detention",
        "Detention clock of a hold",
        "Presented on",
        "As of",
        False,
        "19 U.S.C. 1499; 19 CFR 151.16: detention decision within 5 business days of presentation for exam;"
        " notice of detention within 5 business days after the decision; no decision within 30 days is a"
        " deemed exclusion (19 U.S.C. 1499(c)(5)).",
    ),
    DeadlineRule(
        "uflpa",
        "UFLPA response",
        "Detention notice",
        "",
        False,
        "UFLPA: 30 days from the detention notice to export, seek an applicability review or rebut;"
        " extensions are discretionary.",
    ),
)
RULES_BY_KEY: dict[str, DeadlineRule] = {rule.key: rule for rule in RULES}

STATE_TEXT = {
    ThresholdState.OK: "Within the decision window",
    ThresholdState.DECISION_DUE: "Detention decision due",
    ThresholdState.NOTICE_DUE: "Notice of detention due",
    ThresholdState.EXCLUSION: "Deemed exclusion reached",
}


def fmt_day(day: date, today: date) -> str:
    """ "Mon 12/21/2026 (in 28 days)": the weekday matters when a due date falls on a weekend."""
    delta = (day - today).days
    when = "today" if delta == 0 else f"in {delta} days" if delta > 0 else f"{-delta} days ago"
    if abs(delta) == 1:
        when = when.replace("days", "day")
    return f"{day:%a} {fmt_date(day)} ({when})"


def compute(key: str, first: date, second: date | None, today: date) -> list[tuple[str, str]]:
    """(label, value) lines for a rule. `second` is the rule's second date (None when left out)."""
    if key == "detention":
        return _detention_lines(first, second or today, today)
    due = {
        "cf28": lambda: ("Reply due", deadlines.cf28_due_date(first)),
        "cf29": lambda: ("Response due", deadlines.cf29_proposed_due_date(first)),
        "psc": lambda: ("Last day to file", deadlines.psc_deadline(first, second)),
        "liquidation": lambda: ("Estimated liquidation", deadlines.estimated_liquidation_date(first)),
        "protest": lambda: ("Last day to protest", deadlines.protest_deadline(first)),
        "uflpa": lambda: ("Response due", deadlines.uflpa_response_due(first)),
    }[key]
    label, day = due()
    return [(label, fmt_day(day, today))]


def _detention_lines(placed_on: date, as_of: date, today: date) -> list[tuple[str, str]]:
    clock = deadlines.hold_clock(HoldCategory.CBP_GENERAL, placed_on, as_of)
    assert clock.decision_due and clock.notice_due and clock.deemed_exclusion_on  # detention-clock category
    return [
        ("Detention decision due", fmt_day(clock.decision_due, today)),
        ("Notice of detention due", fmt_day(clock.notice_due, today)),
        ("Deemed exclusion on", fmt_day(clock.deemed_exclusion_on, today)),
        (
            f"Age on {fmt_date(clock.as_of)}",
            f"{clock.age_business_days} business days, {clock.age_calendar_days} calendar days",
        ),
        ("State", STATE_TEXT[clock.state]),
    ]
