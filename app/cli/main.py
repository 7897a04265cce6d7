"""`ae-workbench` (also `python -m app`): the command line, and the launcher of the GUI.

With no subcommand it opens the GUI: `app.ui` (and with it PySide6) is imported only then, inside
`launch_gui`, so that no subcommand ever loads Qt (ARCHITECTURE.md §3).

Exit status (CONTRACTS.md §2, plus two cases the contract leaves open):

* 0 - success.
* 1 - the input was understood but rejected (`ValidationError`; nothing was written), or `db check` found
  problems.
* 2 - usage error (one line: `ae-workbench: error: ...`), unreadable file, unknown or unreachable, corrupt or
  locked database, unknown account (`NotFoundError`), non-empty database without `--force`: every other
  `UserError`, and `OSError`s from files the user named.
* 3 - a bug: any other exception. One line `error: internal error: <type>: <message>`; `--debug` shows the
  traceback.
* 130 - interrupted with Ctrl-C (the shell convention, 128 + SIGINT).

Every problem is one line on stderr prefixed `error: `; a traceback appears only with `--debug`. Problems
also go to the workbench's log (app/logs.py), a bug's with its traceback; `--debug` adds the app's own debug
records there. A command that meets no problem leaves the log alone.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence

from app import __version__
from app.cli.commands import backup, db, demo, imports, notes, report as report_command, search, stats, sync
from app.cli.output import print_error
from app.cli.parsing import PROG, CliParser, add_subcommands, finish_namespace, global_options
from app.domain.errors import UserError
from app.logs import logging_to_file
from app.services.progress import Cancelled

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130

# Registration order is the order `--help` lists the commands in.
COMMAND_MODULES = (demo, stats, search, notes, imports, report_command, sync, backup, db)

Handler = Callable[[argparse.Namespace], int]

log = logging.getLogger(__name__)


def build_parser() -> CliParser:
    parser = CliParser(
        prog=PROG,
        description="AE Workbench: trusted-partner accounts, held shipments, notes and compliance history. "
        "Without a command, opens the workbench window.",
        parents=[global_options()],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    gui = parser.add_argument_group("window (only without a command)")
    gui.add_argument(
        "--demo", action="store_true", help="open the demo portfolio (created on first use) instead of --db"
    )
    gui.add_argument(
        "--smoke",
        action="store_true",
        help="start offscreen, open every main screen once, print their times and exit (a self-test)",
    )
    commands = add_subcommands(parser, title="commands", dest="command", required=False)
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse and check the combinations argparse cannot express; usage errors exit 2 with one line."""
    parser = build_parser()
    args = finish_namespace(parser.parse_args(argv))
    if args.command is not None and (args.demo or args.smoke):
        flag = "--demo" if args.demo else "--smoke"
        parser.error(f"{flag} opens the window; it cannot be combined with the '{args.command}' command")
    if args.demo and args.db is not None:
        parser.error("--demo opens the demo database; it cannot be combined with --db")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `ae-workbench` console script; returns the exit status."""
    owner_only_files()
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse has already printed
        if exc.code is None:
            return EXIT_OK
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return run_guarded(launch_gui, args)  # the window sets up its own logging
    with logging_to_file(logging.WARNING, app_level=logging.DEBUG if args.debug else None):
        log.debug("command %s", args.command)
        return run_guarded(handler, args)


def owner_only_files() -> None:
    """Everything the workbench creates (the database and its journal files, backups, reports, trip packs,
    logs) is readable by its owner only: the data is law-enforcement-sensitive, and sharing a file is a
    deliberate act (the GUI starts through here too)."""
    os.umask(0o077)


def run_guarded(handler: Handler, args: argparse.Namespace) -> int:
    """Run a command, turning every failure into one line on stderr and an exit status."""
    try:
        return handler(args)
    except UserError as exc:
        log.warning("%s", str(exc) or type(exc).__name__)
        report(exc, args.debug, str(exc) or type(exc).__name__)
        return exc.exit_code
    except (KeyboardInterrupt, Cancelled) as exc:
        log.info("interrupted")
        report(exc, args.debug, "interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (`| head`): stop quietly, and keep Python from complaining
        # again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        log.warning("%s", describe_os_error(exc))
        report(exc, args.debug, describe_os_error(exc))
        return EXIT_USAGE
    except Exception as exc:
        message = " ".join(str(exc).split())
        log.error("internal error in %s", getattr(args, "command", None) or "the command", exc_info=exc)
        report(
            exc, args.debug, f"internal error: {type(exc).__name__}: {message} (run with --debug for details)"
        )
        return EXIT_BUG


def report(exc: BaseException, debug: bool, message: str) -> None:
    sys.stdout.flush()
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    print_error(message)


def describe_os_error(exc: OSError) -> str:
    """`cannot use FILE: reason` for a file the user named (a backup target, a restore source...)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return f"cannot use {exc.filename}: {reason}"
    return reason


def launch_gui(args: argparse.Namespace) -> int:
    """No subcommand: open the window. Qt is imported here and nowhere else in the command line."""
    try:
        from app.ui.main import run_gui
    except ImportError as exc:  # Qt or its system libraries missing: the environment's fault
        if args.debug:
            traceback.print_exception(exc, file=sys.stderr)
        print_error(f"cannot start the window: {exc}")
        return EXIT_USAGE
    return run_gui(args.db, demo=args.demo, smoke=args.smoke)
