"""The Today summary: KPI counts and chart series from known rows, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest

from app.domain.calendar import business_days_between
from app.domain.deadlines import hold_age_business_days
from app.domain.today import AGE_BUCKETS, age_cutoff, week_starts
from app.services.today import today_summary
from app.services.workspace import Workspace
from app.store import orm
from tests.store.factories import (
    add_account,
    add_action_item,
    add_due_event,
    add_entry,
    add_hold,
    add_note,
    set_note_follow_up,
)

TODAY = date(2026, 11, 23)  # a Monday; Veterans Day (Wed 11 Nov) falls inside the 5- and 10-day windows


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour))


def test_age_cutoff_matches_the_business_day_age() -> None:
    """`placed < age_cutoff(today, n)` exactly when the hold is n business days old or more (weekends too)."""
    for today in (TODAY + timedelta(days=offset) for offset in range(-14, 8)):
        for n in (0, 1, 5, 10, 30):
            cutoff = age_cutoff(today, n)
            for back in range(0, 60):
                placed = today - timedelta(days=back)
                assert (placed < cutoff) == (business_days_between(placed, today) >= n), (today, n, placed)


def test_empty_database(workspace: Workspace) -> None:
    summary = today_summary(workspace, today=TODAY)
    assert (summary.open_holds, summary.holds_past_decision, summary.holds_past_exclusion) == (0, 0, 0)
    assert (summary.responses_due_soon, summary.responses_overdue, summary.overdue_follow_ups) == (0, 0, 0)
    assert summary.accounts_without_contact == 0
    assert [bucket.count for bucket in summary.age_buckets] == [0] * len(AGE_BUCKETS)
    assert summary.holds_by_port == ()
    assert [week.week_start for week in summary.weekly] == week_starts(TODAY)
    assert all(week.placed == week.released == 0 for week in summary.weekly)


def test_hold_counts_and_age_buckets(workspace: Workspace) -> None:
    placed_days = [TODAY - timedelta(days=back) for back in range(0, 70)]
    with workspace.database.session() as session:
        live = add_account(session, "Live")
        gone = add_account(session, "Gone", deleted=True)
        entry = add_entry(session, live, 1, TODAY - timedelta(days=80))
        other = add_entry(session, gone, 2, TODAY - timedelta(days=80))
        for day in placed_days:
            add_hold(session, entry, live, at(day))
        add_hold(session, entry, live, at(TODAY - timedelta(days=40)), removed_at=at(TODAY), category="CET")
        add_hold(session, other, gone, at(TODAY - timedelta(days=40)))  # the account's tombstone hides it
    summary = today_summary(workspace, today=TODAY)

    ages = [hold_age_business_days(day, TODAY) for day in placed_days]
    assert summary.open_holds == len(placed_days)
    assert summary.holds_past_decision == sum(age >= 5 for age in ages)
    assert summary.holds_past_exclusion == sum((TODAY - day).days >= 30 for day in placed_days)
    bounds = [low for _label, low in AGE_BUCKETS] + [10**6]
    expected = [sum(low <= age < high for age in ages) for low, high in pairwise(bounds)]
    assert [bucket.count for bucket in summary.age_buckets] == expected
    assert [bucket.label for bucket in summary.age_buckets] == ["0–4", "5–9", "10–29", "30+"]


def test_holds_by_port_busiest_first_with_names(workspace: Workspace) -> None:
    counts = {"2704": 3, "4601": 2, "9999": 1}  # 9999 is no Schedule D port: shown by code alone
    with workspace.database.session() as session:
        account = add_account(session, "Importer")
        entry = add_entry(session, account, 1, TODAY - timedelta(days=10))
        minute = 0
        for port, count in counts.items():
            for _ in range(count):
                minute += 1
                add_hold(session, entry, account, at(TODAY) + timedelta(minutes=minute), port=port)
        add_hold(session, entry, account, at(TODAY - timedelta(days=3)), port="9999", removed_at=at(TODAY))
    ports = today_summary(workspace, today=TODAY).holds_by_port
    assert [(port.port_code, port.count) for port in ports] == list(counts.items())
    assert ports[0].port_name.startswith("Los Angeles")
    assert ports[0].label == f"2704 {ports[0].port_name}"
    assert ports[2].port_name == "" and ports[2].label == "9999"


def test_holds_by_port_keeps_the_top_ten(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        account = add_account(session, "Importer")
        entry = add_entry(session, account, 1, TODAY - timedelta(days=10))
        for index in range(12):
            for copy in range(index + 1):
                add_hold(
                    session,
                    entry,
                    account,
                    at(TODAY, 0) + timedelta(minutes=index * 20 + copy),
                    port=f"{9000 + index}",
                )
    ports = today_summary(workspace, today=TODAY).holds_by_port
    assert [port.count for port in ports] == list(range(12, 2, -1))


def test_weekly_placed_and_released(workspace: Workspace) -> None:
    weeks = week_starts(TODAY)
    with workspace.database.session() as session:
        live = add_account(session, "Live")
        gone = add_account(session, "Gone", deleted=True)
        entry = add_entry(session, live, 1, weeks[0] - timedelta(days=30))
        other = add_entry(session, gone, 2, weeks[0] - timedelta(days=30))
        add_hold(session, entry, live, at(weeks[0] - timedelta(days=1)), removed_at=at(weeks[0]))  # before
        add_hold(session, entry, live, at(weeks[0]), removed_at=at(weeks[5] + timedelta(days=6), 23))
        add_hold(session, entry, live, at(weeks[-1]))
        add_hold(session, entry, live, at(TODAY, 10))
        add_hold(session, other, gone, at(TODAY, 11))
    weekly = today_summary(workspace, today=TODAY).weekly
    assert len(weekly) == 12 and weekly[-1].week_start == date(2026, 11, 23)
    placed = {week.week_start: week.placed for week in weekly}
    released = {week.week_start: week.released for week in weekly}
    assert placed == {week: {weeks[0]: 1, weeks[-1]: 2}.get(week, 0) for week in weeks}
    assert released == {week: {weeks[0]: 1, weeks[5]: 1}.get(week, 0) for week in weeks}


def test_responses_due_and_overdue(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        live = add_account(session, "Live")
        gone = add_account(session, "Gone", deleted=True)
        add_due_event(session, live, "CF28", TODAY)  # due today: still in time
        add_due_event(session, live, "CF28", TODAY + timedelta(days=3))
        add_due_event(session, live, "CF29_PROPOSED", TODAY + timedelta(days=7))
        add_due_event(session, live, "CF28", TODAY + timedelta(days=8))  # outside the week
        add_due_event(session, live, "CF28", TODAY - timedelta(days=1))  # overdue
        add_due_event(session, live, "CF29_PROPOSED", TODAY - timedelta(days=20))  # overdue
        add_due_event(session, live, "CF28", TODAY + timedelta(days=2), closed_on=TODAY)
        add_due_event(session, live, "CF28", TODAY + timedelta(days=2), responded_on=TODAY)
        add_due_event(session, live, "CF28", TODAY + timedelta(days=2), deleted=True)
        add_due_event(session, live, "CF29_TAKEN", TODAY + timedelta(days=2))
        add_due_event(session, live, "PROTEST", TODAY - timedelta(days=2))
        add_due_event(session, gone, "CF28", TODAY + timedelta(days=2))
    summary = today_summary(workspace, today=TODAY)
    assert (summary.responses_due_soon, summary.responses_overdue) == (3, 2)


def test_overdue_follow_ups_count_notes_and_action_items(workspace: Workspace) -> None:
    created = at(TODAY - timedelta(days=30))
    with workspace.database.session() as session:
        live = add_account(session, "Live")
        gone = add_account(session, "Gone", deleted=True)
        for follow_up_on, done, deleted, account in [
            (TODAY - timedelta(days=1), False, False, live),  # counted
            (TODAY - timedelta(days=9), False, False, live),  # counted
            (TODAY - timedelta(days=1), True, False, live),
            (TODAY, False, False, live),
            (TODAY - timedelta(days=1), False, True, live),
            (TODAY - timedelta(days=1), False, False, gone),
        ]:
            note = add_note(session, account, "call back", created, deleted=deleted)
            set_note_follow_up(session, note, follow_up_on, done=done)
        add_note(session, live, "no follow-up", created)
        for due_on, status, deleted, account in [
            (TODAY - timedelta(days=1), "open", False, live),  # counted
            (TODAY - timedelta(days=5), "in_progress", False, live),  # counted
            (TODAY - timedelta(days=1), "done", False, live),
            (TODAY - timedelta(days=1), "cancelled", False, live),
            (TODAY - timedelta(days=1), "open", True, live),
            (TODAY, "open", False, live),
            (None, "open", False, live),
            (TODAY - timedelta(days=1), "open", False, gone),
        ]:
            add_action_item(
                session, account, "issue", "action", due_on=due_on, status=status, deleted=deleted
            )
    assert today_summary(workspace, today=TODAY).overdue_follow_ups == 4


def test_accounts_without_contact_in_90_days(workspace: Workspace) -> None:
    recent, old = at(TODAY - timedelta(days=89)), at(TODAY - timedelta(days=91))
    with workspace.database.session() as session:
        called = add_account(session, "Called recently")
        add_note(session, called, "call", recent, kind="call")
        add_note(session, called, "old visit", old, kind="visit")
        visited = add_account(session, "Visited recently")
        add_note(session, visited, "visit", recent, kind="visit")
        stale = add_account(session, "Called long ago")  # counted
        add_note(session, stale, "email", old, kind="email")
        add_note(session, stale, "a memo is no contact", recent, kind="note")
        add_account(session, "Never contacted")  # counted
        retracted = add_account(session, "Only a deleted call")  # counted
        add_note(session, retracted, "call", recent, kind="call", deleted=True)
        inactive = add_account(session, "Inactive")
        account_row = session.get(orm.AccountRow, inactive)
        assert account_row is not None
        account_row.status = "inactive"
        add_account(session, "Tombstoned", deleted=True)
    assert today_summary(workspace, today=TODAY).accounts_without_contact == 3


@pytest.mark.parametrize("today", [date(2026, 11, 21), date(2026, 11, 27), date(2027, 1, 1)])
def test_summary_on_weekends_and_holidays(workspace: Workspace, today: date) -> None:
    """The day of the summary need not be a business day: a hold placed that day is 0 days old."""
    with workspace.database.session() as session:
        account = add_account(session, "Importer")
        entry = add_entry(session, account, 1, today - timedelta(days=10))
        add_hold(session, entry, account, at(today))
    summary = today_summary(workspace, today=today)
    assert summary.today == today
    assert [bucket.count for bucket in summary.age_buckets] == [1, 0, 0, 0]
