"""`ae-workbench search TEXT`: accounts, importer numbers, entry numbers and notes."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.commands import open_workspace
from app.cli.output import print_json, print_table
from app.cli.parsing import add_command, add_json_flag, positive_int

DEFAULT_LIMIT = 20
HIT_FIELDS = ("kind", "account_id", "account_name", "title", "detail", "ref")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = add_command(
        subparsers,
        "search",
        "search accounts, importer numbers, entry numbers and notes",
        description="Search accounts (name, DBA), importer numbers and entry numbers (any spelling) "
        "and notes.",
    )
    parser.add_argument("text", metavar="TEXT", help="what to look for")
    parser.add_argument(
        "--limit", type=positive_int, default=DEFAULT_LIMIT, help=f"at most N hits (default: {DEFAULT_LIMIT})"
    )
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.services.search import search

    with open_workspace(args) as workspace:
        hits = search(workspace, args.text, limit=args.limit)
    if args.json:
        print_json([{name: getattr(hit, name) for name in HIT_FIELDS} for hit in hits])
    elif not hits:
        print(f"nothing found for '{args.text}'")
    else:
        rows = [(hit.kind, hit.title, hit.account_name, hit.detail) for hit in hits]
        print_table(("KIND", "MATCH", "ACCOUNT", "DETAIL"), rows)
    return 0
