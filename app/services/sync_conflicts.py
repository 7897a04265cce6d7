"""Sync conflicts: list them, and settle each field by keeping mine or theirs (docs/sync.md).

After a sync the laptop's record holds the server's value ("theirs"); "mine" waits in `sync_conflicts`.
Keeping theirs closes the conflict. Keeping mine writes it into the local record like any edit, so the outbox
queues it with theirs as its base, and the next push sends it without a new conflict.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, select, update

from app.domain.errors import NotFoundError, ValidationError
from app.services.workspace import Workspace
from app.store.bulk import table
from app.store.sync.codec import load_value
from app.store.sync.tables import BY_NAME, key_value

CONFLICTS = table("sync_conflicts")


@dataclass(frozen=True)
class Conflict:
    id: int
    table_name: str
    row_key: str
    field: str
    base: Any
    mine: Any
    theirs: Any
    detected_at: datetime
    record: str = ""  # what the record is, for people: "Account Acme Microdevices Inc.", "Contact … (Acme …)"

    def to_json(self) -> dict[str, Any]:
        plain = {name: _plain(getattr(self, name)) for name in ("base", "mine", "theirs")}
        return {
            "id": self.id,
            "table": self.table_name,
            "row": self.row_key,
            "field": self.field,
            "record": self.record,
            **plain,
            "detected_at": self.detected_at.isoformat(timespec="seconds"),
        }


def list_conflicts(ws: Workspace) -> list[Conflict]:
    """Unresolved sync conflicts, oldest first."""
    query = select(CONFLICTS).where(CONFLICTS.c.resolved_at.is_(None)).order_by(CONFLICTS.c.id)
    with ws.database.engine.connect() as connection:
        conflicts = [_conflict(row) for row in connection.execute(query)]
        return [replace(conflict, record=_record_label(connection, conflict)) for conflict in conflicts]


def resolve_conflict(ws: Workspace, conflict_id: int, keep: Literal["mine", "theirs"]) -> Conflict:
    """Settle one field's conflict; returns it as it was. Keeping mine queues it for the next push."""
    if keep not in ("mine", "theirs"):
        raise ValidationError(f"keep 'mine' or 'theirs', not {keep!r}", field="keep")
    now = datetime.now(UTC).replace(tzinfo=None)
    with ws.database.engine.begin() as connection:
        row = connection.execute(select(CONFLICTS).where(CONFLICTS.c.id == conflict_id)).one_or_none()
        if row is None or row.resolved_at is not None:
            raise NotFoundError(f"no unresolved sync conflict {conflict_id}")
        conflict = _conflict(row)
        if keep == "mine":
            item = BY_NAME[conflict.table_name]
            target = item.table
            record = target.c[item.key] == key_value(item, conflict.row_key)
            changes = {conflict.field: conflict.mine, "version": target.c.version + 1, "updated_at": now}
            if connection.execute(update(target).where(record).values(changes)).rowcount != 1:
                raise NotFoundError(f"the record of sync conflict {conflict_id} is no longer on this laptop")
        done = update(CONFLICTS).where(CONFLICTS.c.id == conflict_id).values(resolved_at=now, resolution=keep)
        connection.execute(done)
    return conflict


_KIND = {
    "account_executives": "Account executive",
    "accounts": "Account",
    "importer_numbers": "Importer number",
    "partnership_statuses": "Program status",
    "contacts": "Contact",
    "notes": "Note",
    "compliance_events": "Compliance event",
    "action_items": "Action item",
}
_TITLE = {"account_executives": "name", "accounts": "name", "contacts": "name", "action_items": "issue"}


def _record_label(connection: Connection, conflict: Conflict) -> str:
    """`Account Acme …`, `Contact Jane Roe (Acme …)`, `Note (Acme …)`: what a person recognises."""
    item = BY_NAME[conflict.table_name]
    target = item.table
    row = connection.execute(
        select(target).where(target.c[item.key] == key_value(item, conflict.row_key))
    ).one_or_none()
    kind = _KIND.get(conflict.table_name, conflict.table_name)
    if row is None:
        return kind
    values = row._mapping
    title = str(values[_TITLE[conflict.table_name]]) if conflict.table_name in _TITLE else ""
    account_id = values.get("account_id")
    if account_id is not None:
        accounts = table("accounts")
        name = connection.execute(select(accounts.c.name).where(accounts.c.id == account_id)).scalar()
        return f"{kind} {title} ({name})".replace("  ", " ") if title else f"{kind} ({name})"
    return f"{kind} {title}".strip()


def _conflict(row: Any) -> Conflict:
    target = BY_NAME[row.table_name].table
    sides = {name: load_value(target, row.field, getattr(row, name)) for name in ("base", "mine", "theirs")}
    return Conflict(row.id, row.table_name, row.row_key, row.field, detected_at=row.detected_at, **sides)


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
