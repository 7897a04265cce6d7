"""The audit trail (migration 0012): who the triggers record, and an account's history made readable.

The rows are written by database triggers; this module only names the person they record and reads them
back. Values are stored as text the way each database renders them (SQLite: `0`/`1`, hex UUIDs; PostgreSQL:
`true`/`false`, dashed UUIDs), so reading normalises both.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, select, text
from sqlalchemy.orm import Session

from app.domain.views import HistoryLine
from app.store import orm
from app.store.bulk import table
from app.store.queries import ior_display

AUDIT = table(orm.AuditRow.__tablename__)
RECORDS = {
    "accounts": "Account",
    "importer_numbers": "Importer number",
    "contacts": "Contact",
    "partnership_statuses": "Partnership status",
    "notes": "Note",
    "action_items": "Action item",
    "compliance_events": "Compliance event",
}
FIELD_LABELS = {
    "ae_id": "Account Executive",
    "backup_ae_id": "Backup AE",
    "dba": "DBA",
    "ior_type": "Importer number type",
    "normalized": "Number",
    "raw": "Number as entered",
    "center_code": "Center",
    "primary_hts_chapters": "Primary HTS chapters",
}
SUMMARY_FIELDS = ("name", "text", "issue", "reference", "event_type", "program")
SUMMARY_LENGTH = 80
_DIGITS = re.compile(r"\D")


def record_user(connection: Connection, name: str) -> None:
    """Name the person the triggers record for this connection's writes: SQLite keeps it in `meta` (one
    person per laptop file; written only when it changes), PostgreSQL in the session's `ae.user`."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('ae.user', :name, false)"), {"name": name})
        return
    meta = table(orm.MetaRow.__tablename__)
    stored = connection.execute(select(meta.c.value).where(meta.c.key == "audit_user")).scalar_one_or_none()
    if stored != name:
        connection.execute(meta.delete().where(meta.c.key == "audit_user"))
        connection.execute(meta.insert().values(key="audit_user", value=name))


def name_the_user(engine: Engine, name: str) -> None:
    """Record `name` as the person behind this engine's writes: SQLite once in the file, PostgreSQL on each
    new server session (the pool's existing sessions are closed so none is left without it)."""
    if engine.dialect.name != "postgresql":
        with engine.begin() as connection:
            record_user(connection, name)
        return

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT set_config('ae.user', %s, false)", (name,))
        cursor.close()
        dbapi_connection.commit()

    event.listen(engine, "connect", on_connect)
    engine.dispose()


def account_history(session: Session, account_id: uuid.UUID) -> list[HistoryLine]:
    """Every audited change of the account's records, newest first."""
    rows = session.execute(
        select(AUDIT).where(AUDIT.c.account_id == account_id).order_by(AUDIT.c.changed_at.desc(), AUDIT.c.id)
    ).all()
    aes = dict(session.execute(select(orm.AccountExecutiveRow.id, orm.AccountExecutiveRow.name)).all())
    sensitive = {
        note.hex
        for note in session.scalars(
            select(orm.NoteRow.id).where(
                orm.NoteRow.account_id == account_id, orm.NoteRow.sensitive.is_(True)
            )
        )
    }
    summaries = _current_summaries(session, rows)
    return [_line(row, aes, summaries, sensitive) for row in rows]


def _line(
    row: Any, aes: dict[uuid.UUID, str], summaries: dict[tuple[str, str], str], sensitive: set[str]
) -> HistoryLine:
    key = row.row_key.replace("-", "")
    if row.action == "update":
        before = _value(row.table_name, row.field, row.old_value, aes)
        after = _value(row.table_name, row.field, row.new_value, aes)
        summary = summaries.get((row.table_name, key), "")
    else:
        snapshot = json.loads(row.new_value if row.action == "insert" else row.old_value or "{}") or {}
        summary = _summary(row.table_name, snapshot)
        before = after = ""
    return HistoryLine(
        changed_at=row.changed_at,
        changed_by=row.changed_by,
        record=RECORDS.get(row.table_name, row.table_name),
        summary=summary,
        action=row.action,
        field=field_label(row.field) if row.field else "",
        before=before,
        after=after,
        sensitive=row.table_name == "notes" and key in sensitive,
    )


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


def _value(table_name: str, field: str, value: str | None, aes: dict[uuid.UUID, str]) -> str:
    """A stored value as people read it: booleans as Yes/No, AEs by name, SSN-based numbers masked."""
    if value is None:
        return ""
    column = orm.Base.metadata.tables[table_name].c.get(field)
    if table_name == "importer_numbers" and field in ("raw", "normalized"):
        digits = _DIGITS.sub("", value)
        return ior_display(digits, "SSN") if len(digits) == 9 else value
    if column is not None and column.type.python_type is bool:
        return "Yes" if value.lower() in ("1", "true") else "No"
    if field in ("ae_id", "backup_ae_id"):
        try:
            return aes.get(uuid.UUID(value), value)
        except ValueError:
            return value
    return value


def _summary(table_name: str, snapshot: dict[str, Any]) -> str:
    if table_name == "importer_numbers":
        return ior_display(str(snapshot.get("normalized", "")), str(snapshot.get("ior_type", "")))
    for field in SUMMARY_FIELDS:
        value = snapshot.get(field)
        if value:
            words = " ".join(str(value).split())
            return words if len(words) <= SUMMARY_LENGTH else words[: SUMMARY_LENGTH - 1] + "…"
    return ""


def _current_summaries(session: Session, rows: Sequence[Any]) -> dict[tuple[str, str], str]:
    """Which record each update is about, from the record as it is now (by table and key)."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.action == "update":
            wanted.setdefault(row.table_name, set()).add(row.row_key.replace("-", ""))
    found: dict[tuple[str, str], str] = {}
    for table_name, keys in wanted.items():
        target: Table = orm.Base.metadata.tables[table_name]
        ids = [uuid.UUID(hex=key) for key in keys]
        for record in session.execute(select(target).where(target.c.id.in_(ids))):
            snapshot = dict(record._mapping)
            found[(table_name, record.id.hex)] = _summary(table_name, snapshot)
    return found
