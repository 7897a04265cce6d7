"""Copying accounts into a fresh database (a trip pack): exactly their rows, every table, nothing queued."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.services.workspace import Workspace
from app.store import orm
from app.store.bulk import table
from app.store.subset import copy_accounts
from app.store.sync.tables import REPLICATED
from tests.store import factories

Keys = dict[str, set[Any]]


def _ae(session: Session, name: str) -> uuid.UUID:
    row = orm.AccountExecutiveRow(
        name=name, center_code="ELEC", email=f"{name.split()[0].lower()}@cbp.dhs.gov"
    )
    session.add(row)
    session.flush()
    return row.id


def _account(session: Session, name: str, ior: str, serial: int, ae_id: uuid.UUID, batch: uuid.UUID) -> Keys:
    """An account with a row in every replicated table; returns the keys it made, per table."""
    keys: Keys = defaultdict(set)
    account_id = factories.add_account(session, name, [ior])
    session.execute(update(orm.AccountRow).where(orm.AccountRow.id == account_id).values(ae_id=ae_id))
    keys["accounts"].add(account_id)
    factories.add_partnership(
        session, account_id, "CTPAT_SECURITY", "CERTIFIED", date(2025, 3, 1), tier="TIER2"
    )
    contact = orm.ContactRow(account_id=account_id, name=f"{name} broker", role="broker")
    session.add(contact)
    number = factories.add_entry(session, account_id, serial, date(2026, 2, 10), lines=2)
    second = factories.add_entry(session, account_id, serial + 1, date(2026, 3, 5))
    session.execute(
        update(orm.EntryRow).where(orm.EntryRow.entry_number == second).values(import_batch_id=batch)
    )
    keys["entries"] |= {number, second}
    lines = session.scalars(
        select(orm.EntryLineRow.id).where(orm.EntryLineRow.entry_number.in_([number, second]))
    ).all()
    keys["entry_lines"] |= set(lines)
    for line_id in lines:
        tariff = orm.LineTariffRow(line_id=line_id, hts_number="8471300100", duty_cents=100)
        session.add(tariff)
        session.flush()
        keys["line_tariffs"].add(tariff.id)
    hold = factories.add_hold(session, number, account_id, datetime(2026, 2, 11, 9, 0))
    keys["holds"].add(hold)
    note = factories.add_note(session, account_id, f"Called {name} about the exam", datetime(2026, 2, 12, 10))
    session.execute(update(orm.NoteRow).where(orm.NoteRow.id == note).values(hold_id=hold))
    keys["notes"] |= {
        note,
        factories.add_note(session, account_id, "Old", datetime(2025, 1, 2), deleted=True),
    }
    factories.add_event(session, account_id, "CF28", date(2026, 2, 20))
    keys["action_items"].add(
        factories.add_action_item(session, account_id, "Late filings", "Train the broker")
    )
    session.flush()
    for name_of_table, row_type in (
        ("importer_numbers", orm.ImporterNumberRow),
        ("partnership_statuses", orm.PartnershipStatusRow),
        ("contacts", orm.ContactRow),
        ("compliance_events", orm.ComplianceEventRow),
    ):
        keys[name_of_table] |= set(
            session.scalars(select(row_type.id).where(row_type.account_id == account_id))
        )
    return keys


def _rows(connection: Any, name: str, key: str, wanted: set[Any] | None = None) -> dict[Any, dict[str, Any]]:
    target = table(name)
    query = select(target)
    if wanted is not None:
        query = query.where(target.c[key].in_(list(wanted)))
    return {row._mapping[key]: dict(row._mapping) for row in connection.execute(query)}


def test_copies_exactly_the_chosen_accounts_rows(workspace: Workspace, tmp_path: Path) -> None:
    with workspace.database.session() as session:
        batch = factories.add_import_batch(session, datetime(2026, 3, 6, 8, 0))
        aes = {_ae(session, "Dana Whitfield"), _ae(session, "Luis Ortega")}
        first = _account(session, "Harbor Tools Inc.", "20-584410200", 1_000_001, min(aes), batch)
        second = _account(session, "Maple Leaf Foods", "123-45-6789", 1_000_101, max(aes), batch)
        other = _account(session, "Keystone Apparel", "98-7654321-00", 1_000_201, min(aes), batch)
        session.add(orm.MetaRow(key="data_as_of", value="2026-03-06T08:00:00"))
    chosen = [next(iter(first["accounts"])), next(iter(second["accounts"]))]

    with Workspace.open(str(tmp_path / "pack.sqlite3")) as pack:
        with workspace.database.engine.connect() as source, pack.database.engine.begin() as target:
            counts = copy_accounts(source, target, chosen)
        with workspace.database.engine.connect() as source, pack.database.engine.connect() as target:
            for item in REPLICATED:
                expected_keys = (
                    aes if item.name == "account_executives" else first[item.name] | second[item.name]
                )
                assert expected_keys, item.name  # every table takes part in the test
                assert not expected_keys & other[item.name]
                expected = _rows(source, item.name, item.key, expected_keys)
                for row in expected.values():
                    if "import_batch_id" in row:
                        row["import_batch_id"] = None  # import history stays home
                copied = _rows(target, item.name, item.key)
                assert copied == expected, item.name
                assert counts[item.name] == len(expected_keys), item.name
            assert target.execute(select(func.count()).select_from(table("sync_outbox"))).scalar_one() == 0
            meta = dict(target.execute(select(orm.MetaRow.key, orm.MetaRow.value)).all())
            assert meta["data_as_of"] == "2026-03-06T08:00:00"
            assert counts["meta"] >= 1
            names = target.execute(select(orm.AccountRow.name).order_by(orm.AccountRow.name)).scalars().all()
            assert names == ["Harbor Tools Inc.", "Maple Leaf Foods"]
            # Their history travels with them (and only theirs): the pack's History tabs show it.
            audited = select(orm.AuditRow.account_id).distinct()
            assert set(target.execute(audited).scalars()) == set(chosen)
            assert (
                counts["audit_log"]
                == source.execute(
                    select(func.count()).select_from(orm.AuditRow).where(orm.AuditRow.account_id.in_(chosen))
                ).scalar_one()
            )
