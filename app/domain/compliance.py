"""The portfolio-wide compliance list (DOMAIN.md §6): one row per live event of a live account, its state as
of a day, and the filter the Compliance screen and the store share.

The "responses due" rule is the Today card's (`TodaySummary.responses_due_soon` / `responses_overdue`): open
CF-28 and CF-29 (proposed) events, not yet answered, with a recorded due date within the window — or before
today, which the card reports as overdue beside its figure and the list shows too, unless asked not to.
`matches` is that rule (and the others) in Python, for the screen's in-memory filter; the store applies the
same conditions in SQL (all but the text, which it matches with `haystack` too), and a store test checks that
both pick the same rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from app.domain.enums import ComplianceEventType

# The post-entry actions with a response the AE chases (DOMAIN.md §6.2): the Today card counts these.
RESPONSE_EVENT_TYPES: frozenset[ComplianceEventType] = frozenset(
    {ComplianceEventType.CF28, ComplianceEventType.CF29_PROPOSED}
)


class ComplianceState(StrEnum):
    OPEN = "open"  # not closed, not answered, not past its due date (or none recorded)
    OVERDUE = "overdue"  # not closed, not answered, due before today
    RESPONDED = "responded"  # answered, not closed yet
    CLOSED = "closed"


def compliance_state(
    today: date, due_on: date | None, responded_on: date | None, closed_on: date | None
) -> ComplianceState:
    if closed_on is not None:
        return ComplianceState.CLOSED
    if responded_on is not None:
        return ComplianceState.RESPONDED
    if due_on is not None and due_on < today:
        return ComplianceState.OVERDUE
    return ComplianceState.OPEN


@dataclass(frozen=True, slots=True)
class ComplianceItem:
    """One row of the compliance list. Amounts are cents, None when the event has none recorded."""

    id: uuid.UUID
    account_id: uuid.UUID
    account_name: str
    event_type: str  # a ComplianceEventType value (kept as text: an unknown code still lists)
    type_label: str  # the reference table's name, e.g. "CF-29 (proposed)"
    reference: str
    entry_number: str  # display form XXX-NNNNNNN-C, "" when the event names no entry
    opened_on: date
    due_on: date | None
    responded_on: date | None
    closed_on: date | None
    state: ComplianceState
    days_to_due: int | None  # negative when overdue; None once answered or closed, or without a due date
    proposed_cents: int | None = None
    assessed_cents: int | None = None
    mitigated_cents: int | None = None
    paid_cents: int | None = None
    outcome: str = ""

    @property
    def awaits_response(self) -> bool:
        """An open CF-28 / CF-29 (proposed) with a recorded due date: what the Today card counts."""
        return (
            self.event_type in RESPONSE_EVENT_TYPES
            and self.due_on is not None
            and self.state in (ComplianceState.OPEN, ComplianceState.OVERDUE)
        )


@dataclass(frozen=True)
class ComplianceFilter:
    """Empty fields filter nothing. `text`: every word in the account name, reference or entry number (any
    case; dashes in an entry number optional). `due_within_days`: the Today card's rule, see the module."""

    text: str = ""
    event_types: frozenset[str] = field(default_factory=frozenset)
    states: frozenset[ComplianceState] = field(default_factory=frozenset)
    due_within_days: int | None = None
    include_overdue: bool = True
    account_id: uuid.UUID | None = None


def filter_words(text: str) -> list[str]:
    """The filter text as casefolded words, dashes dropped (entry numbers are matched without them)."""
    return [word.replace("-", "") for word in text.casefold().split() if word.replace("-", "")]


def haystack(item: ComplianceItem) -> str:
    """What the text filter looks in, casefolded and without dashes."""
    return "\n".join((item.account_name, item.reference, item.entry_number)).casefold().replace("-", "")


def due_within(item: ComplianceItem, today: date, days: int, *, include_overdue: bool = True) -> bool:
    if not item.awaits_response or item.due_on is None:
        return False
    if item.due_on > today + timedelta(days=days):
        return False
    return include_overdue or item.due_on >= today


def matches(item: ComplianceItem, criteria: ComplianceFilter, today: date) -> bool:
    """The filter in Python: what the store's SQL selects for the same criteria."""
    if criteria.account_id is not None and item.account_id != criteria.account_id:
        return False
    if criteria.event_types and item.event_type not in criteria.event_types:
        return False
    if criteria.states and item.state not in criteria.states:
        return False
    if criteria.due_within_days is not None and not due_within(
        item, today, criteria.due_within_days, include_overdue=criteria.include_overdue
    ):
        return False
    text = haystack(item)
    return all(word in text for word in filter_words(criteria.text))
