"""Reports: build a report's neutral dataset from the database and write it as PDF or workbook.

`build_dataset` reads one report in one session (the builders live in `report_builders/`); `write_report`
builds the dataset(s) a `ReportRequest` asks for and hands them to the writers in `app.reports`, which write
to a temporary name and rename, so a failed or cancelled report leaves no partial file. A batch of account
summaries goes into one PDF or one file per account; cancelling between accounts removes the files this
batch already wrote.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from app.domain.errors import ValidationError
from app.reports.dataset import DEFAULT_MARKING, ReportDataset
from app.services.progress import CancelToken, Progress, no_progress
from app.services.report_builders.account import build_account_summary
from app.services.report_builders.common import Stamp, login_name
from app.services.report_builders.compliance import build_compliance_history
from app.services.report_builders.holds import build_holds
from app.services.report_builders.portfolio import build_portfolio, for_pdf
from app.services.stats import data_as_of
from app.services.workspace import Workspace

__all__ = ["DEFAULT_MARKING", "ReportRequest", "build_dataset", "summary_file_name", "write_report"]

ReportKind = Literal["account", "portfolio", "holds", "compliance"]
ReportFormat = Literal["pdf", "xlsx"]
KINDS: tuple[str, ...] = ("account", "portfolio", "holds", "compliance")
FORMATS: tuple[str, ...] = ("pdf", "xlsx")
ACCOUNT_KINDS = ("account", "compliance")
MAX_NAME = 120  # characters of an account name kept in a file name
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


@dataclass(frozen=True)
class ReportRequest:
    kind: ReportKind
    fmt: ReportFormat
    account_ids: tuple[uuid.UUID, ...] = ()
    min_age_days: int | None = None
    one_file_per_account: bool = False
    marking: str = DEFAULT_MARKING


def _checked_marking(marking: str) -> str:
    text = " ".join(marking.split())
    if not text:
        raise ValidationError("the handling marking cannot be empty (default: CUI // LES)", field="marking")
    return text


def build_dataset(
    ws: Workspace,
    kind: str,
    *,
    account_id: uuid.UUID | None = None,
    account_ids: Sequence[uuid.UUID] = (),
    min_age_days: int | None = None,
    marking: str = DEFAULT_MARKING,
    today: date | None = None,
    now: datetime | None = None,
) -> ReportDataset:
    """One report's dataset, as of `today` (default: the local date), stamped `now` (default: the current
    UTC time, naive). "account" and "compliance" need `account_id` (else the first of `account_ids`);
    NotFoundError for an unknown or deleted account, ValidationError for an unknown kind or a negative age."""
    if kind not in KINDS:
        raise ValidationError(f"unknown report {kind!r}: choose one of {', '.join(KINDS)}", field="kind")
    if min_age_days is not None and min_age_days < 0:
        raise ValidationError("the minimum age must be zero or more days", field="min_age_days")
    target = account_id if account_id is not None else (account_ids[0] if account_ids else None)
    if kind in ACCOUNT_KINDS and target is None:
        raise ValidationError(f"the {kind} report needs an account", field="account_id")
    stamp = Stamp(
        today=today or date.today(),
        generated_at=now or datetime.now(UTC).replace(tzinfo=None),
        data_as_of=data_as_of(ws),
        generated_by=login_name(),
        marking=_checked_marking(marking),
    )
    with ws.database.session() as session:
        if kind == "account":
            assert target is not None  # checked above
            return build_account_summary(session, target, stamp)
        if kind == "compliance":
            assert target is not None
            return build_compliance_history(session, target, stamp)
        if kind == "holds":
            return build_holds(session, stamp, min_age_days)
        return build_portfolio(session, stamp, account_ids)


def summary_file_name(account_name: str, taken: set[str] | None = None) -> str:
    """`<account name> summary.pdf`, with characters no file system accepts replaced, and ` (2)`… added when
    `taken` (names already used in the folder, compared without case) has it."""
    name = _UNSAFE.sub("_", account_name).strip().strip(".") or "Account"
    base = f"{name[:MAX_NAME].rstrip()} summary"
    candidate, number = f"{base}.pdf", 2
    while taken is not None and candidate.casefold() in taken:
        candidate, number = f"{base} ({number}).pdf", number + 1
    if taken is not None:
        taken.add(candidate.casefold())
    return candidate


def _check_request(request: ReportRequest) -> None:
    if request.kind not in KINDS:
        raise ValidationError(
            f"unknown report {request.kind!r}: choose one of {', '.join(KINDS)}", field="kind"
        )
    if request.fmt not in FORMATS:
        raise ValidationError("a report is written as PDF (.pdf) or workbook (.xlsx)", field="fmt")
    if request.kind == "account" and request.fmt != "pdf":
        raise ValidationError("the account summary is written as PDF only (.pdf)", field="fmt")
    if request.kind in ACCOUNT_KINDS and not request.account_ids:
        raise ValidationError(f"the {request.kind} report needs an account", field="account_ids")
    if request.kind == "compliance" and len(request.account_ids) > 1:
        raise ValidationError(
            "the compliance history is written for one account at a time", field="account_ids"
        )


def _write(dataset: ReportDataset, fmt: str, out: Path, cancel: CancelToken | None) -> None:
    """The writers are imported here, when a file is written, so building datasets never loads them."""
    if fmt == "pdf":
        from app.reports.pdf import write_pdf

        write_pdf(for_pdf(dataset), out, cancel=cancel)
    else:
        from app.reports.xlsx import write_xlsx

        write_xlsx(dataset, out, cancel=cancel)


def _write_combined_pdf(datasets: Sequence[ReportDataset], out: Path, cancel: CancelToken | None) -> None:
    from app.reports.pdf import write_pdfs

    write_pdfs([for_pdf(dataset) for dataset in datasets], out, cancel=cancel)


def write_report(
    ws: Workspace,
    request: ReportRequest,
    out: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> list[Path]:
    """Write the report `request` asks for to `out` and return the files written.

    Several account summaries go into one PDF at `out`, or with `one_file_per_account` into the folder `out`
    (created if missing) as `<account name> summary.pdf`. Progress is reported per account; `cancel` is
    checked between accounts (and by the writers); Cancelled or any failure removes what this call wrote.
    """
    _check_request(request)
    if request.kind == "account" and (request.one_file_per_account or len(request.account_ids) > 1):
        return _write_summaries(ws, request, out, progress, cancel)
    progress(0, 1, f"Reading the {request.kind} report")
    dataset = build_dataset(
        ws,
        request.kind,
        account_ids=request.account_ids,
        min_age_days=request.min_age_days,
        marking=request.marking,
    )
    if cancel is not None:
        cancel.raise_if_cancelled()
    progress(0, 1, f"Writing {out.name}")
    _write(dataset, request.fmt, out, cancel)
    progress(1, 1, f"Wrote {out.name}")
    return [out]


def _write_summaries(
    ws: Workspace, request: ReportRequest, out: Path, progress: Progress, cancel: CancelToken | None
) -> list[Path]:
    total = len(request.account_ids)
    written: list[Path] = []
    datasets: list[ReportDataset] = []
    taken: set[str] = set()  # names used by this batch: two accounts of the same name get two files
    created_folder = request.one_file_per_account and not out.exists()
    if request.one_file_per_account:
        out.mkdir(exist_ok=True)
    try:
        for done, account_id in enumerate(request.account_ids):
            if cancel is not None:
                cancel.raise_if_cancelled()
            dataset = build_dataset(ws, "account", account_id=account_id, marking=request.marking)
            progress(done, total, f"Account {done + 1} of {total}: {dataset.title}")
            if cancel is not None:  # a progress dialog's Cancel lands here first
                cancel.raise_if_cancelled()
            if request.one_file_per_account:
                path = out / summary_file_name(dataset.title, taken)
                _write(dataset, "pdf", path, cancel)
                written.append(path)
            else:
                datasets.append(dataset)
        if not request.one_file_per_account:
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(total, total, f"Writing {out.name}")
            _write_combined_pdf(datasets, out, cancel)
            written.append(out)
    except BaseException:
        for path in written:  # a cancelled or failed batch leaves nothing behind
            path.unlink(missing_ok=True)
        if created_folder and not any(out.iterdir()):
            out.rmdir()
        raise
    progress(total, total, f"Wrote {len(written)} file(s)")
    return written
