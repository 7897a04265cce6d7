"""Deadline rules for holds (DOMAIN.md §5.6) and post-entry actions (DOMAIN.md §6.2).

Hold clocks, counted from the day the goods were presented (the hold's placed date):

* Detention decision: CBP decides to release or detain within 5 business days (19 U.S.C. 1499(c), 19 CFR
  151.16). Notice of detention: within 5 business days after that decision, i.e. business day 10.
* Deemed exclusion: no admissibility decision within 30 calendar days of presentation (19 U.S.C. 1499(c)(5)).
* UFLPA: the importer has 30 calendar days from the detention notice to respond (export, applicability review
  or rebuttal).

Threshold rule ("reached" means "on or after the due day"): a hold's state moves up on the day a deadline
falls due, not the day after, so the AE sees it while there is still time to act that day. With age in
business days as `calendar.business_days_between(placed_on, today)`:

* age >= 5 business days -> DECISION_DUE; age >= 10 -> NOTICE_DUE; age >= 30 calendar days -> EXCLUSION.
* UFLPA holds run on the response window instead: DECISION_DUE from the day the hold is placed (the response
  window is running), EXCLUSION from calendar day 30 after the notice (the placed date when the notice date is
  not known, which can only make the warning earlier, never later).
* Categories outside these statutory clocks (PGA holds, whose timing is the agency's; manifest and ISF holds,
  General Order, seizure, conveyance) are always OK; their age is still reported.

Post-entry deadlines are calendar days and are not moved off weekends or holidays (DOMAIN.md gives no such
rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.calendar import add_business_days, as_date, business_days_between
from app.domain.enums import ComplianceEventType, HoldCategory, ThresholdState

DECISION_BUSINESS_DAYS = 5
NOTICE_BUSINESS_DAYS = 5  # after the decision
DEEMED_EXCLUSION_DAYS = 30
UFLPA_RESPONSE_DAYS = 30
CF28_RESPONSE_DAYS = 30
CF29_PROPOSED_RESPONSE_DAYS = 20
PSC_ENTRY_DAYS = 300
PSC_BEFORE_LIQUIDATION_DAYS = 15
ESTIMATED_LIQUIDATION_DAYS = 314
PROTEST_DAYS = 180

# CBP holds on merchandise presented for examination, where 19 U.S.C. 1499 sets the detention clock. WRO
# and IPR detentions are 1499 detentions too. DOC_REVIEW (5H) is counted as an examination of the entry's
# documents (assumed: confirm with users).
DETENTION_CLOCK_CATEGORIES: frozenset[HoldCategory] = frozenset(
    {
        HoldCategory.CBP_GENERAL,
        HoldCategory.CBP_INTENSIVE,
        HoldCategory.NII,
        HoldCategory.TAILGATE,
        HoldCategory.CET,
        HoldCategory.DOC_REVIEW,
        HoldCategory.DETENTION,
        HoldCategory.WRO,
        HoldCategory.IPR,
    }
)
RESPONSE_CLOCK_CATEGORIES: frozenset[HoldCategory] = frozenset({HoldCategory.UFLPA})


@dataclass(frozen=True)
class HoldClock:
    """Where a hold stands on `as_of`. Due dates are None when the rule does not apply to the category."""

    category: HoldCategory
    placed_on: date
    as_of: date
    age_business_days: int
    age_calendar_days: int
    decision_due: date | None
    notice_due: date | None
    deemed_exclusion_on: date | None
    response_due: date | None
    state: ThresholdState


def hold_age_business_days(placed_on: date, today: date) -> int:
    """Business days elapsed since the hold was placed (0 on the day itself, and for a date in the future)."""
    return max(0, business_days_between(placed_on, today))


def _detention_state(age_business: int, age_calendar: int) -> ThresholdState:
    if age_calendar >= DEEMED_EXCLUSION_DAYS:
        return ThresholdState.EXCLUSION
    if age_business >= DECISION_BUSINESS_DAYS + NOTICE_BUSINESS_DAYS:
        return ThresholdState.NOTICE_DUE
    if age_business >= DECISION_BUSINESS_DAYS:
        return ThresholdState.DECISION_DUE
    return ThresholdState.OK


def _response_state(response_due: date, placed_on: date, today: date) -> ThresholdState:
    if today >= response_due:
        return ThresholdState.EXCLUSION
    if today >= placed_on:
        return ThresholdState.DECISION_DUE
    return ThresholdState.OK


def hold_clock(
    category: HoldCategory, placed_on: date, today: date, *, notice_on: date | None = None
) -> HoldClock:
    """The due dates, age and threshold state of a hold (see the module docstring for the rules).

    `notice_on` is the date of the detention notice, used for the UFLPA response window; `datetime` values are
    taken at their calendar date.
    """
    placed, as_of = as_date(placed_on), as_date(today)
    age_business = hold_age_business_days(placed, as_of)
    age_calendar = max(0, (as_of - placed).days)
    decision_due: date | None = None
    notice_due: date | None = None
    exclusion_on: date | None = None
    response_due: date | None = None
    state = ThresholdState.OK
    if category in DETENTION_CLOCK_CATEGORIES:
        decision_due = add_business_days(placed, DECISION_BUSINESS_DAYS)
        notice_due = add_business_days(decision_due, NOTICE_BUSINESS_DAYS)
        exclusion_on = placed + timedelta(days=DEEMED_EXCLUSION_DAYS)
        state = _detention_state(age_business, age_calendar)
    elif category in RESPONSE_CLOCK_CATEGORIES:
        response_due = uflpa_response_due(notice_on if notice_on is not None else placed)
        state = _response_state(response_due, placed, as_of)
    return HoldClock(
        category=category,
        placed_on=placed,
        as_of=as_of,
        age_business_days=age_business,
        age_calendar_days=age_calendar,
        decision_due=decision_due,
        notice_due=notice_due,
        deemed_exclusion_on=exclusion_on,
        response_due=response_due,
        state=state,
    )


def hold_threshold_state(
    category: HoldCategory, placed_on: date, today: date, *, notice_on: date | None = None
) -> ThresholdState:
    """Shortcut for ``hold_clock(...).state``."""
    return hold_clock(category, placed_on, today, notice_on=notice_on).state


# --- post-entry deadlines (DOMAIN.md §6.2) ------------------------------------------------------------------


def _plus_days(day: date, days: int) -> date:
    return as_date(day) + timedelta(days=days)


def uflpa_response_due(notice_on: date) -> date:
    return _plus_days(notice_on, UFLPA_RESPONSE_DAYS)


def cf28_due_date(issued_on: date) -> date:
    """CF-28 Request for Information: reply within 30 days of issue."""
    return _plus_days(issued_on, CF28_RESPONSE_DAYS)


def cf29_proposed_due_date(issued_on: date) -> date:
    """CF-29 Notice of Action, proposed: about 20 days to respond."""
    return _plus_days(issued_on, CF29_PROPOSED_RESPONSE_DAYS)


def estimated_liquidation_date(entry_date: date) -> date:
    """ACE schedules liquidation about 314 days after entry (statutory limit 1 year, extendable)."""
    return _plus_days(entry_date, ESTIMATED_LIQUIDATION_DAYS)


def psc_deadline(entry_date: date, liquidation_date: date | None = None) -> date:
    """Last day to file a Post-Summary Correction: the earlier of entry + 300 days and liquidation - 15 days.

    Without a scheduled liquidation date the estimated one (entry + 314 days) is used: entry + 299 days.
    """
    if liquidation_date is None:
        liquidation_date = estimated_liquidation_date(entry_date)
    last_before_liquidation = _plus_days(liquidation_date, -PSC_BEFORE_LIQUIDATION_DAYS)
    return min(_plus_days(entry_date, PSC_ENTRY_DAYS), last_before_liquidation)


def protest_deadline(decision_on: date) -> date:
    """Protest (CBP Form 19): within 180 days of liquidation, or of the exclusion or decision protested."""
    return _plus_days(decision_on, PROTEST_DAYS)


def compliance_due_date(
    event_type: ComplianceEventType,
    opened_on: date,
    *,
    entry_date: date | None = None,
    liquidation_date: date | None = None,
) -> date | None:
    """The response or filing deadline of a compliance event, or None where DOMAIN.md gives no rule.

    * CF28: opened (issued) + 30 days. CF29_PROPOSED: + 20 days. UFLPA_DETENTION: notice + 30 days.
    * PROTEST: 180 days from `liquidation_date` when given, else from `opened_on` taken as the liquidation or
      decision date.
    * PSC: needs `entry_date` (None without it); `liquidation_date` is the scheduled liquidation when known.
    """
    match event_type:
        case ComplianceEventType.CF28:
            return cf28_due_date(opened_on)
        case ComplianceEventType.CF29_PROPOSED:
            return cf29_proposed_due_date(opened_on)
        case ComplianceEventType.UFLPA_DETENTION:
            return uflpa_response_due(opened_on)
        case ComplianceEventType.PROTEST:
            return protest_deadline(liquidation_date if liquidation_date is not None else opened_on)
        case ComplianceEventType.PSC:
            return psc_deadline(entry_date, liquidation_date) if entry_date is not None else None
        case _:
            return None
