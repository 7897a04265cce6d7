"""What an import reports: per file (`ImportResult`, the JSON of CONTRACTS.md §4), per stored batch
(`BatchSummary`, the Imports screen and `imports list`) and per undo (`UndoResult`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain.enums import ImportKind
from app.domain.import_rows import Issue
from app.services.importing.validate import IssueTally


@dataclass
class ImportResult(IssueTally):
    """The outcome of importing (or dry-running) one file.

    `rows` counts data rows read; `inserted` / `updated` / `unchanged` the records written (a dry run counts
    what it would write); `skipped` the rows rejected and left out under `skip_invalid`. `written` is False
    when nothing was stored: a dry run, errors without `skip_invalid` (all-or-nothing), or nothing to change.
    Issues as in `IssueTally`. `error_workbook` is the XLSX of rejected rows, when one was written.
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
    error_workbook: Path | None = None

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
