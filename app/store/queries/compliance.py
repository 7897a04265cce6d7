"""The portfolio-wide compliance list: live events of live accounts, with their type's name, filtered in SQL.

Events number in the thousands at most (~4,300 in the large demo), so one statement reads them all with the
account name and the type's label (two primary-key joins). The structural filters (account, types, state,
responses due) are SQL conditions; the "responses due" one is the Today card's (`queries.today
.response_counts`): the same columns, the same event types, the same window. The text filter runs over the
fetched rows in Python (`domain.compliance.matches`): SQLite's `lower()` folds ASCII only, and the screen
filters the same way in memory, so both agree on accented names.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, case, false, or_, select
from sqlalchemy.orm import Session

from app.domain.compliance import (
    ComplianceFilter,
    ComplianceItem,
    ComplianceState,
    compliance_state,
    filter_words,
    haystack,
)
from app.store import orm
from app.store.queries import entry_display
from app.store.queries.today import RESPONSE_EVENTS

CE = orm.ComplianceEventRow
A = orm.AccountRow
T = orm.ComplianceEventTypeRow

# Columns, not entities: building thousands of ORM objects would cost more than the statement.
COLUMNS = (
    CE.id,
    CE.account_id,
    CE.event_type,
    CE.reference,
    CE.entry_number,
    CE.opened_on,
    CE.due_on,
    CE.responded_on,
    CE.closed_on,
    CE.proposed_cents,
    CE.assessed_cents,
    CE.mitigated_cents,
    CE.paid_cents,
    CE.outcome,
)


def _unanswered() -> ColumnElement[bool]:
    return and_(CE.closed_on.is_(None), CE.responded_on.is_(None))


def state_condition(state: ComplianceState, today: date) -> ColumnElement[bool]:
    """`domain.compliance.compliance_state` as a SQL condition."""
    match state:
        case ComplianceState.CLOSED:
            return CE.closed_on.is_not(None)
        case ComplianceState.RESPONDED:
            return and_(CE.closed_on.is_(None), CE.responded_on.is_not(None))
        case ComplianceState.OVERDUE:
            return and_(_unanswered(), CE.due_on < today)
        case ComplianceState.OPEN:
            return and_(_unanswered(), or_(CE.due_on.is_(None), CE.due_on >= today))


def responses_due_condition(today: date, days: int, *, include_overdue: bool = True) -> ColumnElement[bool]:
    """The Today card's rule: open CF-28 / CF-29 (proposed) events, not answered, due within `days` (and
    before today too with `include_overdue`, which the card reports as its overdue figure)."""
    window = [CE.due_on <= today + timedelta(days=days)]
    if not include_overdue:
        window.append(CE.due_on >= today)
    return and_(
        CE.closed_on.is_(None),
        CE.due_on.is_not(None),
        CE.responded_on.is_(None),
        CE.event_type.in_(RESPONSE_EVENTS),
        *window,
    )


def _query(criteria: ComplianceFilter, today: date) -> Select:
    query: Select = (
        select(*COLUMNS, A.name.label("account_name"), T.label.label("type_label"))
        .join(A, A.id == CE.account_id)
        .outerjoin(T, T.code == CE.event_type)
        .where(CE.deleted_at.is_(None), A.deleted_at.is_(None))
        # Still to act on first, soonest due first; then answered, then closed ones.
        .order_by(
            case((CE.closed_on.is_not(None), 2), (CE.responded_on.is_not(None), 1), else_=0),
            case((CE.due_on.is_(None), 1), else_=0),
            CE.due_on,
            CE.opened_on.desc(),
            CE.id,
        )
    )
    if criteria.account_id is not None:
        query = query.where(CE.account_id == criteria.account_id)
    if criteria.event_types:
        query = query.where(CE.event_type.in_(sorted(criteria.event_types)))
    if criteria.states:
        states = [state_condition(ComplianceState(state), today) for state in sorted(criteria.states)]
        query = query.where(or_(false(), *states))
    if criteria.due_within_days is not None:
        condition = responses_due_condition(
            today, criteria.due_within_days, include_overdue=criteria.include_overdue
        )
        query = query.where(condition)
    return query


def _item(event: Row[Any], today: date) -> ComplianceItem:
    state = compliance_state(today, event.due_on, event.responded_on, event.closed_on)
    awaiting = state in (ComplianceState.OPEN, ComplianceState.OVERDUE) and event.due_on is not None
    return ComplianceItem(
        id=event.id,
        account_id=event.account_id,
        account_name=event.account_name,
        event_type=event.event_type,
        type_label=event.type_label or event.event_type,
        reference=event.reference,
        entry_number=entry_display(event.entry_number) if event.entry_number else "",
        opened_on=event.opened_on,
        due_on=event.due_on,
        responded_on=event.responded_on,
        closed_on=event.closed_on,
        state=state,
        days_to_due=(event.due_on - today).days if awaiting and event.due_on is not None else None,
        proposed_cents=event.proposed_cents,
        assessed_cents=event.assessed_cents,
        mitigated_cents=event.mitigated_cents,
        paid_cents=event.paid_cents,
        outcome=event.outcome,
    )


def list_compliance(session: Session, today: date, criteria: ComplianceFilter) -> list[ComplianceItem]:
    """Live events of live accounts matching `criteria`: open ones by due date, then closed, newest first."""
    items = [_item(row, today) for row in session.execute(_query(criteria, today))]
    words = filter_words(criteria.text)
    if not words:
        return items
    return [item for item in items if all(word in haystack(item) for word in words)]


def event_type_labels(session: Session) -> dict[str, str]:
    """Code -> name of every compliance event type in the reference table, by name."""
    query = select(T.code, T.label).order_by(T.label, T.code)
    return dict(session.execute(query).all())
