"""How long-running services report progress and learn they should stop, with no Qt in sight.

The UI passes an adapter that throttles and forwards to a progress dialog; the CLI passes a printer or
nothing; tests pass recording fakes.
"""

from __future__ import annotations

import threading
from typing import Protocol


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str) -> None: ...


class Cancelled(Exception):
    """Raised inside a service when its cancel token fires; the service has rolled back."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def no_progress(done: int, total: int, message: str) -> None:
    """The default: report nothing."""
