"""Charts for the PDF: bars or lines with a legend, axis values, and data labels.

Reports are often printed in black and white, so series differ by grey level and (lines) by dash and marker
shape as well as by hue, and bars carry their values.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.validators import Auto

from app.reports import pdf_fonts
from app.reports.dataset import Chart, ChartKind

HEIGHT = 190.0
# Dark to light: distinct in greyscale print, and tinted so they read as different on screen too.
FILLS = [colors.HexColor(code) for code in ("#1F3A5F", "#8FA9C7", "#4D4D4D", "#C9C9C9", "#6B8E23")]
DASHES = [None, (4, 2), (1, 2), (6, 2, 1, 2), (2, 2)]
MARKERS = ["FilledCircle", "FilledSquare", "FilledTriangle", "FilledDiamond", "Cross"]


def chart_drawing(chart: Chart, width: float) -> Drawing | None:
    """A drawing `width` wide, or None when the chart has nothing to show."""
    if not chart.categories or not chart.series:
        return None
    pdf_fonts.register_fonts()
    data = [[_finite(value) for value in series.values][: len(chart.categories)] for series in chart.series]
    data = [values + [0.0] * (len(chart.categories) - len(values)) for values in data]
    drawing = Drawing(width, HEIGHT, initialFontName=pdf_fonts.REGULAR)  # not the unembedded Helvetica
    plot = _bars(chart, data) if chart.kind is ChartKind.BAR else _lines(chart, data)
    plot.x, plot.y = 45, 45
    plot.width, plot.height = width - 60, HEIGHT - 75
    plot.data = data
    plot.categoryAxis.categoryNames = [pdf_fonts.clean(name) for name in chart.categories]
    for axis in (plot.categoryAxis, plot.valueAxis):
        axis.labels.fontName = pdf_fonts.REGULAR
        axis.labels.fontSize = 7
    plot.categoryAxis.labels.angle = 30 if len(chart.categories) > 8 else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if len(chart.categories) > 8 else "n"
    plot.valueAxis.valueMin = min(0.0, *(min(values) for values in data))
    plot.valueAxis.labelTextFormat = _number_format(data)
    plot.valueAxis.visibleGrid = True
    plot.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    drawing.add(plot)
    drawing.add(_legend(chart, plot))
    return drawing


def _finite(value: float | None) -> float:
    """A plottable number: a missing or infinite value plots as 0 rather than breaking the axis."""
    number = float(value) if value is not None else 0.0
    return number if math.isfinite(number) else 0.0


def _bars(chart: Chart, data: list[list[float]]) -> VerticalBarChart:
    bars = VerticalBarChart()
    bars.barSpacing = 1
    bars.groupSpacing = 6
    for index in range(len(chart.series)):
        bars.bars[index].fillColor = FILLS[index % len(FILLS)]
        bars.bars[index].strokeColor = colors.black
        bars.bars[index].strokeWidth = 0.3
    if len(chart.categories) * len(chart.series) <= 24:  # room for a label on every bar
        bars.barLabelFormat = _number_format(data)
        bars.barLabels.fontName = pdf_fonts.REGULAR
        bars.barLabels.fontSize = 6
        bars.barLabels.nudge = 6
    return bars


def _lines(chart: Chart, data: list[list[float]]) -> HorizontalLineChart:
    lines = HorizontalLineChart()
    lines.joinedLines = 1
    for index in range(len(chart.series)):
        line = lines.lines[index]
        line.strokeColor = FILLS[index % len(FILLS)]
        line.strokeWidth = 1.5
        line.strokeDashArray = DASHES[index % len(DASHES)]
        line.symbol = makeMarker(MARKERS[index % len(MARKERS)], size=4)
    return lines


def _legend(chart: Chart, plot: VerticalBarChart | HorizontalLineChart) -> Legend:
    legend = Legend()
    legend.fontName = pdf_fonts.REGULAR
    legend.fontSize = 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 10
    legend.dx = legend.dy = 8
    legend.x, legend.y = 45, HEIGHT - 8
    legend.boxAnchor = "nw"
    if chart.kind is ChartKind.LINE:  # sample each line as drawn: its dash and marker, not just its colour
        legend.swatchMarker = Auto(obj=plot)
        legend.dx = 20
    legend.colorNamePairs = [
        (FILLS[index % len(FILLS)], pdf_fonts.clean(series.name)) for index, series in enumerate(chart.series)
    ]
    return legend


def _number_format(data: list[list[float]]) -> Callable[[float], str]:
    """Thousands separators; one decimal only when some value has a fraction."""
    pattern = "{:,.0f}" if all(value.is_integer() for values in data for value in values) else "{:,.1f}"
    return pattern.format
