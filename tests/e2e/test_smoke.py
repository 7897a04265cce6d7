"""`ae-workbench --smoke`: the real window, offscreen, in a subprocess: one line per screen, exit 0."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.clirunner import Cli, assert_ok

pytestmark = pytest.mark.gui

# `portfolio         123 ms  40 rows`: a name, a time, and what the screen shows.
LINE = re.compile(r"^(?P<screen>[\w-]+(?: [\w-]+)?)\s+(?P<ms>\d+) ms(?:\s+(?P<detail>.*))?$")
# Grows with the sidebar's enabled screens; then the busiest account's tabs.
SCREENS = [
    "window",
    "today",
    "portfolio",
    "holds",
    "followups",
    "compliance",
    "imports",
    "conflicts",
    "reports",
]
ACCOUNT_TABS = ["overview", "entries", "holds", "notes", "compliance", "contacts", "plan", "history"]


def parse(stdout: str) -> dict[str, re.Match[str]]:
    lines = stdout.splitlines()
    matches = [LINE.match(line) for line in lines]
    unexpected = [line for line, match in zip(lines, matches, strict=True) if not match]
    assert not unexpected, f"unexpected output lines: {unexpected}"
    return {m["screen"]: m for m in matches if m}


def test_smoke_opens_every_screen_of_the_demo_portfolio(demo_cli: Cli) -> None:
    result = assert_ok(demo_cli("--smoke"))
    screens = parse(result.stdout)
    assert list(screens) == SCREENS + [f"account-{tab}" for tab in ACCOUNT_TABS], result.stdout
    assert re.fullmatch(r"[\d,]+ lines in [\d,]+ entries", screens["account-entries"]["detail"])
    accounts = demo_cli("stats", "--json").json()["accounts"]
    assert screens["portfolio"]["detail"] == f"{accounts:,} rows"
    assert "qt warning" not in result.stderr.lower(), result.stderr


def test_smoke_on_an_empty_database_shows_zero_rows(cli: Cli, tmp_path: Path) -> None:
    result = assert_ok(cli.on(tmp_path / "new.sqlite3")("--smoke"))
    assert parse(result.stdout)["portfolio"]["detail"] == "0 rows"


def test_smoke_on_an_unusable_database_exits_2_with_one_line(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    result = cli.on(folder)("--smoke")
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert len(result.stderr_lines) == 1 and "folder" in result.stderr, result.stderr


@pytest.mark.slow
def test_demo_smoke_creates_the_demo_portfolio_on_first_use(cli: Cli) -> None:
    result = assert_ok(cli("--demo", "--smoke"))
    screens = parse(result.stdout)
    assert "demo data" in screens
    assert screens["portfolio"]["detail"] != "0 rows"
    assert (cli.data_dir / "demo.sqlite3").is_file()
    again = parse(assert_ok(cli("--demo", "--smoke")).stdout)
    assert "demo data" not in again  # filled once, reused afterwards
