"""Rows of one entry that disagree. An ES-003 file repeats an entry's own values (importer, port, dates…)
on each of its lines, and a line's (country, MID) on each of its tariff numbers. When two rows of the same
entry or line give different values, the import keeps the later one, so the earlier row's value would be
replaced silently: `RowConsistency` says so with a warning on the later row.

Only recent entries are remembered (`RECENT_ENTRIES`): an extract lists an entry's lines together, and a
million-line file must not keep every entry in memory.
"""

from __future__ import annotations

from collections import OrderedDict
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
    """Remembers each recent entry's and line's values, with the rows that last gave them.

    This runs on every row of a million-line file, so the usual case (the row repeats what is remembered) is
    one tuple comparison; the column-by-column work happens only when something differs.
    """

    def __init__(self) -> None:
        self.entries: OrderedDict[str, _Seen] = OrderedDict()
        self.lines: OrderedDict[tuple[str, int], _Seen] = OrderedDict()

    def check(self, row: int, values: Mapping[str, Any]) -> list[Issue]:
        """Warnings for the values of this (valid) entries row that differ from an earlier row's."""
        number = values["entry_number"]
        issues: list[Issue] = []
        entry_values = tuple(values[column] for column in ENTRY_COLUMNS)
        seen = self.entries.get(number)
        if seen is None:
            _remember(self.entries, number, _Seen(row, entry_values))
        elif seen.values != entry_values:
            issues += seen.merge(row, entry_values, ENTRY_COLUMNS, f"entry {format_entry_number(number)}")
        line_key = (number, values["line_number"])
        line_values = tuple(values[column] for column in LINE_COLUMNS)
        seen = self.lines.get(line_key)
        if seen is None:
            _remember(self.lines, line_key, _Seen(row, line_values))
        elif seen.values != line_values:
            what = f"line {line_key[1]} of entry {format_entry_number(number)}"
            issues += seen.merge(row, line_values, LINE_COLUMNS, what)
        return issues


class _Seen:
    """The values in force for one entry or line, and the row that gave each."""

    __slots__ = ("rows", "values")

    def __init__(self, row: int, values: tuple[Any, ...]) -> None:
        self.values = values
        self.rows = (row,) * len(values)

    def merge(self, row: int, values: tuple[Any, ...], columns: tuple[str, ...], what: str) -> list[Issue]:
        """Take this row's given values; a warning for each that replaces a different earlier one."""
        issues: list[Issue] = []
        current, rows = list(self.values), list(self.rows)
        for index, (column, value) in enumerate(zip(columns, values, strict=True)):
            if value is None or value == current[index]:
                continue  # not given (keeps the earlier value), or the same
            if current[index] is not None:
                message = (
                    f"{what}: {column.replace('_', ' ')} {_text(column, value)} here but "
                    f"{_text(column, current[index])} on row {rows[index]}; "
                    "the later row's value is kept, expected the same on every row"
                )
                issues.append(Issue(row, column, message, "warning"))
            current[index], rows[index] = value, row
        self.values, self.rows = tuple(current), tuple(rows)
        return issues


def _remember(memory: OrderedDict[Any, _Seen], key: Any, seen: _Seen) -> None:
    if len(memory) >= RECENT_ENTRIES:
        # The oldest. (An OrderedDict: deleting a plain dict's first key again and again makes finding the
        # next first key slower each time.)
        memory.popitem(last=False)
    memory[key] = seen


def _text(column: str, value: Any) -> str:
    if column == "importer_number":
        try:
            return parse_importer_number(value).masked  # SSN-based numbers are personal data
        except ValidationError:
            return "(not a valid importer number)"
    strftime = getattr(value, "strftime", None)
    return strftime("%m/%d/%Y") if strftime is not None else str(value)
