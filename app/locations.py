"""Where the app finds its shipped files (`db/`, `resources/`) and where it keeps the user's data.

One locator for both a source checkout (the folders sit next to `app/`) and a frozen PyInstaller bundle (they
sit under `sys._MEIPASS`). The user's data and log folders follow the platform (platformdirs) unless
`AE_WORKBENCH_DATA_DIR` names a folder for both.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "AE Workbench"
APP_AUTHOR = "AE Workbench"
DB_ENV_VAR = "AE_WORKBENCH_DB"
DATA_DIR_ENV_VAR = "AE_WORKBENCH_DATA_DIR"


def install_root() -> Path:
    """The folder that holds `db/` and `resources/`."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def migrations_dir() -> Path:
    return install_root() / "db"


def resources_dir() -> Path:
    return install_root() / "resources"


def reference_dir() -> Path:
    return resources_dir() / "reference"


def user_data_dir() -> Path:
    """Per-user data folder; `AE_WORKBENCH_DATA_DIR` overrides it (tests, portable installs)."""
    override = os.environ.get(DATA_DIR_ENV_VAR)
    if override:
        return Path(override)
    from platformdirs import user_data_path  # imported late: only needed when no override is set

    return user_data_path(APP_NAME, APP_AUTHOR)


def user_log_dir() -> Path:
    """Per-user log folder: `<AE_WORKBENCH_DATA_DIR>/logs` when that is set (tests, portable installs), else
    the platform's place for logs (~/.local/state/AE Workbench/log, ~/Library/Logs/AE Workbench, …)."""
    override = os.environ.get(DATA_DIR_ENV_VAR)
    if override:
        return Path(override) / "logs"
    from platformdirs import user_log_path  # imported late, as in user_data_dir

    return user_log_path(APP_NAME, APP_AUTHOR)


def default_database_path() -> Path:
    return user_data_dir() / "workbench.sqlite3"


def demo_database_path() -> Path:
    return user_data_dir() / "demo.sqlite3"
