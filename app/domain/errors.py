"""Errors meant for people: each message says what is wrong and, where it can, how to fix it.

`UserError` and its subclasses are the user's or the environment's to fix; anything else reaching the top is a
bug. The CLI maps `exit_code` straight to its exit status (CONTRACTS.md §2).
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix. `str(error)` is one line for a person."""

    exit_code = 2


class ValidationError(UserError):
    """Input understood but rejected: nothing was written."""

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.row = row


class NotFoundError(UserError):
    exit_code = 2


class StorageError(UserError):
    """The database cannot be used: missing, corrupt, locked, unreachable, disk full."""

    exit_code = 2


class DatabaseLockedError(StorageError):
    pass


class DatabaseUnreachableError(StorageError):
    pass


class CorruptDatabaseError(StorageError):
    pass


class NotEmptyError(UserError):
    """A command that would overwrite data refuses without --force."""

    exit_code = 2
