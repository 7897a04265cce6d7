"""The team server connection: its address, the password in the OS keyring, and whether it answers.

The address is kept without a password (settings, the sync state); the password lives only in the OS keyring
(`keyring`), filed under user@host:port/database, and is put into the URL just before connecting.
"""

from __future__ import annotations

from app.services.keyring_store import forget_secret, read_secret, save_secret
from app.store.sync.server import credential_name, ping, with_password, without_password

KEYRING_SERVICE = "AE Workbench team server"

__all__ = ["check_server", "connect_url", "forget_password", "save_password", "stored_url"]


def stored_url(url: str) -> str:
    """The address as settings keep it (no password). A UserError for an address that is not PostgreSQL."""
    return without_password(url)


def connect_url(url: str) -> str:
    """The URL to connect with: the given one, or with the password from the keyring when it has none."""
    return with_password(url, _read_password(url))


def save_password(url: str, password: str) -> None:
    save_secret(KEYRING_SERVICE, credential_name(url), password, "password")


def forget_password(url: str) -> None:
    forget_secret(KEYRING_SERVICE, credential_name(url), "password")


def check_server(url: str, timeout_s: int = 3) -> None:
    """Raise StorageError when the team server at `url` does not answer within about `timeout_s`."""
    ping(connect_url(url), timeout_s)


def _read_password(url: str) -> str | None:
    # None (no keyring here either): connect without one (trust, peer or .pgpass authentication)
    return read_secret(KEYRING_SERVICE, credential_name(url))
