"""argparse pieces shared by every command: the parser class, the global options, argument types.

Global options (`--db`, `--debug`) are accepted before or after the subcommand: they live on a parent
parser that the top-level parser and every subcommand parser include, with `default=SUPPRESS` so that a
subparser that did not see the option does not overwrite the value the top level parsed. `finish_namespace`
then fills in the defaults once.
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import Any, NoReturn

PROG = "ae-workbench"
USAGE_EXIT = 2

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CliParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line: `ae-workbench: error: ...`, exit 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)  # scripts must not break when a new option shares a prefix
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        text = " ".join(message.split())
        if self.prog != PROG:  # a subcommand: point at its help
            text += f" (see {self.prog} --help)"
        self.exit(USAGE_EXIT, f"{PROG}: error: {text}\n")


def global_options() -> argparse.ArgumentParser:
    """The options every command accepts, as a parent parser (see the module docstring)."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("global options")
    group.add_argument(
        "--db",
        metavar="TARGET",
        default=argparse.SUPPRESS,
        help="SQLite file or SQLAlchemy URL "
        "(default: $AE_WORKBENCH_DB, else the file in the user data folder)",
    )
    group.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback when something fails",
    )
    return parent


def finish_namespace(args: argparse.Namespace) -> argparse.Namespace:
    """Fill in the defaults of the suppressed global options."""
    for name, default in (("db", None), ("debug", False), ("demo", False), ("smoke", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    return args


def add_command(
    subparsers: argparse._SubParsersAction[Any], name: str, summary: str, *, description: str | None = None
) -> argparse.ArgumentParser:
    """A subcommand parser that also takes the global options."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=description or summary,
        parents=[global_options()],
    )
    return parser


def add_subcommands(parser: argparse.ArgumentParser, *, title: str, dest: str, required: bool) -> Any:
    """`parser.add_subparsers` with a readable metavar (argparse names the group after `dest` in errors)."""
    return parser.add_subparsers(title=title, dest=dest, metavar=dest.upper(), required=required)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts instead of a table")


# --- argument types: raise ArgumentTypeError so that argparse reports a one-line usage error ---------------


def iso_date(text: str) -> date:
    """A calendar date written exactly `YYYY-MM-DD`."""
    if not _ISO_DATE.match(text.strip()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a real date") from None


def positive_int(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be 1 or more")
    return value


def non_negative_int(text: str) -> int:
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be 0 or more")
    return value


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
