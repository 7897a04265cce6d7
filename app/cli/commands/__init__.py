"""One module per command group. Each exposes `register(subparsers)`, which adds its parsers and sets
`handler=<function(args) -> exit status>` on them.

Handlers import their services when they run, not when the module is imported: `--version`, `--help` and the
GUI launch then never load the database stack twice or pay for it at all, and the parser can be tested alone.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from app.domain.errors import UserError

if TYPE_CHECKING:
    from app.services.workspace import Workspace


@contextmanager
def open_workspace(args: argparse.Namespace, *, migrate_schema: bool = True) -> Iterator[Workspace]:
    """The database named by `--db` / `AE_WORKBENCH_DB` / the default, closed when the command ends. An
    encrypted file is opened with its passphrase (AE_WORKBENCH_PASSPHRASE, the keyring, else a prompt on a
    terminal; without one it fails in one line saying so)."""
    from app.services.encryption import find_passphrase, is_encrypted
    from app.services.workspace import Workspace

    passphrase = None
    if is_encrypted(args.db):
        passphrase = find_passphrase(args.db) or ask_passphrase("Passphrase of the database: ")
    workspace = Workspace.open(args.db, migrate_schema=migrate_schema, passphrase=passphrase)
    try:
        yield workspace
    finally:
        workspace.close()


def can_prompt() -> bool:
    return sys.stdin.isatty()


def ask_passphrase(prompt: str) -> str | None:
    """A passphrase typed at the terminal (not echoed); None when stdin is not a terminal."""
    if not can_prompt():
        return None
    return getpass.getpass(prompt)


def ask_new_passphrase(what: str = "New passphrase") -> str:
    """A new passphrase typed twice at the terminal; UserError when they differ, when it is empty, or when
    there is no terminal to ask on."""
    first = ask_passphrase(f"{what}: ")
    if first is None:
        raise UserError("no passphrase: set AE_WORKBENCH_PASSPHRASE or run the command in a terminal")
    if not first:
        raise UserError("the passphrase cannot be empty")
    if ask_passphrase(f"{what} (again): ") != first:
        raise UserError("the two passphrases differ; nothing was changed")
    return first
