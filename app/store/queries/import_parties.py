"""Writing imported accounts (the roster) and compliance events, and creating accounts for unknown importers.

These are synced tables (`SyncedMixin`): an update bumps `version` and `updated_at` like an ORM edit does, and
the journal keeps both the earlier values and the version the import left, so an undo can refuse when someone
edited the record since. Records these writers insert are journalled too (they are few).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from app.domain.enums import CTPATTier, PartnershipState, Program
from app.domain.ids import uuid7
from app.domain.importer_number import parse_importer_number
from app.store import orm
from app.store.bulk import table
from app.store.queries.import_journal import Journal
from app.store.queries.import_trade import INSERTED, UNCHANGED, UPDATED, Row, differences, given

ACCOUNTS = table("accounts")
IORS = table("importer_numbers")
STATUSES = table("partnership_statuses")
AES = table("account_executives")
EVENTS = table("compliance_events")
CENTERS = table("centers")

_ACCOUNT_COLUMNS = {
    "account_name": "name",
    "center": "center_code",
    "risk_segment": "risk_segment",
    "city": "city",
    "state": "state",
    "country": "country",
}
_EVENT_COLUMNS = {
    "entry_number": "entry_number",
    "due_on": "due_on",
    "closed_on": "closed_on",
    "amount": "amount_cents",
    "outcome": "outcome",
    "description": "description",
}
_ACTIVE_STATES = (PartnershipState.CERTIFIED, PartnershipState.VALIDATED)


class AccountRowConflict(Exception):
    """A roster row whose importer numbers belong to different accounts; `message` says which."""


def _synced_insert(connection: Connection, journal: Journal, table_name: str, row: Row) -> uuid.UUID:
    row_id = row.setdefault("id", uuid7())
    connection.execute(insert(orm.Base.metadata.tables[table_name]).values(row))
    journal.inserted(table_name, {"id": row_id})
    return row_id


def synced_update(
    connection: Connection, journal: Journal, table_name: str, stored: Row, wanted: Row
) -> bool:
    """Update the changed columns of a synced record, bumping its version; journal the earlier values."""
    before = differences(stored, wanted)
    if not before:
        return False
    target = orm.Base.metadata.tables[table_name]
    version = stored["version"] + 1
    values = {**{column: wanted[column] for column in before}, "version": version, "updated_at": func.now()}
    connection.execute(update(target).where(target.c.id == stored["id"]).values(values))
    journal.changed(table_name, {"id": stored["id"]}, {**before, "version": stored["version"]}, version)
    stored.update({column: wanted[column] for column in before}, version=version)
    return True


def accounts_of_numbers(connection: Connection, numbers: Sequence[str]) -> dict[str, uuid.UUID]:
    """Live importer number -> its account id, for the numbers that have one."""
    found: dict[str, uuid.UUID] = {}
    for start in range(0, len(numbers), 500):
        part = numbers[start : start + 500]
        query = select(IORS.c.normalized, IORS.c.account_id).where(
            IORS.c.normalized.in_(part), IORS.c.deleted_at.is_(None)
        )
        found.update({row.normalized: row.account_id for row in connection.execute(query)})
    return found


class AccountCreator:
    """Creates accounts for importer numbers no account holds, flagged "created by import" (CONTRACTS §4)."""

    def __init__(self, connection: Connection, journal: Journal) -> None:
        self.connection = connection
        self.journal = journal
        self.created = 0
        centers = connection.execute(select(CENTERS.c.code, CENTERS.c.hts_chapters)).all()
        self.center_of_chapter: dict[str, str] = {}
        for code, chapters in centers:
            for chapter in (chapters or "").split():
                self.center_of_chapter.setdefault(chapter, code)
        self.default_center = self._portfolio_center() or (centers[0].code if centers else "ELEC")

    def _portfolio_center(self) -> str | None:
        """The Center most of the portfolio's accounts belong to (the AE's own, in practice)."""
        query = (
            select(ACCOUNTS.c.center_code)
            .where(ACCOUNTS.c.deleted_at.is_(None))
            .group_by(ACCOUNTS.c.center_code)
            .order_by(func.count().desc(), ACCOUNTS.c.center_code)
            .limit(1)
        )
        return self.connection.execute(query).scalar()

    def center_for(self, hts_number: str | None) -> str:
        """The Center whose industry covers the HTS chapter; else the portfolio's Center."""
        chapter = (hts_number or "")[:2]
        return self.center_of_chapter.get(chapter, self.default_center)

    def create(
        self, number: str, name: str | None, center: str, fields: Row | None = None, *, by_import: bool = True
    ) -> uuid.UUID:
        """A new account holding `number`; `fields` are further account columns (the roster's)."""
        ior = parse_importer_number(number)
        row = {
            "name": name or f"Importer {ior.masked}",
            "center_code": center,
            **(fields or {}),
            "created_by_import": by_import,
        }
        account_id = _synced_insert(self.connection, self.journal, "accounts", row)
        self.add_number(account_id, number, primary=True)
        self.created += by_import  # a roster row is an "inserted" account, not one created for an importer
        return account_id

    def add_number(self, account_id: uuid.UUID, number: str, *, primary: bool) -> None:
        ior = parse_importer_number(number)
        row = {
            "account_id": account_id,
            "raw": ior.display,
            "normalized": ior.normalized,
            "ior_type": str(ior.ior_type),
            "suffix": ior.suffix or "",
            "is_primary": primary,
            "active": True,
        }
        _synced_insert(self.connection, self.journal, "importer_numbers", row)


