"""Read queries, one module per aggregate. Each takes an open `Session` and returns domain dataclasses.

The services own the session and the transaction; nothing here commits. Rows of the synced tables are
tombstoned, never deleted, so every query over them filters `deleted_at IS NULL`.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.enums import IORType
from app.domain.errors import ValidationError
from app.domain.identifiers import format_entry_number
from app.domain.importer_number import ImporterNumber

# The portfolio's rolling 12-month window: entries dated after `today - WINDOW_DAYS`.
WINDOW_DAYS = 365


def window_start(today: date) -> date:
    """The last day *outside* the 12-month window ending on `today` (compare with `>`)."""
    return today - timedelta(days=WINDOW_DAYS)


def ior_display(normalized: str, ior_type: str) -> str:
    """A stored importer number as people read it, SSN-based ones masked; the stored value if malformed."""
    try:
        return ImporterNumber(normalized, IORType(ior_type)).masked
    except ValueError:  # an unknown type string: show the key rather than fail a whole list
        return normalized


def entry_display(canonical: str) -> str:
    """`XXXNNNNNNNC` -> `XXX-NNNNNNN-C`; a malformed stored value is shown as it is."""
    try:
        return format_entry_number(canonical)
    except ValidationError:
        return canonical
