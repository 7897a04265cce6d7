"""The status bar's sync indicator: local only, offline, last sync, changes to send and conflicts."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from app.services.sync import SyncStatus
from app.ui import changes
from app.ui.widgets.sync_indicator import (
    CHECK_INTERVAL_MS,
    LOCAL_ONLY,
    NEVER_SYNCED,
    OFFLINE,
    SyncIndicator,
    last_sync_text,
)
from tests.store.factories import add_account
from tests.support.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.gui

UNREACHABLE = "postgresql+psycopg://u@127.0.0.1:1/x"


@pytest.fixture(autouse=True)
def _no_real_keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    return memory_keyring


def make_indicator(qtbot, context) -> SyncIndicator:
    indicator = SyncIndicator(context)
    qtbot.addWidget(indicator)
    indicator.show()
    return indicator


def test_without_a_server_it_says_local_only_and_never_checks(qtbot, make_context, empty_workspace) -> None:
    indicator = make_indicator(qtbot, make_context(empty_workspace))
    assert indicator.state == LOCAL_ONLY and indicator.state_label.text() == LOCAL_ONLY
    assert not indicator.icon_label.pixmap().isNull()  # words and an icon
    assert not indicator.timer.isActive()
    assert indicator.last_label.isHidden()  # nothing to say about syncs on a laptop that never had a server
    assert indicator.pending_label.isHidden() and indicator.conflicts_button.isHidden()


def test_an_unreachable_server_shows_offline_and_is_checked_again_periodically(
    qtbot, make_context, empty_workspace
) -> None:
    context = make_context(empty_workspace)
    indicator = make_indicator(qtbot, context)
    context.settings.preferences.team_server_url = UNREACHABLE
    indicator.refresh()  # the synchronous runner: the check has run
    assert indicator.state == OFFLINE and indicator.state_label.text() == OFFLINE
    assert "cannot be reached" in indicator.state_label.toolTip()
    assert indicator.timer.isActive() and indicator.timer.interval() == CHECK_INTERVAL_MS
    assert indicator.last_label.isVisible() and indicator.last_label.text() == NEVER_SYNCED


def test_changes_to_send_and_conflicts_are_counted_and_conflicts_open_on_click(
    qtbot, make_context, empty_workspace
) -> None:
    context = make_context(empty_workspace)
    indicator = make_indicator(qtbot, context)
    with empty_workspace.database.session() as session:  # an account and its importer number: two records
        account = add_account(session, "Acme Microdevices Inc.", ["20-584410200"])
        session.commit()
    insert = text(
        "INSERT INTO sync_conflicts (table_name, row_key, field, base, mine, theirs, detected_at) "
        "VALUES ('accounts', :key, 'dba', 'null', '\"Acme\"', '\"Acme One\"', :detected)"
    )
    with empty_workspace.database.engine.begin() as connection:
        connection.execute(insert, {"key": account.hex, "detected": datetime(2026, 11, 20, 14, 30)})
    context.changes.announce({changes.ACCOUNTS})  # any change re-reads the local counts
    assert indicator.pending_label.isVisible() and indicator.pending_label.text() == "2 changes to send"
    assert indicator.conflicts_button.isVisible() and indicator.conflicts_button.text() == "1 conflict"
    with qtbot.waitSignal(indicator.conflicts_clicked, timeout=1000):
        indicator.conflicts_button.click()


def test_the_last_sync_is_local_time_today_and_a_date_before() -> None:
    # 12:00 UTC is noon-ish local time everywhere but near the date line; compare with the local day itself.
    synced = datetime(2026, 11, 20, 12, 0)
    status = SyncStatus("postgresql+psycopg://u@h/x", synced, 0, 0)
    local = last_sync_text(status, today=date(2000, 1, 1))
    assert local.startswith("Last sync ") and "/2026 " in local
    from app.ui.formatting import utc_to_local

    today = utc_to_local(synced).date()
    assert last_sync_text(status, today=today) == f"Last sync {utc_to_local(synced):%H:%M}"
    assert last_sync_text(SyncStatus("", None, 0, 0)) == NEVER_SYNCED
