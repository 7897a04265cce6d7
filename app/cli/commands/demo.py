"""`ae-workbench demo`: fill the database with the synthetic demo portfolio."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

from app.cli.commands import open_workspace
from app.cli.output import ProgressPrinter
from app.cli.parsing import add_command, non_negative_int

# The contract (CONTRACTS.md §2) fixes these names; the service's SCALES says what each one means.
SCALE_NAMES = ("small", "medium", "large")
DEFAULT_SEED = 7


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = add_command(
        subparsers,
        "demo",
        "fill the database with the synthetic demo portfolio",
        description="Fill the database with the synthetic demo portfolio; the same seed gives the same data. "
        "Refuses a database that already has accounts unless --force is given.",
    )
    parser.add_argument(
        "--scale", choices=SCALE_NAMES, default="small", help="portfolio size (default: small)"
    )
    parser.add_argument(
        "--seed", type=non_negative_int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})"
    )
    parser.add_argument("--force", action="store_true", help="replace the data of a non-empty database")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.services.demo import generate_demo
    from app.services.progress import no_progress

    progress = ProgressPrinter() if sys.stderr.isatty() else no_progress
    with open_workspace(args) as workspace:
        result = generate_demo(
            workspace, scale=args.scale, seed=args.seed, force=args.force, progress=progress
        )
        print(
            f"demo portfolio ({result.scale}, seed {result.seed}) written to {workspace.name}: "
            f"{format_counts(result.counts)} in {result.seconds:.1f} s"
        )
    return 0


def format_counts(counts: Mapping[str, int]) -> str:
    """`{"entry_lines": 5}` -> `5 entry lines`, comma-separated, in the service's order."""
    return ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in counts.items())
