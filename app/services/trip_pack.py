"""Trip packs: one folder for an AE travelling to partner meetings, usable with no network.

`make_trip_pack` writes, into `Trip YYYY-MM-DD` inside the folder the user picked:

* each account's summary PDF (the account report, one file per account);
* one workbook: the portfolio workbook scoped to those accounts;
* `AE Workbench trip pack.aewpack`: those accounts' part of the database (store/subset.py), sealed under a
  passphrase (services/sealed.py), which `Workspace.open_trip_pack` opens read-only, in memory.

Everything is written to a hidden temporary folder next to the target and renamed at the end, so Cancel or a
failure leaves nothing behind. The unsealed database exists only inside that temporary folder, while the pack
is made.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.domain.errors import NotFoundError, ValidationError
from app.services.progress import CancelToken, Progress, no_progress
from app.services.reports import ReportRequest, write_report
from app.services.sealed import PACK_FILE_NAME, check_passphrase, seal
from app.services.workspace import Workspace
from app.store.queries import accounts as account_queries, metrics
from app.store.subset import copy_accounts

SUBSET_FILE = "unsealed.sqlite3"  # inside the temporary folder only; removed before the rename


@dataclass(frozen=True)
class TripPackResult:
    folder: Path
    files: list[Path]
    accounts: int


def trip_folder(parent: Path, trip_date: date) -> Path:
    return Path(parent).expanduser() / f"Trip {trip_date.isoformat()}"


def workbook_name(trip_date: date) -> str:
    return f"Trip {trip_date.isoformat()} accounts.xlsx"


def _checked_folder(parent: Path, trip_date: date) -> Path:
    parent = Path(parent).expanduser()
    if not parent.is_dir():
        raise ValidationError(f"the folder {parent} does not exist", field="parent")
    folder = trip_folder(parent, trip_date)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ValidationError(
            f"{folder} already exists and is not empty: choose another folder or trip date", field="parent"
        )
    return folder


def _checked_accounts(ws: Workspace, account_ids: Sequence[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    chosen = tuple(dict.fromkeys(account_ids))  # in the given order, once each
    if not chosen:
        raise ValidationError("choose at least one account for the trip pack", field="account_ids")
    with ws.database.session() as session:
        for account_id in chosen:
            if account_queries.account_by_id(session, account_id) is None:
                raise NotFoundError(f"no account with id {account_id}")
    return chosen


def make_trip_pack(
    ws: Workspace,
    account_ids: Sequence[uuid.UUID],
    trip_date: date,
    parent: Path,
    passphrase: str,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> TripPackResult:
    """Write the trip pack folder for `account_ids` (see the module); returns the folder and its files.

    ValidationError: no accounts, a short passphrase, a missing parent folder, or a trip folder that exists
    and is not empty; NotFoundError for an unknown account. Progress per step; `cancel` is checked between
    steps (and between accounts); Cancelled or a failure removes everything written."""
    check_passphrase(passphrase)
    folder = _checked_folder(parent, trip_date)
    chosen = _checked_accounts(ws, account_ids)
    total = len(chosen) + 3  # the summaries, the workbook, the copy, the seal
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        _write_summaries(ws, chosen, staging, progress, cancel, total)
        _step(progress, cancel, len(chosen), total, "Writing the workbook")
        workbook = staging / workbook_name(trip_date)
        write_report(
            ws, ReportRequest(kind="portfolio", fmt="xlsx", account_ids=chosen), workbook, cancel=cancel
        )
        _step(progress, cancel, len(chosen) + 1, total, "Copying the accounts' records")
        image = _subset_image(ws, chosen, staging / SUBSET_FILE)
        _step(progress, cancel, len(chosen) + 2, total, "Sealing the trip pack")
        pack = staging / PACK_FILE_NAME
        pack.touch(mode=0o600)  # the sealed copy, like every file of the pack, is its owner's only
        pack.write_bytes(seal(image, passphrase))
        _step(progress, cancel, total, total, f"Saving {folder.name}")
        if folder.exists():  # empty (checked above): the rename needs the name free
            folder.rmdir()
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sorted(path for path in folder.iterdir() if path.is_file())
    return TripPackResult(folder=folder, files=files, accounts=len(chosen))


def _step(progress: Progress, cancel: CancelToken | None, done: int, total: int, message: str) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()
    progress(done, total, message)


def _write_summaries(
    ws: Workspace,
    chosen: tuple[uuid.UUID, ...],
    staging: Path,
    progress: Progress,
    cancel: CancelToken | None,
    steps: int,
) -> None:
    def per_account(done: int, total: int, message: str) -> None:
        progress(min(done, total), steps, message)

    request = ReportRequest(kind="account", fmt="pdf", account_ids=chosen, one_file_per_account=True)
    write_report(ws, request, staging, progress=per_account, cancel=cancel)


def _subset_image(ws: Workspace, chosen: tuple[uuid.UUID, ...], path: Path) -> bytes:
    """The chosen accounts' database as the bytes of one SQLite file, metrics computed; removes the file."""
    try:
        with Workspace.open(str(path)) as pack:
            with ws.database.engine.connect() as source, pack.database.engine.begin() as target:
                copy_accounts(source, target, chosen)
            with pack.database.session() as session:
                metrics.refresh_account_metrics(session, date.today())  # the pack opens fast
        return _standalone_bytes(path)
    finally:
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)


def _standalone_bytes(path: Path) -> bytes:
    """The file's bytes in rollback-journal mode (an in-memory image cannot be WAL), compacted."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("VACUUM")
    finally:
        connection.close()
    return path.read_bytes()
