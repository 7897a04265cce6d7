"""Small dashboard charts (QtCharts) that follow the application palette and never animate.

QtCharts draws with its own theme colours (dark text on white) whatever the palette: every text, grid and
background brush is set from the palette here, and again when the palette changes, so charts stay legible
in a dark theme. Series colours are the Okabe-Ito blue and orange, distinguishable with colour-blindness and
on light and dark backgrounds alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

SERIES_COLOURS = (QColor("#0072B2"), QColor("#E69F00"))
HEADROOM = 1.15  # room above the tallest bar for its value label
SMALL_PEAK = 5  # up to this count, one tick per whole number
MIN_HEIGHT = 260


class DashboardChart(QChartView):
    """A titled chart of one or two data series over categories; `set_bars`/`set_lines` replace the data."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        self._chart = QChart()
        super().__init__(self._chart, parent)
        self._chart.setTitle(title)
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(MIN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Reachable with Tab so that a screen reader reads the figures out (see `_describe`).
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName(title)
        self._apply_palette()

    @property
    def chart_title(self) -> str:
        return self._chart.title()

    def series_list(self) -> list[object]:
        return list(self._chart.series())

    def set_bars(
        self,
        categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[int]]],
        *,
        horizontal: bool = False,
    ) -> None:
        """One bar set per (name, values); horizontal bars suit long category labels (ports)."""
        bars: QAbstractBarSeries = QHorizontalBarSeries() if horizontal else QBarSeries()
        for index, (name, values) in enumerate(series):
            bar_set = QBarSet(name)
            bar_set.append([float(value) for value in values])
            bar_set.setColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])
            bar_set.setBorderColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])
            bars.append(bar_set)
        bars.setLabelsVisible(True)
        bars.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        bars.setLabelsFormat("@value")
        self._replace([bars], categories, _peak(series), category_axis_vertical=horizontal)
        self._chart.legend().setVisible(len(series) > 1)
        self._describe(categories, series)

    def set_lines(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> None:
        """One line per (name, values), a point per category (x = the category's position)."""
        lines = []
        for index, (name, values) in enumerate(series):
            line = QLineSeries()
            line.setName(name)
            line.setPointsVisible(True)
            line.setPen(QPen(SERIES_COLOURS[index % len(SERIES_COLOURS)], 2.5))
            for position, value in enumerate(values):
                line.append(float(position), float(value))
            lines.append(line)
        self._replace(lines, categories, _peak(series), category_axis_vertical=False)
        self._chart.legend().setVisible(True)
        self._describe(categories, series)

    def _replace(
        self, series: Sequence[object], categories: Sequence[str], peak: int, *, category_axis_vertical: bool
    ) -> None:
        chart = self._chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        category_axis = QBarCategoryAxis()
        category_axis.append(list(categories))
        # QtCharts elides category labels ("…") even when it has reserved the room for them in full.
        category_axis.setTruncateLabels(False)
        value_axis = QValueAxis()
        value_axis.setLabelFormat("%d")
        if peak <= SMALL_PEAK:
            # Nice numbers would tick a peak of 1 at 0, 0.2, 0.4… and "%d" would label them "0, 0, 0, 1…".
            top = peak + 1  # one step of headroom for the bar's value label
            value_axis.setRange(0, top)
            value_axis.setTickCount(top + 1)
        else:
            value_axis.setRange(0, peak * HEADROOM)
            value_axis.applyNiceNumbers()
        x_axis, y_axis = (
            (value_axis, category_axis) if category_axis_vertical else (category_axis, value_axis)
        )
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for item in series:
            chart.addSeries(item)  # type: ignore[arg-type]
            item.attachAxis(x_axis)  # type: ignore[attr-defined]
            item.attachAxis(y_axis)  # type: ignore[attr-defined]
        self._apply_palette()

    def _describe(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> None:
        """The figures as text, for the tooltip and screen readers (a chart is only pixels to them)."""
        parts = []
        for name, values in series:
            points = "; ".join(
                f"{category}: {value:,}" for category, value in zip(categories, values, strict=True)
            )
            parts.append(f"{name} — {points}" if len(series) > 1 else points)
        text = "\n".join(parts)
        self.setAccessibleDescription(text)
        self.setToolTip(text)

    # --- palette --------------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    def _apply_palette(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        grid = palette.color(QPalette.ColorRole.Mid)
        chart = self._chart
        chart.setBackgroundBrush(palette.brush(QPalette.ColorRole.Base))
        chart.setBackgroundPen(QPen(grid))
        chart.setTitleBrush(text)
        chart.legend().setLabelColor(text)
        for axis in chart.axes():
            _theme_axis(axis, text, grid)
        for series in chart.series():
            if isinstance(series, QAbstractBarSeries):
                for bar_set in series.barSets():
                    bar_set.setLabelColor(text)
        self.setBackgroundBrush(palette.brush(QPalette.ColorRole.Window))


def _theme_axis(axis: QAbstractAxis, text: QColor, grid: QColor) -> None:
    axis.setLabelsColor(text)
    axis.setTitleBrush(text)
    axis.setLinePenColor(grid)
    axis.setGridLineColor(grid)


def _peak(series: Sequence[tuple[str, Sequence[int]]]) -> int:
    return max((max(values, default=0) for _name, values in series), default=0)
