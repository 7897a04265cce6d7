"""Follow-ups: every note or action item that has a date by which the AE must come back to it.

A follow-up comes from one of two places — a note's `follow_up_on` or an action item's `due_on` — and the
Follow-ups screen lists both together, grouped by how urgent they are (`Bucket`).

Bucket rule (all in the AE's local calendar days, `today` included):

- overdue:   due before today;
- today:     due today;
- this_week: due after today, up to and including the coming Sunday (the week runs Monday to Sunday, as on
             a U.S. desk calendar of working weeks; on a Sunday "this week" is empty and Monday is "later");
- later:     due after the coming Sunday.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from app.domain.enums import ActionStatus

FollowUpSource = Literal["note", "action"]
SOURCES: tuple[FollowUpSource, ...] = ("note", "action")
ACTION_KIND = "action"  # the `kind` of an action item's follow-up; notes carry their NoteKind value


class Bucket(StrEnum):
    """How soon a follow-up is due; members are declared (and ranked) from most to least urgent."""

    OVERDUE = "overdue"
    TODAY = "today"
    THIS_WEEK = "this_week"
    LATER = "later"


BUCKET_RANK = {bucket: rank for rank, bucket in enumerate(Bucket)}


def end_of_week(today: date) -> date:
    """The coming Sunday (today itself on a Sunday): the last day of "this week"."""
    return today + timedelta(days=6 - today.weekday())


def bucket_for(due_on: date, today: date) -> Bucket:
    """Which bucket a follow-up due on `due_on` falls in when seen on `today` (see the module's rule)."""
    if due_on < today:
        return Bucket.OVERDUE
    if due_on == today:
        return Bucket.TODAY
    if due_on <= end_of_week(today):
        return Bucket.THIS_WEEK
    return Bucket.LATER


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One row of the Follow-ups screen.

    `text` is a note's first line or an action item's "issue → action"; `kind` is the note's kind ("call",
    "email", …) or "action"; `owner` is a note's author or an action item's owner. `action_status` is the
    action item's status (None for notes), kept so that undoing "mark done" restores "in progress" rather
    than "open". `sensitive` notes are listed (this is the AE's own screen) but flagged.
    """

    source: FollowUpSource
    id: uuid.UUID
    account_id: uuid.UUID
    account_name: str
    due_on: date
    text: str
    kind: str
    owner: str
    bucket: Bucket
    done: bool
    sensitive: bool = False
    action_status: ActionStatus | None = None

    @property
    def sort_key(self) -> tuple[int, date, str, str]:
        """Bucket, then due date, then account and id so that equal dates keep a stable order."""
        return (BUCKET_RANK[self.bucket], self.due_on, self.account_name.casefold(), str(self.id))


def first_line(text: str) -> str:
    """A note's first non-blank line, stripped: what a one-row list can show of it."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def action_summary(issue: str, action: str) -> str:
    """An action item in one line: "issue → action" (either side alone if the other is blank)."""
    parts = [part for part in (first_line(issue), first_line(action)) if part]
    return " → ".join(parts)
