"""What the GUI remembers between runs, in one INI file under the user data folder.

Two kinds, kept apart (ARCHITECTURE.md §4, "Settings"):

* `Preferences`: choices the user makes on purpose. Each is declared once below with its type and default,
  so reading one never needs a fallback at the call site.
* `UiState`: how the user left the windows (geometry, dock/toolbar state, table header state). Losing it is
  harmless, so it is never shown in a preferences dialog.

The file is `<user data dir>/settings.ini` (`AE_WORKBENCH_DATA_DIR` moves it, which is how tests isolate it),
rather than QSettings' native store: one place to back up, and identical on every platform.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

from app.locations import user_data_dir

SETTINGS_FILE = "settings.ini"

T = TypeVar("T", bool, int, float, str)


def settings_path() -> Path:
    return user_data_dir() / SETTINGS_FILE


def open_settings(path: Path | None = None) -> QSettings:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def _coerce(kind: type, value: Any, default: Any) -> Any:
    """INI files store text: turn what QSettings hands back into the declared type, or the default."""
    if value is None:
        return default
    try:
        if kind is bool:
            if isinstance(value, str):
                return value.strip().lower() in {"true", "1", "yes", "on"}
            return bool(value)
        return kind(value)
    except (TypeError, ValueError):
        return default


class Pref(Generic[T]):
    """A typed preference: a descriptor on `Preferences`, stored under `preferences/<name>`."""

    def __init__(self, default: T, doc: str) -> None:
        self.default: T = default
        self.kind: type = type(default)
        self.__doc__ = doc
        self.key = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = f"preferences/{name}"

    def __get__(self, prefs: Preferences | None, owner: type) -> T:
        if prefs is None:
            return cast(T, self)  # class access (introspection); typed loosely on purpose
        return cast(T, _coerce(self.kind, prefs.store.value(self.key), self.default))

    def __set__(self, prefs: Preferences, value: T) -> None:
        prefs.store.setValue(self.key, self.kind(value))


class Preferences:
    """User preferences. Add one by declaring a `Pref` here; nothing else needs to know its default."""

    report_marking = Pref("CUI // LES", "Handling marking printed on every report page and workbook.")
    restore_last_screen = Pref(True, "Open on the screen that was showing when the workbench was closed.")
    theme = Pref(
        "system", 'Colours: "system" (follow the OS light/dark setting), "light", "dark", "high contrast".'
    )
    font_size = Pref(0, "Text size in points (8 to 20); 0 means the platform's default size.")
    team_server_url = Pref(
        "", "The team server's address, postgresql+psycopg://user@host[:port]/database (never a password)."
    )
    ae_name = Pref(
        "", "Your name as your Center's AE list spells it; blank uses AE_WORKBENCH_USER or the login name."
    )
    backups_enabled = Pref(True, "Back up the (SQLite) database at every start, in the background.")
    lock_after_minutes = Pref(
        15, "Lock the window after this many minutes without input (0: never); needs an encrypted database."
    )
    backups_keep = Pref(7, "How many automatic backups of each database to keep (1 to 60); older ones go.")

    def __init__(self, store: QSettings) -> None:
        self.store = store

    @classmethod
    def declared(cls) -> dict[str, Pref[Any]]:
        return {name: value for name, value in vars(cls).items() if isinstance(value, Pref)}

    def reset(self) -> None:
        self.store.remove("preferences")


class UiState:
    """Window geometry and layout. Values are opaque QByteArrays produced by Qt's own saveState()s."""

    def __init__(self, store: QSettings) -> None:
        self.store = store

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.store.value(f"ui/{key}")
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        return None

    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("ui/window/geometry", geometry)
        self.store.setValue("ui/window/state", state)

    def header_state(self, table: str) -> QByteArray | None:
        return self._bytes(f"headers/{table}")

    def save_header_state(self, table: str, state: QByteArray) -> None:
        self.store.setValue(f"ui/headers/{table}", state)

    def splitter_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitters/{name}")

    def save_splitter_state(self, name: str, state: QByteArray) -> None:
        self.store.setValue(f"ui/splitters/{name}", state)

    def filter_values(self, screen: str) -> dict[str, str]:
        """A screen's saved filter choices as text (the screen parses them; unknown values it ignores)."""
        self.store.beginGroup(f"ui/filters/{screen}")
        try:
            return {key: str(self.store.value(key)) for key in self.store.childKeys()}
        finally:
            self.store.endGroup()

    def save_filter_values(self, screen: str, values: dict[str, str]) -> None:
        self.store.remove(f"ui/filters/{screen}")  # a choice put back to "All" leaves no key behind
        for key, value in values.items():
            self.store.setValue(f"ui/filters/{screen}/{key}", value)

    def last_screen(self) -> str | None:
        value = self.store.value("ui/window/screen")
        return str(value) if value else None

    def save_last_screen(self, key: str) -> None:
        self.store.setValue("ui/window/screen", key)

    def sync(self) -> None:
        self.store.sync()


class Settings:
    """Both halves over one QSettings file; the main window owns one instance."""

    def __init__(self, path: Path | None = None) -> None:
        self.store = open_settings(path)
        self.preferences = Preferences(self.store)
        self.ui = UiState(self.store)

    @property
    def path(self) -> Path:
        return Path(self.store.fileName())

    def sync(self) -> None:
        self.store.sync()
