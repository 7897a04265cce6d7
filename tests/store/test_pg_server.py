"""The session's throwaway PostgreSQL server (tests/support/pgserver.py) works and isolates databases."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.support.pgserver import PgServer

pytestmark = pytest.mark.postgres


def test_admin_url_points_at_the_maintenance_database(pg_server: PgServer) -> None:
    assert pg_server.admin_url == f"postgresql+psycopg://postgres@127.0.0.1:{pg_server.port}/postgres"
    engine = create_engine(pg_server.admin_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select current_user")).scalar_one() == "postgres"
    finally:
        engine.dispose()


def test_create_database_gives_distinct_working_databases(pg_server: PgServer) -> None:
    url_a = pg_server.create_database()
    url_b = pg_server.create_database()
    assert url_a != url_b

    seen = {}
    for url in (url_a, url_b):
        name = url.rsplit("/", 1)[1]
        assert name.startswith("t_") and len(name) == 14
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                assert "PostgreSQL" in conn.execute(text("select version()")).scalar_one()
                seen[name] = conn.execute(text("select current_database()")).scalar_one()
                conn.execute(text("create table marker (db text)"))
                conn.execute(text("insert into marker values (current_database())"))
                assert conn.execute(text("show server_encoding")).scalar_one() == "UTF8"
        finally:
            engine.dispose()
    assert seen == {name: name for name in seen} and len(seen) == 2

    # A table made in one database is not visible in the other.
    engine = create_engine(url_b)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select db from marker")).scalars().all() == [url_b.rsplit("/", 1)[1]]
    finally:
        engine.dispose()


def test_create_database_with_a_chosen_name(pg_server: PgServer) -> None:
    url = pg_server.create_database("t_chosen_name")
    assert url.endswith(f":{pg_server.port}/t_chosen_name")
    with pytest.raises(ValueError):
        pg_server.create_database("Robert'); drop table students;--")
    pg_server.drop_database("t_chosen_name")


def test_pg_database_url_fixture_is_fresh_and_empty(pg_database_url: str) -> None:
    engine = create_engine(pg_database_url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                text("select count(*) from information_schema.tables where table_schema = 'public'")
            ).scalar_one()
            assert tables == 0
    finally:
        engine.dispose()
