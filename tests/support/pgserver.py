"""A throwaway PostgreSQL server for one test run.

`start_server()` runs `initdb` in a fresh temporary directory and starts the server with `pg_ctl` on a free
TCP port on 127.0.0.1, tuned for speed (no fsync). `PgServer.stop()` kills it and removes the directory.
The binaries are found under `/usr/lib/postgresql/*/bin` (newest version) or on PATH; the environment variable
`AE_TEST_PG_BINDIR` overrides both. initdb refuses to run as root, so under root the server runs as the
`postgres` user (via `runuser`), which owns the temporary directory.

The pytest side (the session fixture `pg_server`, skip/fail policy) lives in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BINDIR_ENV_VAR = "AE_TEST_PG_BINDIR"
SERVER_USER = "postgres"  # the OS user the server runs as when we are root
SUPERUSER = "postgres"  # the database superuser initdb creates
HOST = "127.0.0.1"

_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class PgServerUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why."""


@dataclass
class PgServer:
    """A running throwaway server. Databases created here vanish with it."""

    port: int
    base_dir: Path
    bindir: Path
    host: str = HOST
    user: str = SUPERUSER
    _run_as: list[str] = field(default_factory=list, repr=False)

    @property
    def admin_url(self) -> str:
        """SQLAlchemy URL of the `postgres` maintenance database (superuser, trust auth)."""
        return self.url("postgres")

    def url(self, dbname: str) -> str:
        """SQLAlchemy URL of database `dbname` on this server."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        """libpq connection string, for `psycopg.connect()`."""
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (default name `t_<12 hex>`) and return its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        if not _DB_NAME.match(name):
            raise ValueError(f"unsuitable test database name {name!r}")
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting its sessions first (PostgreSQL >= 13)."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "server.log"

    def pg_ctl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run `pg_ctl -D <data dir> ARGS...` as the server's user."""
        cmd = [*self._run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), *args]
        return _run(cmd, cwd=self.base_dir, timeout=timeout)

    def stop(self) -> None:
        """Stop the server at once (no checkpoint: the data is thrown away) and delete its directory."""
        try:
            self.pg_ctl("stop", "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)


def find_bindir() -> Path:
    """The directory holding `initdb` and `pg_ctl`; raises PgServerUnavailable when there is none."""
    override = os.environ.get(BINDIR_ENV_VAR)
    if override:
        candidates = [Path(override)]
    else:
        versioned = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
        versioned.sort(key=lambda d: _version_key(d.parent.name), reverse=True)
        candidates = versioned
        on_path = shutil.which("initdb")
        if on_path:
            candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    where = override or "/usr/lib/postgresql/*/bin or PATH"
    raise PgServerUnavailable(
        f"PostgreSQL server binaries (initdb, pg_ctl) not found in {where}; "
        "install the Debian package 'postgresql' (bash tests/support/install-system-deps.sh)"
    )


def start_server(*, attempts: int = 3) -> PgServer:
    """initdb + start a server; raises PgServerUnavailable with the reason when that is impossible."""
    bindir = find_bindir()
    run_as = _run_as_prefix()
    base_dir = _make_base_dir(run_as)
    try:
        _initdb(bindir, base_dir, run_as)
        last_error = ""
        for _ in range(attempts):  # the free port may be taken between our probe and the server's bind
            server = PgServer(port=_free_port(), base_dir=base_dir, bindir=bindir, _run_as=run_as)
            error = _start(server)
            if error is None:
                return server
            last_error = error
        raise PgServerUnavailable(f"pg_ctl could not start the server: {last_error}")
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(base_dir, ignore_errors=True)
        raise PgServerUnavailable(f"{type(exc).__name__}: {exc}") from exc
    except BaseException:
        shutil.rmtree(base_dir, ignore_errors=True)
        raise


# --- internals ---------------------------------------------------------------------------------------------


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def _run(cmd: Sequence[str], *, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing its output; the caller looks at the return code."""
    return subprocess.run(
        list(cmd), cwd=cwd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def _run_as_prefix() -> list[str]:
    """Empty when we can run the server ourselves; `runuser -u postgres --` when we are root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise PgServerUnavailable(
            f"running as root, and initdb refuses root, but there is no '{SERVER_USER}' user to run it as"
        ) from None
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    if not Path(runuser).exists():
        raise PgServerUnavailable("running as root, and initdb refuses root, but 'runuser' is not available")
    return [runuser, "-u", SERVER_USER, "--"]


def _make_base_dir(run_as: list[str]) -> Path:
    """A fresh directory the server's user owns and can reach (under root: also through its parents)."""
    parents = [None, "/tmp"] if run_as else [None]
    for parent in parents:
        base = Path(tempfile.mkdtemp(prefix="ae-pg-", dir=parent))
        if not run_as:
            return base
        entry = pwd.getpwnam(SERVER_USER)
        os.chown(base, entry.pw_uid, entry.pw_gid)
        probe = subprocess.run([*run_as, "test", "-w", str(base)], capture_output=True, cwd="/")
        if probe.returncode == 0:
            return base
        shutil.rmtree(base, ignore_errors=True)
    raise PgServerUnavailable(f"the '{SERVER_USER}' user cannot write to a temporary directory")


def _initdb(bindir: Path, base_dir: Path, run_as: list[str]) -> None:
    data_dir = base_dir / "data"
    common = [*run_as, str(bindir / "initdb"), "-D", str(data_dir), "-A", "trust", "-U", SUPERUSER]
    common += ["--no-sync", "-E", "UTF8"]
    errors = []
    for locale in ("C.UTF-8", "C"):
        result = _run([*common, f"--locale={locale}"], cwd=base_dir)
        if result.returncode == 0:
            return
        errors.append(f"--locale={locale}: {(result.stdout + result.stderr).strip()[-1500:]}")
        if data_dir.exists():  # initdb cleans up after itself, but be sure before the retry
            shutil.rmtree(data_dir, ignore_errors=True)
    raise PgServerUnavailable("initdb failed: " + " | ".join(errors))


def _start(server: PgServer) -> str | None:
    """Start the server; None on success, else the reason (with the tail of the server log)."""
    sock_dir = server.base_dir  # short path, owned by the server's user
    options = (
        f"-p {server.port} -k {sock_dir} -c listen_addresses={server.host} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    result = server.pg_ctl("start", "-l", str(server.log_file), "-w", "-t", "60", "-o", options, timeout=90)
    if result.returncode == 0 and _wait_for_port(server.host, server.port):
        return None
    log_tail = ""
    with contextlib.suppress(OSError):
        log_tail = server.log_file.read_text(errors="replace")[-1500:]
    # Make sure nothing half-started lingers before the next attempt.
    server.pg_ctl("stop", "-m", "immediate", "-w")
    return f"{(result.stdout + result.stderr).strip()[-1000:]} {log_tail}".strip()


def _wait_for_port(host: str, port: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
            return True
        time.sleep(0.05)
    return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])
