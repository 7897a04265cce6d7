"""Follow-ups: list what the AE must come back to, and tick items off (or untick them, for undo)."""

from __future__ import annotations

import uuid
from datetime import date

from app.domain.enums import ActionStatus
from app.domain.errors import ValidationError
from app.domain.followups import SOURCES, FollowUp
from app.services.workspace import Workspace
from app.store.queries import followups as queries


def list_followups(ws: Workspace, *, today: date | None = None, include_done: bool = False) -> list[FollowUp]:
    """Every open follow-up on a live account, most urgent first; `today` (default: the local date) sets the
    buckets. Sensitive notes are included and flagged: this list is the AE's own."""
    with ws.database.session() as session:
        return queries.list_followups(session, today or date.today(), include_done=include_done)


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ValidationError(f"unknown follow-up source {source!r}: use one of {', '.join(SOURCES)}")


def mark_done(ws: Workspace, source: str, item_id: uuid.UUID) -> None:
    """Tick off a note's follow-up, or set an action item's status to done."""
    _check_source(source)
    with ws.database.session() as session:
        if source == "note":
            queries.set_note_follow_up_done(session, item_id, True)
        else:
            queries.set_action_status(session, item_id, ActionStatus.DONE)


def reopen(
    ws: Workspace, source: str, item_id: uuid.UUID, *, status: ActionStatus = ActionStatus.OPEN
) -> None:
    """Undo `mark_done`: untick the note's follow-up, or put the action item back to `status`."""
    _check_source(source)
    if status in (ActionStatus.DONE, ActionStatus.CANCELLED):
        raise ValidationError(f"cannot reopen an action item as {status.value}")
    with ws.database.session() as session:
        if source == "note":
            queries.set_note_follow_up_done(session, item_id, False)
        else:
            queries.set_action_status(session, item_id, status)
