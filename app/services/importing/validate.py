"""Check a whole import file without writing anything: the core of the dry run (CONTRACTS.md §4).

The file is streamed once. Each row goes through the row rules (`RowValidator`); on top of those come the
rules a single row cannot decide: the same key twice in one file, and what the database must already hold
(a hold's entry, a compliance event's importer number). Database look-ups are made per batch of rows with
`IN (...)` lists, never one query per row, so a file of a million rows costs about a thousand queries.

Issues are kept in file-row order up to `MAX_KEPT_ISSUES` per severity; all of them are counted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.domain.enums import ImportKind
from app.domain.errors import ValidationError
from app.domain.identifiers import format_entry_number
from app.domain.import_consistency import RowConsistency
from app.domain.import_rows import Issue, SourceRow
from app.domain.import_rules import RowValidator, row_key
from app.domain.import_rules_base import Reference
from app.domain.importer_number import parse_importer_number
from app.services.importing.headers import map_header, recognise, source_rows
from app.services.importing.readers import open_table
from app.services.progress import CancelToken, Progress, no_progress
from app.services.workspace import Workspace
from app.store.queries.import_reference import (
    existing_entry_numbers,
    import_reference,
    importer_numbers_with_account,
)

MAX_KEPT_ISSUES = 1_000
BATCH_ROWS = 1_000

# The column a duplicate-key error points at: the first column of the kind's key.
_KEY_COLUMN: Mapping[ImportKind, str] = {
    ImportKind.ACCOUNTS: "importer_number",
    ImportKind.ENTRIES: "entry_number",
    ImportKind.HOLDS: "entry_number",
    ImportKind.COMPLIANCE: "importer_number",
}


@dataclass
class IssueTally:
    """Issues of one file: `errors` / `warnings` hold at most `MAX_KEPT_ISSUES` each, in the order added;
    `error_count` / `warning_count` count all of them."""

    errors: list[Issue] = field(default_factory=list, kw_only=True)
    warnings: list[Issue] = field(default_factory=list, kw_only=True)
    error_count: int = field(default=0, kw_only=True)
    warning_count: int = field(default=0, kw_only=True)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, issue: Issue) -> None:
        if issue.severity == "error":
            self.error_count += 1
            kept = self.errors
        else:
            self.warning_count += 1
            kept = self.warnings
        if len(kept) < MAX_KEPT_ISSUES:
            kept.append(issue)


@dataclass
class FileCheck(IssueTally):
    """The outcome of checking one file. `rows` is the data rows read, `valid_rows` those without an error;
    `accounts_to_create` the distinct new importer numbers an entries file brings."""

    file: str
    kind: ImportKind
    rows: int = 0
    valid_rows: int = 0
    accounts_to_create: int = 0


def validate_file(
    ws: Workspace,
    path: str | Path,
    *,
    kind: ImportKind | str | None = None,
    sheet: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> FileCheck:
    """Check every row of an import file against the row rules, the other rows and the database.

    Without `kind` the kind is recognised from the header; a header that fits no kind (or two equally) is a
    ValidationError, and so are an unreadable file and an unknown `kind`. A header with errors (a required
    column missing) is reported in the FileCheck without reading the rows.
    """
    wanted = import_kind(kind)
    with open_table(path, sheet=sheet) as table:
        name = table.path.name
        if wanted is None:
            recognition = recognise(table.header)
            if recognition.kind is None:
                raise ValidationError(f"{name}: {recognition.message}", field="kind")
            wanted = recognition.kind
        header_map = map_header(table.header, wanted)
        check = FileCheck(name, wanted)
        for issue in header_map.issues:
            check.add(issue)
        if header_map.has_errors:
            return check
        trailing: list[Issue] = []
        with ws.database.session() as session:
            checker = RowChecker(session, import_reference(session), check, progress, cancel)
            for source_row in source_rows(table, header_map, issues=trailing):
                checker.take(source_row)
            checker.flush()
        for issue in trailing:
            check.add(issue)
        return check


def import_kind(kind: ImportKind | str | None) -> ImportKind | None:
    if kind is None or isinstance(kind, ImportKind):
        return kind
    try:
        return ImportKind(kind.strip().lower())
    except ValueError:
        names = ", ".join(str(known) for known in ImportKind)
        raise ValidationError(f"unknown kind of import {kind!r}: use one of {names}", field="kind") from None


ValidRow = tuple[SourceRow, dict[str, Any]]
RejectedRow = tuple[SourceRow, list[Issue]]
BatchSink = Callable[[list[ValidRow], list[RejectedRow]], list[Issue]]
"""Takes each batch's valid rows (with canonical values) and rejected rows (with their errors); returns errors
found while using the valid rows (an import's writer), each rejecting its row."""


class RowChecker:
    """Row rules per row, cross-row rules as rows arrive, database rules per batch of `BATCH_ROWS` rows.

    With a `sink`, each checked batch is handed on (the import writes it); without, rows are only counted.
    """

    def __init__(
        self,
        session: Session,
        reference: Reference,
        check: FileCheck,
        progress: Progress,
        cancel: CancelToken | None,
        sink: BatchSink | None = None,
    ) -> None:
        self.session = session
        self.reference = reference
        self.check = check
        self.kind = check.kind
        self.progress = progress
        self.cancel = cancel
        self.sink = sink
        self.validator = RowValidator(self.kind, reference)
        self.consistency = RowConsistency() if self.kind is ImportKind.ENTRIES else None
        self.first_row_of_key: dict[tuple[object, ...], int] = {}
        self.first_row_of_number: dict[str, int] = {}  # accounts: an importer number names one account
        self.new_importers: set[str] = set()
        # This batch: rows with their canonical values (None when rejected), and their issues, which are
        # sorted into file order when the batch is flushed (the database rules add theirs last).
        self.pending: list[tuple[SourceRow, dict[str, Any] | None]] = []
        self.issues: list[Issue] = []

    def take(self, source_row: SourceRow) -> None:
        self.check.rows += 1
        values, issues = self.validator.validate(source_row)
        self.issues.extend(issues)
        if values is not None:
            duplicate = self._duplicate(source_row.row, values)
            if duplicate is not None:
                self.issues.append(duplicate)
                values = None
            elif self.consistency is not None:
                self.issues.extend(self.consistency.check(source_row.row, values))
        self.pending.append((source_row, values))
        if len(self.pending) >= BATCH_ROWS:
            self.flush()

    def _duplicate(self, row: int, values: Mapping[str, Any]) -> Issue | None:
        """An error on this row when its key (accounts: any of its importer numbers) came earlier."""
        if self.kind is ImportKind.ACCOUNTS:
            for number in values["importer_numbers"]:
                first = self.first_row_of_number.setdefault(number, row)
                if first != row:
                    message = f"importer number {_ior_text(number)} is also on row {first}"
                    return Issue(row, "importer_number", message, "error")
            return None
        first = self.first_row_of_key.setdefault(row_key(self.kind, values), row)
        if first == row:
            return None
        return Issue(row, _KEY_COLUMN[self.kind], f"same key as row {first}", "error")

    def flush(self) -> None:
        """Apply the database rules to the batch's accepted rows, then add its issues in file order."""
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        accepted = [(source, values) for source, values in self.pending if values is not None]
        known = self._known_in_database([values for _source, values in accepted])
        valid: list[ValidRow] = []
        for source, values in accepted:
            issue = self._database_rule(source.row, values, known)
            if issue is None:
                valid.append((source, values))
            else:
                self.issues.append(issue)
        self.check.valid_rows += len(valid)
        if self.sink is not None:
            self._hand_on(valid)
        self.issues.sort(key=lambda issue: issue.row)
        for issue in self.issues:
            self.check.add(issue)
        self.check.accounts_to_create = len(self.new_importers)
        self.pending = []
        self.issues = []
        self.progress(self.check.rows, 0, f"Checked {self.check.rows:,} rows of {self.check.file}")

    def _hand_on(self, valid: list[ValidRow]) -> None:
        assert self.sink is not None
        errors: dict[int, list[Issue]] = {}
        for issue in self.issues:
            if issue.severity == "error":
                errors.setdefault(issue.row, []).append(issue)
        rejected = [(source, errors[source.row]) for source, _values in self.pending if source.row in errors]
        late = self.sink(valid, rejected)
        self.issues.extend(late)
        self.check.valid_rows -= len({issue.row for issue in late if issue.severity == "error"})

    def _known_in_database(self, batch: list[dict[str, Any]]) -> set[str]:
        """The batch's entry numbers (holds) or importer numbers (entries, compliance) the database holds."""
        if self.kind is ImportKind.HOLDS:
            return existing_entry_numbers(self.session, {values["entry_number"] for values in batch})
        if self.kind in (ImportKind.ENTRIES, ImportKind.COMPLIANCE):
            numbers = {values["importer_number"] for values in batch} - self.new_importers
            return importer_numbers_with_account(self.session, numbers)
        return set()  # accounts: every row creates or updates an account, nothing must exist first

    def _database_rule(self, row: int, values: Mapping[str, Any], known: set[str]) -> Issue | None:
        """The error for a row that refers to something the database lacks; None when the row is fine."""
        if self.kind is ImportKind.HOLDS and values["entry_number"] not in known:
            entry = format_entry_number(values["entry_number"])
            message = f"entry {entry} is not in the database: import its entry summary first"
            return Issue(row, "entry_number", message, "error")
        if self.kind is ImportKind.COMPLIANCE and values["importer_number"] not in known:
            number = _ior_text(values["importer_number"])
            message = (
                f"importer number {number} does not belong to an account: import the accounts roster first"
            )
            return Issue(row, "importer_number", message, "error")
        if self.kind is ImportKind.ENTRIES and values["importer_number"] not in known:
            # Not an error: the import creates an account named after importer_name (CONTRACTS.md §4).
            self.new_importers.add(values["importer_number"])
        return None


def _ior_text(normalized: str) -> str:
    """An importer number for a message, SSN-based ones masked (they are personal data)."""
    try:
        return parse_importer_number(normalized).masked
    except ValidationError:
        return normalized
