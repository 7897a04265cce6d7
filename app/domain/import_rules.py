"""Row rules for import files (CONTRACTS.md §4): one `SourceRow` in, canonical typed values and issues out.

`validate_row` is the entry point the import service calls once per data row. Errors reject the row (values
None); warnings keep it. Rules that need the database (does the entry exist, does the importer number belong
to an account) and cross-row rules (the same key twice in one file) are the service's: `row_key` gives the
key it compares.

Canonical values per kind are the CONTRACTS.md column names, with these types: dates `date`, date-times naive
`datetime`, amounts `int` cents, entry numbers ``XXXNNNNNNNC``, importer numbers normalised (letters and
digits, upper case), HTS numbers 10 digits, codes as the domain enums. Accounts carry `importer_numbers`, a
tuple of one or more normalised numbers, in place of `importer_number`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.domain.enums import ImportKind
from app.domain.import_rows import Issue, SourceRow
from app.domain.import_rules_base import Reference, RowReader
from app.domain.import_rules_kinds import (
    ENTRY_FIELDS,
    ENTRY_UNIQUE_FIELDS,
    read_account,
    read_compliance,
    read_entry,
    read_hold,
)

__all__ = ["Reference", "RowValidator", "row_key", "validate_row"]

_READERS: dict[ImportKind, Callable[[RowReader], dict[str, Any]]] = {
    ImportKind.ACCOUNTS: read_account,
    ImportKind.ENTRIES: read_entry,
    ImportKind.HOLDS: read_hold,
    ImportKind.COMPLIANCE: read_compliance,
}


# Kinds whose columns are each read from their own cell alone (`import_rules_kinds.ENTRY_FIELDS`).
_FIELDS: dict[ImportKind, Mapping[str, Callable[[RowReader], Any]]] = {ImportKind.ENTRIES: ENTRY_FIELDS}
_UNIQUE: dict[ImportKind, frozenset[str]] = {ImportKind.ENTRIES: ENTRY_UNIQUE_FIELDS}
_MISSING = object()
# Distinct clean values remembered per column; past it the column starts over (entry numbers are mostly new).
CELL_MEMORY = 50_000


def validate_row(
    kind: ImportKind, source_row: SourceRow, reference: Reference | None = None
) -> tuple[dict[str, Any] | None, list[Issue]]:
    """Canonical values of one row (None when any error rejects it) and every issue found, in column order.

    Without `reference` no code is checked against reference data, and hold categories / event types cannot
    be recognised: pass the reference data in real use.
    """
    return RowValidator(kind, reference).validate(source_row)


class RowValidator:
    """`validate_row` for the rows of one file, faster on big ones.

    An entries extract repeats most cells (an entry's number, dates and importer on each of its lines; a few
    ports, countries and tariff numbers): for kinds whose columns are read cell by cell, a cell that read
    cleanly (no issue) is remembered by its raw value, and the same raw value later takes the remembered
    value without the rules. A cell with any issue is read in full every time, so messages are unchanged.
    """

    def __init__(self, kind: ImportKind, reference: Reference | None = None) -> None:
        self.kind = ImportKind(kind)
        self.reference = reference or Reference()
        self.fields = _FIELDS.get(self.kind)
        unique = _UNIQUE.get(self.kind, frozenset())
        self.clean: dict[str, dict[object, Any] | None] = {
            name: None if name in unique else {} for name in self.fields or ()
        }

    def validate(self, source_row: SourceRow) -> tuple[dict[str, Any] | None, list[Issue]]:
        reader = RowReader(source_row, self.reference)
        if self.fields is None:
            values = _READERS[self.kind](reader)
        else:
            values = self._by_cell(reader, source_row.values, self.fields)
        return (None if reader.has_errors else values), reader.issues

    def _by_cell(
        self, reader: RowReader, cells: Mapping[str, object], fields: Mapping[str, Callable[[RowReader], Any]]
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        issues = reader.issues
        for name, read in fields.items():
            remembered = self.clean[name]
            if remembered is None:
                values[name] = read(reader)
                continue
            raw = cells.get(name)
            try:
                value, hashable = remembered.get(raw, _MISSING), True
            except TypeError:  # an unhashable cell: read it every time
                value, hashable = _MISSING, False
            if value is _MISSING:
                before = len(issues)
                value = read(reader)
                if hashable and len(issues) == before:
                    if len(remembered) >= CELL_MEMORY:
                        remembered.clear()
                    remembered[raw] = value
            values[name] = value
        return values


def row_key(kind: ImportKind, values: Mapping[str, Any]) -> tuple[object, ...]:
    """The key that identifies a row's record (CONTRACTS.md §4 "Key"), from canonical values.

    Accounts have no key in the contract: their sorted importer numbers stand in, and two rows that share any
    one number describe the same account, which the service checks separately.
    """
    kind = ImportKind(kind)
    if kind is ImportKind.ACCOUNTS:
        return tuple(sorted(values["importer_numbers"]))
    if kind is ImportKind.ENTRIES:
        return (values["entry_number"], values["line_number"], values["hts_number"])
    if kind is ImportKind.HOLDS:
        return (values["entry_number"], values["hold_category"], values["placed_at"])
    if values.get("reference"):
        return (values["importer_number"], values["event_type"], values["reference"])
    return (values["importer_number"], values["event_type"], values["opened_on"], values["entry_number"])
