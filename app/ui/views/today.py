"""Today: the AE's workload at a glance — KPI cards that open the matching list, and three charts of holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.domain.deadlines import DECISION_BUSINESS_DAYS, DEEMED_EXCLUSION_DAYS
from app.domain.today import NO_CONTACT_DAYS, RESPONSE_WINDOW_DAYS, TodaySummary
from app.services.today import today_summary
from app.ui.changes import CONTACTS
from app.ui.formatting import fmt_date, plural
from app.ui.views.base import MessageBar, Screen, ScreenContext, handle_task_error
from app.ui.widgets.charts import DashboardChart
from app.ui.widgets.kpi_card import FlowLayout, KpiCard


@dataclass(frozen=True)
class CardSpec:
    """A KPI card: its caption, the list it opens (screen key and filter), and how to read its figures."""

    name: str
    caption: str
    screen_key: str
    filter: dict[str, Any]
    value: Callable[[TodaySummary], int]
    detail: Callable[[TodaySummary], str] = lambda _summary: ""


def _overdue_responses(summary: TodaySummary) -> str:
    return plural(summary.responses_overdue, "overdue response") if summary.responses_overdue else ""


CARDS: tuple[CardSpec, ...] = (
    CardSpec("open-holds", "Open holds", "holds", {}, lambda s: s.open_holds),
    CardSpec(
        "past-decision",
        f"Holds past {DECISION_BUSINESS_DAYS} business days",
        "holds",
        {"min_age_business_days": DECISION_BUSINESS_DAYS},
        lambda s: s.holds_past_decision,
    ),
    CardSpec(
        "past-exclusion",
        f"Holds past {DEEMED_EXCLUSION_DAYS} days",
        "holds",
        {"min_age_days": DEEMED_EXCLUSION_DAYS},
        lambda s: s.holds_past_exclusion,
    ),
    CardSpec(
        "responses-due",
        f"CF-28/CF-29 responses due in {RESPONSE_WINDOW_DAYS} days",
        "compliance",
        {"bucket": "responses_due", "within_days": RESPONSE_WINDOW_DAYS},
        lambda s: s.responses_due_soon,
        _overdue_responses,
    ),
    CardSpec(
        "overdue-follow-ups",
        "Overdue follow-ups",
        "followups",
        {"bucket": "overdue"},
        lambda s: s.overdue_follow_ups,
    ),
    CardSpec(
        "no-contact",
        f"Accounts without contact in {NO_CONTACT_DAYS} days",
        "portfolio",
        {"no_contact_days": NO_CONTACT_DAYS},
        lambda s: s.accounts_without_contact,
    ),
)


class TodayView(Screen):
    key = "today"
    title = "Today"

    open_list = Signal(str, dict)  # (screen key, filter): the list behind a card, for the main window to show

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._generation = 0  # results of a reload overtaken by a newer one are dropped
        self.summary_data: TodaySummary | None = None
        self.message_bar = MessageBar(self)
        self.heading = QLabel("Loading…", self)
        self.heading.setObjectName("today-heading")
        heading_font = QFont(self.heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.3)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.cards: dict[str, KpiCard] = {}
        self.age_chart = DashboardChart("Open holds by age (business days)", self)
        self.port_chart = DashboardChart("Open holds by port (top 10)", self)
        self.weekly_chart = DashboardChart("Holds placed and released per week (last 12 weeks)", self)
        self._layout()
        context.changes.changed.connect(self._on_data_changed)

    def _layout(self) -> None:
        content = QWidget(self)
        card_row = QWidget(content)
        flow = FlowLayout(card_row)
        previous: QWidget | None = None
        for spec in CARDS:
            card = KpiCard(spec.caption, card_row)
            card.setObjectName(f"kpi-{spec.name}")
            card.activated.connect(lambda spec=spec: self.open_list.emit(spec.screen_key, dict(spec.filter)))
            flow.add_widget(card)
            self.cards[spec.name] = card
            previous = self._chain_tab(previous, card)
        charts = QGridLayout()
        charts.setSpacing(10)
        charts.addWidget(self.age_chart, 0, 0)
        charts.addWidget(self.port_chart, 0, 1)
        charts.addWidget(self.weekly_chart, 1, 0, 1, 2)
        charts.setColumnStretch(0, 2)
        charts.setColumnStretch(1, 3)
        for chart in (self.age_chart, self.port_chart, self.weekly_chart):
            previous = self._chain_tab(previous, chart)
        inner = QVBoxLayout(content)
        inner.setContentsMargins(12, 8, 12, 12)
        inner.setSpacing(12)
        inner.addWidget(self.heading)
        inner.addWidget(card_row)
        inner.addLayout(charts, 1)
        # On a short window the charts keep a readable height and the page scrolls instead.
        scroll = QScrollArea(self)
        scroll.setObjectName("today-scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message_bar)
        layout.addWidget(scroll, 1)

    @staticmethod
    def _chain_tab(previous: QWidget | None, widget: QWidget) -> QWidget:
        if previous is not None:
            QWidget.setTabOrder(previous, widget)
        return widget

    # --- loading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        workspace = self.context.workspace
        self.context.runner.run(
            lambda _progress, _cancel: today_summary(workspace),
            name="load today",
            owner=self,
            on_result=lambda summary: self._on_loaded(generation, summary),
            on_error=lambda exc: self._on_failed(generation, exc),
        )

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        """Every card but none of the contacts: holds, compliance deadlines, notes, follow-ups, accounts."""
        if self.summary_data is None or not kinds - {CONTACTS}:
            return  # never loaded: the first show loads it anyway
        self.reload_now_or_when_shown()

    def _on_loaded(self, generation: int, summary: TodaySummary) -> None:
        if generation != self._generation:
            return
        self.message_bar.clear_error()
        self.show_summary(summary)
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.heading.setText("")
        handle_task_error(exc, self.message_bar)
        self.load_failed.emit(exc)

    def show_summary(self, summary: TodaySummary) -> None:
        self.summary_data = summary
        self.heading.setText(f"Today, {_long_date(summary.today)}")
        self.heading.setToolTip(fmt_date(summary.today))
        for spec in CARDS:
            self.cards[spec.name].set_value(spec.value(summary), spec.detail(summary))
        self.age_chart.set_bars(
            [bucket.label for bucket in summary.age_buckets],
            [("Open holds", [bucket.count for bucket in summary.age_buckets])],
        )
        # Busiest port at the top: horizontal bar charts draw the first category at the bottom.
        ports = list(reversed(summary.holds_by_port))
        self.port_chart.set_bars(
            [port.label for port in ports], [("Open holds", [port.count for port in ports])], horizontal=True
        )
        labels = [f"{week.week_start.month}/{week.week_start.day}" for week in summary.weekly]
        if labels:
            # The last week is the current one, still under way: say so, or its low counts read as a drop.
            labels[-1] = f"{labels[-1]} (so far)"
        self.weekly_chart.set_lines(
            labels,
            [
                ("Placed", [week.placed for week in summary.weekly]),
                ("Released", [week.released for week in summary.weekly]),
            ],
        )

    def summary(self) -> str:
        data = self.summary_data
        if data is None:
            return ""
        return (
            f"{plural(data.open_holds, 'open hold')}, {data.holds_past_decision:,} past "
            f"{DECISION_BUSINESS_DAYS} business days, {plural(data.overdue_follow_ups, 'overdue follow-up')}"
        )


def _long_date(day: date) -> str:
    # strftime's %-d (no leading zero) is not portable to Windows.
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"
