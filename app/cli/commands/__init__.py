"""One module per command group. Each exposes `register(subparsers)`, which adds its parsers and sets
`handler=<function(args) -> exit status>` on them.

Handlers import their services when they run, not when the module is imported: `--version`, `--help` and the
GUI launch then never load the database stack twice or pay for it at all, and the parser can be tested alone.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.workspace import Workspace


@contextmanager
def open_workspace(args: argparse.Namespace, *, migrate_schema: bool = True) -> Iterator[Workspace]:
    """The database named by `--db` / `AE_WORKBENCH_DB` / the default, closed when the command ends."""
    from app.services.workspace import Workspace

    workspace = Workspace.open(args.db, migrate_schema=migrate_schema)
    try:
        yield workspace
    finally:
        workspace.close()
