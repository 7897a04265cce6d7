"""Root conftest: isolation every test gets, and the session's throwaway PostgreSQL server.

Keep this file small and general. Fixtures for one area belong in that area's conftest
(tests/store/conftest.py, tests/ui/conftest.py, ...). Markers are declared in pyproject.toml.
"""

from __future__ import annotations

import os

# Before anything imports Qt: no test ever needs a real display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.memory_keyring import MemoryKeyring, installed_memory_keyring
from tests.support.pgserver import PgServer, PgServerUnavailable, start_server

# Why the PostgreSQL server could not be started in this session (None: not tried, or it started).
_PG_PROBLEM = pytest.StashKey[str]()


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1"}


# --- every test ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def isolated_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app's user data directory at a fresh, not yet created, folder; forget any chosen database.

    Also moves the XDG config/data homes (QSettings, platformdirs) so no test touches the user's real files.
    Returns the data directory (`AE_WORKBENCH_DATA_DIR`).
    """
    root = tmp_path_factory.mktemp("home")
    data_dir = root / "ae-workbench-data"
    monkeypatch.setenv("AE_WORKBENCH_DATA_DIR", str(data_dir))
    monkeypatch.delenv("AE_WORKBENCH_DB", raising=False)
    monkeypatch.delenv("AE_WORKBENCH_PASSPHRASE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "xdg-data"))
    return data_dir


# --- PostgreSQL ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> Iterator[PgServer]:
    """A PostgreSQL server for the whole run, started on first use.

    `.admin_url` is the SQLAlchemy URL of the `postgres` database (superuser `postgres`, no password);
    `.create_database(name=None)` creates a fresh empty database and returns its SQLAlchemy URL.
    Without PostgreSQL the requesting tests are skipped (and a banner closes the run); with CI=true they fail.
    """
    try:
        server = start_server()
    except PgServerUnavailable as exc:
        reason = str(exc)
    else:
        reason = ""
    if reason:
        request.config.stash[_PG_PROBLEM] = reason
        if running_in_ci():
            pytest.fail(f"PostgreSQL test server unavailable (CI requires it): {reason}", pytrace=False)
        pytest.skip(f"!!! PostgreSQL test server unavailable, test SKIPPED: {reason}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_database_url(pg_server: PgServer) -> str:
    """SQLAlchemy URL of a fresh, empty PostgreSQL database for this test."""
    return pg_server.create_database()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Anything that uses the server is a `postgres` test, so `-m "not postgres"` deselects it.
    for item in items:
        if "pg_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    reason = config.stash.get(_PG_PROBLEM, None)
    if reason is None:
        return
    headline = "PostgreSQL tests FAILED (CI=true)" if running_in_ci() else "PostgreSQL tests were SKIPPED"
    terminalreporter.write_sep("!", headline, red=True, bold=True)
    terminalreporter.write_line(f"{headline}: {reason}", red=True, bold=True)
    terminalreporter.write_line(
        "Install the server binaries with `make sysdeps` (as root): tests/support/install-system-deps.sh",
        red=True,
    )
    terminalreporter.write_sep("!", red=True, bold=True)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The keyring, in memory for the test: no test reads or writes the machine's own."""
    with installed_memory_keyring() as backend:
        yield backend
