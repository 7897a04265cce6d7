"""Hold clocks (DOMAIN.md §5.6) and post-entry deadlines (DOMAIN.md §6.2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from app.domain.calendar import business_days_between
from app.domain.deadlines import (
    DETENTION_CLOCK_CATEGORIES,
    RESPONSE_CLOCK_CATEGORIES,
    compliance_due_date,
    estimated_liquidation_date,
    hold_age_business_days,
    hold_clock,
    hold_threshold_state,
    protest_deadline,
    psc_deadline,
)
from app.domain.enums import ComplianceEventType, HoldCategory, ThresholdState

OK, DECISION, NOTICE, EXCLUSION = (
    ThresholdState.OK,
    ThresholdState.DECISION_DUE,
    ThresholdState.NOTICE_DUE,
    ThresholdState.EXCLUSION,
)
URGENCY = [OK, DECISION, NOTICE, EXCLUSION]

# Monday 2 November 2026; Veterans Day is Wednesday 11 November.
PLACED = date(2026, 11, 2)


# --- detention clock ----------------------------------------------------------------------------------------


def test_detention_due_dates() -> None:
    clock = hold_clock(HoldCategory.CBP_INTENSIVE, PLACED, date(2026, 11, 4))
    assert clock.decision_due == date(2026, 11, 9)  # business day 5
    assert clock.notice_due == date(2026, 11, 17)  # 5 business days later, over Veterans Day
    assert clock.deemed_exclusion_on == date(2026, 12, 2)  # calendar day 30
    assert clock.response_due is None
    assert (clock.age_business_days, clock.age_calendar_days) == (2, 2)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 11, 2), OK),
        (date(2026, 11, 6), OK),  # age 4
        (date(2026, 11, 8), OK),  # Sunday: still age 4
        (date(2026, 11, 9), DECISION),  # age 5: the decision falls due today
        (date(2026, 11, 16), DECISION),  # age 9
        (date(2026, 11, 17), NOTICE),  # age 10
        (date(2026, 12, 1), NOTICE),  # calendar day 29
        (date(2026, 12, 2), EXCLUSION),  # calendar day 30
        (date(2027, 3, 1), EXCLUSION),
    ],
)
def test_detention_thresholds(today: date, state: ThresholdState) -> None:
    assert hold_threshold_state(HoldCategory.NII, PLACED, today) is state


def test_decision_due_over_thanksgiving() -> None:
    # Placed Wednesday 25 Nov 2026: Thanksgiving (26th) and the weekend do not count.
    clock = hold_clock(HoldCategory.DETENTION, date(2026, 11, 25), date(2026, 12, 2))
    assert clock.decision_due == date(2026, 12, 3)
    assert clock.age_business_days == 4
    assert clock.state is OK
    assert hold_threshold_state(HoldCategory.DETENTION, date(2026, 11, 25), date(2026, 12, 3)) is DECISION


@given(
    st.sampled_from(sorted(DETENTION_CLOCK_CATEGORIES)),
    st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    st.integers(0, 60),
)
def test_detention_state_follows_the_due_dates(category: HoldCategory, placed: date, days: int) -> None:
    today = placed + timedelta(days=days)
    clock = hold_clock(category, placed, today)
    assert clock.decision_due is not None and clock.notice_due is not None
    assert clock.deemed_exclusion_on is not None
    assert clock.age_business_days == business_days_between(placed, today)
    if today >= clock.deemed_exclusion_on:
        expected = EXCLUSION
    elif today >= clock.notice_due:
        expected = NOTICE
    elif today >= clock.decision_due:
        expected = DECISION
    else:
        expected = OK
    assert clock.state is expected
    # Age >= 5 business days is the same as "on or after the decision due date".
    assert (clock.age_business_days >= 5) == (today >= clock.decision_due)


@given(
    st.sampled_from(sorted(HoldCategory)), st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 90)
)
def test_urgency_never_goes_down_as_days_pass(category: HoldCategory, placed: date, days: int) -> None:
    today = placed + timedelta(days=days)
    before = hold_threshold_state(category, placed, today)
    after = hold_threshold_state(category, placed, today + timedelta(days=1))
    assert URGENCY.index(after) >= URGENCY.index(before)


def test_wro_and_ipr_detentions_run_on_the_detention_clock() -> None:
    for category in (HoldCategory.WRO, HoldCategory.IPR):
        assert hold_threshold_state(category, PLACED, date(2026, 11, 9)) is DECISION
        assert hold_threshold_state(category, PLACED, date(2026, 12, 2)) is EXCLUSION


# --- UFLPA response window ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 3, 1), OK),  # before the hold (bad data): nothing running
        (date(2026, 3, 2), DECISION),  # the response window runs from the start
        (date(2026, 3, 31), DECISION),  # calendar day 29
        (date(2026, 4, 1), EXCLUSION),  # calendar day 30: response deadline reached
    ],
)
def test_uflpa_response_window_from_the_placed_date(today: date, state: ThresholdState) -> None:
    clock = hold_clock(HoldCategory.UFLPA, date(2026, 3, 2), today)
    assert clock.response_due == date(2026, 4, 1)
    assert clock.decision_due is None and clock.notice_due is None and clock.deemed_exclusion_on is None
    assert clock.state is state


def test_uflpa_response_window_from_the_notice_date() -> None:
    placed, notice = date(2026, 3, 2), date(2026, 3, 6)
    assert hold_clock(HoldCategory.UFLPA, placed, date(2026, 4, 1), notice_on=notice).response_due == date(
        2026, 4, 5
    )
    assert hold_threshold_state(HoldCategory.UFLPA, placed, date(2026, 4, 4), notice_on=notice) is DECISION
    assert hold_threshold_state(HoldCategory.UFLPA, placed, date(2026, 4, 5), notice_on=notice) is EXCLUSION


# --- categories without a statutory clock -------------------------------------------------------------------


@pytest.mark.parametrize(
    "category",
    sorted(set(HoldCategory) - DETENTION_CLOCK_CATEGORIES - RESPONSE_CLOCK_CATEGORIES),
)
def test_holds_outside_the_clocks_stay_ok_but_age(category: HoldCategory) -> None:
    clock = hold_clock(category, PLACED, date(2027, 2, 1))
    assert clock.state is OK
    assert clock.decision_due is clock.notice_due is clock.deemed_exclusion_on is clock.response_due is None
    assert clock.age_calendar_days == 91
    assert clock.age_business_days == business_days_between(PLACED, date(2027, 2, 1))


def test_clock_sets_do_not_overlap_and_cover_the_cbp_exams() -> None:
    assert not DETENTION_CLOCK_CATEGORIES & RESPONSE_CLOCK_CATEGORIES
    assert HoldCategory.PGA_FDA not in DETENTION_CLOCK_CATEGORIES
    assert {HoldCategory.NII, HoldCategory.TAILGATE, HoldCategory.CET, HoldCategory.CBP_INTENSIVE} <= (
        DETENTION_CLOCK_CATEGORIES
    )


def test_a_hold_placed_in_the_future_is_zero_days_old() -> None:
    clock = hold_clock(HoldCategory.NII, date(2026, 11, 20), date(2026, 11, 2))
    assert (clock.age_business_days, clock.age_calendar_days, clock.state) == (0, 0, OK)
    assert hold_age_business_days(date(2026, 11, 20), date(2026, 11, 2)) == 0


def test_datetimes_are_taken_at_their_date() -> None:
    clock = hold_clock(HoldCategory.NII, datetime(2026, 11, 2, 23, 59), datetime(2026, 11, 9, 0, 1))
    assert clock.placed_on == PLACED and clock.as_of == date(2026, 11, 9)
    assert clock.decision_due == date(2026, 11, 9)
    assert clock.state is DECISION


# --- post-entry deadlines -----------------------------------------------------------------------------------


def test_cf28_and_cf29_match_the_sample_compliance_file() -> None:
    # shared/samples/compliance.csv: CF-28 issued 09/02/2026, due 10/02/2026; CF-29 08/15/2026, due 09/04.
    assert compliance_due_date(ComplianceEventType.CF28, date(2026, 9, 2)) == date(2026, 10, 2)
    assert compliance_due_date(ComplianceEventType.CF29_PROPOSED, date(2026, 8, 15)) == date(2026, 9, 4)


def test_uflpa_detention_event() -> None:
    assert compliance_due_date(ComplianceEventType.UFLPA_DETENTION, date(2026, 3, 2)) == date(2026, 4, 1)


def test_protest_runs_from_liquidation() -> None:
    assert protest_deadline(date(2026, 1, 15)) == date(2026, 7, 14)
    assert compliance_due_date(ComplianceEventType.PROTEST, date(2026, 1, 15)) == date(2026, 7, 14)
    # A given liquidation date wins over the event's own date.
    due = compliance_due_date(
        ComplianceEventType.PROTEST, date(2026, 3, 1), liquidation_date=date(2026, 1, 15)
    )
    assert due == date(2026, 7, 14)


def test_estimated_liquidation() -> None:
    assert estimated_liquidation_date(date(2026, 1, 10)) == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("liquidation", "expected"),
    [
        (None, date(2026, 11, 5)),  # estimated liquidation 20 Nov - 15 days, one day before entry + 300
        (date(2026, 6, 1), date(2026, 5, 17)),  # early liquidation: 15 days before it
        (date(2027, 6, 1), date(2026, 11, 6)),  # extended liquidation: entry + 300 days
        (date(2026, 11, 21), date(2026, 11, 6)),  # 15 days before is exactly entry + 300
    ],
)
def test_psc_deadline_is_the_earlier_of_the_two_limits(liquidation: date | None, expected: date) -> None:
    entry = date(2026, 1, 10)
    assert psc_deadline(entry, liquidation) == expected
    due = compliance_due_date(
        ComplianceEventType.PSC, date(2026, 2, 1), entry_date=entry, liquidation_date=liquidation
    )
    assert due == expected


def test_psc_needs_the_entry_date() -> None:
    assert compliance_due_date(ComplianceEventType.PSC, date(2026, 2, 1)) is None


RULED = {
    ComplianceEventType.CF28,
    ComplianceEventType.CF29_PROPOSED,
    ComplianceEventType.PSC,
    ComplianceEventType.PROTEST,
    ComplianceEventType.UFLPA_DETENTION,
}


@pytest.mark.parametrize("event_type", sorted(set(ComplianceEventType) - RULED))
def test_events_without_a_rule_have_no_due_date(event_type: ComplianceEventType) -> None:
    assert compliance_due_date(event_type, date(2026, 1, 10), entry_date=date(2026, 1, 1)) is None
