"""A first look at an import file before anything is written: its header, the kind and column mapping, and
its first rows checked against the row rules (the import wizard's mapping and preview page).

Only the first `limit` data rows are read, so a preview of a million-row file costs no more than one of a
hundred rows. The rules are those of the dry run (`validate.py`) as far as a few rows can decide them: each
row's own rules, the same key twice among the rows shown, and what the database must hold (a hold's entry, a
compliance event's importer number). The full check is the dry run.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.domain.enums import ImportKind
from app.domain.import_rows import Issue, SourceRow
from app.services.importing.headers import ALIASES, REQUIRED, map_header, recognise, source_rows
from app.services.importing.readers import TableSource, is_blank, open_table
from app.services.importing.validate import FileCheck, RowChecker, import_kind
from app.services.progress import no_progress
from app.services.workspace import Workspace
from app.store.queries.import_reference import import_reference

PREVIEW_ROWS = 200


@dataclass
class PreviewRow:
    """One data row: `row` is the file row (header = 1), `cells` the display text of every file column."""

    row: int
    cells: list[str]
    issues: list[Issue] = field(default_factory=list)


@dataclass
class FilePreview:
    """The header, the kind (None when it cannot be recognised), the mapping and the first rows of a file.

    `mapping` has one entry per non-blank header cell: the canonical column it fills, or None when it is
    ignored (matched nothing, or the user said so). `header_issues` are the row-0 issues (unknown columns,
    required columns missing). Rows are validated only when the kind is known and the header has no error.
    """

    path: Path
    header: list[str]
    kind: ImportKind | None
    recognition_message: str
    mapping: dict[str, str | None] = field(default_factory=dict)
    header_issues: list[Issue] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)

    @property
    def missing_required(self) -> list[str]:
        """The required columns of the kind that no file column fills."""
        if self.kind is None:
            return []
        mapped = {canonical for canonical in self.mapping.values() if canonical is not None}
        return [column for column in kind_columns(self.kind) if column in REQUIRED[self.kind] - mapped]

    def column_index(self, column: str) -> int | None:
        """The file column an issue's `column` points at: a canonical name or a header text as written."""
        for index, text in enumerate(self.header):
            if text and (self.mapping.get(text) == column or text == column):
                return index
        return None

    @property
    def issue_count(self) -> int:
        return sum(len(row.issues) for row in self.rows)


def kind_columns(kind: ImportKind | str) -> list[str]:
    """The canonical columns of a kind, required ones first, each group in the contract's order."""
    kind = ImportKind(kind)
    columns = list(ALIASES[kind])
    return [c for c in columns if c in REQUIRED[kind]] + [c for c in columns if c not in REQUIRED[kind]]


def preview_file(
    ws: Workspace,
    path: str | Path,
    *,
    kind: ImportKind | str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    sheet: str | None = None,
    limit: int = PREVIEW_ROWS,
) -> FilePreview:
    """Read the header and first `limit` rows of an import file and check them as the import would.

    `kind` None: recognised from the header (left None, with the reason in `recognition_message`, when no
    kind fits). `mapping` is the user's own header text -> canonical column (None = ignore), over the
    aliases. ValidationError / NotFoundError for a file that cannot be read or an unknown kind.
    """
    wanted = import_kind(kind)
    with open_table(path, sheet=sheet) as table:
        recognition = recognise(table.header)
        if wanted is None:
            wanted = recognition.kind
            message = recognition.message
        else:
            message = f"{wanted} (chosen)"
        preview = FilePreview(table.path, list(table.header), wanted, message)
        if wanted is None:
            preview.mapping = {text: None for text in table.header if text.strip()}
            preview.rows = _raw_rows(table, len(table.header), limit)
            return preview
        header_map = map_header(table.header, wanted, mapping)
        by_index = {index: canonical for canonical, index in header_map.columns.items()}
        preview.mapping = {
            text: by_index.get(index) for index, text in enumerate(table.header) if text.strip()
        }
        preview.header_issues = list(header_map.issues)
        if header_map.has_errors:
            preview.rows = _raw_rows(table, len(table.header), limit)
            return preview
        trailing: list[Issue] = []
        sources = list(itertools.islice(source_rows(table, header_map, issues=trailing), limit))
        preview.header_issues.extend(trailing)
        preview.rows = _checked_rows(ws, wanted, sources, len(table.header))
        return preview


def _raw_rows(table: TableSource, width: int, limit: int) -> list[PreviewRow]:
    rows = (PreviewRow(number, _texts(cells, width)) for number, cells in table.rows() if not is_blank(cells))
    return list(itertools.islice(rows, limit))


def _checked_rows(ws: Workspace, kind: ImportKind, sources: list[SourceRow], width: int) -> list[PreviewRow]:
    """Each row with its issues, found by the dry run's own checker (`validate.RowChecker`): the row's rules,
    a key repeated among these rows, then what the database must hold."""
    rows = {source.row: PreviewRow(source.row, _texts(source.cells, width), []) for source in sources}
    check = FileCheck("", kind)
    with ws.database.session() as session:
        checker = RowChecker(session, import_reference(session), check, no_progress, None)
        for source in sources:
            checker.take(source)
        checker.flush()
    for issue in sorted([*check.errors, *check.warnings], key=lambda issue: issue.row):
        if issue.row in rows:
            rows[issue.row].issues.append(issue)
    return list(rows.values())


def _texts(cells: Any, width: int) -> list[str]:
    texts = [_text(cell) for cell in list(cells)[:width]]
    return texts + [""] * (width - len(texts))


def _text(cell: object) -> str:
    """A cell as the user would read it: XLSX dates as ISO text, whole numbers without ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="minutes") if cell.time() else cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
