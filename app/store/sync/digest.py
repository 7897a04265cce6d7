"""What a sync brought, for the "since last sync" digest: new and released holds, teammates' notes on the
laptop's accounts, and follow-ups that fell due since the last sync."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, select

from app.store.bulk import table
from app.store.queries import entry_display


@dataclass(frozen=True)
class DigestLine:
    account: str
    what: str  # entry number, note text or follow-up text
    when: Any  # a datetime (holds, notes) or a date (follow-ups)


@dataclass
class SyncDigest:
    new_holds: list[DigestLine] = field(default_factory=list)
    released_holds: list[DigestLine] = field(default_factory=list)
    teammate_notes: list[DigestLine] = field(default_factory=list)
    overdue_follow_ups: list[DigestLine] = field(default_factory=list)
    accounts_removed: list[DigestLine] = field(default_factory=list)  # no longer the AE's: off the laptop

    @property
    def empty(self) -> bool:
        return not (
            self.new_holds
            or self.released_holds
            or self.teammate_notes
            or self.overdue_follow_ups
            or self.accounts_removed
        )


def holds_before(local: Connection, holds: Sequence[Mapping[str, Any]]) -> dict[uuid.UUID, Any]:
    """The pulled holds the laptop already had, with their release time before this pull."""
    target = table("holds")
    known: dict[uuid.UUID, Any] = {}
    ids = [hold["id"] for hold in holds]
    for start in range(0, len(ids), 500):
        query = select(target.c.id, target.c.removed_at).where(target.c.id.in_(ids[start : start + 500]))
        known.update({row.id: row.removed_at for row in local.execute(query)})
    return known


def build_digest(
    local: Connection,
    pulled: Mapping[str, Sequence[Mapping[str, Any]]],
    before: Mapping[uuid.UUID, Any],
    me: str,
    since: date | None,
    today: date,
) -> SyncDigest:
    """The digest of one pull; `before` from `holds_before`, read before the pulled rows were written. The
    first sync (`since` None) brings the accounts whole: nothing in it is news, and the digest is empty."""
    digest = SyncDigest()
    if since is None:
        return digest
    names = _account_names(local)
    for hold in pulled.get("holds", []):
        entry = entry_display(hold["entry_number"])  # as every screen shows it: K7X-0004106-7
        line = DigestLine(names.get(hold["account_id"], ""), entry, hold["placed_at"])
        if hold["id"] not in before:
            (digest.released_holds if hold["removed_at"] else digest.new_holds).append(line)
        elif hold["removed_at"] is not None and before[hold["id"]] is None:
            digest.released_holds.append(DigestLine(line.account, line.what, hold["removed_at"]))
    for note in pulled.get("notes", []):
        if note["author"] != me and note["deleted_at"] is None:
            account = names.get(note["account_id"], "")
            digest.teammate_notes.append(DigestLine(account, note["text"], note["created_at"]))
    digest.overdue_follow_ups = _fell_due(local, names, since, today)
    return digest


def _fell_due(
    local: Connection, names: Mapping[uuid.UUID, str], since: date, today: date
) -> list[DigestLine]:
    notes, items = table("notes"), table("action_items")
    due_notes = select(notes.c.account_id, notes.c.text, notes.c.follow_up_on).where(
        and_(
            notes.c.follow_up_on >= since,
            notes.c.follow_up_on < today,
            notes.c.follow_up_done.is_(False),
            notes.c.deleted_at.is_(None),
        )
    )
    due_items = select(items.c.account_id, items.c.action, items.c.due_on).where(
        and_(
            items.c.due_on >= since,
            items.c.due_on < today,
            items.c.status != "done",
            items.c.deleted_at.is_(None),
        )
    )
    lines = [DigestLine(names.get(row[0], ""), row[1], row[2]) for row in local.execute(due_notes)]
    lines += [DigestLine(names.get(row[0], ""), row[1], row[2]) for row in local.execute(due_items)]
    return sorted(lines, key=lambda line: line.when)


def _account_names(local: Connection) -> dict[uuid.UUID, str]:
    accounts = table("accounts")
    return {row.id: row.name for row in local.execute(select(accounts.c.id, accounts.c.name))}