class AccountWriter:
    """The accounts roster: one row per account, keyed by any of its importer numbers."""

    def __init__(
        self, connection: Connection, journal: Journal, creator: AccountCreator, today: date
    ) -> None:
        self.connection = connection
        self.journal = journal
        self.creator = creator
        self.today = today

    def write(self, row: Row) -> str:
        """Insert or update one account; raises AccountRowConflict when its numbers name two accounts."""
        numbers: tuple[str, ...] = row["importer_numbers"]
        owners = accounts_of_numbers(self.connection, list(numbers))
        accounts = set(owners.values())
        if len(accounts) > 1:
            raise AccountRowConflict(self._conflict_message(owners))
        wanted = given(row, _ACCOUNT_COLUMNS)
        ae_id = self._account_executive(row.get("account_executive"), wanted.get("center_code"), accounts)
        if ae_id is not None:
            wanted["ae_id"] = ae_id
        if not accounts:
            center = wanted.pop("center_code", None) or self.creator.default_center
            # A roster names its accounts on purpose: not "created by import" in the flag's sense.
            account_id = self.creator.create(numbers[0], wanted.pop("name"), center, wanted, by_import=False)
            for number in numbers[1:]:
                self.creator.add_number(account_id, number, primary=False)
            self._programs(account_id, row)
            return INSERTED
        account_id = accounts.pop()
        changed = self._update_account(account_id, {**wanted, "created_by_import": False})
        for number in numbers:
            if number not in owners:
                self.creator.add_number(account_id, number, primary=False)
                changed = True
        changed = self._programs(account_id, row) or changed
        return UPDATED if changed else UNCHANGED

    def _conflict_message(self, owners: Mapping[str, uuid.UUID]) -> str:
        names = dict(
            self.connection.execute(
                select(ACCOUNTS.c.id, ACCOUNTS.c.name).where(ACCOUNTS.c.id.in_(set(owners.values())))
            ).all()
        )
        parts = [
            f"{parse_importer_number(n).masked} belongs to {names[a]!r}" for n, a in sorted(owners.items())
        ]
        return "importer numbers of different accounts on one row: " + "; ".join(parts)

    def _update_account(self, account_id: uuid.UUID, wanted: Row) -> bool:
        stored = self.connection.execute(select(ACCOUNTS).where(ACCOUNTS.c.id == account_id)).one()._asdict()
        return synced_update(self.connection, self.journal, "accounts", stored, wanted)

    def _account_executive(
        self, name: str | None, center: str | None, accounts: set[uuid.UUID]
    ) -> uuid.UUID | None:
        """The AE named on the row (matched ignoring case), created in the account's Center when new."""
        if not name:
            return None
        query = select(AES.c.id).where(func.lower(AES.c.name) == name.lower(), AES.c.deleted_at.is_(None))
        found = self.connection.execute(query.limit(1)).scalar()
        if found is not None:
            return found
        if center is None and accounts:
            center = self.connection.execute(
                select(ACCOUNTS.c.center_code).where(ACCOUNTS.c.id.in_(accounts))
            ).scalar()
        row = {"name": name, "center_code": center or self.creator.default_center}
        return _synced_insert(self.connection, self.journal, "account_executives", row)

    # --- partnership programs ------------------------------------------------------------------------------

    def _programs(self, account_id: uuid.UUID, row: Row) -> bool:
        changed = False
        tier, status = row.get("ctpat_tier"), row.get("ctpat_status")
        if tier is not None or status is not None:
            changed = self._set_status(account_id, Program.CTPAT_SECURITY, tier, status)
        trade = row.get("trade_compliance")
        if trade is not None:
            current = self._current(account_id, Program.CTPAT_TRADE_COMPLIANCE)
            active = current is not None and current["state"] in _ACTIVE_STATES
            if trade and not active:
                changed = (
                    self._set_status(
                        account_id, Program.CTPAT_TRADE_COMPLIANCE, None, PartnershipState.CERTIFIED
                    )
                    or changed
                )
            elif not trade and active:
                changed = (
                    self._set_status(
                        account_id, Program.CTPAT_TRADE_COMPLIANCE, None, PartnershipState.INACTIVE
                    )
                    or changed
                )
        return changed

    def _current(self, account_id: uuid.UUID, program: Program) -> dict[str, Any] | None:
        query = (
            select(STATUSES.c.tier, STATUSES.c.state)
            .where(
                STATUSES.c.account_id == account_id,
                STATUSES.c.program == program,
                STATUSES.c.deleted_at.is_(None),
            )
            .order_by(STATUSES.c.effective_on.desc(), STATUSES.c.created_at.desc())
            .limit(1)
        )
        found = self.connection.execute(query).first()
        return None if found is None else found._asdict()

    def _set_status(
        self, account_id: uuid.UUID, program: Program, tier: CTPATTier | None, state: PartnershipState | None
    ) -> bool:
        """Record a new status when it differs from the current one: the history keeps the earlier one."""
        current = self._current(account_id, program) or {"tier": str(CTPATTier.NONE), "state": None}
        new_tier = str(tier) if tier is not None else current["tier"]
        new_state = str(state) if state is not None else current["state"] or str(PartnershipState.CERTIFIED)
        if (new_tier, new_state) == (current["tier"], current["state"]):
            return False
        row = {
            "account_id": account_id,
            "program": str(program),
            "tier": new_tier,
            "state": new_state,
            "effective_on": self.today,
            "note": "from an accounts import",
        }
        _synced_insert(self.connection, self.journal, "partnership_statuses", row)
        return True


