"""What an import file is checked against in the database (CONTRACTS.md §4): the reference tables as a
domain `Reference`, and batched look-ups of the entries and importer numbers that rows refer to.

The reference tables were loaded from the bundled CSVs (app/store/reference_load.py), so the mapping here
mirrors how those CSV columns read: `aliases` is `|`-separated, a blank disposition `category` means the code
implies no hold category, and only PGA-owned hold categories say which agency they belong to.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import CenterCode, ComplianceEventType, HoldCategory
from app.domain.import_rules_base import Reference
from app.store import orm

E = TypeVar("E", bound=StrEnum)

# Keys per IN (...) list: far below every backend's bound-parameter limit (SQLite 32,766, PostgreSQL 65,535).
LOOKUP_CHUNK = 1_000


def _codes(session: Session, column: Any) -> frozenset[str]:
    return frozenset(session.scalars(select(column)))


def _spellings(rows: Iterable[tuple[str, str, str]], enum: type[E]) -> dict[str, E]:
    """Every accepted spelling (code, label, each alias) -> the canonical enum value."""
    spellings: dict[str, E] = {}
    for code, label, alias_text in rows:
        value = enum(code)
        for text in (code, label, *alias_text.split("|")):
            if text.strip():
                spellings[text.strip()] = value
    return spellings


def import_reference(session: Session) -> Reference:
    """The reference data the import row rules need, read from the reference tables."""
    center = orm.CenterRow
    hold = orm.HoldCategoryRow
    event = orm.ComplianceEventTypeRow
    disposition = orm.DispositionCodeRow
    holds = session.execute(select(hold.code, hold.label, hold.aliases, hold.owner, hold.agency)).all()
    centers = session.execute(select(center.code, center.name, center.code)).all()
    events = session.execute(select(event.code, event.label, event.aliases)).all()
    dispositions = session.execute(select(disposition.code, disposition.category)).all()
    return Reference(
        ports=_codes(session, orm.PortRow.code),
        countries=dict(session.execute(select(orm.CountryRow.alpha2, orm.CountryRow.name)).all()),
        entry_types=_codes(session, orm.EntryTypeRow.code),
        transport_modes=_codes(session, orm.TransportModeRow.code),
        agencies=_codes(session, orm.AgencyRow.code),
        # A center has no aliases column: its code stands in for one, which `_spellings` de-duplicates.
        center_spellings=_spellings(centers, CenterCode),
        hold_category_spellings=_spellings(((r.code, r.label, r.aliases) for r in holds), HoldCategory),
        event_type_spellings=_spellings(events, ComplianceEventType),
        disposition_categories={
            code: HoldCategory(category) if category else None for code, category in dispositions
        },
        agency_categories={r.agency: HoldCategory(r.code) for r in holds if r.owner == "PGA"},
    )


def _chunks(keys: Collection[str]) -> Iterable[list[str]]:
    ordered = sorted(keys)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        yield ordered[start : start + LOOKUP_CHUNK]


def existing_entry_numbers(session: Session, entry_numbers: Collection[str]) -> set[str]:
    """Which of these canonical entry numbers are in the database (one query per 1,000 numbers)."""
    entry = orm.EntryRow
    found: set[str] = set()
    for chunk in _chunks(entry_numbers):
        found.update(session.scalars(select(entry.entry_number).where(entry.entry_number.in_(chunk))))
    return found


def importer_numbers_with_account(session: Session, normalized: Collection[str]) -> set[str]:
    """Which of these normalised importer numbers belong to a live account (neither row tombstoned)."""
    number = orm.ImporterNumberRow
    account = orm.AccountRow
    found: set[str] = set()
    for chunk in _chunks(normalized):
        query = (
            select(number.normalized)
            .join(account, account.id == number.account_id)
            .where(number.normalized.in_(chunk), number.deleted_at.is_(None), account.deleted_at.is_(None))
        )
        found.update(session.scalars(query))
    return found
