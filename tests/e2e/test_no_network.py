"""No telemetry: the workbench opens no network connection of its own. Every socket connection a process
attempts while the window opens every screen, and while the commands run, is recorded; only sync (not run
here) may reach a server."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.e2e.clirunner import REPO_ROOT, Cli

# Run inside the child: record every AF_INET/AF_INET6 connection attempt, then run the workbench as usual.
GUARD = textwrap.dedent(
    """
    import socket, sys
    record = open(sys.argv[1], "a", encoding="utf-8")
    def watched(original):
        def connect(self, address, *rest):
            if self.family in (socket.AF_INET, socket.AF_INET6):
                record.write(f"{address!r}\\n"); record.flush()
            return original(self, address, *rest)
        return connect
    socket.socket.connect = watched(socket.socket.connect)
    socket.socket.connect_ex = watched(socket.socket.connect_ex)
    from app.cli.main import main
    raise SystemExit(main(sys.argv[2:]))
    """
)


def run_watched(cli: Cli, log: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", GUARD, str(log), *args]
    if cli.db is not None:
        command += ["--db", str(cli.db)]
    return subprocess.run(
        command, cwd=REPO_ROOT, env=cli.env(), capture_output=True, text=True, timeout=300, check=False
    )


def test_no_connection_is_attempted_by_the_window_or_the_commands(demo_cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "connections.log"
    log.touch()
    for args in (
        ("--smoke",),
        ("stats", "--json"),
        ("search", "steel"),
        ("report", "portfolio", "--out", str(tmp_path / "portfolio.xlsx")),
        ("report", "holds", "--out", str(tmp_path / "holds.pdf")),
        ("backup", str(tmp_path / "copy.sqlite3")),
    ):
        done = run_watched(demo_cli, log, *args)
        assert done.returncode == 0, (args, done.stderr)
    assert log.read_text(encoding="utf-8") == "", "the workbench tried to reach the network"


def test_the_guard_does_record_a_connection(tmp_path: Path) -> None:
    """The watch works: a connection attempt made under it is recorded (to a closed local port)."""
    log = tmp_path / "connections.log"
    probe = GUARD.replace(
        "from app.cli.main import main\nraise SystemExit(main(sys.argv[2:]))",
        "s = socket.socket(); s.connect_ex(('127.0.0.1', 9)); s.close()",
    )
    subprocess.run([sys.executable, "-c", probe, str(log)], check=True, timeout=60)
    assert "127.0.0.1" in log.read_text(encoding="utf-8")
