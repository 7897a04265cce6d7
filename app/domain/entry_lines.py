"""Read models of the account's Entries grid: one row per entry line with its entry's header fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# (canonical entry number, line number): the grid's row id, stable across sorts and reloads.
LineKey = tuple[str, int]


@dataclass(frozen=True, slots=True)
class EntryLineView:
    """One line of the Entries grid. `entry_number` is the display form; `key` keeps the canonical one."""

    key: LineKey
    entry_number: str  # XXX-NNNNNNN-C
    line_number: int
    entry_date: date
    entry_type: str
    port_of_entry: str
    mode_of_transport: str
    hts_number: str  # the line's first tariff row (lowest ordinal), 10 digits, "" when it has none
    country_of_origin: str
    mid: str
    entered_value_cents: int
    duty_cents: int
    release_date: date | None
    held: bool  # the entry has (or had) a hold


@dataclass(frozen=True, slots=True)
class LineCount:
    """How many lines a filter matches; with the unfiltered scope, also in how many entries (else None)."""

    lines: int
    entries: int | None = None
