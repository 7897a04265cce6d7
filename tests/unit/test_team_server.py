"""The team server address and its password: kept in the OS keyring, never in what is stored."""

from __future__ import annotations

import pytest

from app.domain.errors import StorageError, UserError
from app.services.team_server import (
    KEYRING_SERVICE,
    check_server,
    connect_url,
    forget_password,
    save_password,
    stored_url,
)
from tests.support.memory_keyring import MemoryKeyring

URL = "postgresql+psycopg://dana@teamserver.example:5433/aew"


def test_the_password_is_filed_in_the_keyring_and_put_into_the_url_only_to_connect(
    memory_keyring: MemoryKeyring,
) -> None:
    assert connect_url(URL) == URL  # nothing saved: connect without (trust, peer or .pgpass)
    save_password(URL, "s3cret/:@")
    assert memory_keyring.saved == {(KEYRING_SERVICE, "dana@teamserver.example:5433/aew"): "s3cret/:@"}
    assert connect_url(URL) == "postgresql+psycopg://dana:s3cret%2F%3A%40@teamserver.example:5433/aew"
    forget_password(URL)
    forget_password(URL)  # forgetting twice is fine
    assert connect_url(URL) == URL


def test_a_password_given_in_the_url_wins_but_is_never_stored() -> None:
    given = "postgresql+psycopg://dana:typed@teamserver.example:5433/aew"
    assert connect_url(given) == given
    assert stored_url(given) == URL


@pytest.mark.parametrize("url", ["sqlite:///tmp/x.sqlite3", "not a url at all"])
def test_anything_but_a_postgresql_url_is_refused(url: str) -> None:
    with pytest.raises(UserError):
        stored_url(url)


def test_an_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(StorageError, match="cannot be reached"):
        check_server("postgresql+psycopg://dana@127.0.0.1:1/aew", timeout_s=2)
