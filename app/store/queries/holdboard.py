"""The held-shipments board at scale: the ordered ids of the open holds for a filter + sort, then rows by id.

The board never loads every open hold: `open_hold_ids` returns only keys, sorted and filtered in SQL, and the
screen asks `open_hold_rows` for one page of them at a time (primary-key lookups). The threshold state is
computed in SQL too, as a CASE over placed-at cut-off dates that `threshold_cutoffs` derives from the domain
calendar, so it can be sorted and filtered without reading the rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.domain.deadlines import (
    DECISION_BUSINESS_DAYS,
    DEEMED_EXCLUSION_DAYS,
    DETENTION_CLOCK_CATEGORIES,
    NOTICE_BUSINESS_DAYS,
    RESPONSE_CLOCK_CATEGORIES,
    UFLPA_RESPONSE_DAYS,
)
from app.domain.enums import NoteKind, ThresholdState
from app.domain.errors import ValidationError
from app.domain.today import age_cutoff
from app.domain.views import OpenHoldRow
from app.store import orm
from app.store.queries.holds import open_hold_row
from app.store.queries.search import accounts_by_words, fold

H = orm.HoldRow
A = orm.AccountRow
PORT = orm.PortRow
N = orm.NoteRow

THRESHOLD_RANK = {
    ThresholdState.OK: 0,
    ThresholdState.DECISION_DUE: 1,
    ThresholdState.NOTICE_DUE: 2,
    ThresholdState.EXCLUSION: 3,
}
GROUP_KEYS = ("port", "agency", "account")
# A word matches accounts whose name has it as a word prefix (accent-blind FTS); more than this is no filter.
MAX_ACCOUNT_MATCHES = 10_000


@dataclass(frozen=True)
class Cutoffs:
    """The last placed date that has reached each threshold on `today` (a hold placed on it or before has)."""

    decision: date  # >= 5 business days
    notice: date  # >= 10 business days
    exclusion: date  # >= 30 calendar days
    response_running: date  # UFLPA: placed on or before today


def business_cutoff(today: date, days: int) -> date:
    """The latest `placed` day with `hold_age_business_days(placed, today) >= days`.

    The rule lives in `app.domain.today.age_cutoff` (shared with the Today cards, so a card and the board it
    opens count the same holds); that gives the first day too young, this the last day old enough.
    """
    return age_cutoff(today, days) - timedelta(days=1)


def threshold_cutoffs(today: date) -> Cutoffs:
    return Cutoffs(
        decision=business_cutoff(today, DECISION_BUSINESS_DAYS),
        notice=business_cutoff(today, DECISION_BUSINESS_DAYS + NOTICE_BUSINESS_DAYS),
        exclusion=today - timedelta(days=DEEMED_EXCLUSION_DAYS),
        response_running=today,
    )


def _placed_on_or_before(day: date) -> ColumnElement[bool]:
    # placed_at is a timestamp: "on or before the day" is "before the next midnight" (index-friendly).
    return H.placed_at < datetime.combine(day + timedelta(days=1), time())


def threshold_rank(today: date) -> ColumnElement[int]:
    """0..3 (OK .. EXCLUSION) per `hold_threshold_state`, as a SQL expression over the hold's columns."""
    cut = threshold_cutoffs(today)
    detention = H.category.in_([c.value for c in DETENTION_CLOCK_CATEGORIES])
    response = H.category.in_([c.value for c in RESPONSE_CLOCK_CATEGORIES])
    response_deadline_passed = case(
        (
            H.detention_notice_on.is_not(None),
            H.detention_notice_on <= today - timedelta(days=UFLPA_RESPONSE_DAYS),
        ),
        else_=_placed_on_or_before(today - timedelta(days=UFLPA_RESPONSE_DAYS)),
    )
    return case(
        (and_(detention, _placed_on_or_before(cut.exclusion)), 3),
        (and_(detention, _placed_on_or_before(cut.notice)), 2),
        (and_(detention, _placed_on_or_before(cut.decision)), 1),
        (and_(response, response_deadline_passed), 3),
        (and_(response, _placed_on_or_before(cut.response_running)), 1),
        else_=0,
    )


def _sort_columns(sort: str, today: date) -> list[Any]:
    columns: dict[str, list[Any]] = {
        "entry_number": [H.entry_number],
        "account": [func.lower(A.name), A.id],
        "port": [H.port_code],
        "category": [H.category],
        "owner": [H.owner, H.agency_code],
        "disposition": [H.disposition_code, H.status_text],
        "placed_at": [H.placed_at],
        "threshold": [threshold_rank(today), H.placed_at],
        "exam": [H.exam_type, H.exam_location],
    }
    if sort not in columns:
        raise ValidationError(f"cannot sort the board by {sort!r}", field="sort")
    return columns[sort]


def _group_columns(group_by: str | None) -> list[Any]:
    if group_by is None:
        return []
    groups: dict[str, list[Any]] = {
        "port": [H.port_code],
        "agency": [H.owner, H.agency_code],
        "account": [func.lower(A.name), A.id],
    }
    if group_by not in groups:
        raise ValidationError(f"cannot group the board by {group_by!r}", field="group_by")
    return groups[group_by]


