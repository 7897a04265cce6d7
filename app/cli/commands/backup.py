"""`ae-workbench backup FILE` / `ae-workbench restore FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.commands import open_workspace
from app.cli.parsing import add_command
from app.domain.errors import UserError


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    backup = add_command(subparsers, "backup", "write a consistent copy of the database to FILE")
    backup.add_argument("file", metavar="FILE", type=Path, help="where to write the backup")
    backup.set_defaults(handler=run_backup)

    restore = add_command(
        subparsers,
        "restore",
        "replace the database with a backup",
        description="Replace the database with the backup in FILE (written by 'ae-workbench backup').",
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="the backup to restore")
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from app.services.admin import backup

    if not args.file.parent.is_dir():
        raise UserError(f"cannot write backup {args.file}: folder {args.file.parent} does not exist")
    with open_workspace(args) as workspace:
        written = backup(workspace, args.file)
        print(f"backup of {workspace.name} written to {written}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    # The database may be the damaged thing being replaced, so the service opens it itself.
    from app.services.admin import restore

    if not args.file.is_file():
        raise UserError(f"cannot restore from {args.file}: no such file")
    restore(args.db, args.file)
    print(f"database restored from {args.file}")
    return 0
