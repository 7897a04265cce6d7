"""Notes: log a call, email, meeting, visit or plain note on an account, list, edit, delete and restore them.

Deleting tombstones the row (`deleted_at`), so undo (`restore_note`) brings back the very same note.
"""

from __future__ import annotations

import getpass
import uuid
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.activity import HoldChoice, NoteActivity
from app.domain.enums import NoteKind
from app.domain.errors import NotFoundError, ValidationError
from app.domain.identifiers import parse_entry_number
from app.domain.ids import uuid7
from app.domain.model import Note
from app.services.accounts import account_for_ref
from app.services.workspace import Workspace
from app.store.queries import entries as entry_queries, holdboard as holdboard_queries, notes as queries


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no LOGNAME/USER and no passwd entry (some containers): leave it blank
        return ""


def _entry_of_account(session: Session, account_id: uuid.UUID, text: str) -> str:
    """The canonical number of an entry of this account, from any spelling; ValidationError otherwise."""
    try:
        # A stored entry may carry a check digit flagged at import, so look it up before insisting on it.
        entry = parse_entry_number(text, verify_check_digit=False)
    except ValidationError as exc:
        raise ValidationError(str(exc), field="entry_number") from None
    owner = entry_queries.entry_account(session, entry.canonical)
    if owner is None and not entry.has_valid_check_digit:
        message = f"entry number {entry.display}: check digit should be {entry.expected_check_digit}"
        raise ValidationError(message, field="entry_number")
    if owner is None:
        raise ValidationError(f"entry {entry.display} is not in the database", field="entry_number")
    if owner != account_id:
        raise ValidationError(f"entry {entry.display} belongs to another account", field="entry_number")
    return entry.canonical


def _hold_entry(session: Session, account_id: uuid.UUID, hold_id: uuid.UUID) -> str:
    found = holdboard_queries.hold_account(session, hold_id)
    if found is None:
        raise ValidationError(f"hold {hold_id} is not in the database", field="hold_id")
    if found[0] != account_id:
        raise ValidationError("the hold belongs to another account", field="hold_id")
    return found[1]


def add_note(
    ws: Workspace,
    account_ref: str,
    text: str,
    *,
    kind: NoteKind = NoteKind.NOTE,
    follow_up: date | None = None,
    author: str | None = None,
    entry_number: str | None = None,
    include_in_summary: bool = False,
    sensitive: bool = False,
    hold_id: uuid.UUID | None = None,
) -> Note:
    """Log a note on the account named by `account_ref` (importer number or id) and return it.

    The author defaults to the OS login name; `entry_number` (any spelling) must be one of the account's;
    `hold_id` (a contact about a held shipment) must be a hold of the account, and sets the entry number to
    the hold's when none is given.
    """
    body = text.strip()
    if not body:
        raise ValidationError("the note is empty: write what happened", field="text")
    with ws.database.session() as session:
        account = account_for_ref(session, account_ref)
        if hold_id is not None:
            held_entry = _hold_entry(session, account.id, hold_id)
            entry_number = entry_number or held_entry
        note = Note(
            id=uuid7(),
            account_id=account.id,
            kind=NoteKind(kind),
            text=body,
            author=_login_name() if author is None else author.strip(),
            created_at=datetime.now(UTC).replace(tzinfo=None),  # stored as naive UTC (model.py)
            entry_number=None
            if entry_number is None
            else _entry_of_account(session, account.id, entry_number),
            hold_id=hold_id,
            follow_up_on=follow_up,
            include_in_summary=include_in_summary,
            sensitive=sensitive,
        )
        queries.insert_note(session, note)
    return note


def list_notes(ws: Workspace, account_ref: str) -> list[Note]:
    """The account's notes, newest first; deleted ones are left out."""
    with ws.database.session() as session:
        account = account_for_ref(session, account_ref)
        return queries.account_notes(session, account.id)


# --- editing ------------------------------------------------------------------------------------------------

CHANGED_ELSEWHERE = "this note was changed elsewhere since it was opened: reload it and try again"


def _now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC (model.py)


def update_note(
    ws: Workspace,
    note_id: uuid.UUID,
    *,
    text: str,
    kind: NoteKind,
    entry_number: str | None,
    hold_id: uuid.UUID | None,
    follow_up: date | None,
    include_in_summary: bool,
    sensitive: bool,
    expected_version: int | None = None,
    follow_up_done: bool | None = None,
) -> Note:
    """Rewrite a live note's editable fields, validated as `add_note` does, and return it.

    `expected_version` (the version the editor read) guards against overwriting an edit made elsewhere.
    `follow_up_done` None keeps the done state while the follow-up date stays, and reopens it when the date
    moves (a new date is a new promise); undo passes the earlier value to restore it exactly.
    """
    body = text.strip()
    if not body:
        raise ValidationError("the note is empty: write what happened", field="text")
    try:
        with ws.database.session() as session:
            row = queries.note_row(session, note_id)
            if row is None or row.deleted_at is not None:
                raise NotFoundError(f"note {note_id} not found (it may have been deleted)")
            if expected_version is not None and row.version != expected_version:
                raise ValidationError(CHANGED_ELSEWHERE, field="version")
            if hold_id is not None:
                held_entry = _hold_entry(session, row.account_id, hold_id)
                entry_number = entry_number or held_entry
            canonical = None if not entry_number else _entry_of_account(session, row.account_id, entry_number)
            if follow_up_done is None:
                follow_up_done = row.follow_up_done and follow_up == row.follow_up_on
            queries.update_note_row(
                session,
                row,
                text=body,
                kind=NoteKind(kind),
                entry_number=canonical,
                hold_id=hold_id,
                follow_up_on=follow_up,
                follow_up_done=follow_up_done and follow_up is not None,
                include_in_summary=include_in_summary,
                sensitive=sensitive,
            )
            return queries.to_note(row)
    except StaleDataError:  # another writer committed between our read and our write
        raise ValidationError(CHANGED_ELSEWHERE, field="version") from None


def delete_note(ws: Workspace, note_id: uuid.UUID) -> None:
    """Tombstone a live note (it leaves every list); `restore_note` undoes it."""
    with ws.database.session() as session:
        row = queries.note_row(session, note_id)
        if row is None or row.deleted_at is not None:
            raise NotFoundError(f"note {note_id} not found (it may have been deleted already)")
        queries.set_note_deleted(session, row, _now_utc())


def restore_note(ws: Workspace, note_id: uuid.UUID) -> None:
    """Bring a deleted note back as it was; a note that is not deleted is left alone."""
    with ws.database.session() as session:
        row = queries.note_row(session, note_id)
        if row is None:
            raise NotFoundError(f"note {note_id} not found")
        if row.deleted_at is not None:
            queries.set_note_deleted(session, row, None)


def account_activity(ws: Workspace, account_id: uuid.UUID) -> list[NoteActivity]:
    """The account's notes newest first (deleted ones left out), with linked entry and hold."""
    with ws.database.session() as session:
        return queries.account_activity(session, account_id)


def account_open_holds(ws: Workspace, account_id: uuid.UUID) -> list[HoldChoice]:
    """The account's open holds, newest first: what a note may be linked to."""
    with ws.database.session() as session:
        return queries.account_open_holds(session, account_id)
