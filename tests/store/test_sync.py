"""Sync between laptops (SQLite files) and a team server (the PostgreSQL server the test run starts)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from app.domain.errors import NotFoundError, UserError
from app.domain.identifiers import format_entry_number
from app.services.sync import pin_account, sync, sync_status
from app.services.sync_conflicts import list_conflicts, resolve_conflict
from app.services.workspace import Workspace
from app.store import orm
from tests.store.factories import add_account, add_entry, add_hold, add_note

pytestmark = pytest.mark.postgres
AE = "Dana Reyes"


@pytest.fixture
def server(pg_server: Any) -> Iterator[tuple[str, uuid.UUID]]:
    """A team server with one AE's account (an entry with a hold) and another AE's account."""
    url = str(pg_server.create_database())
    ws = Workspace.open(url)
    try:
        with ws.database.session() as session:
            dana = orm.AccountExecutiveRow(name=AE, center_code="ELEC")
            other = orm.AccountExecutiveRow(name="Sam Ortiz", center_code="ELEC")
            session.add_all([dana, other])
            session.flush()
            account = add_account(session, "Acme Microdevices Inc.", ["20-584410200"])
            session.get(orm.AccountRow, account).ae_id = dana.id  # type: ignore[union-attr]
            theirs = add_account(session, "Great Lakes Auto Parts Co.", ["41-792897400"])
            session.get(orm.AccountRow, theirs).ae_id = other.id  # type: ignore[union-attr]
            entry = add_entry(session, account, 41, date(2026, 5, 4), lines=2)
            add_hold(session, entry, account, datetime(2026, 5, 5, 9))
            add_entry(session, theirs, 42, date(2026, 5, 4))
            session.commit()
    finally:
        ws.close()
    yield url, account


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace]]:
    first, second = Workspace.open(str(tmp_path / "a.sqlite3")), Workspace.open(str(tmp_path / "b.sqlite3"))
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def count(ws: Workspace, model: Any, *where: Any) -> int:
    with ws.database.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def edit_account(ws: Workspace, account: uuid.UUID, **values: Any) -> None:
    with ws.database.session() as session:
        row = session.get(orm.AccountRow, account)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        session.commit()


def account_value(ws: Workspace, account: uuid.UUID, name: str) -> Any:
    with ws.database.session() as session:
        return getattr(session.get(orm.AccountRow, account), name)


def test_first_sync_pulls_the_aes_accounts_with_their_records_and_nothing_else(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace]
) -> None:
    url, account = server
    laptop = laptops[0]
    result = sync(laptop, url, user=AE)
    assert (result.pushed, result.conflicts, result.accounts) == (0, 0, 1)
    assert count(laptop, orm.AccountRow) == 1
    assert account_value(laptop, account, "name") == "Acme Microdevices Inc."
    assert count(laptop, orm.AccountExecutiveRow) == 2  # every AE, for names on records
    trade = (count(laptop, orm.EntryRow), count(laptop, orm.EntryLineRow), count(laptop, orm.HoldRow))
    assert trade == (1, 2, 1)
    assert count(laptop, orm.ImporterNumberRow) == 1
    assert count(laptop, orm.SyncOutboxRow) == 0  # pulled rows are not queued to go back up
    again = sync(laptop, url, user=AE)
    assert (again.pushed, again.pulled) == (0, 0)


def test_notes_added_offline_on_two_laptops_are_both_everywhere_without_duplicates(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace]
) -> None:
    url, account = server
    for laptop in laptops:
        sync(laptop, url, user=AE)
    for number, laptop in enumerate(laptops):
        with laptop.database.session() as session:
            add_note(session, account, f"call {number}", datetime(2026, 5, 6, 10 + number))
            session.commit()
    for _round in range(2):
        for laptop in laptops:
            assert sync(laptop, url, user=AE).conflicts == 0
    for laptop in laptops:
        with laptop.database.session() as session:
            texts = sorted(session.scalars(select(orm.NoteRow.text)))
        assert texts == ["call 0", "call 1"]
        assert list_conflicts(laptop) == []
    server_ws = Workspace.open(url)
    try:
        assert count(server_ws, orm.NoteRow) == 2
    finally:
        server_ws.close()


def test_the_same_field_edited_on_both_laptops_is_one_conflict_on_the_second_to_sync(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace]
) -> None:
    url, account = server
    first, second = laptops
    for laptop in laptops:
        sync(laptop, url, user=AE)
    edit_account(first, account, risk_segment="high")
    edit_account(second, account, risk_segment="low")
    assert sync(first, url, user=AE).conflicts == 0
    result = sync(second, url, user=AE)
    assert result.conflicts == 1
    [conflict] = list_conflicts(second)
    assert (conflict.table_name, conflict.field) == ("accounts", "risk_segment")
    assert (conflict.base, conflict.mine, conflict.theirs) == ("medium", "low", "high")
    assert conflict.record == "Account Acme Microdevices Inc."
    assert account_value(second, account, "risk_segment") == "high"  # the server's value, mine kept aside
    assert list_conflicts(first) == []


def test_different_fields_edited_on_two_laptops_are_merged(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace]
) -> None:
    url, account = server
    first, second = laptops
    for laptop in laptops:
        sync(laptop, url, user=AE)
    edit_account(first, account, dba="Acme Micro")
    edit_account(second, account, risk_segment="high")
    for laptop in (first, second, first):
        assert sync(laptop, url, user=AE).conflicts == 0
    for laptop in laptops:
        assert (account_value(laptop, account, "dba"), account_value(laptop, account, "risk_segment")) == (
            "Acme Micro",
            "high",
        )


def test_a_push_interrupted_after_the_server_committed_and_retried_loses_and_duplicates_nothing(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, account = server
    laptop = laptops[0]
    sync(laptop, url, user=AE)
    with laptop.database.session() as session:
        add_note(session, account, "met the broker", datetime(2026, 5, 7, 9))
        session.commit()
    edit_account(laptop, account, risk_segment="high")

    import app.services.sync as sync_service

    def fail(*_args: Any) -> None:
        raise ConnectionError("the laptop lost its network after the server committed")

    monkeypatch.setattr(sync_service, "clear_sent", fail)
    with pytest.raises(ConnectionError):
        sync(laptop, url, user=AE)
    assert count(laptop, orm.SyncOutboxRow) == 2  # the laptop's side rolled back: still to push
    monkeypatch.undo()
    result = sync(laptop, url, user=AE)
    assert result.conflicts == 0 and count(laptop, orm.SyncOutboxRow) == 0
    server_ws = Workspace.open(url)
    try:
        assert count(server_ws, orm.NoteRow) == 1
        assert account_value(server_ws, account, "risk_segment") == "high"
    finally:
        server_ws.close()


def test_a_trade_row_deleted_on_the_server_is_deleted_on_the_laptop(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace]
) -> None:
    url, _account = server
    laptop = laptops[0]
    sync(laptop, url, user=AE)
    server_ws = Workspace.open(url)
    try:
        with server_ws.database.session() as session:
            session.execute(orm.HoldRow.__table__.delete())  # type: ignore[arg-type]
            session.execute(update(orm.EntryLineRow).where(orm.EntryLineRow.line_number == 2).values(mid="X"))
            session.commit()
    finally:
        server_ws.close()
    sync(laptop, url, user=AE)
    assert count(laptop, orm.HoldRow) == 0
    assert count(laptop, orm.EntryLineRow, orm.EntryLineRow.mid == "X") == 1


def test_keeping_mine_sends_it_on_the_next_sync_and_keeping_theirs_just_closes_the_conflict(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace]
) -> None:
    url, account = server
    first, second = laptops
    for laptop in laptops:
        sync(laptop, url, user=AE)
    edit_account(first, account, risk_segment="high", dba="Acme One")
    edit_account(second, account, risk_segment="low", dba="Acme Two")
    sync(first, url, user=AE)
    assert sync(second, url, user=AE).conflicts == 2
    by_field = {conflict.field: conflict for conflict in list_conflicts(second)}
    resolve_conflict(second, by_field["risk_segment"].id, "mine")
    resolve_conflict(second, by_field["dba"].id, "theirs")
    assert list_conflicts(second) == [] and sync_status(second).pending == 1
    assert sync(second, url, user=AE).conflicts == 0
    sync(first, url, user=AE)
    for laptop in laptops:
        assert account_value(laptop, account, "risk_segment") == "low"
        assert account_value(laptop, account, "dba") == "Acme One"
    with pytest.raises(NotFoundError):
        resolve_conflict(second, by_field["dba"].id, "mine")


def test_status_counts_pending_changes_and_a_pinned_account_comes_down_on_the_next_sync(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace]
) -> None:
    url, account = server
    laptop = laptops[0]
    assert sync_status(laptop).last_sync_at is None
    sync(laptop, url, user=AE)
    status = sync_status(laptop)
    assert (status.server, status.pending, status.conflicts) == (
        url,
        0,
        0,
    ) and status.last_sync_at is not None
    edit_account(laptop, account, dba="Acme Micro")
    edit_account(laptop, account, risk_segment="high")  # the same record twice: one change to push
    assert sync_status(laptop).pending == 1
    server_ws = Workspace.open(url)
    try:
        with server_ws.database.session() as session:
            other = session.scalars(select(orm.AccountRow.id).where(orm.AccountRow.id != account)).one()
    finally:
        server_ws.close()
    pin_account(laptop, other)
    assert sync(laptop, url, user=AE).accounts == 2
    assert count(laptop, orm.AccountRow) == 2 and count(laptop, orm.EntryRow) == 2


def test_the_digest_lists_new_and_released_holds_and_teammates_notes_since_the_last_sync(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace]
) -> None:
    url, account = server
    laptop = laptops[0]
    assert sync(laptop, url, user=AE).digest.empty  # the first sync brings everything: nothing is news
    server_ws = Workspace.open(url)
    try:
        with server_ws.database.session() as session:
            session.execute(
                update(orm.HoldRow).values(removed_at=datetime(2026, 5, 8, 12), outcome="RELEASED")
            )
            entry = add_entry(session, account, 43, date(2026, 5, 8))
            add_hold(session, entry, account, datetime(2026, 5, 9, 8))
            add_note(session, account, "port called back", datetime(2026, 5, 9, 9))  # author "tester"
            session.commit()
    finally:
        server_ws.close()
    digest = sync(laptop, url, user=AE).digest
    assert [line.what for line in digest.new_holds] == [format_entry_number(entry)]  # shown with its dashes
    assert [line.account for line in digest.released_holds] == ["Acme Microdevices Inc."]
    assert [line.what for line in digest.teammate_notes] == ["port called back"]


def test_a_server_at_another_schema_is_refused_and_never_migrated_by_a_laptop(
    pg_server: Any, laptops: tuple[Workspace, Workspace]
) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from app.store import migrate

    url = str(pg_server.create_database())
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            config = migrate.alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "0008")
        with pytest.raises(UserError, match="schema 0008"):
            sync(laptops[0], url, user=AE)
        with engine.connect() as connection:
            assert migrate.current_revision(connection) == "0008"  # left as it was
    finally:
        engine.dispose()


def test_a_push_of_many_chunks_mixing_new_edited_and_conflicting_records(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small chunks, so the pipelined updates of one chunk are in flight while the next one's inserts and
    merges go through SQLAlchemy."""
    from app.store.sync import push as push_module

    monkeypatch.setattr(push_module, "CHUNK", 3)
    url, account = server
    mine, theirs = laptops
    sync(mine, url, user=AE)
    with mine.database.session() as session:
        for number in range(8):
            add_note(session, account, f"call {number}", datetime(2026, 5, 6, 9, number))
        session.commit()
    sync(mine, url, user=AE)
    sync(theirs, url, user=AE)
    with mine.database.session() as session:
        notes = session.scalars(select(orm.NoteRow).order_by(orm.NoteRow.text)).all()
        for note in notes:
            note.text += " (checked)"
        for number in range(5):
            add_note(session, account, f"visit {number}", datetime(2026, 5, 7, 9, number))
        session.commit()
    edit_account(mine, account, risk_segment="HIGH")
    edit_account(theirs, account, risk_segment="LOW")
    sync(theirs, url, user=AE)
    result = sync(mine, url, user=AE)
    assert (result.pushed, result.conflicts) == (13, 1)  # 8 edited notes and 5 new; the account conflicts
    server_ws = Workspace.open(url)
    try:
        with server_ws.database.session() as session:
            texts = sorted(session.scalars(select(orm.NoteRow.text)))
    finally:
        server_ws.close()
    assert texts == sorted([f"call {n} (checked)" for n in range(8)] + [f"visit {n}" for n in range(5)])
    assert account_value(mine, account, "risk_segment") == account_value(theirs, account, "risk_segment")


