"""Action plan service: validation, order, tombstones, moves and their undo, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import ActionStatus
from app.domain.errors import NotFoundError, ValidationError
from app.services import action_plan as service
from app.services.action_plan import ActionFields
from app.services.workspace import Workspace
from app.store import orm
from tests.store import factories as f

VALUATION = ActionFields(
    issue=" Valuation gaps on assists ",
    action="Review assist declarations with the broker",
    root_cause="Tooling supplied free of charge not declared",
    owner="Dana Broker",
    due_on=date(2025, 4, 30),
    status=ActionStatus.IN_PROGRESS,
)


@pytest.fixture
def account_id(workspace: Workspace) -> uuid.UUID:
    with workspace.database.session() as s:
        return f.add_account(s, "Acme Imports LLC", ["12-3456789AB"])


def issues(workspace: Workspace, account_id: uuid.UUID) -> list[str]:
    return [item.issue for item in service.list_action_items(workspace, account_id)]


def positions(workspace: Workspace, account_id: uuid.UUID) -> dict[uuid.UUID, int]:
    with workspace.database.session() as s:
        rows = s.execute(select(orm.ActionItemRow.id, orm.ActionItemRow.position))
        return {row.id: row.position for row in rows}


def add_plan(workspace: Workspace, account_id: uuid.UUID, *names: str) -> list[uuid.UUID]:
    return [service.add_action_item(workspace, account_id, ActionFields(n, f"fix {n}")).id for n in names]


def test_add_appends_at_the_end_with_trimmed_fields(workspace: Workspace, account_id: uuid.UUID) -> None:
    first = service.add_action_item(workspace, account_id, VALUATION)
    second = service.add_action_item(
        workspace, account_id, ActionFields("ISF late filings", "Train the team")
    )
    assert (first.position, second.position) == (0, 1)
    assert first.issue == "Valuation gaps on assists"
    assert ActionFields.of(first) == replace(VALUATION, issue="Valuation gaps on assists")
    assert second.status is ActionStatus.OPEN and second.due_on is None
    assert issues(workspace, account_id) == ["Valuation gaps on assists", "ISF late filings"]


def test_update_writes_every_field(workspace: Workspace, account_id: uuid.UUID) -> None:
    item = service.add_action_item(workspace, account_id, VALUATION)
    changed = ActionFields("Issue 2", "Action 2", "Cause 2", "Owner 2", date(2025, 5, 2), ActionStatus.DONE)
    updated = service.update_action_item(workspace, item.id, changed)
    assert ActionFields.of(updated) == changed
    assert ActionFields.of(service.list_action_items(workspace, account_id)[0]) == changed


@pytest.mark.parametrize(
    ("change", "field"),
    [({"issue": "  "}, "issue"), ({"action": ""}, "action"), ({"owner": "o" * 121}, "owner")],
)
def test_invalid_items_name_the_field_and_write_nothing(
    workspace: Workspace, account_id: uuid.UUID, change: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        service.add_action_item(workspace, account_id, replace(VALUATION, **change))
    assert caught.value.field == field
    item = service.add_action_item(workspace, account_id, VALUATION)
    with pytest.raises(ValidationError):
        service.update_action_item(workspace, item.id, replace(VALUATION, **change))
    assert service.list_action_items(workspace, account_id) == [item]


def test_unknown_status_is_refused(workspace: Workspace, account_id: uuid.UUID) -> None:
    with pytest.raises(ValidationError, match="unknown status") as caught:
        service.add_action_item(workspace, account_id, replace(VALUATION, status="parked"))  # type: ignore[arg-type]
    assert caught.value.field == "status"


def test_delete_and_restore_keep_the_position(workspace: Workspace, account_id: uuid.UUID) -> None:
    ids = add_plan(workspace, account_id, "a", "b", "c")
    service.delete_action_item(workspace, ids[1])
    assert issues(workspace, account_id) == ["a", "c"]
    with pytest.raises(NotFoundError):
        service.update_action_item(workspace, ids[1], VALUATION)
    with pytest.raises(NotFoundError):
        service.delete_action_item(workspace, ids[1])
    service.restore_action_item(workspace, ids[1])
    assert issues(workspace, account_id) == ["a", "b", "c"]
    with pytest.raises(NotFoundError):
        service.restore_action_item(workspace, ids[1])


def test_move_swaps_neighbours_and_restore_positions_undoes_it(
    workspace: Workspace, account_id: uuid.UUID
) -> None:
    with workspace.database.session() as s:  # bulk-written rows share position 0: creation order breaks ties
        old = [f.add_action_item(s, account_id, name, f"fix {name}") for name in ("a", "b", "c")]
    before = positions(workspace, account_id)
    returned = service.move_action_item(workspace, old[2], -1)
    assert returned == before
    assert issues(workspace, account_id) == ["a", "c", "b"]
    service.move_action_item(workspace, old[0], 1)
    assert issues(workspace, account_id) == ["c", "a", "b"]
    with pytest.raises(ValidationError, match="already first"):
        service.move_action_item(workspace, old[2], -1)
    with pytest.raises(ValidationError, match="already last"):
        service.move_action_item(workspace, old[1], 1)
    service.restore_positions(workspace, before)
    assert positions(workspace, account_id) == before
    assert issues(workspace, account_id) == ["a", "b", "c"]


def test_moves_ignore_other_accounts_and_deleted_items(workspace: Workspace, account_id: uuid.UUID) -> None:
    with workspace.database.session() as s:
        other = f.add_account(s, "Zeta Trading Co")
    ids = add_plan(workspace, account_id, "a", "b", "c")
    add_plan(workspace, other, "z")
    service.delete_action_item(workspace, ids[1])
    service.move_action_item(workspace, ids[2], -1)
    assert issues(workspace, account_id) == ["c", "a"]
    assert issues(workspace, other) == ["z"]
    new = service.add_action_item(workspace, account_id, ActionFields("d", "fix d"))
    assert issues(workspace, account_id)[-1] == "d" and new.position == 2


def test_items_of_unknown_accounts_are_refused(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError):
        service.add_action_item(workspace, uuid.uuid4(), VALUATION)
