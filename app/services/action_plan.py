"""An account's action plan (issue → root cause → action → owner → due → status): list, add, edit, delete,
restore and reorder its items, each validated first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from app.domain.enums import ActionStatus
from app.domain.errors import ValidationError
from app.domain.model import ActionItem
from app.services.workspace import Workspace
from app.store.queries import action_items as queries

OWNER_MAX_LENGTH = 120  # orm.ActionItemRow.owner


@dataclass(frozen=True, slots=True)
class ActionFields:
    """What a person edits on an action item (everything but its id, account and position)."""

    issue: str
    action: str
    root_cause: str = ""
    owner: str = ""
    due_on: date | None = None
    status: ActionStatus = ActionStatus.OPEN

    @classmethod
    def of(cls, item: ActionItem) -> ActionFields:
        return cls(
            issue=item.issue,
            action=item.action,
            root_cause=item.root_cause,
            owner=item.owner,
            due_on=item.due_on,
            status=item.status,
        )


def validate_action(fields: ActionFields) -> ActionFields:
    """The fields trimmed as they would be stored, or ValidationError(message, field=...) for the first
    problem. Needs no database, so the edit dialog checks as the person types."""
    fields = replace(
        fields,
        issue=fields.issue.strip(),
        action=fields.action.strip(),
        root_cause=fields.root_cause.strip(),
        owner=fields.owner.strip(),
    )
    if not fields.issue:
        raise ValidationError("an action item needs the issue it addresses", field="issue")
    if not fields.action:
        raise ValidationError("an action item needs the action to take", field="action")
    if len(fields.owner) > OWNER_MAX_LENGTH:
        raise ValidationError(f"owner is too long (at most {OWNER_MAX_LENGTH} characters)", field="owner")
    try:
        status = ActionStatus(fields.status)
    except ValueError:
        known = ", ".join(status.value for status in ActionStatus)
        raise ValidationError(
            f"unknown status {fields.status!r}: use one of {known}", field="status"
        ) from None
    return replace(fields, status=status)


def _values(fields: ActionFields) -> dict[str, str | date | None]:
    checked = validate_action(fields)
    return {
        "issue": checked.issue,
        "root_cause": checked.root_cause,
        "action": checked.action,
        "owner": checked.owner,
        "due_on": checked.due_on,
        "status": checked.status.value,
    }


def list_action_items(ws: Workspace, account_id: uuid.UUID) -> list[ActionItem]:
    """The account's live action items in plan order."""
    with ws.database.session() as session:
        return queries.list_action_items(session, account_id)


def add_action_item(ws: Workspace, account_id: uuid.UUID, fields: ActionFields) -> ActionItem:
    """A new item at the end of the account's plan."""
    values = _values(fields)
    with ws.database.session() as session:
        return queries.insert_item(session, account_id, values)


def update_action_item(ws: Workspace, item_id: uuid.UUID, fields: ActionFields) -> ActionItem:
    values = _values(fields)
    with ws.database.session() as session:
        return queries.update_item(session, item_id, values)


def delete_action_item(ws: Workspace, item_id: uuid.UUID) -> ActionItem:
    """Tombstone a live item (it can be restored); returns it as it was."""
    with ws.database.session() as session:
        return queries.set_item_deleted(session, item_id, True)


def restore_action_item(ws: Workspace, item_id: uuid.UUID) -> ActionItem:
    """Bring a deleted item back at its old position (the undo of a delete, the redo of an add)."""
    with ws.database.session() as session:
        return queries.set_item_deleted(session, item_id, False)


def move_action_item(ws: Workspace, item_id: uuid.UUID, offset: int) -> dict[uuid.UUID, int]:
    """Move an item one place up (`offset` -1) or down (+1); returns the positions before, for
    `restore_positions`. ValidationError when it is already first (last)."""
    with ws.database.session() as session:
        return queries.move_item(session, item_id, offset)


def restore_positions(ws: Workspace, positions: dict[uuid.UUID, int]) -> None:
    """Put the items back at the positions `move_action_item` returned (its undo)."""
    with ws.database.session() as session:
        queries.set_positions(session, positions)
