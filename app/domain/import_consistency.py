"""Rows of one entry that disagree. An ES-003 file repeats an entry's own values (importer, port, dates…)
on each of its lines, and a line's (country, MID) on each of its tariff numbers. When two rows of the same
entry or line give different values, the import keeps the later one, so the earlier row's value would be
replaced silently: `RowConsistency` says so with a warning on the later row.

Only recent entries are remembered (`RECENT_ENTRIES`): an extract lists an entry's lines together, and a
million-line file must not keep every entry in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.errors import ValidationError
from app.domain.identifiers import format_entry_number
from app.domain.import_rows import Issue
from app.domain.importer_number import parse_importer_number

ENTRY_COLUMNS = (
    "importer_number",
    "entry_type",
    "port_of_entry",
    "entry_date",
    "release_date",
    "mode_of_transport",
)
LINE_COLUMNS = ("country_of_origin", "mid")
RECENT_ENTRIES = 10_000


class RowConsistency:
    """Remembers each recent entry's and line's values, with the row that last gave each one."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, tuple[int, Any]]] = {}
        self.lines: dict[tuple[str, int], dict[str, tuple[int, Any]]] = {}

    def check(self, row: int, values: Mapping[str, Any]) -> list[Issue]:
        """Warnings for the values of this (valid) entries row that differ from an earlier row's."""
        number = values["entry_number"]
        entry = self._remembered(self.entries, number)
        line = self._remembered(self.lines, (number, values["line_number"]))
        what = f"entry {format_entry_number(number)}"
        issues = _compare(row, values, ENTRY_COLUMNS, entry, what)
        issues += _compare(row, values, LINE_COLUMNS, line, f"line {values['line_number']} of {what}")
        return issues

    @staticmethod
    def _remembered(memory: dict[Any, dict[str, tuple[int, Any]]], key: Any) -> dict[str, tuple[int, Any]]:
        found = memory.get(key)
        if found is None:
            if len(memory) >= RECENT_ENTRIES:
                del memory[next(iter(memory))]  # the oldest: dicts keep insertion order
            found = memory[key] = {}
        return found


def _compare(
    row: int,
    values: Mapping[str, Any],
    columns: tuple[str, ...],
    earlier: dict[str, tuple[int, Any]],
    what: str,
) -> list[Issue]:
    issues: list[Issue] = []
    for column in columns:
        value = values.get(column)
        if value is None:
            continue  # not given: keeps the earlier value, nothing is replaced
        if column not in earlier:
            earlier[column] = (row, value)
            continue
        first_row, first = earlier[column]
        if first != value:
            label = column.replace("_", " ")
            message = (
                f"{what}: {label} {_text(column, value)} here but {_text(column, first)} on row {first_row}; "
                "the later row's value is kept, expected the same on every row"
            )
            issues.append(Issue(row, column, message, "warning"))
            earlier[column] = (row, value)  # the value now in force: the next row is compared with this one
    return issues


def _text(column: str, value: Any) -> str:
    if column == "importer_number":
        try:
            return parse_importer_number(value).masked  # SSN-based numbers are personal data
        except ValidationError:
            return "(not a valid importer number)"
    strftime = getattr(value, "strftime", None)
    return strftime("%m/%d/%Y") if strftime is not None else str(value)