def _word_condition(session: Session, word: str) -> ColumnElement[bool]:
    """One filter word: in the entry number, port code or name, category, disposition or status text
    (any case), or a word prefix of the account's name (accent-blind, through the accounts FTS index)."""
    pattern = f"%{word}%"
    digits = word.replace("-", "")
    accounts = [hit.account_id for hit in accounts_by_words(session, [word], MAX_ACCOUNT_MATCHES)]
    return or_(
        func.lower(H.entry_number).like(f"%{digits}%"),
        func.lower(H.port_code).like(pattern),
        func.lower(PORT.name).like(pattern),
        func.lower(H.category).like(pattern),
        func.lower(H.disposition_code).like(pattern),
        func.lower(H.status_text).like(pattern),
        func.lower(A.name).like(pattern),
        H.account_id.in_(accounts),
    )


def open_hold_ids(
    session: Session,
    *,
    sort: str,
    descending: bool,
    today: date,
    text: str = "",
    threshold: ThresholdState | None = None,
    group_by: str | None = None,
) -> list[uuid.UUID]:
    """Ids of the live accounts' open holds matching the filter, grouped then sorted, ties by id."""
    if sort == "age":  # older is larger: age ascending is placed_at descending
        sort, descending = "placed_at", not descending
    order = _sort_columns(sort, today)
    if descending:
        order = [column.desc() for column in order]
    query = (
        select(H.id)
        .join(A, A.id == H.account_id)
        .outerjoin(PORT, PORT.code == H.port_code)
        .where(H.removed_at.is_(None), A.deleted_at.is_(None))
        .order_by(*_group_columns(group_by), *order, H.id)
    )
    for word in fold(text).split():
        query = query.where(_word_condition(session, word))
    if threshold is not None:
        query = query.where(threshold_rank(today) == THRESHOLD_RANK[threshold])
    return list(session.scalars(query))


def _last_actions(
    session: Session, holds: Sequence[orm.HoldRow]
) -> dict[uuid.UUID, tuple[NoteKind, datetime]]:
    """Per hold, its newest live note: linked by hold id (on ix_notes_hold_id), or naming the hold's entry
    number on the hold's account (on ix_notes_entry_number). Newest wins, whichever way it is linked.

    Both reads are index lookups by the page's keys (200 holds), so a page stays within its budget at the
    large scale; the account is compared here, as the entry number alone already narrows to a handful.
    """
    latest: dict[uuid.UUID, tuple[NoteKind, datetime]] = {}

    def keep(hold_id: uuid.UUID, kind: str, created_at: datetime) -> None:
        if hold_id not in latest or created_at > latest[hold_id][1]:
            latest[hold_id] = (NoteKind(kind), created_at)

    by_hold = select(N.hold_id, N.kind, N.created_at).where(
        N.deleted_at.is_(None), N.hold_id.in_([hold.id for hold in holds])
    )
    for hold_id, kind, created_at in session.execute(by_hold):
        assert hold_id is not None  # the IN above
        keep(hold_id, kind, created_at)
    holds_by_entry: dict[tuple[uuid.UUID, str], list[uuid.UUID]] = {}
    for hold in holds:
        holds_by_entry.setdefault((hold.account_id, hold.entry_number), []).append(hold.id)
    by_entry = select(N.account_id, N.entry_number, N.kind, N.created_at).where(
        N.deleted_at.is_(None), N.entry_number.in_(sorted({entry for _account, entry in holds_by_entry}))
    )
    for account_id, entry_number, kind, created_at in session.execute(by_entry):
        for hold_id in holds_by_entry.get((account_id, entry_number or ""), ()):
            keep(hold_id, kind, created_at)
    return latest


def open_hold_rows(session: Session, ids: Sequence[uuid.UUID], *, today: date) -> list[OpenHoldRow]:
    """The board rows of `ids`, in the order given; ids no longer open (released meanwhile) are left out."""
    if not ids:
        return []
    query = (
        select(H, A.name, PORT.name)
        .join(A, A.id == H.account_id)
        .outerjoin(PORT, PORT.code == H.port_code)
        .where(H.id.in_(list(ids)), H.removed_at.is_(None), A.deleted_at.is_(None))
    )
    found = {hold.id: (hold, name, port) for hold, name, port in session.execute(query)}
    actions = _last_actions(session, [hold for hold, _name, _port in found.values()])
    rows = []
    for hold_id in ids:
        if hold_id not in found:
            continue
        base = open_hold_row(*found[hold_id], today)
        kind, at = actions.get(hold_id, (None, None))
        rows.append(_with_last_action(base, kind, at))
    return rows


def _with_last_action(row: OpenHoldRow, kind: NoteKind | None, at: datetime | None) -> OpenHoldRow:
    return replace(row, last_action_kind=kind, last_action_at=at)


def hold_account(session: Session, hold_id: uuid.UUID) -> tuple[uuid.UUID, str] | None:
    """(account id, canonical entry number) of a hold, None when there is no such hold."""
    row = session.execute(select(H.account_id, H.entry_number).where(H.id == hold_id)).first()
    return None if row is None else (row[0], row[1])
