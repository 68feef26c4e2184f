"""A report's charts drawn with reportlab's own graphics (no other plotting stack)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from packdesk.domain.analytics.report import Chart

SERIES_COLOURS = [
    colors.HexColor("#2E6B4F"),
    colors.HexColor("#C7792B"),
    colors.HexColor("#3B5B92"),
]
MAX_LABELS = 16
"""Category labels shown under a chart; with more bars, every n-th is shown."""


def draw_chart(chart: Chart, width: float, height: float = 170.0) -> Drawing:
    """The chart as a drawing `width` points wide: bars or a line, axis from zero."""
    drawing = Drawing(width, height)
    plot = VerticalBarChart() if chart.kind == "bar" else HorizontalLineChart()
    plot.x, plot.y = 48, 34
    plot.width, plot.height = width - 64, height - 62
    data = [list(values) or [0.0] for values in chart.series.values()] or [[0.0]]
    plot.data = data
    top = max((v for series in data for v in series), default=0.0)
    plot.valueAxis.valueMin = 0
    plot.valueAxis.valueMax = top * 1.1 if top > 0 else 1
    plot.valueAxis.labels.fontSize = 7
    plot.categoryAxis.categoryNames = _thinned(chart.labels or [""])
    plot.categoryAxis.labels.fontSize = 6
    plot.categoryAxis.labels.angle = 30 if len(chart.labels) > 8 else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if len(chart.labels) > 8 else "n"
    for n in range(len(data)):
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        if isinstance(plot, VerticalBarChart):
            plot.bars[n].fillColor = colour
            plot.bars[n].strokeColor = None
        else:
            plot.lines[n].strokeColor = colour
            plot.lines[n].strokeWidth = 1.6
    drawing.add(plot)
    drawing.add(String(4, height - 14, chart.title, fontName="Helvetica-Bold", fontSize=9))
    return drawing


def _thinned(labels: list[str]) -> list[str]:
    if len(labels) <= MAX_LABELS:
        return labels
    step = -(-len(labels) // MAX_LABELS)
    return [label if n % step == 0 else "" for n, label in enumerate(labels)]
