"""The portfolio-wide compliance list: rows, states, filters, and the Today card's count equal to its list."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from app.domain.compliance import ComplianceFilter, ComplianceState, matches
from app.domain.enums import ComplianceEventType
from app.domain.errors import ValidationError
from app.services.compliance import event_type_labels, list_compliance
from app.services.today import today_summary
from app.services.workspace import Workspace
from app.store import orm
from tests.store.factories import add_account, add_due_event, add_entry

TODAY = date(2026, 11, 20)
S = ComplianceState


@dataclass(frozen=True)
class Portfolio:
    ws: Workspace
    acme: uuid.UUID
    cafe: uuid.UUID
    events: dict[str, uuid.UUID]  # label -> event id
    entry: str  # canonical entry number of the penalty


def _day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


@pytest.fixture
def portfolio(workspace: Workspace) -> Portfolio:
    # The Today test's events (tests/store/test_today.py), plus answered, closed and non-response events.
    with workspace.database.session() as session:
        acme = add_account(session, "Acme Tools")
        cafe = add_account(session, "Café Élan Imports")
        gone = add_account(session, "Gone Ltd", deleted=True)
        events = {
            "cf28_today": add_due_event(session, acme, "CF28", TODAY),
            "cf28_3": add_due_event(session, acme, "CF28", _day(3)),
            "cf29_7": add_due_event(session, cafe, "CF29_PROPOSED", _day(7)),
            "cf28_8": add_due_event(session, acme, "CF28", _day(8)),
            "cf28_late": add_due_event(session, cafe, "CF28", _day(-1)),
            "cf29_late": add_due_event(session, acme, "CF29_PROPOSED", _day(-20)),
            "cf28_closed": add_due_event(session, acme, "CF28", _day(2), closed_on=TODAY),
            "cf28_answered": add_due_event(session, cafe, "CF28", _day(2), responded_on=TODAY),
            "cf29_taken": add_due_event(session, acme, "CF29_TAKEN", _day(2)),
            "protest_late": add_due_event(session, cafe, "PROTEST", _day(-2)),
            "penalty": add_due_event(session, acme, "PENALTY_1592", _day(40)),
        }
        add_due_event(session, acme, "CF28", _day(2), deleted=True)
        add_due_event(session, gone, "CF28", _day(2))
        entry = add_entry(session, acme, 4711, _day(-60))
        penalty = session.get(orm.ComplianceEventRow, events["penalty"])
        assert penalty is not None
        penalty.reference = "PEN-2026-0042"
        penalty.entry_number = entry
        penalty.proposed_cents = 1_250_000
        penalty.mitigated_cents = 400_000
        penalty.outcome = "Mitigation petition filed"
    return Portfolio(workspace, acme, cafe, events, entry)


def _labels(portfolio: Portfolio, criteria: ComplianceFilter | None = None) -> set[str]:
    by_id = {event_id: label for label, event_id in portfolio.events.items()}
    return {by_id[item.id] for item in list_compliance(portfolio.ws, criteria, today=TODAY)}


def test_lists_live_events_of_live_accounts_with_states(workspace: Workspace, portfolio: Portfolio) -> None:
    items = {item.id: item for item in list_compliance(workspace, today=TODAY)}
    assert set(items) == set(portfolio.events.values())
    states = {label: items[event_id].state for label, event_id in portfolio.events.items()}
    assert states["cf28_today"] is S.OPEN
    assert states["cf28_late"] is S.OVERDUE
    assert states["protest_late"] is S.OVERDUE
    assert states["cf28_answered"] is S.RESPONDED
    assert states["cf28_closed"] is S.CLOSED
    late = items[portfolio.events["cf29_late"]]
    assert (late.days_to_due, late.type_label, late.account_name) == (-20, "CF-29 (proposed)", "Acme Tools")
    assert items[portfolio.events["cf28_answered"]].days_to_due is None
    penalty = items[portfolio.events["penalty"]]
    assert penalty.entry_number.count("-") == 2 and penalty.entry_number.replace("-", "") == portfolio.entry
    assert (penalty.proposed_cents, penalty.mitigated_cents, penalty.assessed_cents) == (
        1_250_000,
        400_000,
        None,
    )
    assert (penalty.outcome, penalty.days_to_due, penalty.type_label) == (
        "Mitigation petition filed",
        40,
        "Penalty (19 U.S.C. 1592)",
    )


def test_open_events_come_first_soonest_due_first(workspace: Workspace, portfolio: Portfolio) -> None:
    items = list_compliance(workspace, today=TODAY)
    assert [item.state for item in items[:2]] == [S.OVERDUE, S.OVERDUE]
    assert items[0].id == portfolio.events["cf29_late"]
    assert [item.state for item in items[-2:]] == [S.RESPONDED, S.CLOSED]


def test_today_card_counts_exactly_the_list(workspace: Workspace, portfolio: Portfolio) -> None:
    summary = today_summary(workspace, today=TODAY)
    card = list_compliance(workspace, ComplianceFilter(due_within_days=7), today=TODAY)
    assert len(card) == summary.responses_due_soon + summary.responses_overdue == 5
    in_time = list_compliance(
        workspace, ComplianceFilter(due_within_days=7, include_overdue=False), today=TODAY
    )
    assert len(in_time) == summary.responses_due_soon == 3
    assert _labels(portfolio, ComplianceFilter(due_within_days=7, include_overdue=False)) == {
        "cf28_today",
        "cf28_3",
        "cf29_7",
    }


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (ComplianceFilter(states=frozenset({S.OVERDUE})), {"cf28_late", "cf29_late", "protest_late"}),
        (ComplianceFilter(states=frozenset({S.RESPONDED, S.CLOSED})), {"cf28_answered", "cf28_closed"}),
        (
            ComplianceFilter(event_types=frozenset({"CF29_PROPOSED", "CF29_TAKEN"})),
            {"cf29_7", "cf29_late", "cf29_taken"},
        ),
        (ComplianceFilter(text="café"), {"cf29_7", "cf28_late", "cf28_answered", "protest_late"}),
        (ComplianceFilter(text="CAFÉ élan"), {"cf29_7", "cf28_late", "cf28_answered", "protest_late"}),
        (ComplianceFilter(text="pen-2026"), {"penalty"}),
        (ComplianceFilter(text="acme", due_within_days=0), {"cf28_today", "cf29_late"}),
        (ComplianceFilter(text="nothing like it"), set()),
    ],
)
def test_filters(portfolio: Portfolio, criteria: ComplianceFilter, expected: set[str]) -> None:
    assert _labels(portfolio, criteria) == expected


def test_text_finds_the_entry_with_or_without_dashes(workspace: Workspace, portfolio: Portfolio) -> None:
    dashed = f"{portfolio.entry[:3]}-{portfolio.entry[3:10]}-{portfolio.entry[10]}"
    for text in (portfolio.entry, dashed, dashed.lower()):
        assert _labels(portfolio, ComplianceFilter(text=text)) == {"penalty"}


def test_account_filter(portfolio: Portfolio) -> None:
    assert _labels(portfolio, ComplianceFilter(account_id=portfolio.cafe)) == {
        "cf29_7",
        "cf28_late",
        "cf28_answered",
        "protest_late",
    }
    assert _labels(portfolio, ComplianceFilter(account_id=uuid.uuid4())) == set()


def test_sql_filters_pick_what_the_screen_filter_picks(workspace: Workspace, portfolio: Portfolio) -> None:
    everything = list_compliance(workspace, today=TODAY)
    for criteria in (
        ComplianceFilter(states=frozenset({S.OPEN})),
        ComplianceFilter(states=frozenset({S.OVERDUE, S.RESPONDED}), event_types=frozenset({"CF28"})),
        ComplianceFilter(due_within_days=7),
        ComplianceFilter(due_within_days=30, include_overdue=False),
        ComplianceFilter(text="tools", account_id=portfolio.acme),
    ):
        in_python = [item.id for item in everything if matches(item, criteria, TODAY)]
        assert [item.id for item in list_compliance(workspace, criteria, today=TODAY)] == in_python


def test_negative_window_is_refused(workspace: Workspace) -> None:
    with pytest.raises(ValidationError, match="zero or more"):
        list_compliance(workspace, ComplianceFilter(due_within_days=-1))


def test_event_type_labels_come_from_the_reference_table(workspace: Workspace) -> None:
    labels = event_type_labels(workspace)
    assert labels["CF28"] == "CF-28"
    assert labels["CF29_PROPOSED"] == "CF-29 (proposed)"
    assert set(labels) == {event_type.value for event_type in ComplianceEventType}
