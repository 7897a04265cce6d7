"""`ae-workbench report account|portfolio|holds|compliance ... --out FILE`: write a report (CONTRACTS §2, §5).

The suffix of `--out` chooses the format: `.pdf` or `.xlsx` (the account summary is PDF only); any other
suffix, or a folder that does not exist, is a usage error (exit 2) before the database is opened. An unknown
account is exit 2, as for `notes`. On success the written path is printed.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import Any

from app.cli.commands import open_workspace
from app.cli.output import ProgressPrinter
from app.cli.parsing import add_command, add_subcommands, non_negative_int
from app.domain.errors import UserError

ACCOUNT_HELP = "the account: one of its importer numbers (any spelling) or its id"
SUFFIXES = {".pdf": "pdf", ".xlsx": "xlsx"}


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    group = add_command(subparsers, "report", "write a report as a PDF or an Excel workbook")
    kinds = add_subcommands(group, title="reports", dest="report", required=True)

    account = add_command(kinds, "account", "the printed account summary (PDF)")
    account.add_argument("account", metavar="IOR_OR_ACCOUNT_ID", help=ACCOUNT_HELP)
    _add_out(account, "FILE.pdf")

    portfolio = add_command(kinds, "portfolio", "the portfolio report (PDF) or workbook (.xlsx)")
    _add_out(portfolio, "FILE.pdf|FILE.xlsx")

    holds = add_command(kinds, "holds", "the open holds report (PDF) or workbook (.xlsx)")
    _add_out(holds, "FILE.pdf|FILE.xlsx")
    holds.add_argument(
        "--min-age",
        metavar="DAYS",
        type=non_negative_int,
        help="only holds at least this many business days old (as on the held-shipments board)",
    )

    compliance = add_command(kinds, "compliance", "an account's compliance history (.xlsx or PDF)")
    compliance.add_argument("account", metavar="IOR_OR_ACCOUNT_ID", help=ACCOUNT_HELP)
    _add_out(compliance, "FILE.xlsx|FILE.pdf")


def _add_out(parser: argparse.ArgumentParser, metavar: str) -> None:
    parser.add_argument(
        "--out",
        metavar=metavar,
        type=Path,
        required=True,
        help="the file to write; its suffix sets the format",
    )
    parser.set_defaults(handler=run)


def output_format(kind: str, out: Path) -> str:
    """`pdf` or `xlsx` from the suffix of `out`; UserError (exit 2) for anything else or a missing folder."""
    fmt = SUFFIXES.get(out.suffix.lower())
    allowed = ".pdf" if kind == "account" else ".pdf or .xlsx"
    if fmt is None or (kind == "account" and fmt != "pdf"):
        raise UserError(
            f"cannot write the {kind} report to '{out.name}': the file name must end in {allowed}"
        )
    folder = out.parent if str(out.parent) else Path()
    if not folder.is_dir():
        raise UserError(f"cannot write {out}: the folder {folder} does not exist")
    return fmt


def run(args: argparse.Namespace) -> int:
    from app.services.accounts import resolve_account
    from app.services.progress import no_progress
    from app.services.reports import ReportRequest, write_report

    fmt = output_format(args.report, args.out)
    progress = ProgressPrinter() if sys.stderr.isatty() else no_progress
    with open_workspace(args) as workspace:
        account_ids: tuple[uuid.UUID, ...] = ()
        if args.report in ("account", "compliance"):
            account_ids = (resolve_account(workspace, args.account).id,)
        request = ReportRequest(
            kind=args.report,
            fmt=fmt,  # type: ignore[arg-type]  # checked by output_format
            account_ids=account_ids,
            min_age_days=getattr(args, "min_age", None),
        )
        for path in write_report(workspace, request, args.out, progress=progress):
            print(path)
    return 0
