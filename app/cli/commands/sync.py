"""`ae-workbench sync --server URL` and `ae-workbench conflicts` (CONTRACTS.md §2, docs/sync.md)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.commands import open_workspace
from app.cli.output import print_json, print_mapping, print_table
from app.cli.parsing import add_command, add_json_flag


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = add_command(subparsers, "sync", "synchronise the local database with the team server")
    parser.add_argument("--server", required=True, metavar="URL", help="the team server's SQLAlchemy URL")
    add_json_flag(parser)
    parser.set_defaults(handler=run_sync)
    parser = add_command(subparsers, "conflicts", "list unresolved sync conflicts")
    add_json_flag(parser)
    parser.set_defaults(handler=run_conflicts)


def run_sync(args: argparse.Namespace) -> int:
    from app.services.sync import sync

    with open_workspace(args) as workspace:
        result = sync(workspace, args.server)
    if args.json:
        print_json(result.to_json())
    else:
        print_mapping({**result.to_json(), "accounts": result.accounts})
    return 0


def run_conflicts(args: argparse.Namespace) -> int:
    from app.services.sync_conflicts import list_conflicts

    with open_workspace(args) as workspace:
        conflicts = list_conflicts(workspace)
    if args.json:
        print_json([conflict.to_json() for conflict in conflicts])
        return 0
    if not conflicts:
        print("no unresolved conflicts")
        return 0
    rows = [(c.id, c.table_name, c.row_key[:12], c.field, c.base, c.mine, c.theirs) for c in conflicts]
    print_table(("id", "table", "record", "field", "base", "mine", "theirs"), rows, right_align=(0,))
    return 0
