"""The command line's parser and error handling, in-process (no subprocess, no database)."""

from __future__ import annotations

import argparse
import io
import json
import sys
import types
import uuid
from datetime import date, datetime

import pytest

from app import __version__
from app.cli import main as cli_main
from app.cli.main import build_parser, main, parse_args, run_guarded
from app.cli.output import ProgressPrinter, print_json, print_table
from app.domain.enums import NoteKind
from app.domain.errors import (
    CorruptDatabaseError,
    NotEmptyError,
    NotFoundError,
    StorageError,
    UserError,
    ValidationError,
)


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run `main(argv)`, expect exit 2 with one `ae-workbench: error: ` line; return that line."""
    assert main(list(argv)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("ae-workbench: error: ")
    return lines[0]


# --- global options -----------------------------------------------------------------------------------------


def test_version_prints_name_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"ae-workbench {__version__}\n"


def test_no_command_means_the_window() -> None:
    args = parse_args([])
    assert args.command is None
    assert (args.db, args.debug, args.demo, args.smoke) == (None, False, False, False)
    assert not hasattr(args, "handler")


def test_window_flags() -> None:
    args = parse_args(["--demo", "--smoke"])
    assert args.demo and args.smoke and args.db is None
    assert parse_args(["--smoke", "--db", "x.sqlite3"]).db == "x.sqlite3"


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "a.sqlite3", "--debug", "stats"],
        ["stats", "--db", "a.sqlite3", "--debug"],
        ["--debug", "stats", "--db", "a.sqlite3"],
    ],
)
def test_global_options_before_or_after_the_command(argv: list[str]) -> None:
    args = parse_args(argv)
    assert args.command == "stats"
    assert args.db == "a.sqlite3"
    assert args.debug is True


def test_global_options_after_a_nested_command() -> None:
    args = parse_args(["db", "check", "--db", "x.sqlite3"])
    assert (args.command, args.action, args.db) == ("db", "check", "x.sqlite3")
    args = parse_args(["--db", "top.sqlite3", "note", "add", "12-3456789AB", "hello"])
    assert args.db == "top.sqlite3"


def test_global_option_defaults_with_a_command() -> None:
    args = parse_args(["stats"])
    assert (args.db, args.debug, args.json) == (None, False, False)


@pytest.mark.parametrize("flag", ["--demo", "--smoke"])
def test_window_flags_refuse_a_command(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    line = usage_error(capsys, flag, "stats")
    assert flag in line


def test_demo_refuses_db(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--db" in usage_error(capsys, "--demo", "--db", "x.sqlite3")


def test_no_abbreviated_options(capsys: pytest.CaptureFixture[str]) -> None:
    usage_error(capsys, "search", "acme", "--lim", "3")


# --- commands -----------------------------------------------------------------------------------------------


def test_registered_commands_are_this_issues_only() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == {
        "demo",
        "stats",
        "search",
        "note",
        "notes",
        "import",
        "imports",
        "report",
        "backup",
        "restore",
        "sync",
        "conflicts",
        "db",
    }


def test_demo_defaults_and_options() -> None:
    args = parse_args(["demo"])
    assert (args.scale, args.seed, args.force) == ("small", 7, False)
    args = parse_args(["demo", "--scale", "large", "--seed", "0", "--force"])
    assert (args.scale, args.seed, args.force) == ("large", 0, True)


@pytest.mark.parametrize(
    "argv", [["demo", "--scale", "huge"], ["demo", "--seed", "x"], ["demo", "--seed", "-1"]]
)
def test_demo_rejects_bad_values(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    usage_error(capsys, *argv)


def test_search_options() -> None:
    args = parse_args(["search", "acme corp", "--limit", "5", "--json"])
    assert (args.text, args.limit, args.json) == ("acme corp", 5, True)
    assert parse_args(["search", "x"]).limit == 20


@pytest.mark.parametrize("limit", ["0", "-3", "ten"])
def test_search_limit_must_be_positive(capsys: pytest.CaptureFixture[str], limit: str) -> None:
    assert "--limit" in usage_error(capsys, "search", "x", "--limit", limit)


def test_note_add_options() -> None:
    args = parse_args(
        ["note", "add", "12-3456789AB", "Called broker", "--kind", "call", "--follow-up", "2025-03-07"]
    )
    assert (args.account, args.text, args.kind) == ("12-3456789AB", "Called broker", "call")
    assert args.follow_up == date(2025, 3, 7)
    args = parse_args(["note", "add", "x", "y"])
    assert (args.kind, args.follow_up) == ("note", None)


@pytest.mark.parametrize("value", ["03/07/2025", "2025-3-7", "20250307", "2025-02-30", "tomorrow", ""])
def test_follow_up_must_be_an_iso_date(capsys: pytest.CaptureFixture[str], value: str) -> None:
    assert "--follow-up" in usage_error(capsys, "note", "add", "x", "y", "--follow-up", value)


def test_note_kind_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--kind" in usage_error(capsys, "note", "add", "x", "y", "--kind", "fax")


@pytest.mark.parametrize(
    "argv", [["note"], ["note", "add"], ["note", "add", "x"], ["db"], ["notes"], ["backup"]]
)
def test_missing_arguments_are_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    line = usage_error(capsys, *argv)
    assert "required" in line


def test_unknown_command_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert "invalid choice" in usage_error(capsys, "frobnicate")


def test_sync_needs_a_server_and_conflicts_take_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--server" in usage_error(capsys, "sync")
    args = parse_args(["sync", "--server", "postgresql+psycopg://dana@teamserver/aew", "--json"])
    assert (args.server, args.json) == ("postgresql+psycopg://dana@teamserver/aew", True)
    assert parse_args(["conflicts", "--json"]).json is True


def test_import_options() -> None:
    args = parse_args(["import", "holds.csv", "entries.xlsx"])
    assert [str(path) for path in args.files] == ["holds.csv", "entries.xlsx"]
    assert (args.kind, args.sheet, args.errors_to) == (None, None, None)
    assert (args.dry_run, args.skip_invalid, args.json) == (False, False, False)
    options = ["--kind", "entries", "--sheet", "Lines", "--dry-run", "--skip-invalid", "--json"]
    args = parse_args(["import", "e.xlsx", *options, "--errors-to", "out"])
    assert (args.kind, args.sheet, str(args.errors_to)) == ("entries", "Lines", "out")
    assert (args.dry_run, args.skip_invalid, args.json) == (True, True, True)


def test_import_needs_a_file_and_a_known_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert "required" in usage_error(capsys, "import")
    assert "--kind" in usage_error(capsys, "import", "x.csv", "--kind", "notes")


def test_imports_actions(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse_args(["imports", "list", "--json"])
    assert (args.command, args.action, args.json) == ("imports", "list", True)
    args = parse_args(["imports", "undo", "0192abcd"])
    assert (args.action, args.batch_id) == ("undo", "0192abcd")
    assert "required" in usage_error(capsys, "imports")
    assert "required" in usage_error(capsys, "imports", "undo")


def test_notes_and_backup_arguments() -> None:
    args = parse_args(["notes", "123456789", "--json"])
    assert (args.command, args.account, args.json) == ("notes", "123456789", True)
    assert str(parse_args(["backup", "out/b.sqlite3"]).file) == "out/b.sqlite3"
    assert str(parse_args(["restore", "b.sqlite3"]).file) == "b.sqlite3"


# --- error handling -----------------------------------------------------------------------------------------


def namespace(debug: bool = False) -> argparse.Namespace:
    return argparse.Namespace(db=None, debug=debug, demo=False, smoke=False)


def failing(exc: BaseException) -> cli_main.Handler:
    def handler(_args: argparse.Namespace) -> int:
        raise exc

    return handler


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (ValidationError("note text is empty"), 1),
        (NotFoundError("no account with importer number 12-3456789AB"), 2),
        (StorageError("cannot open database x: folder y does not exist"), 2),
        (CorruptDatabaseError("x is not an AE Workbench database"), 2),
        (NotEmptyError("the database already holds 40 accounts; use --force"), 2),
        (UserError("something"), 2),
        (FileNotFoundError(2, "No such file or directory", "/nowhere/b.sqlite3"), 2),
        (KeyboardInterrupt(), 130),
        (RuntimeError("boom"), 3),
    ],
)
def test_failures_become_one_line_and_a_status(
    capsys: pytest.CaptureFixture[str], exc: BaseException, status: int
) -> None:
    assert run_guarded(failing(exc), namespace()) == status
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")


def test_a_bug_is_named_and_points_at_debug(capsys: pytest.CaptureFixture[str]) -> None:
    run_guarded(failing(RuntimeError("boom\nsecond line")), namespace())
    assert capsys.readouterr().err == (
        "error: internal error: RuntimeError: boom second line (run with --debug for details)\n"
    )


def test_interrupt_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    run_guarded(failing(KeyboardInterrupt()), namespace())
    assert capsys.readouterr().err == "error: interrupted\n"


def test_a_message_with_several_problems_is_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_guarded(failing(ValidationError("row 2: bad date\nrow 5: bad IOR")), namespace()) == 1
    assert capsys.readouterr().err == "error: row 2: bad date\nerror: row 5: bad IOR\n"


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_guarded(failing(NotFoundError("no such account")), namespace(debug=True)) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert err.endswith("error: no such account\n")


def test_success_passes_the_handlers_status() -> None:
    assert run_guarded(lambda _args: 0, namespace()) == 0
    assert run_guarded(lambda _args: 1, namespace()) == 1


# --- the window ---------------------------------------------------------------------------------------------


class FakeGui(types.ModuleType):
    """Stands in for `app.ui.main` so that these tests never import Qt."""

    def __init__(self) -> None:
        super().__init__("app.ui.main")
        self.calls: list[tuple[str | None, bool, bool]] = []

    def run_gui(self, target: str | None, *, demo: bool = False, smoke: bool = False) -> int:
        self.calls.append((target, demo, smoke))
        return 0


@pytest.mark.parametrize(
    ("argv", "call"),
    [
        ([], (None, False, False)),
        (["--db", "x.sqlite3"], ("x.sqlite3", False, False)),
        (["--demo"], (None, True, False)),
        (["--smoke", "--demo"], (None, True, True)),
        (["--smoke", "--db", "y.sqlite3"], ("y.sqlite3", False, True)),
    ],
)
def test_no_command_opens_the_window(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], call: tuple[str | None, bool, bool]
) -> None:
    fake = FakeGui()
    monkeypatch.setitem(sys.modules, "app.ui.main", fake)
    assert main(argv) == 0
    assert fake.calls == [call]


def test_window_that_cannot_load_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "app.ui.main", None)  # makes `import app.ui.main` raise ImportError
    assert main([]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot start the window")


# --- output helpers -----------------------------------------------------------------------------------------


def test_table_pads_all_but_the_last_column() -> None:
    out = io.StringIO()
    print_table(
        ("KIND", "NAME", "TEXT"), [("call", "Acme", "two\nlines"), ("visit", "Beta Corp", "x")], stream=out
    )
    assert out.getvalue().splitlines() == [
        "KIND   NAME       TEXT",
        "call   Acme       two lines",
        "visit  Beta Corp  x",
    ]


def test_progress_printer_writes_a_line_per_step() -> None:
    out = io.StringIO()
    progress = ProgressPrinter(out, interval=3600)
    progress(0, 10, "accounts")
    progress(5, 10, "accounts")  # same step, too soon: skipped
    progress(1, 4, "entries")
    progress(0, 0, "indexes")
    assert out.getvalue().splitlines() == ["accounts (0%)", "entries (25%)", "indexes"]


def test_json_writes_dates_ids_and_enums() -> None:
    out = io.StringIO()
    value = {
        "when": datetime(2025, 3, 7, 14, 5, 9),
        "day": date(2025, 3, 7),
        "id": uuid.UUID(int=1),
        "kind": NoteKind.CALL,
    }
    print_json(value, stream=out)
    assert json.loads(out.getvalue()) == {
        "when": "2025-03-07T14:05:09+00:00",
        "day": "2025-03-07",
        "id": "00000000-0000-0000-0000-000000000001",
        "kind": "call",
    }
