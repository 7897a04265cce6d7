"""The workbench's rotating log (app/logs.py): where it is, its records, rotation, file permissions."""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import logs
from app.locations import user_log_dir

# time, level, [process id], logger: message
RECORD_START = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) \[\d+\] \S+: "
)
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture(autouse=True)
def _logging_stopped() -> Iterator[None]:
    yield
    logs.stop_logging()


def log_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_the_log_folder_follows_the_data_folder_override(isolated_user_data: Path) -> None:
    assert user_log_dir() == isolated_user_data / "logs"
    assert logs.log_file_path() == isolated_user_data / "logs" / "ae-workbench.log"


def test_without_the_override_the_log_folder_is_the_platforms(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_log_path

    monkeypatch.delenv("AE_WORKBENCH_DATA_DIR")
    assert user_log_dir() == user_log_path("AE Workbench", "AE Workbench")


def test_a_record_is_one_line_with_time_level_process_and_logger(tmp_path: Path) -> None:
    handler = logs.configure_logging(logging.INFO, folder=tmp_path)
    logging.getLogger("app.services.notes").info("note added to %s", "12-3456789AB")
    handler.flush()
    (line,) = log_lines(tmp_path / "ae-workbench.log")
    assert RECORD_START.match(line), line
    assert f"[{os.getpid()}] app.services.notes: note added to 12-3456789AB" in line


def test_a_traceback_is_indented_under_its_record(tmp_path: Path) -> None:
    logs.configure_logging(logging.INFO, folder=tmp_path)
    try:
        raise ValueError("bad cell")
    except ValueError:
        logging.getLogger("app.cli.main").exception("internal error")
    lines = log_lines(tmp_path / "ae-workbench.log")
    assert RECORD_START.match(lines[0]) and lines[0].endswith("app.cli.main: internal error")
    assert len(lines) > 2 and all(line.startswith(logs.CONTINUATION) for line in lines[1:])
    assert lines[-1].strip() == "ValueError: bad cell"


def test_records_below_the_level_are_left_out(tmp_path: Path) -> None:
    logs.configure_logging(logging.WARNING, folder=tmp_path)
    logging.getLogger("app.x").info("routine")
    logging.getLogger("app.x").warning("problem")
    assert [line.split(": ", 1)[1] for line in log_lines(tmp_path / "ae-workbench.log")] == ["problem"]


def test_debug_is_for_the_apps_own_loggers_only(tmp_path: Path) -> None:
    logs.configure_logging(logging.INFO, app_level=logging.DEBUG, folder=tmp_path)
    logging.getLogger("app.store.database").debug("ours")
    logging.getLogger("somelibrary").debug("theirs")
    logging.getLogger("somelibrary").info("theirs, informative")
    messages = [line.split(": ", 1)[1] for line in log_lines(tmp_path / "ae-workbench.log")]
    assert messages == ["ours", "theirs, informative"]


def test_nothing_is_created_until_a_record_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "not-yet"
    logs.configure_logging(logging.WARNING, folder=folder)
    logging.getLogger("app.x").info("below the level")
    assert not folder.exists()


def test_the_log_rolls_over_at_the_size_limit_and_keeps_the_newest_files(tmp_path: Path) -> None:
    logs.configure_logging(logging.INFO, folder=tmp_path, max_bytes=400, backup_count=2)
    for number in range(60):
        logging.getLogger("app.x").info("record %03d %s", number, "x" * 40)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["ae-workbench.log", "ae-workbench.log.1", "ae-workbench.log.2"]
    for path in tmp_path.iterdir():
        assert 0 < path.stat().st_size <= 400
    assert log_lines(tmp_path / "ae-workbench.log")[-1].endswith("record 059 " + "x" * 40)
    assert "record 000" not in "".join(path.read_text(encoding="utf-8") for path in tmp_path.iterdir())


@posix_only
def test_log_files_and_their_folder_are_the_owners_only(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    logs.configure_logging(logging.INFO, folder=folder, max_bytes=200, backup_count=1)
    for number in range(10):
        logging.getLogger("app.x").info("record %d %s", number, "y" * 40)
    files = sorted(folder.iterdir())
    assert [path.name for path in files] == ["ae-workbench.log", "ae-workbench.log.1"]
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@posix_only
def test_an_existing_log_with_wider_permissions_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "ae-workbench.log"
    path.write_text("", encoding="utf-8")
    path.chmod(0o644)
    logs.configure_logging(logging.INFO, folder=tmp_path)
    logging.getLogger("app.x").info("hello")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_configuring_again_replaces_the_handler_and_stopping_restores_the_levels(tmp_path: Path) -> None:
    root, app_logger = logging.getLogger(), logging.getLogger("app")
    levels = (root.level, app_logger.level)
    logs.configure_logging(logging.INFO, app_level=logging.DEBUG, folder=tmp_path / "a")
    second = logs.configure_logging(logging.WARNING, folder=tmp_path / "b")
    assert [h for h in root.handlers if isinstance(h, logs.PrivateRotatingFileHandler)] == [second]
    logs.stop_logging()
    assert logs.installed_handler() is None
    assert (root.level, app_logger.level) == levels


def test_a_crash_goes_to_the_log_even_before_logging_is_set_up(isolated_user_data: Path) -> None:
    path = logs.write_crash("Traceback (most recent call last):\nRuntimeError: kaboom\n")
    assert path == isolated_user_data / "logs" / "ae-workbench.log"
    lines = log_lines(path)
    assert RECORD_START.match(lines[0]) and " CRITICAL " in lines[0]
    assert lines[0].endswith("app.crash: unhandled error")
    assert lines[1:] == ["    Traceback (most recent call last):", "    RuntimeError: kaboom"]
    assert logs.installed_handler() is None  # the one-off handler is gone again


def test_a_crash_goes_through_the_configured_log(tmp_path: Path) -> None:
    handler = logs.configure_logging(logging.INFO, folder=tmp_path)
    logging.getLogger("app.x").info("before")
    assert logs.write_crash("RuntimeError: kaboom") == handler.path
    assert log_lines(handler.path)[-1] == "    RuntimeError: kaboom"


def test_a_crash_that_cannot_be_written_returns_none(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert logs.write_crash("details", folder=blocker / "logs") is None
