"""Follow-ups on both backends: what is listed, in which bucket and order, and mark done / reopen."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest

from app.domain.enums import ActionStatus
from app.domain.errors import NotFoundError, ValidationError
from app.domain.followups import Bucket
from app.services.followups import list_followups, mark_done, reopen
from app.services.workspace import Workspace
from app.store import orm
from tests.store import factories as f

TODAY = date(2025, 3, 12)  # a Wednesday: this week runs to Sunday 03/16
CREATED = datetime(2025, 3, 1, 9, 0)


@pytest.fixture
def data(workspace: Workspace) -> dict[str, uuid.UUID]:
    with workspace.database.session() as s:
        acme = f.add_account(s, "Acme Imports LLC", ["12-3456789AB"])
        zeta = f.add_account(s, "Zeta Trading Co", ["98-7654321CD"])
        gone = f.add_account(s, "Gone Corp", ["11-1111111AA"], deleted=True)
        ids = {"acme": acme, "zeta": zeta}
        for key, account, text, due, extra in [
            ("overdue", acme, "Call broker about CF-28\nsecond line", date(2025, 3, 10), {}),
            ("today", zeta, "Email TCM", TODAY, {"kind": "email"}),
            ("week", acme, "Sensitive matter", date(2025, 3, 16), {"sensitive": True}),
            ("later", zeta, "Visit plant", date(2025, 3, 17), {"kind": "visit"}),
            ("done", acme, "Already done", date(2025, 3, 11), {}),
            ("deleted", acme, "Deleted note", date(2025, 3, 11), {"deleted": True}),
            ("gone", gone, "Note on a deleted account", date(2025, 3, 11), {}),
        ]:
            ids[key] = f.add_note(s, account, text, CREATED, **extra)
            f.set_note_follow_up(s, ids[key], due, done=key == "done")
        ids["no_date"] = f.add_note(s, acme, "No follow-up", CREATED)
        ids["act_open"] = f.add_action_item(
            s, zeta, "Late ISF filings", "Train broker", due_on=date(2025, 3, 12)
        )
        ids["act_prog"] = f.add_action_item(
            s, acme, "Valuation gaps", "Review assists", due_on=date(2025, 3, 1), status="in_progress"
        )
        ids["act_done"] = f.add_action_item(s, acme, "Old", "Closed", due_on=date(2025, 3, 1), status="done")
        ids["act_cancel"] = f.add_action_item(s, acme, "X", "Y", due_on=date(2025, 3, 1), status="cancelled")
        ids["act_nodate"] = f.add_action_item(s, acme, "No date", "Whenever")
        ids["act_deleted"] = f.add_action_item(s, acme, "Del", "Del", due_on=TODAY, deleted=True)
    return ids


def test_lists_open_followups_by_bucket_then_due_date(
    workspace: Workspace, data: dict[str, uuid.UUID]
) -> None:
    items = list_followups(workspace, today=TODAY)
    # Equal dates go by account name, then id (time-ordered): the Zeta note was created before the Zeta item.
    assert [item.id for item in items] == [
        data["act_prog"],
        data["overdue"],
        data["today"],
        data["act_open"],
        data["week"],
        data["later"],
    ]
    buckets = [item.bucket for item in items]
    assert buckets == [
        Bucket.OVERDUE,
        Bucket.OVERDUE,
        Bucket.TODAY,
        Bucket.TODAY,
        Bucket.THIS_WEEK,
        Bucket.LATER,
    ]
    assert not any(item.done for item in items)


def test_rows_carry_text_kind_owner_and_sensitivity(workspace: Workspace, data: dict[str, uuid.UUID]) -> None:
    by_id = {item.id: item for item in list_followups(workspace, today=TODAY)}
    note = by_id[data["overdue"]]
    assert (note.source, note.text, note.kind, note.owner) == (
        "note",
        "Call broker about CF-28",
        "note",
        "tester",
    )
    assert note.account_name == "Acme Imports LLC" and note.account_id == data["acme"]
    assert by_id[data["week"]].sensitive and not note.sensitive
    action = by_id[data["act_prog"]]
    assert (action.source, action.text, action.kind) == (
        "action",
        "Valuation gaps → Review assists",
        "action",
    )
    assert action.action_status == ActionStatus.IN_PROGRESS


def test_include_done_adds_done_items_never_cancelled(
    workspace: Workspace, data: dict[str, uuid.UUID]
) -> None:
    items = {item.id: item for item in list_followups(workspace, today=TODAY, include_done=True)}
    assert items[data["done"]].done and items[data["act_done"]].done
    assert data["act_cancel"] not in items and data["deleted"] not in items and data["gone"] not in items


def _versions(workspace: Workspace, row_type: type, item_id: uuid.UUID) -> tuple[int, datetime]:
    with workspace.database.session() as s:
        row = s.get(row_type, item_id)
        assert row is not None
        return row.version, row.updated_at


@pytest.mark.parametrize(
    ("key", "source", "row_type"),
    [("overdue", "note", orm.NoteRow), ("act_prog", "action", orm.ActionItemRow)],
)
def test_mark_done_bumps_version_and_reopen_restores(
    workspace: Workspace, data: dict[str, uuid.UUID], key: str, source: str, row_type: type
) -> None:
    version, updated = _versions(workspace, row_type, data[key])
    mark_done(workspace, source, data[key])
    assert data[key] not in {item.id for item in list_followups(workspace, today=TODAY)}
    new_version, new_updated = _versions(workspace, row_type, data[key])
    assert new_version == version + 1 and new_updated > updated
    reopen(workspace, source, data[key], status=ActionStatus.IN_PROGRESS)
    again = {item.id: item for item in list_followups(workspace, today=TODAY)}
    assert not again[data[key]].done
    if source == "action":
        assert again[data[key]].action_status == ActionStatus.IN_PROGRESS
    assert _versions(workspace, row_type, data[key])[0] == version + 2


@pytest.mark.parametrize("key", ["deleted", "act_deleted", "unknown"])
def test_mark_done_refuses_unknown_or_deleted(
    workspace: Workspace, data: dict[str, uuid.UUID], key: str
) -> None:
    item_id = data.get(key, uuid.uuid4())
    source = "action" if key.startswith("act") else "note"
    with pytest.raises(NotFoundError):
        mark_done(workspace, source, item_id)
    with pytest.raises(NotFoundError):
        reopen(workspace, source, item_id)


def test_unknown_source_is_a_validation_error(workspace: Workspace, data: dict[str, uuid.UUID]) -> None:
    with pytest.raises(ValidationError):
        mark_done(workspace, "email", data["overdue"])
    with pytest.raises(ValidationError):
        reopen(workspace, "action", data["act_prog"], status=ActionStatus.DONE)
