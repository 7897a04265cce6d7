"""The held-shipments board queries: ids sorted and filtered in SQL, threshold state in SQL matching the
domain rule, pages of rows by id with the AE's last action."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from app.domain.calendar import add_business_days
from app.domain.deadlines import hold_age_business_days, hold_threshold_state
from app.domain.enums import HoldCategory, NoteKind, ThresholdState
from app.domain.errors import ValidationError
from app.services import holdboard, notes
from app.services.workspace import Workspace
from app.store import orm
from app.store.queries.holdboard import business_cutoff
from tests.store import factories as f

TODAY = date(2026, 11, 20)  # a Friday; Veterans Day (Wed 11 Nov) is a holiday


def test_business_cutoff_is_the_last_placed_day_of_that_age() -> None:
    for today in (TODAY + timedelta(days=offset) for offset in range(-20, 10)):
        for days in (5, 10):
            cutoff = business_cutoff(today, days)
            assert hold_age_business_days(cutoff, today) >= days
            assert hold_age_business_days(cutoff + timedelta(days=1), today) < days


@dataclass(frozen=True)
class Board:
    cafe: uuid.UUID
    zeta: uuid.UUID
    holds: dict[str, uuid.UUID]  # label -> hold id
    entries: dict[str, str]  # label -> canonical entry number


def _placed(days_back: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_back), datetime.min.time()).replace(hour=9)


@pytest.fixture
def board(workspace: Workspace) -> Board:
    # Holds around every cut-off: business days 4/5 and 9/10 before TODAY, calendar days 29/30, a UFLPA hold
    # with and without a notice date, a PGA hold (no clock), a released hold and one of a deleted account.
    spec = {
        "nii_4": ("cafe", HoldCategory.NII, _placed_business(4), "2704"),
        "nii_5": ("cafe", HoldCategory.NII, _placed_business(5), "2704"),
        "doc_9": ("zeta", HoldCategory.DOC_REVIEW, _placed_business(9), "1001"),
        "doc_10": ("zeta", HoldCategory.DOC_REVIEW, _placed_business(10), "1001"),
        "cet_29": ("cafe", HoldCategory.CET, _placed(29), "2704"),
        "cet_30": ("zeta", HoldCategory.CET, _placed(30), "2704"),
        "uflpa_new": ("cafe", HoldCategory.UFLPA, _placed(3), "2704"),
        "uflpa_old": ("zeta", HoldCategory.UFLPA, _placed(40), "1001"),
        "pga_old": ("zeta", HoldCategory.PGA_FDA, _placed(60), "1001"),
    }
    with workspace.database.session() as session:
        cafe = f.add_account(session, "Café Élan Imports")
        zeta = f.add_account(session, "Zeta Tools")
        gone = f.add_account(session, "Gone Ltd", deleted=True)
        owners = {"cafe": cafe, "zeta": zeta}
        holds: dict[str, uuid.UUID] = {}
        entries: dict[str, str] = {}
        for serial, (label, (owner, category, placed, port)) in enumerate(spec.items(), start=1):
            entries[label] = f.add_entry(session, owners[owner], serial, placed.date(), port=port)
            holds[label] = f.add_hold(
                session, entries[label], owners[owner], placed, category=category, port=port
            )
        # the old UFLPA hold's notice came 20 days after it was placed: its response window is still open
        uflpa = session.get(orm.HoldRow, holds["uflpa_old"])
        assert uflpa is not None
        uflpa.detention_notice_on = TODAY - timedelta(days=20)
        released = f.add_entry(session, cafe, 90, TODAY)
        f.add_hold(session, released, cafe, _placed(40), removed_at=_placed(1))
        orphan = f.add_entry(session, gone, 91, TODAY)
        f.add_hold(session, orphan, gone, _placed(40))
    return Board(cafe, zeta, holds, entries)


def _placed_business(days: int) -> datetime:
    return datetime.combine(add_business_days(TODAY, -days), datetime.min.time()).replace(hour=14)


def _ids(workspace: Workspace, **kwargs: object) -> list[uuid.UUID]:
    options: dict = {"sort": "placed_at", "descending": False, "today": TODAY, **kwargs}
    return holdboard.open_hold_ids(workspace, **options)


def test_threshold_state_in_sql_matches_the_domain_rule(workspace: Workspace, board: Board) -> None:
    rows = holdboard.open_hold_rows(workspace, _ids(workspace), today=TODAY)
    assert {row.hold_id for row in rows} == set(board.holds.values())
    for state in ThresholdState:
        expected = {row.hold_id for row in rows if row.threshold == state}
        assert set(_ids(workspace, threshold=state)) == expected, state
    by_id = {row.hold_id: row for row in rows}
    for label in ("nii_4", "nii_5", "doc_9", "doc_10", "cet_29", "cet_30", "uflpa_new", "pga_old"):
        row = by_id[board.holds[label]]
        assert row.threshold == hold_threshold_state(row.category, row.placed_at.date(), TODAY), label
    assert by_id[board.holds["nii_4"]].threshold == ThresholdState.OK
    assert by_id[board.holds["nii_5"]].threshold == ThresholdState.DECISION_DUE
    assert by_id[board.holds["doc_10"]].threshold == ThresholdState.NOTICE_DUE
    assert by_id[board.holds["cet_30"]].threshold == ThresholdState.EXCLUSION
    assert by_id[board.holds["uflpa_old"]].threshold == ThresholdState.DECISION_DUE  # notice 20 days ago
    assert by_id[board.holds["pga_old"]].threshold == ThresholdState.OK


def test_sorts_are_sql_orders(workspace: Workspace, board: Board) -> None:
    rows = holdboard.open_hold_rows(workspace, _ids(workspace), today=TODAY)
    placed = [row.placed_at for row in rows]
    assert placed == sorted(placed)
    assert _ids(workspace, sort="age") == _ids(workspace, sort="placed_at", descending=True)
    for key in holdboard.SORT_KEYS:
        ascending = _ids(workspace, sort=key)
        assert sorted(ascending) == sorted(board.holds.values()), key
    accounts = [
        row.account_name for row in holdboard.open_hold_rows(workspace, _ids(workspace, sort="account"))
    ]
    assert accounts == sorted(accounts, key=str.lower)
    threshold = holdboard.open_hold_rows(
        workspace, _ids(workspace, sort="threshold", descending=True), today=TODAY
    )
    assert threshold[0].threshold == ThresholdState.EXCLUSION and threshold[-1].threshold == ThresholdState.OK
    grouped = holdboard.open_hold_rows(workspace, _ids(workspace, group_by="port", sort="age"), today=TODAY)
    assert [row.port_code for row in grouped] == sorted(row.port_code for row in grouped)
    with pytest.raises(ValidationError):
        _ids(workspace, sort="colour")
    with pytest.raises(ValidationError):
        _ids(workspace, group_by="colour")


def test_text_filter_over_entry_account_port_and_status(workspace: Workspace, board: Board) -> None:
    cafe_holds = {board.holds[label] for label in ("nii_4", "nii_5", "cet_29", "uflpa_new")}
    assert set(_ids(workspace, text="cafe")) == cafe_holds  # accents and case do not matter
    assert set(_ids(workspace, text="ÉLAN")) == cafe_holds
    display = board.entries["doc_9"]
    hyphenated = f"{display[:3]}-{display[3:10]}-{display[10]}"
    assert _ids(workspace, text=hyphenated) == [board.holds["doc_9"]]
    assert set(_ids(workspace, text="1001 zeta")) == {
        board.holds[label] for label in ("doc_9", "doc_10", "uflpa_old", "pga_old")
    }
    assert _ids(workspace, text="no-such-thing") == []


def test_rows_keep_the_id_order_and_skip_closed_holds(workspace: Workspace, board: Board) -> None:
    wanted = [board.holds["pga_old"], uuid.uuid4(), board.holds["nii_4"]]
    rows = holdboard.open_hold_rows(workspace, wanted, today=TODAY)
    assert [row.hold_id for row in rows] == [board.holds["pga_old"], board.holds["nii_4"]]
    assert rows[1].entry_number.count("-") == 2
    assert rows[1].age_business_days == 4
    assert holdboard.open_hold_rows(workspace, []) == []


def test_last_action_is_the_newest_note_on_the_hold(workspace: Workspace, board: Board) -> None:
    hold = board.holds["nii_5"]
    assert holdboard.open_hold_rows(workspace, [hold])[0].last_action_kind is None
    notes.add_note(workspace, str(board.cafe), "asked the port", kind=NoteKind.CALL, hold_id=hold)
    note = notes.add_note(workspace, str(board.cafe), "sent papers", kind=NoteKind.EMAIL, hold_id=hold)
    assert note.entry_number == board.entries["nii_5"]  # taken from the hold
    row = holdboard.open_hold_rows(workspace, [hold, board.holds["nii_4"]])
    assert (row[0].last_action_kind, row[0].last_action_at) == (NoteKind.EMAIL, note.created_at)
    assert row[1].last_action_kind is None


def test_a_note_names_a_hold_of_its_own_account(workspace: Workspace, board: Board) -> None:
    with pytest.raises(ValidationError, match="another account"):
        notes.add_note(workspace, str(board.zeta), "wrong", hold_id=board.holds["nii_5"])
    with pytest.raises(ValidationError, match="not in the database"):
        notes.add_note(workspace, str(board.zeta), "wrong", hold_id=uuid.uuid4())


def _note_on_entry(
    workspace: Workspace, account: uuid.UUID, entry: str, kind: NoteKind, at: datetime, **links: object
) -> None:
    with workspace.database.session() as session:
        note_id = f.add_note(session, account, f"{kind} about {entry}", at, kind=kind.value)
        row = session.get(orm.NoteRow, note_id)
        assert row is not None
        row.entry_number = entry
        for name, value in links.items():
            setattr(row, name, value)


def test_last_action_also_counts_notes_naming_the_entry(workspace: Workspace, board: Board) -> None:
    hold, entry = board.holds["nii_5"], board.entries["nii_5"]
    day = datetime(2026, 11, 18, 10, 0)
    _note_on_entry(workspace, board.cafe, entry, NoteKind.CALL, day, hold_id=hold)
    _note_on_entry(workspace, board.cafe, entry, NoteKind.MEETING, day + timedelta(hours=2))
    # Newer, but not the account's own note, or tombstoned: neither is the AE's last action on this hold.
    _note_on_entry(workspace, board.zeta, entry, NoteKind.VISIT, day + timedelta(hours=3))
    _note_on_entry(workspace, board.cafe, entry, NoteKind.EMAIL, day + timedelta(hours=4), deleted_at=day)
    rows = holdboard.open_hold_rows(workspace, [hold, board.holds["nii_4"]])
    assert (rows[0].last_action_kind, rows[0].last_action_at) == (NoteKind.MEETING, day + timedelta(hours=2))
    assert rows[1].last_action_kind is None  # another entry of the same account

    _note_on_entry(workspace, board.cafe, entry, NoteKind.EMAIL, day + timedelta(hours=5), hold_id=hold)
    row = holdboard.open_hold_rows(workspace, [hold])[0]
    assert (row.last_action_kind, row.last_action_at) == (NoteKind.EMAIL, day + timedelta(hours=5))
