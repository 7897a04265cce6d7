"""The Sync menu: Sync now against an unreachable server, after a sync, Conflicts, and keeping an account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services.sync import SyncResult, pinned_accounts
from app.services.workspace import Workspace
from app.store import orm
from app.store.sync.digest import DigestLine, SyncDigest
from app.ui import changes
from app.ui.dialogs.sync_digest import NONE_TEXT
from app.ui.mainwindow import MainWindow
from app.ui.sync_actions import NO_SERVER, SERVER_ITSELF
from app.ui.views.conflicts import ConflictsView
from tests.store.factories import add_account
from tests.support.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.gui

UNREACHABLE = "postgresql+psycopg://u@127.0.0.1:1/x"


@pytest.fixture(autouse=True)
def _no_real_keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    return memory_keyring


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(str(tmp_path / "laptop.sqlite3"))
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def open_window(qtbot, make_context):
    def open_(workspace: Workspace, server: str = "") -> MainWindow:
        context = make_context(workspace)
        context.settings.preferences.team_server_url = server
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return open_


def test_the_sync_menu_has_its_actions_and_sync_now_needs_a_server(open_window, laptop) -> None:
    window = open_window(laptop)
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert [action.text() for action in menus["Sync"].actions() if not action.isSeparator()] == [
        "&Sync now",
        "&Team server…",
        "&Conflicts",
        "&Keep this account on this laptop",
    ]
    actions = window.sync_actions
    assert actions.sync_action.shortcut().toString() == "F9"
    assert not actions.sync_action.isEnabled() and actions.sync_action.toolTip() == NO_SERVER
    assert not actions.pin_action.isEnabled()  # no account open


def test_sync_now_against_an_unreachable_server_says_why_and_can_be_tried_again(open_window, laptop) -> None:
    window = open_window(laptop, UNREACHABLE)
    actions = window.sync_actions
    assert actions.sync_action.isEnabled()
    actions.sync_action.trigger()  # the synchronous runner: the sync has failed by now
    box = actions.error_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text().startswith("Sync failed: ") and "127.0.0.1" in box.text()  # the service's own words
    assert actions.sync_action.isEnabled() and not actions.running
    assert actions.indicator.state == "Offline"
    box.close()


def test_after_a_sync_the_status_bar_says_what_moved_and_the_digest_lists_every_group(
    open_window, laptop
) -> None:
    window = open_window(laptop, UNREACHABLE)
    announced: list[frozenset[str]] = []
    window.context.changes.changed.connect(announced.append)
    digest = SyncDigest(
        new_holds=[DigestLine("Acme Microdevices Inc.", "ABC-1234567-8", datetime(2026, 11, 20, 15, 0))],
        overdue_follow_ups=[DigestLine("Great Lakes Auto Parts Co.", "Call the broker", date(2026, 11, 19))],
        accounts_removed=[DigestLine("Lakeside Optics", "no longer assigned to you", datetime(2026, 11, 20))],
    )
    window.sync_actions._on_synced(SyncResult(pushed=3, pulled=12, conflicts=0, accounts=2, digest=digest))
    assert window.statusBar().currentMessage() == "Synced: 3 sent, 12 received"
    assert announced == [changes.KINDS]
    dialog = window.sync_actions.digest_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.group_texts() == {
        "New holds (1)": ["Acme Microdevices Inc."],
        "Released holds (0)": [NONE_TEXT],
        "Teammates' notes (0)": [NONE_TEXT],
        "Follow-ups now due (1)": ["Great Lakes Auto Parts Co."],
        "Accounts no longer yours, removed from this laptop (1)": ["Lakeside Optics"],
    }
    dialog.close()


def test_an_empty_digest_opens_no_window(open_window, laptop) -> None:
    window = open_window(laptop, UNREACHABLE)
    window.sync_actions._on_synced(SyncResult(0, 0, 0, 1, SyncDigest()))
    assert window.sync_actions.digest_dialog is None
    assert window.statusBar().currentMessage() == "Synced: 0 sent, 0 received"


def test_conflicts_goes_to_the_conflicts_screen(open_window, laptop) -> None:
    window = open_window(laptop)
    window.sync_actions.conflicts_action.trigger()
    assert isinstance(window.current_screen(), ConflictsView)


def test_keep_this_account_on_this_laptop_pins_the_current_account(open_window, laptop) -> None:
    with laptop.database.session() as session:
        account = add_account(session, "Acme Microdevices Inc.", ["20-584410200"])
        session.commit()
    window = open_window(laptop)
    window.open_account(account)
    actions = window.sync_actions
    actions.update_actions()  # as the Sync menu does when it opens
    assert actions.pin_action.isEnabled() and not actions.pin_action.isChecked()
    actions.pin_action.trigger()
    assert pinned_accounts(laptop) == {account}
    assert actions.pin_action.isChecked()
    actions.pin_action.trigger()
    assert pinned_accounts(laptop) == set() and not actions.pin_action.isChecked()


# --- with a real team server ------------------------------------------------------------------------------


@pytest.fixture
def team_server(pg_server) -> str:
    """A team server holding one account of the AE "Dana Reyes"."""
    url = str(pg_server.create_database())
    ws = Workspace.open(url)
    try:
        with ws.database.session() as session:
            dana = orm.AccountExecutiveRow(name="Dana Reyes", center_code="ELEC")
            session.add(dana)
            session.flush()
            account = add_account(session, "Acme Microdevices Inc.", ["20-584410200"])
            row = session.get(orm.AccountRow, account)
            assert row is not None
            row.ae_id = dana.id
            session.commit()
    finally:
        ws.close()
    return url


@pytest.mark.postgres
def test_sync_now_brings_the_aes_account_down_and_the_screens_reload(
    open_window, laptop, team_server
) -> None:
    window = open_window(laptop, team_server)
    window.context.settings.preferences.ae_name = "Dana Reyes"
    portfolio = window.show_screen("portfolio")
    assert portfolio.summary() == "0 rows"
    window.sync_actions.sync_action.trigger()
    message = window.statusBar().currentMessage()
    assert message.startswith("Synced: 0 sent, ") and not message.endswith(" 0 received"), message
    assert portfolio.summary() == "1 row"  # reloaded: the sync announced every kind of change
    assert window.sync_actions.indicator.state == "Online"
    assert window.sync_actions.indicator.last_label.text().startswith("Last sync ")
    assert window.sync_actions.sync_action.isEnabled()


@pytest.mark.postgres
def test_on_the_team_server_database_itself_the_sync_actions_are_disabled(open_window, team_server) -> None:
    server_ws = Workspace.open(team_server)
    try:
        window = open_window(server_ws, team_server)
        actions = window.sync_actions
        assert not actions.sync_action.isEnabled() and actions.sync_action.toolTip() == SERVER_ITSELF
        assert not actions.pin_action.isEnabled()
        assert actions.indicator.state == "Team server"
        window.close()
    finally:
        server_ws.close()
