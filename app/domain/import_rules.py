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
from app.domain.import_rules_kinds import read_account, read_compliance, read_entry, read_hold

__all__ = ["Reference", "row_key", "validate_row"]

_READERS: dict[ImportKind, Callable[[RowReader], dict[str, Any]]] = {
    ImportKind.ACCOUNTS: read_account,
    ImportKind.ENTRIES: read_entry,
    ImportKind.HOLDS: read_hold,
    ImportKind.COMPLIANCE: read_compliance,
}


def validate_row(
    kind: ImportKind, source_row: SourceRow, reference: Reference | None = None
) -> tuple[dict[str, Any] | None, list[Issue]]:
    """Canonical values of one row (None when any error rejects it) and every issue found, in column order.

    Without `reference` no code is checked against reference data, and hold categories / event types cannot
    be recognised: pass the reference data in real use.
    """
    reader = RowReader(source_row, reference or Reference())
    values = _READERS[ImportKind(kind)](reader)
    return (None if reader.has_errors else values), reader.issues


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
