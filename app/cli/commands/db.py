"""`ae-workbench db upgrade` / `ae-workbench db check`.

Both open the database *without* the automatic migration every other command applies: `upgrade` is the
migration itself (and reports what it did), and `check` must see the schema as it is. `check` prints `ok`, or
one `error: ` line per problem on stderr and exits 1.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.commands import open_workspace
from app.cli.output import print_error
from app.cli.parsing import add_command, add_subcommands


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    group = add_command(subparsers, "db", "database maintenance: upgrade, check")
    actions = add_subcommands(group, title="actions", dest="action", required=True)
    upgrade = add_command(actions, "upgrade", "apply the pending schema migrations")
    upgrade.set_defaults(handler=run_upgrade)
    check = add_command(
        actions,
        "check",
        "integrity and schema check",
        description="Check the database's integrity and schema. "
        "Prints 'ok', or one line per problem and exits 1.",
    )
    check.set_defaults(handler=run_check)


def run_upgrade(args: argparse.Namespace) -> int:
    from app.services.admin import upgrade

    with open_workspace(args, migrate_schema=False) as workspace:
        before, after = upgrade(workspace)
    if before == after:
        print(f"database at revision {after}")
    else:
        print(f"upgraded from {before or 'an empty database'} to {after}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from app.services.admin import check

    with open_workspace(args, migrate_schema=False) as workspace:
        report = check(workspace)
    if report.ok and not report.problems:
        print("ok")
        return 0
    for problem in report.problems or [f"schema at revision {report.revision}, expected {report.head}"]:
        print_error(str(problem))
    return 1
