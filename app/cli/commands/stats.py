"""`ae-workbench stats`: how much is in the database."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.commands import open_workspace
from app.cli.output import print_json, print_mapping
from app.cli.parsing import add_command, add_json_flag

# CONTRACTS.md §2: exactly these keys, in this order. Counts the service adds later stay out of the JSON
# until the contract names them.
STATS_KEYS = (
    "accounts",
    "importer_numbers",
    "entries",
    "entry_lines",
    "holds",
    "open_holds",
    "notes",
    "compliance_events",
    "import_batches",
)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = add_command(subparsers, "stats", "count accounts, entries, holds, notes and more")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.services.stats import database_stats

    with open_workspace(args) as workspace:
        counts = database_stats(workspace)
    ordered = {key: int(counts[key]) for key in STATS_KEYS}
    if args.json:
        print_json(ordered)
    else:
        print_mapping({key.replace("_", " "): value for key, value in ordered.items()})
    return 0
