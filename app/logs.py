"""The workbench's log: one rotating file in the user log folder, for the window and the command line.

`<user log dir>/ae-workbench.log` (locations.user_log_dir), rolled over at 1 MB with five older files kept,
readable by its owner only (it can name accounts and files). Each record starts with one line — time, level,
process id, logger: message — and anything after the message's first line (a traceback) is indented under it,
so a record's first line is always the only one that starts at the margin.

The folder and the file are created with the first record, not when logging is set up: a command that logs
nothing leaves no trace. The window and a command may share the file: each process rolls it over on its own
(a record can land in the file just renamed), which loses nothing.

Qt stays out of this module (the command line never loads Qt): app/ui/app.py routes Qt's messages here.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.locations import user_log_dir

LOG_FILE_NAME = "ae-workbench.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
RECORD_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
CONTINUATION = "    "  # before every further line of a record
APP_LOGGER = "app"
CRASH_LOGGER = "app.crash"
# Libraries whose INFO records say nothing about this run: Alembic lists its plugins on every first import.
QUIET_LOGGERS = ("alembic.runtime.plugins",)


def log_file_path(folder: Path | None = None) -> Path:
    return (folder or user_log_dir()) / LOG_FILE_NAME


class IndentedFormatter(logging.Formatter):
    """RECORD_FORMAT, with the record's further lines (a multi-line message, a traceback) indented."""

    def __init__(self) -> None:
        super().__init__(RECORD_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", "\n" + CONTINUATION)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files are created owner-only (0600) in a folder made on the first record.

    A record that cannot be written (disk full, folder read-only) is dropped, never raised: `last_error` says
    why, so the crash dialog can say the details were not saved.
    """

    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES, backup_count: int = BACKUP_COUNT) -> None:
        super().__init__(path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True)
        self.path = path
        self.last_error: BaseException | None = None
        self.restore_levels: dict[str, int] = {}  # logger name -> level before configure_logging
        self.setFormatter(IndentedFormatter())

    def _open(self) -> io.TextIOWrapper:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if hasattr(os, "fchmod"):  # a file made earlier with wider permissions
            os.fchmod(descriptor, 0o600)
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)  # noqa: PTH123 (a descriptor)

    def handleError(self, record: logging.LogRecord) -> None:
        self.last_error = sys.exc_info()[1]


def installed_handler() -> PrivateRotatingFileHandler | None:
    """The log file handler `configure_logging` put on the root logger, if any."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrivateRotatingFileHandler):
            return handler
    return None


def configure_logging(
    level: int = logging.INFO,
    *,
    app_level: int | None = None,
    folder: Path | None = None,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> PrivateRotatingFileHandler:
    """Send records of `level` and above to the log file (replacing an earlier call's handler); `app_level`
    (`--debug`: DEBUG) lowers the bar for the workbench's own loggers only, not for every library's."""
    stop_logging()
    path = log_file_path(folder)
    handler = PrivateRotatingFileHandler(path, max_bytes=max_bytes, backup_count=backup_count)
    handler.setLevel(min(level, app_level or level))
    quiet = [(name, max(level, logging.WARNING)) for name in QUIET_LOGGERS]
    for name, new_level in [("", level), (APP_LOGGER, app_level), *quiet]:
        if new_level is not None:
            logger = logging.getLogger(name)
            handler.restore_levels[name] = logger.level
            logger.setLevel(new_level)
    logging.getLogger().addHandler(handler)
    return handler


def stop_logging() -> None:
    """Remove and close the log file handler and put the levels back (end of a command, a window, a test)."""
    handler = installed_handler()
    if handler is None:
        return
    logging.getLogger().removeHandler(handler)
    for name, old_level in handler.restore_levels.items():
        logging.getLogger(name).setLevel(old_level)
    handler.close()


@contextmanager
def logging_to_file(
    level: int = logging.INFO, *, app_level: int | None = None
) -> Iterator[PrivateRotatingFileHandler]:
    """`configure_logging(level, app_level=...)` for the duration of a `with` block."""
    handler = configure_logging(level, app_level=app_level)
    try:
        yield handler
    finally:
        stop_logging()


def write_crash(details: str, folder: Path | None = None) -> Path | None:
    """Write an unhandled error's `details` to the log as one CRITICAL record; the log file, or None when the
    record could not be written. Works whether or not `configure_logging` was called (it was not in tests)."""
    handler = installed_handler()
    if handler is not None and (folder is None or handler.path == log_file_path(folder)):
        handler.last_error = None
        logging.getLogger(CRASH_LOGGER).critical("unhandled error\n%s", details.rstrip())
        return None if handler.last_error is not None else handler.path
    handler = PrivateRotatingFileHandler(log_file_path(folder))
    try:
        handler.handle(
            logging.LogRecord(
                CRASH_LOGGER, logging.CRITICAL, __file__, 0, "unhandled error\n%s", (details.rstrip(),), None
            )
        )
    finally:
        handler.close()
    return None if handler.last_error is not None else handler.path
