"""The Overview tab: the account's 12-month KPIs (DOMAIN.md §2.6) as cards, and two small monthly charts.

Also home of `ReadTab`, the background-load plumbing the read-only tabs (overview, holds, compliance) share.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.domain.views import AccountKpis, AccountOverview
from app.services.account360 import account_overview
from app.ui import formatting as fmt
from app.ui.account.base import AccountTab
from app.ui.changes import COMPLIANCE, TRADE
from app.ui.views.base import MessageBar, ScreenContext, handle_task_error
from app.ui.widgets.charts import DashboardChart
from app.ui.widgets.kpi_card import FlowLayout, KpiCard

NOT_IN_DATA = "—"


class ReadTab(AccountTab):
    """A tab that loads one service result in the background and shows it; `today` is fixed by tests."""

    def __init__(
        self,
        context: ScreenContext,
        account_id: uuid.UUID,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, undo_stack, parent)
        self.today: date | None = None  # None: the local date at each load
        self.message_bar = MessageBar(self)
        self._generation = 0  # results of a reload overtaken by a newer one are dropped

    def fetch(self) -> Callable[[], Any]:
        """The service call to run in the background (built on the GUI thread)."""
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        work = self.fetch()
        self.context.runner.run(
            lambda _progress, _cancel: work(),
            name=f"load account {self.key}",
            owner=self,
            on_result=lambda data: self._on_loaded(generation, data),
            on_error=lambda exc: self._on_failed(generation, exc),
        )

    def _on_loaded(self, generation: int, data: Any) -> None:
        if generation != self._generation:
            return
        self.message_bar.clear_error()
        self.show_data(data)
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        handle_task_error(exc, self.message_bar)
        self.load_failed.emit(exc)


def dollars(cents: int) -> str:
    """Whole dollars for a KPI card: "$1,234,567" (cents would only add noise at that size)."""
    return f"${round(cents / 100):,}"


def _days(value: float | None) -> str:
    return NOT_IN_DATA if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return fmt.fmt_percent(value) or NOT_IN_DATA


def _penalty_amounts(kpis: AccountKpis) -> str:
    amounts = (
        ("proposed", kpis.penalty_proposed_cents),
        ("assessed", kpis.penalty_assessed_cents),
        ("mitigated", kpis.penalty_mitigated_cents),
    )
    text = ", ".join(f"{name} {dollars(cents)}" for name, cents in amounts if cents)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Figure:
    name: str
    caption: str
    value: Callable[[AccountKpis], str]
    detail: Callable[[AccountKpis], str] = lambda _kpis: ""


FIGURES: tuple[Figure, ...] = (
    Figure("entries", "Entries", lambda k: f"{k.entries:,}"),
    Figure("lines", "Entry lines", lambda k: f"{k.lines:,}"),
    Figure("value", "Entered value", lambda k: dollars(k.entered_value_cents)),
    Figure(
        "duty",
        "Duty and fees",
        lambda k: dollars(k.duty_fees_cents),
        lambda _k: "AD/CVD and taxes not included",
    ),
    Figure("exam-rate", "Exam rate", lambda k: _percent(k.exam_rate)),
    Figure("hold-rate", "Hold rate", lambda k: _percent(k.hold_rate)),
    Figure("first-release", "First-time release", lambda k: _percent(k.first_time_release)),
    Figure(
        "hold-days",
        "Hold days, median / P90 (business days)",
        lambda k: f"{_days(k.hold_days_median)} / {_days(k.hold_days_p90)}",
    ),
    Figure(
        "cf28",
        "CF-28s",
        lambda k: f"{k.cf28_count:,}",
        lambda k: f"{_percent(k.cf28_answered_in_30_days)} answered within 30 days",
    ),
    Figure(
        "cf29",
        "CF-29s",
        lambda k: f"{k.cf29_proposed + k.cf29_taken:,}",
        lambda k: f"{k.cf29_proposed:,} proposed, {k.cf29_taken:,} taken",
    ),
    Figure(
        "psc",
        "Post-summary corrections",
        lambda k: f"{k.psc_count:,}",
        lambda _k: f"Net duty change: {NOT_IN_DATA}",
    ),
    Figure("protests", "Protests", lambda k: f"{k.protests:,}", lambda k: f"{k.protests_open:,} pending"),
    Figure(
        "penalties", "Penalties and LD claims", lambda k: f"{k.penalties:,}", lambda k: _penalty_amounts(k)
    ),
    Figure("compliance", "Compliance rate", lambda k: _percent(k.compliance_rate)),
)


class FigureCard(KpiCard):
    """A KPI card showing text (a rate, an amount) rather than a count, and opening nothing."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(caption, parent)
        self.setCursor(Qt.CursorShape.ArrowCursor)

    def set_text(self, value: str, detail: str = "") -> None:
        self.value_label.setText(value)
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))
        self._update_accessible()

    def _update_accessible(self) -> None:
        name = f"{self.caption}: {self.value_label.text()}"
        self.setAccessibleName(name)
        self.setAccessibleDescription(self.detail_label.text())
        self.setToolTip("\n".join(part for part in (name, self.detail_label.text()) if part))


