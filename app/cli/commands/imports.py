"""`ae-workbench import FILE...`, `ae-workbench imports list` and `ae-workbench imports undo BATCH_ID`
(CONTRACTS.md §2 and §4).

`import` first looks at every file without touching the database: each must open and, without `--kind`, have a
header that fits one kind. Any file failing that stops the command before anything is written (exit 2, one
line per file), because the files usually depend on each other (holds need their entries). The files are
then imported in the order accounts, entries, holds, compliance (the order given within a kind), each in a
transaction of its own; a rejected file does not stop the next one.

Exit status: 0 when every file was imported (with `--skip-invalid`, rows may have been left out); 1 when a
file was rejected: it had errors and nothing of it was written, or a dry run found errors; 2 for the usage
and file problems above, for a file that turns out unreadable part-way (nothing of it is written; the other
files go on), and for an unusable database. The highest status of all the files is the command's.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.commands import open_workspace
from app.cli.commands.import_output import (
    batch_json,
    file_rejected,
    print_batches,
    print_file_problem,
    print_human_result,
)
from app.cli.output import ProgressPrinter, print_json
from app.cli.parsing import add_command, add_json_flag, add_subcommands
from app.domain.enums import ImportKind
from app.domain.errors import NotFoundError, UserError, ValidationError

if TYPE_CHECKING:
    from app.services.importing.results import ImportResult
    from app.services.workspace import Workspace

# The order that respects dependencies (see ImportKind).
KIND_ORDER = tuple(str(kind) for kind in ImportKind)

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_UNUSABLE = 2


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    _register_import(subparsers)
    group = add_command(subparsers, "imports", "list import batches, or undo one")
    actions = add_subcommands(group, title="actions", dest="action", required=True)
    listing = add_command(actions, "list", "list the import batches, newest first")
    add_json_flag(listing)
    listing.set_defaults(handler=run_list)
    undo = add_command(
        actions, "undo", "undo one import batch: remove what it added and restore what it changed"
    )
    undo.add_argument("batch_id", metavar="BATCH_ID", help="the batch id (or its first 8 or more characters)")
    undo.set_defaults(handler=run_undo)


def _register_import(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = add_command(
        subparsers,
        "import",
        "import extract files: accounts, entries, holds, compliance (CSV or XLSX)",
        description="Import extract files (CSV or XLSX). Without --kind each file's kind is recognised "
        "from its header, and the files are imported in the order accounts, entries, holds, compliance. "
        "A file with errors is not imported at all unless --skip-invalid is given.",
    )
    parser.add_argument("files", metavar="FILE", nargs="+", type=Path, help="the files to import")
    parser.add_argument("--kind", choices=KIND_ORDER, help="the kind of every file (default: recognised)")
    parser.add_argument("--sheet", metavar="NAME", help="the worksheet of an XLSX file (default: the first)")
    parser.add_argument(
        "--dry-run", action="store_true", help="check the files and report what would change; write nothing"
    )
    parser.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows and report the rejected ones"
    )
    parser.add_argument(
        "--errors-to",
        metavar="PATH",
        type=Path,
        help="where the workbook of rejected rows goes: a folder, or an .xlsx file when importing one file "
        "(default: next to each input, as NAME-errors.xlsx)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per file, one per line")
    parser.set_defaults(handler=run_import)


# --- import -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedFile:
    """One file to import and the kind it will be imported as."""

    path: Path
    kind: str


def run_import(args: argparse.Namespace) -> int:
    errors_to = error_workbook_target(args.errors_to, len(args.files))
    planned = plan_files(args.files, kind=args.kind, sheet=args.sheet)

    from app.services.progress import no_progress

    progress = ProgressPrinter() if sys.stderr.isatty() and not args.json else no_progress
    with open_workspace(args) as workspace:
        if args.dry_run:
            return _dry_run(workspace, planned, args, errors_to, progress)
        return _import(workspace, planned, args, errors_to, progress)


def _import(
    workspace: Workspace,
    planned: list[PlannedFile],
    args: argparse.Namespace,
    errors_to: bool | Path,
    progress: Any,
) -> int:
    """Each file in a transaction of its own; a rejected or unreadable file does not stop the next."""
    from app.services.importing.run import import_file

    status = EXIT_OK
    for item in planned:
        try:
            result = import_file(
                workspace,
                item.path,
                kind=item.kind,
                sheet=args.sheet,
                skip_invalid=args.skip_invalid,
                error_workbook=errors_to,
                progress=progress,
            )
        except (ValidationError, NotFoundError) as exc:  # the file itself: unreadable part-way
            print_file_problem(str(exc))
            status = max(status, EXIT_UNUSABLE)
            continue
        status = max(status, _report(result, args))
    return status


def _dry_run(
    workspace: Workspace,
    planned: list[PlannedFile],
    args: argparse.Namespace,
    errors_to: bool | Path,
    progress: Any,
) -> int:
    """All files tried in one transaction, in order, so a holds file sees the entries file before it."""
    from app.services.importing.run import FileSpec, dry_run_files

    specs = [FileSpec(item.path, item.kind, args.sheet) for item in planned]
    try:
        results = dry_run_files(
            workspace, specs, skip_invalid=args.skip_invalid, error_workbook=errors_to, progress=progress
        )
    except (ValidationError, NotFoundError) as exc:
        print_file_problem(str(exc))
        return EXIT_UNUSABLE
    return max((_report(result, args) for result in results), default=EXIT_OK)


def _report(result: ImportResult, args: argparse.Namespace) -> int:
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    else:
        print_human_result(result, skip_invalid=args.skip_invalid)
    return file_status(result, skip_invalid=args.skip_invalid)


def file_status(result: ImportResult, *, skip_invalid: bool) -> int:
    """1 when the file was rejected: it had errors and nothing of it was taken (or it was a dry run)."""
    return EXIT_REJECTED if file_rejected(result, skip_invalid=skip_invalid) else EXIT_OK


def error_workbook_target(errors_to: Path | None, file_count: int) -> bool | Path:
    """What `import_file` gets as `error_workbook`; a UserError (exit 2) for a target that cannot work."""
    if errors_to is None:
        return True
    if errors_to.is_dir():
        return errors_to
    if file_count > 1:
        raise UserError(f"--errors-to {errors_to}: with several files, name an existing folder")
    if errors_to.suffix.lower() != ".xlsx":
        raise UserError(f"--errors-to {errors_to}: name an existing folder or an .xlsx file")
    folder = errors_to.parent if str(errors_to.parent) else Path()
    if not folder.is_dir():
        raise UserError(f"--errors-to {errors_to}: the folder {folder} does not exist")
    return errors_to


def plan_files(paths: list[Path], *, kind: str | None, sheet: str | None) -> list[PlannedFile]:
    """Open every file and settle its kind, then order them by kind; UserError listing every bad file."""
    planned: list[PlannedFile] = []
    problems: list[str] = []
    for path in paths:
        try:
            planned.append(PlannedFile(path, checked_kind(path, sheet, kind)))
        except UserError as exc:
            problems.append(" ".join(str(exc).split()))
        except OSError as exc:
            problems.append(f"{path.name}: cannot read the file: {exc.strerror or exc}")
    if problems:
        raise UserError("\n".join(problems))
    return sorted(planned, key=lambda item: KIND_ORDER.index(item.kind))  # stable within a kind


def checked_kind(path: Path, sheet: str | None, kind: str | None) -> str:
    """`kind`, or else the kind the file's header fits; the file is opened either way, so that one that
    cannot be read is refused here. ValidationError / NotFoundError naming the file."""
    from app.services.importing.headers import recognise
    from app.services.importing.readers import open_table

    with open_table(path, sheet=sheet) as table:
        if kind is not None:
            return kind
        recognition = recognise(table.header)
    if recognition.kind is None:
        raise ValidationError(f"{path.name}: {recognition.message}", field="kind")
    return str(recognition.kind)


# --- imports list / undo ------------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    from app.services.importing.batches import list_batches

    with open_workspace(args) as workspace:
        batches = list_batches(workspace)
    if args.json:
        print_json([batch_json(batch) for batch in batches])
    elif not batches:
        print("no imports")
    else:
        print_batches(batches)
    return 0


def run_undo(args: argparse.Namespace) -> int:
    from app.services.importing.batches import undo_batch

    with open_workspace(args) as workspace:
        undone = undo_batch(workspace, args.batch_id.strip())
    print(
        f"undid batch {undone.batch_id} ({undone.source_name}): "
        f"{_count(undone.removed, 'record')} removed, {undone.restored} restored"
    )
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
