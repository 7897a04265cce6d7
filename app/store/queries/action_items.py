"""An account's action plan: its live action items in plan order, written through the ORM.

Order is `position`, then creation order (the UUIDv7 id): rows written in bulk (demo, imports) may share a
position, and the id keeps their order stable. Moving an item renumbers the plan 0..n-1 first so that a swap
of two positions always moves it exactly one place; the positions before the move are returned, so that undo
puts every row back where it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import ActionStatus
from app.domain.errors import NotFoundError, ValidationError
from app.domain.model import ActionItem
from app.store import orm
from app.store.queries.contacts import live_account

I = orm.ActionItemRow  # noqa: E741 (same one-letter alias style as the other query modules)

# The columns a person edits; the service hands exactly these keys to `insert_item` / `update_item`.
ACTION_FIELDS = ("issue", "root_cause", "action", "owner", "due_on", "status")

FieldValue = str | date | None


def to_action_item(row: orm.ActionItemRow) -> ActionItem:
    return ActionItem(
        id=row.id,
        account_id=row.account_id,
        issue=row.issue,
        action=row.action,
        root_cause=row.root_cause,
        owner=row.owner,
        due_on=row.due_on,
        status=ActionStatus(row.status),
        position=row.position,
    )


def _item_row(session: Session, item_id: uuid.UUID, *, deleted: bool = False) -> orm.ActionItemRow:
    """The item, live (or tombstoned with `deleted`); NotFoundError otherwise."""
    row = session.get(I, item_id)
    if row is None or (row.deleted_at is not None) != deleted:
        state = "deleted action item" if deleted else "action item"
        raise NotFoundError(f"{state} {item_id} not found (it may have been deleted or restored)")
    return row


def _live_rows(session: Session, account_id: uuid.UUID) -> list[orm.ActionItemRow]:
    query = select(I).where(I.account_id == account_id, I.deleted_at.is_(None)).order_by(I.position, I.id)
    return list(session.scalars(query))


def list_action_items(session: Session, account_id: uuid.UUID) -> list[ActionItem]:
    return [to_action_item(row) for row in _live_rows(session, account_id)]


def action_item_by_id(session: Session, item_id: uuid.UUID) -> ActionItem:
    return to_action_item(_item_row(session, item_id))


def insert_item(session: Session, account_id: uuid.UUID, values: Mapping[str, FieldValue]) -> ActionItem:
    """A new item at the end of the plan (after every live item)."""
    live_account(session, account_id)
    last = session.scalar(
        select(func.max(I.position)).where(I.account_id == account_id, I.deleted_at.is_(None))
    )
    row = I(account_id=account_id, position=0 if last is None else last + 1)
    for key in ACTION_FIELDS:
        setattr(row, key, values[key])
    session.add(row)
    session.flush()
    return to_action_item(row)


def update_item(session: Session, item_id: uuid.UUID, values: Mapping[str, FieldValue]) -> ActionItem:
    row = _item_row(session, item_id)
    for key in ACTION_FIELDS:
        setattr(row, key, values[key])
    session.flush()
    return to_action_item(row)


def set_item_deleted(session: Session, item_id: uuid.UUID, deleted: bool) -> ActionItem:
    """Tombstone a live item (`deleted`) or bring a tombstoned one back, at its old position."""
    row = _item_row(session, item_id, deleted=not deleted)
    row.deleted_at = datetime.now(UTC).replace(tzinfo=None) if deleted else None
    session.flush()
    return to_action_item(row)


def move_item(session: Session, item_id: uuid.UUID, offset: int) -> dict[uuid.UUID, int]:
    """Move a live item `offset` (-1 up, +1 down) places; returns every live item's position before."""
    row = _item_row(session, item_id)
    rows = _live_rows(session, row.account_id)
    before = {r.id: r.position for r in rows}
    at = next(n for n, r in enumerate(rows) if r.id == item_id)
    target = at + offset
    if offset not in (-1, 1) or not 0 <= target < len(rows):
        where = "first" if target < at else "last"
        raise ValidationError(f"the action item is already {where} in the plan", field="position")
    rows[at], rows[target] = rows[target], rows[at]
    for position, each in enumerate(rows):
        if each.position != position:  # untouched rows keep their version
            each.position = position
    session.flush()
    return before


def set_positions(session: Session, positions: Mapping[uuid.UUID, int]) -> None:
    """Put items back at the given positions (the undo of `move_item`); unknown or deleted ids are skipped."""
    rows = session.scalars(select(I).where(I.id.in_(list(positions)), I.deleted_at.is_(None)))
    for row in rows:
        if row.position != positions[row.id]:
            row.position = positions[row.id]
    session.flush()
