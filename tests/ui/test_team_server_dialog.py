"""Sync › Team server…: the address checked as typed, the password in the keyring and never in settings."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from app.services.team_server import KEYRING_SERVICE
from app.ui.dialogs.team_server import TeamServerDialog, with_typed_password
from tests.support.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.gui

URL = "postgresql+psycopg://dana@teamserver.example:5433/aew"
CREDENTIAL = (KEYRING_SERVICE, "dana@teamserver.example:5433/aew")
PASSWORD = "Wh1spered-Secret"


@pytest.fixture
def context(make_context, empty_workspace):
    return make_context(empty_workspace)


@pytest.fixture
def dialog(qtbot, context) -> TeamServerDialog:
    dialog = TeamServerDialog(context)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def test_a_url_that_is_not_postgresql_is_refused_inline(dialog: TeamServerDialog, context) -> None:
    dialog.url_edit.setText("sqlite:///x")
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.url_message.isVisible()
    assert "PostgreSQL" in dialog.url_message.text()
    assert context.settings.preferences.team_server_url == ""
    dialog.url_edit.setText(URL)
    assert dialog.validated_url() == URL and dialog.url_message.isHidden()


def test_the_password_goes_to_the_keyring_and_never_into_the_settings_file(
    dialog: TeamServerDialog, context, memory_keyring: MemoryKeyring
) -> None:
    saved: list[bool] = []
    dialog.saved.connect(lambda: saved.append(True))
    dialog.url_edit.setText(URL)
    dialog.password_edit.setText(PASSWORD)
    dialog.name_edit.setText("  Dana Reyes ")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and saved == [True]
    assert memory_keyring.saved == {CREDENTIAL: PASSWORD}
    prefs = context.settings.preferences
    assert (prefs.team_server_url, prefs.ae_name) == (URL, "Dana Reyes")
    context.settings.sync()
    written = context.settings.path.read_text(encoding="utf-8")
    assert "teamserver.example" in written
    assert PASSWORD not in written


def test_a_password_typed_into_the_address_goes_to_the_keyring_too(
    dialog: TeamServerDialog, context, memory_keyring: MemoryKeyring
) -> None:
    dialog.url_edit.setText("postgresql+psycopg://dana:p%40ss@teamserver.example:5433/aew")
    dialog.accept()
    assert context.settings.preferences.team_server_url == URL
    context.settings.sync()
    written = context.settings.path.read_text(encoding="utf-8")
    assert "p%40ss" not in written and "p@ss" not in written
    assert memory_keyring.saved == {CREDENTIAL: "p@ss"}


def test_forget_saved_password_removes_it_from_the_keyring(
    dialog: TeamServerDialog, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.saved[CREDENTIAL] = PASSWORD
    dialog.url_edit.setText(URL)
    dialog.forget_button.click()
    assert memory_keyring.saved == {}
    assert dialog.test_message.text() == "Saved password forgotten"


def test_test_connection_shows_why_the_server_does_not_answer(
    dialog: TeamServerDialog, memory_keyring: MemoryKeyring
) -> None:
    dialog.url_edit.setText("postgresql+psycopg://u@127.0.0.1:1/x")
    dialog.test_button.click()  # the synchronous runner: the check has finished
    assert dialog.test_message.text().startswith("✗ the team server cannot be reached")
    assert dialog.test_button.isEnabled()


def test_test_connection_without_an_address_asks_for_one(dialog: TeamServerDialog) -> None:
    dialog.url_edit.setText("")
    dialog.test_button.click()
    assert dialog.test_message.text() == "Enter the team server's address first"


def test_a_typed_password_is_put_into_the_address_only_for_the_test() -> None:
    assert with_typed_password(URL, "") == URL
    assert with_typed_password(URL, "p@ss:/") == (
        "postgresql+psycopg://dana:p%40ss%3A%2F@teamserver.example:5433/aew"
    )
