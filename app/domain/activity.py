"""Read models of an account's notes & activity timeline (the Account 360 notes tab).

Shaped like `views.py`: identifiers already in display form, the ids the editor needs kept alongside.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from app.domain.enums import HoldCategory
from app.domain.model import Note


@dataclass(frozen=True, slots=True)
class HoldChoice:
    """A hold as a note names it: the held entry, why, where, since when, and whether it is still open."""

    hold_id: uuid.UUID
    entry_number: str  # display form XXX-NNNNNNN-C
    category: HoldCategory
    port_code: str
    port_name: str
    placed_at: datetime
    is_open: bool


@dataclass(frozen=True, slots=True)
class NoteActivity:
    """One note of the timeline. `version` is the row's version when read: an edit sends it back, so an edit
    made elsewhere in between is caught instead of overwritten."""

    note: Note
    version: int
    entry_number: str  # the linked entry in display form, "" when none
    hold: HoldChoice | None