class ComplianceWriter:
    """Compliance events: key (account, type, reference), or (account, type, opened on, entry) without one."""

    def __init__(self, connection: Connection, journal: Journal) -> None:
        self.connection = connection
        self.journal = journal

    def write(self, rows: Sequence[Row]) -> list[str]:
        owners = accounts_of_numbers(self.connection, sorted({row["importer_number"] for row in rows}))
        stored = self._stored(set(owners.values()))
        outcomes: list[str] = []
        for row in rows:
            account_id = owners[row["importer_number"]]
            key = _event_key(
                account_id,
                row["event_type"],
                row.get("reference") or "",
                row["opened_on"],
                row.get("entry_number"),
            )
            wanted = given(row, _EVENT_COLUMNS)
            if key in stored:
                event = stored[key]
                changed = synced_update(self.connection, self.journal, "compliance_events", event, wanted)
                outcomes.append(UPDATED if changed else UNCHANGED)
                continue
            event = {
                "id": uuid7(),
                "account_id": account_id,
                "event_type": str(row["event_type"]),
                "reference": row.get("reference") or "",
                "opened_on": row["opened_on"],
                **wanted,
                "version": 1,
                "import_batch_id": self.journal.batch_id,
            }
            self.connection.execute(insert(EVENTS).values(event))
            stored[key] = event
            outcomes.append(INSERTED)
        return outcomes

    def _stored(self, accounts: set[uuid.UUID]) -> dict[tuple[Any, ...], Row]:
        stored: dict[tuple[Any, ...], Row] = {}
        if not accounts:
            return stored
        columns = [
            EVENTS.c.id,
            EVENTS.c.version,
            EVENTS.c.account_id,
            EVENTS.c.event_type,
            EVENTS.c.reference,
        ]
        columns += [EVENTS.c.opened_on, *[EVENTS.c[name] for name in _EVENT_COLUMNS.values()]]
        query = select(*columns).where(EVENTS.c.account_id.in_(accounts), EVENTS.c.deleted_at.is_(None))
        for found in self.connection.execute(query):
            event = found._asdict()
            key = _event_key(
                event["account_id"],
                event["event_type"],
                event["reference"],
                event["opened_on"],
                event["entry_number"],
            )
            stored.setdefault(key, event)
        return stored


def _event_key(
    account_id: uuid.UUID,
    event_type: str,
    reference: str,
    opened_on: date | datetime,
    entry_number: str | None,
) -> tuple[Any, ...]:
    if reference:
        return (account_id, str(event_type), reference)
    return (account_id, str(event_type), opened_on, entry_number)
