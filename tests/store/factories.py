"""Small helpers that insert rows through the ORM, for store tests that need exact, known data.

Each takes an open session (the caller's `with workspace.database.session()` commits) and returns the new
row's key. Identifiers go through the domain parsers, so the rows look exactly like imported ones.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.domain.identifiers import make_entry_number
from app.domain.importer_number import parse_importer_number
from app.store import orm

TOMBSTONE = datetime(2026, 1, 1, 12, 0)


def add_account(
    session: Session,
    name: str,
    iors: Sequence[str] = (),
    *,
    dba: str = "",
    center: str = "ELEC",
    risk: str = "medium",
    deleted: bool = False,
) -> uuid.UUID:
    """An account with its importer numbers (the first is primary), in any accepted spelling."""
    account = orm.AccountRow(
        name=name, dba=dba, center_code=center, risk_segment=risk, deleted_at=TOMBSTONE if deleted else None
    )
    session.add(account)
    session.flush()
    for position, text in enumerate(iors):
        add_importer_number(session, account.id, text, primary=position == 0)
    return account.id


def add_importer_number(
    session: Session, account_id: uuid.UUID, text: str, *, primary: bool = False, deleted: bool = False
) -> uuid.UUID:
    number = parse_importer_number(text)
    row = orm.ImporterNumberRow(
        account_id=account_id,
        raw=text,
        normalized=number.normalized,
        ior_type=number.ior_type.value,
        suffix=number.suffix or "",
        is_primary=primary,
        deleted_at=TOMBSTONE if deleted else None,
    )
    session.add(row)
    session.flush()
    return row.id


def add_partnership(
    session: Session,
    account_id: uuid.UUID,
    program: str,
    state: str,
    effective_on: date,
    *,
    tier: str = "NONE",
    next_validation_due: date | None = None,
    deleted: bool = False,
) -> None:
    session.add(
        orm.PartnershipStatusRow(
            account_id=account_id,
            program=program,
            state=state,
            tier=tier,
            effective_on=effective_on,
            next_validation_due=next_validation_due,
            deleted_at=TOMBSTONE if deleted else None,
        )
    )
    session.flush()


def add_entry(
    session: Session,
    account_id: uuid.UUID,
    serial: int,
    entry_date: date,
    *,
    lines: int = 1,
    filer: str = "ABC",
    port: str = "2704",
    value_cents: int = 100_000,
    duty_cents: int = 2_500,
) -> str:
    """An entry with `lines` lines; returns its canonical number (valid check digit)."""
    number = make_entry_number(filer, serial).canonical
    session.add(
        orm.EntryRow(
            entry_number=number,
            filer_code=filer,
            account_id=account_id,
            importer_number="",
            entry_type="01",
            port_of_entry=port,
            mode_of_transport="11",
            entry_date=entry_date,
            entered_value_cents=value_cents,
            duty_cents=duty_cents,
        )
    )
    session.flush()
    for line in range(1, lines + 1):
        session.add(orm.EntryLineRow(entry_number=number, line_number=line, country_of_origin="CN"))
    session.flush()
    return number


def add_hold(
    session: Session,
    entry_number: str,
    account_id: uuid.UUID,
    placed_at: datetime,
    *,
    removed_at: datetime | None = None,
    category: str = "NII",
    exam_type: str = "NONE",
    port: str = "2704",
    owner: str = "PORT",
) -> uuid.UUID:
    row = orm.HoldRow(
        entry_number=entry_number,
        account_id=account_id,
        port_code=port,
        category=category,
        owner=owner,
        placed_at=placed_at,
        removed_at=removed_at,
        outcome="OPEN" if removed_at is None else "RELEASED",
        exam_type=exam_type,
    )
    session.add(row)
    session.flush()
    return row.id


def add_note(
    session: Session,
    account_id: uuid.UUID,
    text: str,
    created_at: datetime,
    *,
    kind: str = "note",
    sensitive: bool = False,
    deleted: bool = False,
) -> uuid.UUID:
    row = orm.NoteRow(
        account_id=account_id,
        kind=kind,
        text=text,
        author="tester",
        created_at=created_at,
        updated_at=created_at,
        sensitive=sensitive,
        deleted_at=TOMBSTONE if deleted else None,
    )
    session.add(row)
    session.flush()
    return row.id


def add_event(
    session: Session, account_id: uuid.UUID, event_type: str, opened_on: date, *, deleted: bool = False
) -> None:
    session.add(
        orm.ComplianceEventRow(
            account_id=account_id,
            event_type=event_type,
            opened_on=opened_on,
            deleted_at=TOMBSTONE if deleted else None,
        )
    )
    session.flush()


def add_import_batch(session: Session, imported_at: datetime, *, undone: bool = False) -> uuid.UUID:
    row = orm.ImportBatchRow(
        kind="entries",
        source_name="entries.csv",
        imported_at=imported_at,
        undone_at=imported_at if undone else None,
    )
    session.add(row)
    session.flush()
    return row.id


def add_action_item(
    session: Session,
    account_id: uuid.UUID,
    issue: str,
    action: str,
    *,
    due_on: date | None = None,
    status: str = "open",
    owner: str = "tester",
    deleted: bool = False,
) -> uuid.UUID:
    """An action-plan item; its timestamps are in the past so that a later ORM update visibly moves them."""
    row = orm.ActionItemRow(
        account_id=account_id,
        issue=issue,
        action=action,
        owner=owner,
        due_on=due_on,
        status=status,
        created_at=TOMBSTONE,
        updated_at=TOMBSTONE,
        deleted_at=TOMBSTONE if deleted else None,
    )
    session.add(row)
    session.flush()
    return row.id


def set_note_follow_up(
    session: Session, note_id: uuid.UUID, follow_up_on: date, *, done: bool = False
) -> None:
    """Give a note (from `add_note`) a follow-up date, without touching its version or timestamps."""
    session.execute(
        orm.NoteRow.__table__.update()
        .where(orm.NoteRow.id == note_id)
        # Core updates apply `onupdate`: keep the note's own updated_at explicitly.
        .values(follow_up_on=follow_up_on, follow_up_done=done, updated_at=orm.NoteRow.created_at)
    )


# --- Today screen ----------------------------------------------------------------------------------------


def add_due_event(
    session: Session,
    account_id: uuid.UUID,
    event_type: str,
    due_on: date,
    *,
    responded_on: date | None = None,
    closed_on: date | None = None,
    deleted: bool = False,
) -> uuid.UUID:
    """A compliance event with a response due date, opened 30 days before it."""
    row = orm.ComplianceEventRow(
        account_id=account_id,
        event_type=event_type,
        opened_on=date.fromordinal(due_on.toordinal() - 30),
        due_on=due_on,
        responded_on=responded_on,
        closed_on=closed_on,
        deleted_at=TOMBSTONE if deleted else None,
    )
    session.add(row)
    session.flush()
    return row.id
