"""DriverInsert: rows written through the driver read back exactly as SQLAlchemy would have written them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.services.workspace import Workspace
from app.store import orm
from app.store.driver_insert import DriverInsert
from tests.store.factories import add_account

COLUMNS = ("entry_number", "filer_code", "account_id", "importer_number", "entry_type", "port_of_entry")
COLUMNS += ("mode_of_transport", "entry_date", "release_date", "entered_value_cents", "duty_cents")


def test_dates_uuids_nulls_and_defaults_read_back_through_the_orm(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        account = add_account(session, "Acme Microdevices Inc.", ["20-584410200"])
        rows = [
            {
                "entry_number": f"K7X0000{n}0{n}",
                "filer_code": "K7X",
                "account_id": account,
                "importer_number": "20584410200",
                "entry_type": "01",
                "port_of_entry": "2704",
                "mode_of_transport": "11",
                "entry_date": date(2026, 5, n),
                "release_date": date(2026, 5, n + 1) if n % 2 else None,
                "entered_value_cents": 100 * n,
                "duty_cents": 7,
                "ignored": "keys the insert does not name are left out",
            }
            for n in (1, 2, 3)
        ]
        DriverInsert(session.connection(), "entries", COLUMNS).run(rows)
        stored = session.scalars(select(orm.EntryRow).order_by(orm.EntryRow.entry_number)).all()
    assert [(e.account_id, e.entry_date, e.release_date) for e in stored] == [
        (account, date(2026, 5, 1), date(2026, 5, 2)),
        (account, date(2026, 5, 2), None),
        (account, date(2026, 5, 3), date(2026, 5, 4)),
    ]
    # columns not given take the ORM's scalar default, as a Core insert would have bound it
    assert {(e.fees_cents, e.liquidation_status, e.import_batch_id) for e in stored} == {
        (0, "UNLIQUIDATED", None)
    }


def test_a_column_without_any_default_must_be_given(workspace: Workspace) -> None:
    with workspace.database.session() as session, pytest.raises(ValueError, match=r"entries\.account_id"):
        DriverInsert(session.connection(), "entries", ("entry_number", "filer_code"))


def test_an_unknown_column_is_refused(workspace: Workspace) -> None:
    with workspace.database.session() as session, pytest.raises(ValueError, match="no column mood"):
        DriverInsert(session.connection(), "entry_lines", ("entry_number", "mood"))


def test_a_single_column_is_refused(workspace: Workspace) -> None:
    with workspace.database.session() as session, pytest.raises(ValueError, match="two or more columns"):
        DriverInsert(session.connection(), "entry_lines", ("entry_number",))
