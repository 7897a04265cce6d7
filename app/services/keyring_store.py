"""Secrets in the OS keyring (`keyring`): the team server's password and an encrypted database's passphrase.

Never in a settings file. `keyring` is imported only when a secret is read or written: most commands need
none. A machine without a usable keyring reads as "nothing kept"; saving or removing there is a UserError
saying so, with `what` naming the secret ("password", "passphrase").
"""

from __future__ import annotations

from app.domain.errors import UserError


def read_secret(service: str, name: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(service, name)
    except KeyringError:
        return None


def save_secret(service: str, name: str, secret: str, what: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(service, name, secret)
    except KeyringError as exc:
        raise UserError(f"the {what} could not be saved in the system keyring: {exc}") from exc


def forget_secret(service: str, name: str, what: str) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(service, name)
    except PasswordDeleteError:
        pass  # nothing was saved
    except KeyringError as exc:
        raise UserError(f"the {what} could not be removed from the system keyring: {exc}") from exc
