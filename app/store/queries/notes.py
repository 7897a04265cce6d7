"""Notes: the AE's calls, emails, meetings, visits and plain notes on an account."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.activity import HoldChoice, NoteActivity
from app.domain.enums import HoldCategory, NoteKind
from app.domain.model import Note
from app.store import orm
from app.store.queries import entry_display

N = orm.NoteRow
H = orm.HoldRow
PORT = orm.PortRow


def to_note(row: orm.NoteRow) -> Note:
    return Note(
        id=row.id,
        account_id=row.account_id,
        kind=NoteKind(row.kind),
        text=row.text,
        author=row.author,
        created_at=row.created_at,
        entry_number=row.entry_number,
        hold_id=row.hold_id,
        follow_up_on=row.follow_up_on,
        follow_up_done=row.follow_up_done,
        include_in_summary=row.include_in_summary,
        sensitive=row.sensitive,
    )


def insert_note(session: Session, note: Note) -> None:
    """Add `note` as a new row; the caller commits. Timestamps are the note's own, not the server's."""
    session.add(
        N(
            id=note.id,
            account_id=note.account_id,
            kind=note.kind.value,
            text=note.text,
            author=note.author,
            entry_number=note.entry_number,
            hold_id=note.hold_id,
            follow_up_on=note.follow_up_on,
            follow_up_done=note.follow_up_done,
            include_in_summary=note.include_in_summary,
            sensitive=note.sensitive,
            created_at=note.created_at,
            updated_at=note.created_at,
        )
    )
    session.flush()


def account_notes(session: Session, account_id: uuid.UUID) -> list[Note]:
    """An account's live notes, newest first (ties by id, which is time-ordered)."""
    rows = session.scalars(
        select(N)
        .where(N.account_id == account_id, N.deleted_at.is_(None))
        .order_by(N.created_at.desc(), N.id.desc())
    )
    return [to_note(row) for row in rows]


# --- editing ------------------------------------------------------------------------------------------------


def note_row(session: Session, note_id: uuid.UUID) -> orm.NoteRow | None:
    """The note's row whether live or tombstoned (restore needs the latter); None if there is none."""
    return session.get(N, note_id)


def update_note_row(
    session: Session,
    row: orm.NoteRow,
    *,
    text: str,
    kind: NoteKind,
    entry_number: str | None,
    hold_id: uuid.UUID | None,
    follow_up_on: date | None,
    follow_up_done: bool,
    include_in_summary: bool,
    sensitive: bool,
) -> None:
    """Write the editable fields; the mapper bumps `version` (checking the old one) and moves `updated_at`."""
    row.text = text
    row.kind = kind.value
    row.entry_number = entry_number
    row.hold_id = hold_id
    row.follow_up_on = follow_up_on
    row.follow_up_done = follow_up_done
    row.include_in_summary = include_in_summary
    row.sensitive = sensitive
    session.flush()


def set_note_deleted(session: Session, row: orm.NoteRow, deleted_at: datetime | None) -> None:
    """Tombstone the note (or bring it back with None): synced rows are never hard-deleted."""
    row.deleted_at = deleted_at
    session.flush()


# --- the account's activity timeline ------------------------------------------------------------------------


def _hold_choice(hold: orm.HoldRow, port_name: str | None) -> HoldChoice:
    return HoldChoice(
        hold_id=hold.id,
        entry_number=entry_display(hold.entry_number),
        category=HoldCategory(hold.category),
        port_code=hold.port_code,
        port_name=port_name or "",
        placed_at=hold.placed_at,
        is_open=hold.removed_at is None,
    )


def account_activity(session: Session, account_id: uuid.UUID) -> list[NoteActivity]:
    """The account's live notes newest first, each with its row version, linked entry and hold (if any)."""
    rows = session.execute(
        select(N, H, PORT.name)
        .outerjoin(H, H.id == N.hold_id)
        .outerjoin(PORT, PORT.code == H.port_code)
        .where(N.account_id == account_id, N.deleted_at.is_(None))
        .order_by(N.created_at.desc(), N.id.desc())
    )
    return [
        NoteActivity(
            note=to_note(note),
            version=note.version,
            entry_number="" if note.entry_number is None else entry_display(note.entry_number),
            hold=None if hold is None else _hold_choice(hold, port_name),
        )
        for note, hold, port_name in rows
    ]


def account_open_holds(session: Session, account_id: uuid.UUID) -> list[HoldChoice]:
    """The account's open holds, newest first: the choices for a note's linked hold."""
    rows = session.execute(
        select(H, PORT.name)
        .outerjoin(PORT, PORT.code == H.port_code)
        .where(H.account_id == account_id, H.removed_at.is_(None))
        .order_by(H.placed_at.desc(), H.id)
    )
    return [_hold_choice(hold, port_name) for hold, port_name in rows]
