"""Import one extract file (CONTRACTS.md §4): check every row, write the valid ones, record the batch.

The file is streamed once, in batches of rows (validate.RowChecker): each checked batch is written at once,
inside the one transaction of the file. At the end the transaction is committed only when the file is to be
stored: not for a dry run, and not when a row had an error unless `skip_invalid` (all-or-nothing). A dry run
therefore does the whole import and rolls it back, so the counts it reports are exactly what an import would
do. A cancelled or failed import rolls back too: nothing is ever half-written.

`dry_run_files` tries several files in one transaction, in order, so that each sees what the files before
it would have written (a holds file finds the entries of the entries file before it), and rolls it all back.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.domain.enums import ImportKind
from app.domain.errors import ValidationError
from app.domain.import_rows import Issue
from app.services.identity import current_user
from app.services.importing.error_workbook import ErrorWorkbook, default_error_workbook_path
from app.services.importing.headers import HeaderMap, map_header, recognise, source_rows
from app.services.importing.readers import TableSource, open_table
from app.services.importing.results import ImportResult
from app.services.importing.validate import FileCheck, RowChecker, import_kind
from app.services.importing.writers import BatchWriter
from app.services.progress import CancelToken, Progress, no_progress
from app.services.workspace import Workspace
from app.store.bulk import large_sqlite_cache
from app.store.queries.import_journal import create_batch, finish_batch
from app.store.queries.import_reference import import_reference
from app.store.queries.metrics import bump_trade_data_version


@dataclass(frozen=True)
class FileSpec:
    """One file of a several-file dry run: its path, and the kind, sheet and column mapping to read it by."""

    path: Path
    kind: ImportKind | str | None = None
    sheet: str | None = None
    mapping: Mapping[str, str | None] | None = None


def import_file(
    ws: Workspace,
    path: str | Path,
    *,
    kind: ImportKind | str | None = None,
    sheet: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    error_workbook: bool | Path = True,
    user: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportResult:
    """Import (or, with `dry_run`, try) one file; see the module docstring and CONTRACTS.md §4.

    `mapping` is the user's column mapping (header text -> canonical column, None to ignore). Rejected rows go
    to an error workbook: `error_workbook` True puts it next to the input, a Path names the file (or folder),
    False writes none. Raises ValidationError for an unreadable file, an unknown kind or a header that fits no
    kind; `Cancelled` when `cancel` fires (everything rolled back).
    """
    spec = FileSpec(Path(path), kind, sheet, mapping)
    options = _Options(dry_run, skip_invalid, current_user() if user is None else user, "")
    with ws.database.session() as session:
        return _import_in(session, spec, options, error_workbook, progress, cancel)


def dry_run_files(
    ws: Workspace,
    files: Sequence[FileSpec],
    *,
    skip_invalid: bool = False,
    error_workbook: bool | Path = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> list[ImportResult]:
    """Dry-run several files in the order given, as importing them one after the other would go: each file
    sees the rows of the files before it (holds find the entries of an entries file earlier in the list), and
    at the end everything is rolled back. Errors as for `import_file`."""
    options = _Options(True, skip_invalid, current_user(), "", keep_rows=True)
    with ws.database.session() as session:
        results = [_import_in(session, spec, options, error_workbook, progress, cancel) for spec in files]
        session.rollback()
    return results


def _import_in(
    session: Session,
    spec: FileSpec,
    options: _Options,
    error_workbook: bool | Path,
    progress: Progress,
    cancel: CancelToken | None,
) -> ImportResult:
    """Import one file within `session`; the caller's `session()` block commits what `_write` kept."""
    wanted = import_kind(spec.kind)
    options = replace(options, digest=_sha256(spec.path))
    with open_table(spec.path, sheet=spec.sheet) as table:
        name = table.path.name
        if wanted is None:
            recognition = recognise(table.header)
            if recognition.kind is None:
                raise ValidationError(f"{name}: {recognition.message}", field="kind")
            wanted = recognition.kind
        header_map = map_header(table.header, wanted, spec.mapping)
        result = ImportResult(name, wanted, dry_run=options.dry_run)
        for issue in header_map.issues:
            result.add(issue)
        if header_map.has_errors:
            return result
        rejects = _error_workbook(spec.path, table.header, error_workbook)
        try:
            outcome = _write(session, table, header_map, options, rejects, progress, cancel)
        except BaseException:
            if rejects is not None:
                rejects.discard()
            raise
    _fill_result(result, outcome)
    _close_error_workbook(result, rejects)
    return result


