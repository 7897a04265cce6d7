"""The command line as a whole: version, help, which database it opens, and that it never loads Qt."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from app import __version__
from tests.e2e.clirunner import REPO_ROOT, Cli, assert_ok

STATS_KEYS = [
    "accounts",
    "importer_numbers",
    "entries",
    "entry_lines",
    "holds",
    "open_holds",
    "notes",
    "compliance_events",
    "import_batches",
]


def test_version(cli: Cli) -> None:
    result = assert_ok(cli("--version"))
    assert result.stdout == f"ae-workbench {__version__}\n"
    assert result.stderr == ""


def test_help_lists_the_commands(cli: Cli) -> None:
    result = assert_ok(cli("--help"))
    for command in ("demo", "stats", "search", "note", "notes", "backup", "restore", "db"):
        assert f"    {command} " in result.stdout


def test_usage_error_is_one_line(cli: Cli) -> None:
    result = cli("note", "add", "12-3456789AB", "text", "--follow-up", "07/03/2025")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("ae-workbench: error: argument --follow-up:")


def _run_python(cli: Cli, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO_ROOT,
        env=cli.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_importing_the_cli_does_not_import_qt(cli: Cli) -> None:
    done = _run_python(
        cli,
        """
        import importlib, pkgutil, sys
        import app.cli.main, app.cli.commands
        for module in pkgutil.iter_modules(app.cli.commands.__path__, "app.cli.commands."):
            importlib.import_module(module.name)
        app.cli.main.build_parser()
        qt = sorted(m for m in sys.modules if m.startswith("PySide6"))
        assert not qt, qt
        """,
    )
    assert done.returncode == 0, done.stderr


def test_running_a_command_does_not_import_qt(cli: Cli) -> None:
    done = _run_python(
        cli,
        """
        import sys
        from app.cli.main import main
        status = main(["stats", "--json"])
        qt = sorted(m for m in sys.modules if m.startswith("PySide6"))
        assert not qt, qt
        sys.exit(status)
        """,
    )
    assert done.returncode == 0, done.stderr


def test_default_database_is_created_in_the_data_folder(cli: Cli) -> None:
    assert not cli.data_dir.exists()
    result = assert_ok(cli("stats", "--json"))
    assert result.json() == dict.fromkeys(STATS_KEYS, 0)
    assert (cli.data_dir / "workbench.sqlite3").is_file()


def test_environment_variable_names_the_database(cli: Cli, demo_db: Path) -> None:
    counts = assert_ok(cli("stats", "--json", env={"AE_WORKBENCH_DB": str(demo_db)})).json()
    assert counts["accounts"] > 0
    assert not (cli.data_dir / "workbench.sqlite3").exists()


def test_db_option_wins_over_the_environment(cli: Cli, demo_db: Path, tmp_path: Path) -> None:
    env = {"AE_WORKBENCH_DB": str(tmp_path / "missing-folder" / "x.sqlite3")}
    counts = assert_ok(cli.on(demo_db)("stats", "--json", env=env)).json()
    assert counts["accounts"] > 0


def test_sqlite_url_is_accepted(cli: Cli, demo_db: Path) -> None:
    counts = assert_ok(cli.on(f"sqlite:///{demo_db}")("stats", "--json")).json()
    assert counts["accounts"] > 0


def test_stats_json_keys_in_contract_order(demo_cli: Cli) -> None:
    counts = assert_ok(demo_cli("stats", "--json")).json()
    assert list(counts) == STATS_KEYS
    assert all(isinstance(value, int) and value >= 0 for value in counts.values())
    assert counts["accounts"] > 0 and counts["entries"] > 0
    assert counts["open_holds"] <= counts["holds"]


def test_stats_table_is_aligned(demo_cli: Cli) -> None:
    counts = assert_ok(demo_cli("stats", "--json")).json()
    lines = assert_ok(demo_cli("stats")).stdout.splitlines()
    assert [line.rsplit(None, 1)[0].strip() for line in lines] == [key.replace("_", " ") for key in counts]
    assert len({len(line) for line in lines}) == 1  # right-aligned counts: every line equally long
    assert [int(line.split()[-1]) for line in lines] == list(counts.values())