def test_an_account_reassigned_or_unpinned_leaves_the_laptop_and_the_digest_says_so(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace]
) -> None:
    url, account = server
    laptop = laptops[0]
    sync(laptop, url, user=AE)
    server_ws = Workspace.open(url)
    try:
        with server_ws.database.session() as session:
            theirs = session.scalars(select(orm.AccountRow.id).where(orm.AccountRow.id != account)).one()
            sam = session.scalars(
                select(orm.AccountExecutiveRow.id).where(orm.AccountExecutiveRow.name != AE)
            )
            sam_id = sam.one()
        pin_account(laptop, theirs)
        sync(laptop, url, user=AE)
        with laptop.database.session() as session:
            add_note(session, theirs, "met their broker", datetime(2026, 5, 6, 9))
            session.commit()
        assert count(laptop, orm.AccountRow) == 2 and count(laptop, orm.EntryRow) == 2
        pin_account(laptop, theirs, pin=False)
        unpinned = sync(laptop, url, user=AE)
        assert unpinned.pushed == 1  # the note made on the laptop went up before the account left
        assert [line.account for line in unpinned.digest.accounts_removed] == ["Great Lakes Auto Parts Co."]
        assert count(laptop, orm.AccountRow) == 1 and count(laptop, orm.EntryRow) == 1
        assert count(laptop, orm.NoteRow, orm.NoteRow.account_id == theirs) == 0
        assert count(server_ws, orm.NoteRow, orm.NoteRow.account_id == theirs) == 1
        with server_ws.database.session() as session:
            session.execute(update(orm.AccountRow).where(orm.AccountRow.id == account).values(ae_id=sam_id))
            session.commit()
        reassigned = sync(laptop, url, user=AE)
        assert [line.account for line in reassigned.digest.accounts_removed] == ["Acme Microdevices Inc."]
        assert (count(laptop, orm.AccountRow), count(laptop, orm.EntryRow), count(laptop, orm.HoldRow)) == (
            0,
            0,
            0,
        )
        assert count(laptop, orm.SyncOutboxRow) == 0  # removing them is nothing to push
    finally:
        server_ws.close()


def test_an_ae_name_the_server_does_not_know_removes_nothing(
    server: tuple[str, uuid.UUID], laptops: tuple[Workspace, Workspace]
) -> None:
    url, _account = server
    laptop = laptops[0]
    sync(laptop, url, user=AE)
    with pytest.raises(UserError, match='no AE named "Dana Reyse"'):
        sync(laptop, url, user="Dana Reyse")
    assert count(laptop, orm.AccountRow) == 1
