"""Team server addresses: the password kept out of what is stored, and a quick reachability check."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from app.domain.errors import StorageError, UserError
from app.store.migrate import SCHEMA_HEAD, current_revision


def parse_server_url(url: str) -> URL:
    try:
        parsed = make_url(url.strip())
    except ArgumentError as exc:
        example = "postgresql+psycopg://dana@teamserver/aew"
        raise UserError(f"not a database URL: {url!r} (for example {example})") from exc
    if parsed.get_backend_name() != "postgresql":
        raise UserError("the team server must be a PostgreSQL database (postgresql+psycopg://…)")
    return parsed


def without_password(url: str) -> str:
    """The URL as settings and the sync state keep it: never with a password."""
    # URL.set() reads password=None as "leave it": replace the field itself
    return parse_server_url(url)._replace(password=None).render_as_string(hide_password=False)


def with_password(url: str, password: str | None) -> str:
    parsed = parse_server_url(url)
    if password is None or parsed.password is not None:
        return parsed.render_as_string(hide_password=False)
    return parsed.set(password=password).render_as_string(hide_password=False)


def credential_name(url: str) -> str:
    """What the password is filed under in the OS keyring: user@host:port/database."""
    parsed = parse_server_url(url)
    host = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    return f"{parsed.username or ''}@{host}/{parsed.database or ''}"


def ping(url: str, timeout_s: int = 3) -> None:
    """Connect and run one query, or raise StorageError saying why the server cannot be reached."""
    engine = create_engine(url, connect_args={"connect_timeout": timeout_s}, pool_pre_ping=False)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
        raise StorageError(f"the team server cannot be reached: {reason}") from exc
    finally:
        engine.dispose()


def schema_problem(engine: Engine) -> str | None:
    """Why a laptop cannot sync with this server's schema (None: it can). A laptop never migrates the shared
    server itself: one newer laptop would otherwise move every other laptop's server out from under it."""
    with engine.connect() as connection:
        revision = current_revision(connection)
    if revision == SCHEMA_HEAD:
        return None
    if revision is None:
        return "the team server's database is empty: the Center's administrator sets it up with `db upgrade`"
    return (
        f"the team server's database is at schema {revision} and this workbench needs {SCHEMA_HEAD}: "
        "the Center's administrator upgrades the server (`ae-workbench db upgrade --db URL`), or this "
        "workbench is updated to the Center's version"
    )
