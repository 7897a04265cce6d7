"""The migrations: a round trip on SQLite, and no drift between the migrated schema and the ORM models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect

from app.services.workspace import Workspace
from app.store import migrate, orm
from app.store.maintenance import FTS_INDEXES, FTS_TABLE_PREFIXES, schema_drift


def _downgrade_to_base(engine: Engine) -> None:
    with engine.begin() as connection:
        config = migrate.alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _drift(engine: Engine) -> list[object]:
    """Raw autogenerate differences, leaving out only what the ORM cannot describe (migration 0002)."""

    def include_name(name: str | None, type_: str, _parents: object) -> bool:
        if type_ == "table":
            return not (name or "").startswith(FTS_TABLE_PREFIXES)
        return not (type_ == "index" and name in FTS_INDEXES)

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        return list(compare_metadata(context, orm.Base.metadata))


def test_sqlite_round_trip_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'round-trip.sqlite3'}")
    try:
        head = migrate.head_revision()
        assert migrate.upgrade(engine) == (None, head)
        assert set(orm.Base.metadata.tables) <= _tables(engine)
        assert {"notes_fts", "accounts_fts"} <= _tables(engine)

        _downgrade_to_base(engine)
        assert _tables(engine) == {"alembic_version"}  # every table, FTS and trigger gone
        with engine.connect() as connection:
            assert migrate.current_revision(connection) is None
            triggers = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert triggers.all() == []

        assert migrate.upgrade(engine) == (None, head)
        assert _drift(engine) == []
    finally:
        engine.dispose()


def test_models_match_migrations(workspace: Workspace) -> None:
    """Runs on both backends: the migrated schema is exactly what orm.py declares."""
    assert _drift(workspace.database.engine) == []
    with workspace.database.engine.connect() as connection:
        assert schema_drift(connection) == []  # what `db check` reports agrees


def test_drift_is_detected(workspace: Workspace) -> None:
    """The check can fail: a column the models do not know is reported."""
    with workspace.database.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE notes ADD COLUMN mood VARCHAR(10)")
    assert [diff[0] for diff in _drift(workspace.database.engine)] == ["remove_column"]  # type: ignore[index]
    with workspace.database.engine.connect() as connection:
        assert schema_drift(connection) == ["remove column notes.mood"]


def test_schema_head_constant_is_the_newest_migration() -> None:
    # Opening a database at SCHEMA_HEAD skips Alembic entirely, so the constant must follow db/versions.
    assert migrate.head_revision() == migrate.SCHEMA_HEAD


def test_opening_a_database_at_head_does_not_load_alembic(tmp_path: Path) -> None:
    path = tmp_path / "at-head.sqlite3"
    Workspace.open(str(path)).close()  # creates and migrates
    script = (
        "import sys; from app.services.workspace import Workspace; "
        f"ws = Workspace.open({str(path)!r}); ws.close(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_0008_fills_each_lines_first_hts_from_its_tariffs(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'first-hts.sqlite3'}")
    try:
        with engine.begin() as connection:
            config = migrate.alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "0007")
            # a bare engine leaves foreign keys off: the lines need no entry for this check
            connection.exec_driver_sql(
                "INSERT INTO entry_lines (id, entry_number, line_number, country_of_origin, mid, spi,"
                " entered_value_cents, duty_cents) VALUES (1, 'K7X00000019', 1, 'CN', '', '', 0, 0),"
                " (2, 'K7X00000019', 2, 'CA', '', '', 0, 0)"
            )
            # the chapter 99 tariff was stored first, but the line's first tariff is the one of ordinal 1
            connection.exec_driver_sql(
                "INSERT INTO line_tariffs (line_id, ordinal, hts_number, duty_cents) VALUES"
                " (1, 2, '9903881503', 0), (1, 1, '8473301180', 0)"
            )
        assert migrate.upgrade(engine) == ("0007", migrate.head_revision())
        with engine.connect() as connection:
            lines = connection.exec_driver_sql("SELECT id, first_hts_number FROM entry_lines ORDER BY id")
            assert lines.all() == [(1, "8473301180"), (2, None)]
    finally:
        engine.dispose()
