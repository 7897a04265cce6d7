"""Notes: the AE's calls, emails, meetings, visits and plain notes on an account."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import NoteKind
from app.domain.model import Note
from app.store import orm

N = orm.NoteRow


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
