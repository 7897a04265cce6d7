"""Follow-ups: notes with a follow-up date and action items with a due date, on live accounts.

Both lists are read through the partial indexes on the open ones (`ix_notes_open_follow_up`; action items by
account) and joined once to `accounts` for the name. Writes go through the ORM, so the mapper's `version`
counter bumps and `updated_at` moves, as on every synced row.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.domain.enums import ActionStatus
from app.domain.errors import NotFoundError
from app.domain.followups import ACTION_KIND, FollowUp, action_summary, bucket_for, first_line
from app.store import orm

N = orm.NoteRow
I = orm.ActionItemRow  # noqa: E741 (same one-letter alias style as the other query modules)
A = orm.AccountRow

Row = TypeVar("Row", orm.NoteRow, orm.ActionItemRow)

CLOSED_ACTION_STATUSES = (ActionStatus.DONE.value, ActionStatus.CANCELLED.value)


def _note_query(include_done: bool) -> Select:
    query = (
        select(
            N.id,
            N.account_id,
            A.name,
            N.follow_up_on,
            N.text,
            N.kind,
            N.author,
            N.follow_up_done,
            N.sensitive,
        )
        .join(A, A.id == N.account_id)
        .where(N.follow_up_on.is_not(None), N.deleted_at.is_(None), A.deleted_at.is_(None))
    )
    # `= false` (not `IS false`) so that the planner matches the partial index's predicate.
    return query if include_done else query.where(N.follow_up_done == False)  # noqa: E712


def _action_query(include_done: bool) -> Select:
    # Cancelled items are never follow-ups: nothing was done and nothing is left to do.
    hidden = (ActionStatus.CANCELLED.value,) if include_done else CLOSED_ACTION_STATUSES
    return (
        select(I.id, I.account_id, A.name, I.due_on, I.issue, I.action, I.owner, I.status)
        .join(A, A.id == I.account_id)
        .where(
            I.due_on.is_not(None),
            I.deleted_at.is_(None),
            A.deleted_at.is_(None),
            I.status.not_in(hidden),
        )
    )


def list_followups(session: Session, today: date, *, include_done: bool = False) -> list[FollowUp]:
    """Open follow-ups (and done ones too with `include_done`), by bucket, due date, account name, id."""
    items: list[FollowUp] = []
    for row in session.execute(_note_query(include_done)):
        items.append(
            FollowUp(
                source="note",
                id=row.id,
                account_id=row.account_id,
                account_name=row.name,
                due_on=row.follow_up_on,
                text=first_line(row.text),
                kind=row.kind,
                owner=row.author,
                bucket=bucket_for(row.follow_up_on, today),
                done=bool(row.follow_up_done),
                sensitive=bool(row.sensitive),
            )
        )
    for row in session.execute(_action_query(include_done)):
        status = ActionStatus(row.status)
        items.append(
            FollowUp(
                source="action",
                id=row.id,
                account_id=row.account_id,
                account_name=row.name,
                due_on=row.due_on,
                text=action_summary(row.issue, row.action),
                kind=ACTION_KIND,
                owner=row.owner,
                bucket=bucket_for(row.due_on, today),
                done=status == ActionStatus.DONE,
                action_status=status,
            )
        )
    items.sort(key=lambda item: item.sort_key)
    return items


def _live(session: Session, row_type: type[Row], item_id: uuid.UUID, what: str) -> Row:
    row = session.get(row_type, item_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"{what} {item_id} not found (it may have been deleted)")
    return row


def set_note_follow_up_done(session: Session, note_id: uuid.UUID, done: bool) -> None:
    """Tick (or untick) a note's follow-up; NotFoundError for an unknown or deleted note."""
    row = _live(session, N, note_id, "note")
    if row.follow_up_on is None:
        raise NotFoundError(f"note {note_id} has no follow-up date")
    row.follow_up_done = done
    session.flush()


def set_action_status(session: Session, item_id: uuid.UUID, status: ActionStatus) -> None:
    """Set an action item's status; NotFoundError for an unknown or deleted item."""
    row = _live(session, I, item_id, "action item")
    row.status = status.value
    session.flush()