@dataclass(frozen=True)
class _Options:
    dry_run: bool
    skip_invalid: bool
    user: str
    digest: str
    keep_rows: bool = False  # a several-file dry run: later files must see this file's rows


@dataclass
class _Outcome:
    check: FileCheck
    trailing: list[Issue]
    writer: BatchWriter
    batch_id: uuid.UUID
    stored: bool


def _write(
    session: Session,
    table: TableSource,
    header_map: HeaderMap,
    options: _Options,
    rejects: ErrorWorkbook | None,
    progress: Progress,
    cancel: CancelToken | None,
) -> _Outcome:
    """Check and write every row in one transaction; commit only what is to be stored (module docstring)."""
    kind = header_map.kind
    check = FileCheck(table.path.name, kind)
    trailing: list[Issue] = []
    connection = session.connection()
    batch = {
        "kind": str(kind),
        "source_name": table.path.name,
        "source_sha256": options.digest,
        "imported_at": datetime.now(UTC).replace(tzinfo=None),
        "imported_by": options.user,
        "column_mapping": json.dumps(header_map.columns, sort_keys=True),
    }
    batch_id = create_batch(connection, batch)
    writer = BatchWriter(kind, connection, batch_id, rejects, skip_invalid=options.skip_invalid)
    checker = RowChecker(session, import_reference(session), check, progress, cancel, writer.take)
    with large_sqlite_cache(connection):
        for source_row in source_rows(table, header_map, issues=trailing):
            checker.take(source_row)
        checker.flush()
    if cancel is not None:
        cancel.raise_if_cancelled()  # the last moment: after this the import commits
    # Nothing changed (the same file again): no batch either, so a re-import leaves no trace at all.
    changed = writer.counts["inserted"] + writer.counts["updated"] > 0
    stored = not options.dry_run and (check.ok or options.skip_invalid) and changed
    if stored:
        _finish(connection, batch_id, check, writer)
    elif not options.keep_rows:
        session.rollback()
    return _Outcome(check, trailing, writer, batch_id, stored)


def _finish(connection: Connection, batch_id: uuid.UUID, check: FileCheck, writer: BatchWriter) -> None:
    writer.journal.flush()
    counts = writer.counts
    finish_batch(
        connection,
        batch_id,
        {
            "rows": check.rows,
            **counts,
            "skipped": check.rows - sum(counts.values()),
            "accounts_created": writer.accounts_created,
            "warnings": json.dumps([issue.message for issue in check.warnings[:100]]),
        },
    )
    bump_trade_data_version(connection)


def _fill_result(result: ImportResult, outcome: _Outcome) -> None:
    """Counts are what was written, or for a dry run what would be; a rejected file reports none."""
    check, writer = outcome.check, outcome.writer
    for issue in sorted([*check.errors, *check.warnings, *outcome.trailing], key=lambda issue: issue.row):
        result.add(issue)
    result.error_count += check.error_count - len(check.errors)
    result.warning_count += check.warning_count - len(check.warnings)
    result.rows = check.rows
    result.written = outcome.stored
    result.batch_id = str(outcome.batch_id) if outcome.stored else None
    if not check.ok and not writer.skip_invalid and not result.dry_run:
        return  # all-or-nothing: the file was rejected
    for name, count in writer.counts.items():
        setattr(result, name, count)
    result.accounts_created = writer.accounts_created
    if writer.skip_invalid:
        result.skipped = check.rows - sum(writer.counts.values())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise ValidationError(f"{path.name}: cannot be read ({exc.strerror or exc})", field="file") from exc
    return digest.hexdigest()


def _error_workbook(source: Path, header: list[str], wanted: bool | Path) -> ErrorWorkbook | None:
    if wanted is False:
        return None
    if wanted is True:
        return ErrorWorkbook(default_error_workbook_path(source), header)
    target = Path(wanted)
    if target.is_dir():
        target = target / default_error_workbook_path(source).name
    return ErrorWorkbook(target, header)


def _close_error_workbook(result: ImportResult, rejects: ErrorWorkbook | None) -> None:
    if rejects is None:
        return
    try:
        result.error_workbook = rejects.close()
    except OSError as exc:
        result.add(Issue(0, "", f"the rejected rows could not be saved to {rejects.path}: {exc}", "warning"))
