"""`ae-workbench db upgrade|check|encrypt|decrypt|passphrase`.

`upgrade` and `check` open the database *without* the automatic migration every other command applies:
`upgrade` is the migration itself (and reports what it did), and `check` must see the schema as it is.
`check` prints `ok`, or one `error: ` line per problem on stderr and exits 1.

`encrypt`, `decrypt` and `passphrase` convert the closed SQLite file (copy → verify → swap: a failure leaves
it as it was). The passphrase comes from AE_WORKBENCH_PASSPHRASE, else the keyring (decrypt, passphrase),
else a prompt on a terminal (a new one typed twice); the new one for `passphrase` from
AE_WORKBENCH_NEW_PASSPHRASE or the prompt. Without a terminal and without them: one usage line, exit 2.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from app.cli.commands import ask_new_passphrase, ask_passphrase, open_workspace
from app.cli.output import print_error
from app.cli.parsing import add_command, add_subcommands
from app.domain.errors import UserError

NEW_PASSPHRASE_ENV_VAR = "AE_WORKBENCH_NEW_PASSPHRASE"
REMEMBER_HELP = "keep the passphrase in the system keyring, so the workbench opens the file without asking"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    group = add_command(subparsers, "db", "database maintenance: upgrade, check, encrypt, decrypt")
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
    _register_encryption(actions)


def _register_encryption(actions: argparse._SubParsersAction[Any]) -> None:
    encrypt = add_command(
        actions,
        "encrypt",
        "protect the local SQLite database with a passphrase (SQLCipher)",
        description="Encrypt the SQLite database with a passphrase: from AE_WORKBENCH_PASSPHRASE, else typed "
        "twice at the prompt. Close the workbench first.",
    )
    encrypt.add_argument("--remember", action="store_true", help=REMEMBER_HELP)
    encrypt.set_defaults(handler=run_encrypt)
    decrypt = add_command(
        actions,
        "decrypt",
        "remove the passphrase protection of the local SQLite database",
        description="Decrypt the SQLite database: its passphrase from AE_WORKBENCH_PASSPHRASE, the keyring "
        "or the prompt. Close the workbench first.",
    )
    decrypt.set_defaults(handler=run_decrypt)
    passphrase = add_command(
        actions,
        "passphrase",
        "change the passphrase of the encrypted database",
        description="Change the passphrase: the current one from AE_WORKBENCH_PASSPHRASE, the keyring or the "
        f"prompt; the new one from {NEW_PASSPHRASE_ENV_VAR} or typed twice. Close the workbench first.",
    )
    passphrase.add_argument("--remember", action="store_true", help=REMEMBER_HELP)
    passphrase.set_defaults(handler=run_change_passphrase)


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


def _current_passphrase(target: str | None) -> str:
    from app.services.encryption import find_passphrase

    passphrase = find_passphrase(target) or ask_passphrase("Current passphrase: ")
    if not passphrase:
        raise UserError("no passphrase: set AE_WORKBENCH_PASSPHRASE or run the command in a terminal")
    return passphrase


def run_encrypt(args: argparse.Namespace) -> int:
    from app.services.encryption import PASSPHRASE_ENV_VAR, encrypt

    passphrase = os.environ.get(PASSPHRASE_ENV_VAR) or ask_new_passphrase("Passphrase")
    path = encrypt(args.db, passphrase, remember=args.remember)
    kept = "; the passphrase is kept in the system keyring" if args.remember else ""
    print(f"database {path} encrypted{kept}")
    return 0


def run_decrypt(args: argparse.Namespace) -> int:
    from app.services.encryption import decrypt

    path = decrypt(args.db, _current_passphrase(args.db))
    print(f"database {path} decrypted: it is a plain SQLite file again")
    return 0


def run_change_passphrase(args: argparse.Namespace) -> int:
    from app.services.encryption import change_passphrase

    old = _current_passphrase(args.db)
    new = os.environ.get(NEW_PASSPHRASE_ENV_VAR) or ask_new_passphrase()
    path = change_passphrase(args.db, old, new, remember=args.remember)
    print(f"passphrase of {path} changed")
    return 0
