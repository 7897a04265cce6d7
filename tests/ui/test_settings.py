"""Settings: one INI file under the (test-isolated) user data folder; typed preferences; opaque UI state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray

from app.ui.settings import Preferences, Settings, settings_path

pytestmark = pytest.mark.gui


def test_settings_file_lives_in_the_user_data_folder(qapp, isolated_user_data: Path) -> None:
    settings = Settings()
    assert settings.path == isolated_user_data / "settings.ini"
    assert settings_path() == settings.path


def test_preferences_have_typed_defaults(qapp, tmp_path: Path) -> None:
    prefs = Settings(tmp_path / "s.ini").preferences
    assert prefs.report_marking == "CUI // LES"
    assert prefs.restore_last_screen is True
    assert prefs.theme == "system"
    assert prefs.font_size == 0  # the platform's default text size
    assert prefs.team_server_url == "" and prefs.ae_name == ""
    assert set(Preferences.declared()) == {
        "report_marking",
        "restore_last_screen",
        "theme",
        "font_size",
        "team_server_url",
        "ae_name",
        "backups_enabled",
        "backups_keep",
        "lock_after_minutes",
    }


def test_preferences_round_trip_with_their_types(qapp, tmp_path: Path) -> None:
    first = Settings(tmp_path / "s.ini")
    first.preferences.restore_last_screen = False
    first.preferences.report_marking = "CUI"
    first.sync()
    again = Settings(tmp_path / "s.ini").preferences
    assert again.restore_last_screen is False  # an INI file stores "false": it must come back a bool
    assert again.report_marking == "CUI"
    again.reset()
    assert again.restore_last_screen is True


def test_a_garbled_value_falls_back_to_the_default(qapp, tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    path.write_text("[preferences]\nrestore_last_screen=@Invalid()\n", encoding="utf-8")
    assert Settings(path).preferences.restore_last_screen is True


def test_ui_state_round_trips_and_stays_apart_from_preferences(qapp, tmp_path: Path) -> None:
    first = Settings(tmp_path / "s.ini")
    assert first.ui.header_state("portfolio") is None
    first.ui.save_header_state("portfolio", QByteArray(b"\x00\x01state"))
    first.ui.save_last_screen("portfolio")
    first.sync()
    again = Settings(tmp_path / "s.ini")
    assert bytes(again.ui.header_state("portfolio").data()) == b"\x00\x01state"
    assert again.ui.last_screen() == "portfolio"
    again.preferences.reset()
    assert again.ui.last_screen() == "portfolio"
