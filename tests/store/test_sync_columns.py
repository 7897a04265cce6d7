"""Rows that sync with a team server: UUIDv7 keys, a version that every update bumps, tombstones."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.domain.ids import uuid7_time_ms
from app.services.workspace import Workspace
from app.store.orm import AccountRow


def _account(ws: Workspace, name: str) -> AccountRow:
    with ws.database.session() as session:
        row = AccountRow(name=name, center_code="ELEC")
        session.add(row)
    return row


def test_keys_are_time_ordered_uuid7(workspace: Workspace) -> None:
    first, second = _account(workspace, "First Co."), _account(workspace, "Second Co.")
    assert first.id.version == 7 and second.id.version == 7
    assert uuid7_time_ms(first.id) <= uuid7_time_ms(second.id)
    assert first.id < second.id


def test_every_update_bumps_the_version(workspace: Workspace) -> None:
    account = _account(workspace, "Versioned Co.")
    with workspace.database.session() as session:
        row = session.get_one(AccountRow, account.id)
        assert row.version == 1
        row.name = "Versioned Company"
    with workspace.database.session() as session:
        row = session.get_one(AccountRow, account.id)
        assert (row.version, row.name) == (2, "Versioned Company")


def test_a_stale_write_is_refused(workspace: Workspace) -> None:
    account = _account(workspace, "Contested Co.")
    with workspace.database.session() as first, workspace.database.session() as second:
        mine = first.get_one(AccountRow, account.id)
        theirs = second.get_one(AccountRow, account.id)
        theirs.name = "Their Name"
        second.commit()
        mine.name = "My Name"
        with pytest.raises(StaleDataError):
            first.flush()
        first.rollback()
    with workspace.database.session() as session:
        assert session.scalars(select(AccountRow.name)).one() == "Their Name"
