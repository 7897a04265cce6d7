"""Shared shapes for importing extract files (CONTRACTS.md §4): rows as read and the problems found in them.

Readers produce `SourceRow`s; the per-kind rules turn them into canonical values and report `Issue`s. Both
sides speak of file rows counted with the header as row 1, so a message points at the line a person sees in
a spreadsheet or text editor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem with one cell, or with the header / the file as a whole.

    `row` is the file row (header = 1); 0 means the file or its header as a whole. `column` is the canonical
    column name, or the header text as written for a column that maps to nothing. `message` is for people
    and says what was expected, e.g. "check digit should be 6".
    """

    row: int
    column: str
    message: str
    severity: Severity


@dataclass(frozen=True)
class SourceRow:
    """One data row as read from the file, restricted to the mapped columns.

    `values` maps canonical column name to the raw cell: text from CSV, or the native date/datetime/number
    that an XLSX cell holds. `row` is the file row number of the record (header = 1). `cells` is the whole
    row as read, every column in file order: what the error workbook gives back for a rejected row.
    """

    row: int
    values: Mapping[str, object]
    cells: Sequence[object] = field(default=(), compare=False, repr=False)
