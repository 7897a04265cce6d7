"""Run the Alembic migrations shipped in `db/` from inside the app (on open and by `db upgrade`).

Opening a database that is already at `SCHEMA_HEAD` reads one row and never imports Alembic: that import and
the parsing of every migration script would otherwise cost a few hundred milliseconds on every start of the
app and of every command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from app.locations import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in db/versions. A new migration must update it; tests/store/test_schema.py checks
# that it matches what Alembic finds.
SCHEMA_HEAD = "0012"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "db/versions holds no migration"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database records, or None for a database never migrated (no alembic_version)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to head; returns (revision before, revision after). A no-op when already at head."""
    with engine.connect() as connection:
        before = current_revision(connection)
    if before == SCHEMA_HEAD:
        return before, SCHEMA_HEAD
    from alembic import command

    head = head_revision()
    if before == head:
        return before, head
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, head
