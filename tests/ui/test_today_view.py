"""The Today screen: cards show the service's figures and open their lists; charts carry the series."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QLineSeries
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.today import AgeBucketCount, PortCount, TodaySummary, WeekCount, week_starts
from app.services.today import today_summary
from app.ui.views.today import CARDS, TodayView


@pytest.fixture
def view(qtbot, demo_workspace, make_context) -> TodayView:
    screen = TodayView(make_context(demo_workspace))
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        screen.reload()
    return screen


def made_up_summary() -> TodaySummary:
    today = date(2026, 11, 23)
    return TodaySummary(
        today=today,
        open_holds=4000,
        holds_past_decision=2829,
        holds_past_exclusion=1415,
        responses_due_soon=109,
        responses_overdue=2,
        overdue_follow_ups=7584,
        accounts_without_contact=12,
        age_buckets=(
            AgeBucketCount("0–4", 0, 1171),
            AgeBucketCount("5–9", 5, 612),
            AgeBucketCount("10–29", 10, 1400),
            AgeBucketCount("30+", 30, 817),
        ),
        holds_by_port=(PortCount("4601", "Newark/New York area, NJ", 496), PortCount("9999", "", 3)),
        weekly=tuple(WeekCount(week, 10 + index, index) for index, week in enumerate(week_starts(today))),
    )


def test_cards_show_the_service_figures(view: TodayView, demo_workspace) -> None:
    expected = today_summary(demo_workspace)
    assert view.summary_data == expected
    for spec in CARDS:
        card = view.cards[spec.name]
        assert card.value_text == f"{spec.value(expected):,}"
        assert card.accessibleName() == f"{spec.caption}: {spec.value(expected):,}"
    assert "open hold" in view.summary()


def test_accessible_names_and_overdue_detail(qtbot, demo_workspace, make_context) -> None:
    screen = TodayView(make_context(demo_workspace))
    qtbot.addWidget(screen)
    screen.show_summary(made_up_summary())
    assert screen.cards["open-holds"].accessibleName() == "Open holds: 4,000"
    responses = screen.cards["responses-due"]
    assert responses.value_text == "109"
    assert responses.detail_label.text() == "2 overdue responses"
    assert responses.accessibleDescription() == "2 overdue responses"
    assert screen.heading.text() == "Today, Monday, November 23, 2026"


@pytest.mark.parametrize("spec", CARDS, ids=[spec.name for spec in CARDS])
def test_click_opens_the_matching_list(qtbot, view: TodayView, spec) -> None:
    card = view.cards[spec.name]
    with qtbot.waitSignal(view.open_list, timeout=1000) as blocker:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert blocker.args == [spec.screen_key, spec.filter]


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_keyboard_opens_the_list(qtbot, view: TodayView, key: Qt.Key) -> None:
    card = view.cards["overdue-follow-ups"]
    with qtbot.waitSignal(view.open_list, timeout=1000) as blocker:
        qtbot.keyClick(card, key)
    assert blocker.args == ["followups", {"bucket": "overdue"}]


def test_filters_match_the_issue(view: TodayView) -> None:
    filters = {spec.name: (spec.screen_key, spec.filter) for spec in CARDS}
    assert filters["overdue-follow-ups"] == ("followups", {"bucket": "overdue"})
    assert filters["no-contact"] == ("portfolio", {"no_contact_days": 90})
    assert filters["past-decision"] == ("holds", {"min_age_business_days": 5})
    # The Compliance screen lists exactly the CF-28 / CF-29 events this card counts (and its overdue ones).
    assert filters["responses-due"] == ("compliance", {"bucket": "responses_due", "within_days": 7})


def test_other_keys_do_not_open_the_list(qtbot, view: TodayView) -> None:
    emitted: list[object] = []
    view.open_list.connect(lambda *args: emitted.append(args))
    qtbot.keyClick(view.cards["open-holds"], Qt.Key.Key_A)
    qtbot.mouseClick(view.cards["open-holds"], Qt.MouseButton.RightButton)
    assert emitted == []


def test_tab_walks_the_cards_then_the_charts(qtbot, view: TodayView) -> None:
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=2000)
    stops: list[QWidget] = [*view.cards.values(), view.age_chart, view.port_chart, view.weekly_chart]
    stops[0].setFocus(Qt.FocusReason.TabFocusReason)
    for first, second in pairwise(stops):
        assert QApplication.focusWidget() is first
        qtbot.keyClick(first, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is second, (first, second)


def test_charts_have_the_expected_series(qtbot, demo_workspace, make_context) -> None:
    screen = TodayView(make_context(demo_workspace))
    qtbot.addWidget(screen)
    screen.show_summary(made_up_summary())

    (ages,) = screen.age_chart.series_list()
    assert isinstance(ages, QAbstractBarSeries)
    (age_set,) = ages.barSets()
    assert [age_set.at(i) for i in range(age_set.count())] == [1171, 612, 1400, 817]

    (ports,) = screen.port_chart.series_list()
    assert isinstance(ports, QAbstractBarSeries)
    assert ports.barSets()[0].count() == 2
    # Busiest port drawn at the top, i.e. last in the category axis of a horizontal bar chart.
    assert "4601 Newark/New York area, NJ: 496" in screen.port_chart.accessibleDescription()

    weekly = screen.weekly_chart.series_list()
    assert [line.name() for line in weekly if isinstance(line, QLineSeries)] == ["Placed", "Released"]
    assert all(isinstance(line, QLineSeries) and line.count() == 12 for line in weekly)
    placed = weekly[0]
    assert isinstance(placed, QLineSeries)
    assert [placed.at(i).y() for i in range(12)] == [10.0 + i for i in range(12)]
    # The current week is still under way, and its label says so.
    assert "11/23 (so far): 11" in screen.weekly_chart.accessibleDescription()


def test_reloading_replaces_the_series(qtbot, view: TodayView) -> None:
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload()
    assert len(view.weekly_chart.series_list()) == 2
    assert len(view.age_chart.series_list()) == 1
