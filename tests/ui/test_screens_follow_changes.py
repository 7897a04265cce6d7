"""Today, Portfolio and Held shipments keep up with changes made elsewhere (a sync, an import, a note): each
reloads at once when it is in front, when next shown when it is hidden, and not at all for a change it does
not show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from app.domain.enums import NoteKind
from app.services.workspace import Workspace
from app.ui import changes
from app.ui.dialogs.log_contact import ContactInput
from app.ui.views.base import Screen
from app.ui.views.holds import HoldsView
from app.ui.views.portfolio import PortfolioView
from app.ui.views.today import TodayView
from tests.store import factories as f


def add_held_account(workspace: Workspace, name: str, serial: int) -> None:
    """An account with one entry held for three days."""
    with workspace.database.session() as session:
        account = f.add_account(session, name)
        entry = f.add_entry(session, account, serial, date.today())
        placed = datetime.combine(date.today() - timedelta(days=3), datetime.min.time())
        f.add_hold(session, entry, account, placed)


def open_holds(screen: Screen) -> int:
    """What each screen shows of the held accounts: rows, or the Today card's figure."""
    if isinstance(screen, TodayView):
        assert screen.summary_data is not None
        return screen.summary_data.open_holds
    return screen.model.rowCount()  # type: ignore[attr-defined]  # Portfolio and Holds both have one


SCREENS: dict[str, tuple[Callable[..., Screen], str]] = {
    "today": (TodayView, changes.TRADE),
    "portfolio": (PortfolioView, changes.TRADE),
    "holds": (HoldsView, changes.TRADE),
}


@pytest.fixture(params=sorted(SCREENS))
def loaded(request, qtbot, empty_workspace: Workspace, make_context) -> tuple[Screen, str]:
    make, kind = SCREENS[request.param]
    add_held_account(empty_workspace, "Harbor Goods", 1)
    screen = make(make_context(empty_workspace))
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded):
        screen.reload()
    assert open_holds(screen) == 1
    return screen, kind


def test_a_hidden_screen_reloads_when_next_shown(loaded: tuple[Screen, str]) -> None:
    screen, kind = loaded
    add_held_account(screen.context.workspace, "Lakeside Optics", 2)
    screen.context.changes.announce({changes.CONTACTS})  # not shown on any of them
    screen.context.changes.announce({kind})  # hidden: nothing read yet
    assert open_holds(screen) == 1
    screen.show()
    assert open_holds(screen) == 2


def test_a_screen_in_front_reloads_at_once(loaded: tuple[Screen, str]) -> None:
    screen = loaded[0]
    screen.show()
    add_held_account(screen.context.workspace, "Lakeside Optics", 2)
    screen.context.changes.announce({changes.CONTACTS})
    assert open_holds(screen) == 1
    screen.context.changes.announce(changes.KINDS)  # what a sync announces
    assert open_holds(screen) == 2


def test_a_screen_never_loaded_waits_for_its_first_show(
    qtbot, empty_workspace: Workspace, make_context
) -> None:
    screen = PortfolioView(make_context(empty_workspace))
    qtbot.addWidget(screen)
    screen.context.changes.announce(changes.KINDS)
    assert not screen._stale  # the window's first show loads it: no second load on top


def test_a_contact_logged_on_the_board_is_announced(qtbot, empty_workspace: Workspace, make_context) -> None:
    add_held_account(empty_workspace, "Harbor Goods", 1)
    screen = HoldsView(make_context(empty_workspace))
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded):
        screen.reload()
    screen.table.selectRow(0)
    row = screen.current_hold()
    assert row is not None
    announced: list[frozenset[str]] = []
    screen.context.changes.changed.connect(announced.append)
    with qtbot.waitSignal(screen.loaded):
        screen.save_note(row, ContactInput(NoteKind.CALL, "Port says exam Thursday", None))
    assert announced == [frozenset({changes.NOTES})]  # Follow-ups and the account's notes tab reload
