"""Printing for the command line: JSON for scripts, aligned tables for people, one-line errors, progress.

Results go to stdout; errors and progress go to stderr so that `--json` output can always be piped.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, TextIO

ERROR_PREFIX = "error: "


def _jsonable(value: Any) -> Any:
    """`json.dumps` fallback for the value types our results carry."""
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def iso_datetime(value: datetime) -> str:
    """ISO 8601 with an explicit offset; the app's naive date-times are UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def print_json(data: Any, *, stream: TextIO | None = None) -> None:
    """Pretty JSON, keys in the order given (never sorted: the contracts fix the order)."""
    out = stream or sys.stdout
    out.write(json.dumps(data, indent=2, default=_jsonable))
    out.write("\n")


def one_line(text: object) -> str:
    """Collapse whitespace (including newlines) so that a table cell or message stays on its line."""
    return " ".join(str(text).split())


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    right_align: Sequence[int] = (),
    stream: TextIO | None = None,
) -> None:
    """Columns padded to their widest cell; the last column is never padded (it may be long free text)."""
    out = stream or sys.stdout
    cells = [[one_line(h) for h in headers], *[[one_line(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        parts = []
        for i, cell in enumerate(row):
            if i == len(row) - 1 and i not in right_align:
                parts.append(cell)
            elif i in right_align:
                parts.append(cell.rjust(widths[i]))
            else:
                parts.append(cell.ljust(widths[i]))
        out.write("  ".join(parts).rstrip() + "\n")


def print_mapping(data: Mapping[str, object], *, stream: TextIO | None = None) -> None:
    """A two-column `name  value` table with the values right-aligned (counts)."""
    out = stream or sys.stdout
    if not data:
        return
    name_width = max(len(key) for key in data)
    value_width = max(len(str(value)) for value in data.values())
    for key, value in data.items():
        out.write(f"{key.ljust(name_width)}  {str(value).rjust(value_width)}\n")


def print_error(message: str, *, stream: TextIO | None = None) -> None:
    """One `error: ...` line per line of the message (a message may list several problems)."""
    out = stream or sys.stderr
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for line in lines or ["unknown error"]:
        out.write(f"{ERROR_PREFIX}{line}\n")
    out.flush()


class ProgressPrinter:
    """A `Progress` for long commands: a line on stderr when the step changes or every ~2 seconds.

    Lines rather than a redrawn bar, so that a log of the terminal stays readable.
    """

    def __init__(self, stream: TextIO | None = None, *, interval: float = 2.0) -> None:
        self._stream = stream or sys.stderr
        self._interval = interval
        self._last_message = ""
        self._last_time = 0.0

    def __call__(self, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if message == self._last_message and now - self._last_time < self._interval:
            return
        self._last_message = message
        self._last_time = now
        share = f" ({done * 100 // total}%)" if total > 0 else ""
        self._stream.write(f"{one_line(message)}{share}\n")
        self._stream.flush()