class OverviewTab(ReadTab):
    key = "overview"
    title = "&Overview"

    def __init__(
        self,
        context: ScreenContext,
        account_id: uuid.UUID,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, undo_stack, parent)
        self.data: AccountOverview | None = None
        self.period_label = QLabel("Loading…", self)
        self.period_label.setObjectName("overview-period")
        self.cards: dict[str, FigureCard] = {}
        self.entries_chart = DashboardChart("Entries per month", self)
        self.holds_chart = DashboardChart("Holds placed per month", self)
        self._layout()

    def _layout(self) -> None:
        content = QWidget(self)
        card_row = QWidget(content)
        flow = FlowLayout(card_row)
        previous: QWidget | None = None
        for figure in FIGURES:
            card = FigureCard(figure.caption, card_row)
            card.setObjectName(f"kpi-{figure.name}")
            flow.add_widget(card)
            self.cards[figure.name] = card
            if previous is not None:
                QWidget.setTabOrder(previous, card)
            previous = card
        charts = QGridLayout()
        charts.setSpacing(10)
        charts.addWidget(self.entries_chart, 0, 0)
        charts.addWidget(self.holds_chart, 0, 1)
        for chart in (self.entries_chart, self.holds_chart):
            if previous is not None:
                QWidget.setTabOrder(previous, chart)
            previous = chart
        inner = QVBoxLayout(content)
        inner.setContentsMargins(12, 8, 12, 12)
        inner.setSpacing(12)
        inner.addWidget(self.period_label)
        inner.addWidget(card_row)
        inner.addLayout(charts, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message_bar)
        layout.addWidget(scroll, 1)

    def reacts_to(self) -> frozenset[str]:
        return frozenset({TRADE, COMPLIANCE})

    def fetch(self) -> Callable[[], AccountOverview]:
        workspace, account_id, today = self.context.workspace, self.account_id, self.today
        return lambda: account_overview(workspace, account_id, today)

    def show_data(self, data: AccountOverview) -> None:
        self.data = data
        kpis = data.kpis
        self.period_label.setText(
            f"12 months {fmt.fmt_date(kpis.period_start)} – {fmt.fmt_date(kpis.period_end)} (by entry date)"
        )
        for figure in FIGURES:
            self.cards[figure.name].set_text(figure.value(kpis), figure.detail(kpis))
        months = [f"{month.month.month}/{month.month.year % 100:02d}" for month in data.months]
        self.entries_chart.set_bars(months, [("Entries", [month.entries for month in data.months])])
        self.holds_chart.set_bars(months, [("Holds placed", [month.holds_placed for month in data.months])])

    def summary(self) -> str:
        if self.data is None:
            return ""
        kpis = self.data.kpis
        return (
            f"{fmt.plural(kpis.entries, 'entry', 'entries')}, {fmt.plural(kpis.lines, 'line')} in 12 months"
        )
