"""Editing notes on both backends: update with validation and version check, delete (tombstone) and restore,
and the account's activity timeline with its linked entries and holds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.domain.enums import HoldCategory, NoteKind
from app.domain.errors import NotFoundError, ValidationError
from app.services import notes
from app.services.workspace import Workspace
from app.store import orm
from tests.store import factories as f

CREATED = datetime(2026, 11, 2, 14, 30)


@dataclass(frozen=True)
class Data:
    acme: uuid.UUID
    zeta: uuid.UUID
    entry: str  # canonical, Acme's
    other_entry: str  # canonical, Acme's
    zeta_entry: str
    open_hold: uuid.UUID  # on `entry`
    released_hold: uuid.UUID  # on `other_entry`
    zeta_hold: uuid.UUID
    note: uuid.UUID


@pytest.fixture
def data(workspace: Workspace) -> Data:
    with workspace.database.session() as s:
        acme = f.add_account(s, "Acme Imports LLC", ["12-3456789AB"])
        zeta = f.add_account(s, "Zeta Trading Co", ["98-7654321CD"])
        entry = f.add_entry(s, acme, 1001, date(2026, 10, 20))
        other = f.add_entry(s, acme, 1002, date(2026, 10, 21))
        zeta_entry = f.add_entry(s, zeta, 2001, date(2026, 10, 22))
        open_hold = f.add_hold(s, entry, acme, datetime(2026, 10, 21, 8), category="DOC_REVIEW")
        released = f.add_hold(s, other, acme, datetime(2026, 10, 22, 8), removed_at=datetime(2026, 10, 25, 9))
        zeta_hold = f.add_hold(s, zeta_entry, zeta, datetime(2026, 10, 23, 8))
        note = f.add_note(s, acme, "Called the broker", CREATED, kind="call")
    return Data(acme, zeta, entry, other, zeta_entry, open_hold, released, zeta_hold, note)


def _row(workspace: Workspace, note_id: uuid.UUID) -> dict[str, object]:
    """Every stored column of the note, to compare whole rows."""
    with workspace.database.session() as s:
        row = s.execute(select(orm.NoteRow.__table__).where(orm.NoteRow.id == note_id)).mappings().one()
        return dict(row)


def _edit(workspace: Workspace, note_id: uuid.UUID, **changes: object):
    values: dict[str, object] = {
        "text": "Called the broker",
        "kind": NoteKind.CALL,
        "entry_number": None,
        "hold_id": None,
        "follow_up": None,
        "include_in_summary": False,
        "sensitive": False,
    }
    values.update(changes)
    return notes.update_note(workspace, note_id, **values)  # type: ignore[arg-type]


def test_update_writes_every_field_and_bumps_the_version(workspace: Workspace, data: Data) -> None:
    before = _row(workspace, data.note)
    note = _edit(
        workspace,
        data.note,
        text="  Met the broker on site\nagreed on a plan ",
        kind=NoteKind.MEETING,
        entry_number=data.other_entry[:3] + "-" + data.other_entry[3:10] + "-" + data.other_entry[10],
        follow_up=date(2026, 12, 1),
        include_in_summary=True,
        sensitive=True,
        expected_version=1,
    )
    after = _row(workspace, data.note)
    assert note.text == "Met the broker on site\nagreed on a plan"
    assert (after["text"], after["kind"], after["entry_number"]) == (note.text, "meeting", data.other_entry)
    assert (after["follow_up_on"], after["follow_up_done"]) == (date(2026, 12, 1), False)
    assert (after["include_in_summary"], after["sensitive"], after["hold_id"]) == (True, True, None)
    assert after["version"] == 2
    assert (after["author"], after["created_at"], after["account_id"]) == (
        before["author"],
        before["created_at"],
        before["account_id"],
    )


def test_linking_a_hold_sets_its_entry(workspace: Workspace, data: Data) -> None:
    note = _edit(workspace, data.note, hold_id=data.open_hold)
    assert (note.hold_id, note.entry_number) == (data.open_hold, data.entry)


def test_update_validates_like_add(workspace: Workspace, data: Data) -> None:
    before = _row(workspace, data.note)
    cases: list[tuple[dict[str, object], str, str]] = [
        ({"text": "  \n "}, "text", "the note is empty"),
        ({"entry_number": data.zeta_entry}, "entry_number", "belongs to another account"),
        ({"entry_number": "ABC-0009999-1"}, "entry_number", "check digit should be|not in the database"),
        ({"entry_number": "12"}, "entry_number", "must be 11 characters"),
        ({"hold_id": data.zeta_hold}, "hold_id", "belongs to another account"),
        ({"hold_id": uuid.uuid4()}, "hold_id", "is not in the database"),
    ]
    for changes, field, words in cases:
        with pytest.raises(ValidationError, match=words) as caught:
            _edit(workspace, data.note, **({"text": "changed"} | changes))
        assert caught.value.field == field, changes
    assert _row(workspace, data.note) == before  # nothing written


def test_stale_version_is_refused_without_writing(workspace: Workspace, data: Data) -> None:
    _edit(workspace, data.note, text="First edit", expected_version=1)
    before = _row(workspace, data.note)
    with pytest.raises(ValidationError, match="changed elsewhere") as caught:
        _edit(workspace, data.note, text="Second edit from an old copy", expected_version=1)
    assert caught.value.field == "version"
    assert _row(workspace, data.note) == before


def test_follow_up_done_kept_while_the_date_stays_and_reopened_when_it_moves(
    workspace: Workspace, data: Data
) -> None:
    with workspace.database.session() as s:
        f.set_note_follow_up(s, data.note, date(2026, 11, 20), done=True)
    _edit(workspace, data.note, text="Reworded", follow_up=date(2026, 11, 20))
    assert _row(workspace, data.note)["follow_up_done"] is True
    _edit(workspace, data.note, follow_up=date(2026, 11, 27))
    assert _row(workspace, data.note)["follow_up_done"] is False
    _edit(workspace, data.note, follow_up=date(2026, 11, 20), follow_up_done=True)  # what undo does
    assert (_row(workspace, data.note)["follow_up_on"], _row(workspace, data.note)["follow_up_done"]) == (
        date(2026, 11, 20),
        True,
    )


def test_delete_tombstones_and_restore_brings_the_same_note_back(workspace: Workspace, data: Data) -> None:
    before = _row(workspace, data.note)
    notes.delete_note(workspace, data.note)
    deleted = _row(workspace, data.note)
    assert deleted["deleted_at"] is not None  # still there: a tombstone, never a hard delete
    assert notes.account_activity(workspace, data.acme) == []
    assert notes.list_notes(workspace, str(data.acme)) == []
    with pytest.raises(NotFoundError):
        notes.delete_note(workspace, data.note)
    with pytest.raises(NotFoundError):
        _edit(workspace, data.note, text="edit a deleted note")
    notes.restore_note(workspace, data.note)
    restored = _row(workspace, data.note)
    ignored = {"version", "updated_at", "sync_seq"}  # bookkeeping: the team server stamps every write
    assert {k: v for k, v in restored.items() if k not in ignored} == {
        k: v for k, v in before.items() if k not in ignored
    }
    assert [item.note.id for item in notes.account_activity(workspace, data.acme)] == [data.note]
    with pytest.raises(NotFoundError):
        notes.restore_note(workspace, uuid.uuid4())


def test_account_activity_newest_first_with_entry_and_hold(workspace: Workspace, data: Data) -> None:
    newer = notes.add_note(workspace, str(data.acme), "Emailed about the hold", hold_id=data.open_hold)
    linked = notes.add_note(workspace, str(data.acme), "Released", hold_id=data.released_hold)
    with workspace.database.session() as s:
        f.add_note(s, data.acme, "Deleted", CREATED, deleted=True)
        f.add_note(s, data.zeta, "Other account", CREATED)
    items = notes.account_activity(workspace, data.acme)
    assert [item.note.id for item in items] == [linked.id, newer.id, data.note]
    first, second, third = items
    assert second.entry_number == f"{data.entry[:3]}-{data.entry[3:10]}-{data.entry[10]}"
    assert second.hold is not None
    assert (second.hold.hold_id, second.hold.category, second.hold.is_open) == (
        data.open_hold,
        HoldCategory.DOC_REVIEW,
        True,
    )
    assert second.hold.port_code == "2704"
    assert second.hold.placed_at == datetime(2026, 10, 21, 8)
    assert first.hold is not None and first.hold.is_open is False
    assert (third.entry_number, third.hold, third.version) == ("", None, 1)


def test_account_open_holds_newest_first(workspace: Workspace, data: Data) -> None:
    with workspace.database.session() as s:
        later = f.add_hold(s, data.entry, data.acme, datetime(2026, 10, 24, 8), category="NII")
    holds = notes.account_open_holds(workspace, data.acme)
    assert [hold.hold_id for hold in holds] == [later, data.open_hold]
    assert all(hold.is_open for hold in holds)
    assert notes.account_open_holds(workspace, data.zeta)[0].hold_id == data.zeta_hold
