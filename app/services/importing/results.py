"""What an import reports: per file (`ImportResult`, the JSON of CONTRACTS.md §4), per stored batch
(`BatchSummary`, the Imports screen and `imports list`) and per undo (`UndoResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain.enums import ImportKind
from app.domain.import_rows import Issue
from app.services.importing.validate import MAX_KEPT_ISSUES


@dataclass
class ImportResult:
    """The outcome of importing (or dry-running) one file.

    `rows` counts data rows read; `inserted` / `updated` / `unchanged` the records written (a dry run counts
    what it would write); `skipped` the rows rejected and left out under `skip_invalid`. `written` is False
    when nothing was stored: a dry run, or errors without `skip_invalid` (all-or-nothing). `errors` /
    `warnings` keep the first `MAX_KEPT_ISSUES` each in file order; `error_count` / `warning_count` count all.
    `error_workbook` is the XLSX of rejected rows, when one was written.
    """

    file: str
    kind: ImportKind
    dry_run: bool = False
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    accounts_created: int = 0
    batch_id: str | None = None
    written: bool = False
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    error_workbook: Path | None = None

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

    def to_json(self) -> dict[str, Any]:
        """The object `import --json` prints for this file (CONTRACTS.md §4), keys in the documented order."""
        return {
            "file": self.file,
            "kind": str(self.kind),
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "accounts_created": self.accounts_created,
            "batch_id": self.batch_id,
            "dry_run": self.dry_run,
            "errors": [_issue_json(issue) for issue in self.errors],
            "warnings": [_issue_json(issue) for issue in self.warnings],
        }


def _issue_json(issue: Issue) -> dict[str, Any]:
    return {"row": issue.row, "column": issue.column, "message": issue.message}


@dataclass(frozen=True)
class BatchSummary:
    """One stored import batch, newest first in `list_batches`. `undone_at` is None while it stands."""

    id: str
    kind: ImportKind
    source_name: str
    source_sha256: str
    imported_at: datetime
    imported_by: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    skipped: int
    accounts_created: int
    undone_at: datetime | None

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


@dataclass(frozen=True)
class UndoResult:
    """What undoing a batch did: records removed (the batch inserted them) and restored (it changed them)."""

    batch_id: str
    source_name: str
    removed: int
    restored: int
