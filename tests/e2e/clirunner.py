"""Running `ae-workbench` as a subprocess in tests, and checking what it printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300  # seconds; generous for the demo generation on a slow CI machine


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


@dataclass(frozen=True)
class Cli:
    """Runs `python -m app ARGS...` with an isolated environment; `db` becomes `--db`."""

    data_dir: Path
    db: Path | str | None = None

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AE_WORKBENCH_")}
        env.update(
            AE_WORKBENCH_DATA_DIR=str(self.data_dir),
            XDG_CONFIG_HOME=str(self.data_dir.parent / "xdg-config"),
            XDG_DATA_HOME=str(self.data_dir.parent / "xdg-data"),
            QT_QPA_PLATFORM="offscreen",
            PYTHONIOENCODING="utf-8",
        )
        env.update(extra or {})
        return env

    def __call__(self, *args: str, env: Mapping[str, str] | None = None, timeout: float = TIMEOUT) -> Result:
        command = [sys.executable, "-m", "app", *args]
        if self.db is not None:
            command += ["--db", str(self.db)]
        done = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=self.env(env),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def on(self, db: Path | str | None) -> Cli:
        return Cli(self.data_dir, db)


def assert_ok(result: Result) -> Result:
    assert result.returncode == 0, (
        f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    return result


def assert_one_error(result: Result, exit_code: int, *, contains: str = "") -> str:
    """Exit status as expected, exactly one `error: ` line on stderr, no traceback; returns the line."""
    assert result.returncode == exit_code, (
        f"exit {result.returncode}, expected {exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    assert "Traceback" not in result.stderr
    lines = result.stderr_lines
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert "error: " in lines[0]
    assert contains.lower() in lines[0].lower()
    return lines[0]


@dataclass(frozen=True)
class KnownAccount:
    id: str
    name: str
    ior: str  # normalised EIN-based importer number, e.g. 12345678900

    @property
    def ior_hyphenated(self) -> str:
        return f"{self.ior[:2]}-{self.ior[2:]}"
