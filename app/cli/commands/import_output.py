"""What `import` and `imports list` print for people (and `imports list --json` for scripts).

Per file, one summary line on stdout; its errors and warnings on stderr, one line each, capped so that a file
with thousands of bad rows does not flood the terminal (all of them are in the error workbook).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.cli.output import ERROR_PREFIX, iso_datetime, one_line, print_table

if TYPE_CHECKING:
    from app.domain.import_rows import Issue
    from app.services.importing.results import BatchSummary, ImportResult

MAX_PRINTED_ERRORS = 20
MAX_PRINTED_WARNINGS = 10
WARNING_PREFIX = "warning: "

BATCH_HEADERS = (
    "ID",
    "WHEN (UTC)",
    "WHO",
    "KIND",
    "FILE",
    "ROWS",
    "INSERTED",
    "UPDATED",
    "UNCHANGED",
    "SKIPPED",
    "ACCOUNTS CREATED",
    "STATE",
)
_COUNT_COLUMNS = tuple(range(5, 11))


def print_file_problem(message: str) -> None:
    """A file that could not be imported at all: one `error: ` line naming it."""
    sys.stdout.flush()
    sys.stderr.write(f"{ERROR_PREFIX}{one_line(message)}\n")
    sys.stderr.flush()


def file_rejected(result: ImportResult, *, skip_invalid: bool) -> bool:
    """True when the file had errors and so was not imported: all-or-nothing without `skip_invalid`, every
    row rejected with it, or any error in a dry run."""
    if not result.error_count:
        return False
    if result.dry_run or not skip_invalid:
        return True
    return result.inserted + result.updated + result.unchanged == 0


def print_human_result(result: ImportResult, *, skip_invalid: bool) -> None:
    print(summary_line(result, skip_invalid=skip_invalid))
    if result.error_workbook is not None:
        print(f"{result.file}: rejected rows written to {result.error_workbook}")
    sys.stdout.flush()
    print_issues(result.file, result.errors, result.error_count, ERROR_PREFIX, MAX_PRINTED_ERRORS, "error")
    print_issues(
        result.file, result.warnings, result.warning_count, WARNING_PREFIX, MAX_PRINTED_WARNINGS, "warning"
    )


def summary_line(result: ImportResult, *, skip_invalid: bool) -> str:
    """`entries.csv: 42 rows — 40 inserted, 2 updated, 0 unchanged; 1 account created (batch …)`."""
    head = f"{result.file}: {_plural(result.rows, 'row')}"
    problems = _problem_counts(result)
    if result.dry_run:
        counts = (
            f"{result.inserted} to insert, {result.updated} to update, {result.unchanged} unchanged"
            f"{_skipped(result)}{_accounts(result, 'to create')}"
        )
        return f"{head} — {counts}{problems}; dry run: nothing written"
    if file_rejected(result, skip_invalid=skip_invalid):
        advice = "every row has an error" if skip_invalid else "fix the errors or use --skip-invalid"
        return f"{head}{problems} — nothing written: {advice}"
    counts = (
        f"{result.inserted} inserted, {result.updated} updated, {result.unchanged} unchanged"
        f"{_skipped(result)}{_accounts(result, 'created')}"
    )
    # The same file again stores no batch: there is nothing to undo.
    outcome = f" (batch {result.batch_id})" if result.written and result.batch_id else "; nothing changed"
    return f"{head} — {counts}{problems}{outcome}"


def _skipped(result: ImportResult) -> str:
    return f", {result.skipped} skipped" if result.skipped else ""


def _accounts(result: ImportResult, verb: str) -> str:
    if not result.accounts_created:
        return ""
    return f"; {_plural(result.accounts_created, 'account')} {verb}"


def _problem_counts(result: ImportResult) -> str:
    parts = []
    if result.error_count:
        parts.append(_plural(result.error_count, "error"))
    if result.warning_count:
        parts.append(_plural(result.warning_count, "warning"))
    return f", {', '.join(parts)}" if parts else ""


def print_issues(file: str, issues: Sequence[Issue], total: int, prefix: str, limit: int, noun: str) -> None:
    """One line per issue on stderr, at most `limit`, then `… and N more` for the rest of `total`."""
    shown = list(issues[:limit])
    for issue in shown:
        sys.stderr.write(f"{prefix}{issue_text(file, issue)}\n")
    if total > len(shown):
        sys.stderr.write(f"{prefix}{file}: … and {total - len(shown)} more {noun}s\n")
    sys.stderr.flush()


def issue_text(file: str, issue: Issue) -> str:
    """`entries.csv row 7, entry_number: check digit should be 6`; row 0 is the header or the whole file."""
    where = f"row {issue.row}" if issue.row else "header"
    column = f", {issue.column}" if issue.column else ""
    return f"{file} {where}{column}: {one_line(issue.message)}"


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- imports list -------------------------------------------------------------------------------------------


def batch_state(batch: BatchSummary) -> str:
    if batch.undone_at is None:
        return "active"
    return f"undone {batch.undone_at.strftime('%Y-%m-%d %H:%M')}"


def print_batches(batches: Sequence[BatchSummary]) -> None:
    rows = [
        (
            batch.id,
            batch.imported_at.strftime("%Y-%m-%d %H:%M"),
            batch.imported_by or "-",
            str(batch.kind),
            batch.source_name,
            batch.rows,
            batch.inserted,
            batch.updated,
            batch.unchanged,
            batch.skipped,
            batch.accounts_created,
            batch_state(batch),
        )
        for batch in batches
    ]
    print_table(BATCH_HEADERS, rows, right_align=_COUNT_COLUMNS)


def batch_json(batch: BatchSummary) -> dict[str, object]:
    """One batch for `imports list --json`: the table's fields, dates in ISO 8601, null while not undone."""
    return {
        "id": batch.id,
        "imported_at": iso_datetime(batch.imported_at),
        "imported_by": batch.imported_by,
        "kind": str(batch.kind),
        "file": batch.source_name,
        "sha256": batch.source_sha256,
        "rows": batch.rows,
        "inserted": batch.inserted,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "skipped": batch.skipped,
        "accounts_created": batch.accounts_created,
        "undone_at": iso_datetime(batch.undone_at) if batch.undone_at else None,
    }
