"""The team server address and its password: kept in the OS keyring, never in what is stored."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from app.domain.errors import StorageError, UserError
from app.services.team_server import (
    KEYRING_SERVICE,
    check_server,
    connect_url,
    forget_password,
    save_password,
    stored_url,
)

URL = "postgresql+psycopg://dana@teamserver.example:5433/aew"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.saved.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


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
