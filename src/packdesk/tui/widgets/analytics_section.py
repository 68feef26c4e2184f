"""One section of the numbers on screen: its figures with the change from the period before,
the notes a reader must see, its charts in the terminal (textual-plotext) and its tables."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from packdesk.domain.analytics.report import Chart, Section, Table, show, show_change

CHART_LABELS = 14
"""Bar labels shown under a chart; with more bars, every n-th is labelled."""
SHOWN_ROWS = 50
"""Rows of a table shown on screen; the report's CSV and PDF have them all."""


class ChartView(PlotextPlot):
    """A report chart drawn with plotext: bars or a line over its labels."""

    DEFAULT_CSS = """
    ChartView {
        height: 14;
        margin: 0 0 1 0;
    }
    """

    def __init__(self, chart: Chart, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.chart = chart

    def on_mount(self) -> None:
        plt = self.plt
        chart = self.chart
        plt.title(chart.title)
        positions = list(range(1, len(chart.labels) + 1))
        for name, values in chart.series.items():
            if chart.kind == "bar":
                plt.bar(positions, values, label=name if len(chart.series) > 1 else None)
            else:
                plt.plot(positions, values, label=name if len(chart.series) > 1 else None)
        step = max(1, -(-len(chart.labels) // CHART_LABELS))
        shown = [(p, label) for p, label in zip(positions, chart.labels, strict=True)][::step]
        if shown:
            plt.xticks([p for p, _ in shown], [label for _, label in shown])
        plt.ylim(lower=0)


class SectionView(Vertical):
    """The widgets of one `Section`, replaced whole when a new one is shown."""

    DEFAULT_CSS = """
    SectionView {
        height: auto;
    }
    SectionView .analytics-figures, SectionView .analytics-table {
        height: auto;
        max-height: 24;
        margin: 0 0 1 0;
    }
    SectionView .analytics-notes {
        color: $warning;
        margin: 0 0 1 0;
    }
    SectionView .analytics-table-title {
        text-style: bold;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("Loading…", classes="analytics-loading")

    async def show(self, section: Section, currency: str) -> None:
        """Replace what is shown by `section`."""
        await self.remove_children()
        figures: DataTable[str] = DataTable(
            classes="analytics-figures", cursor_type="none", zebra_stripes=True
        )
        figures.add_columns("", "this period", "period before", "change")
        for f in section.figures:
            figures.add_row(
                f.label,
                show(f.value, f.unit, currency),
                show(f.previous, f.unit, currency),
                show_change(f.change, f.unit),
                key=f.key,
            )
        widgets: list[Static | DataTable[str] | ChartView] = [figures]
        if section.notes:
            text = "\n".join(f"• {escape(n)}" for n in section.notes)
            widgets.append(Static(text, classes="analytics-notes"))
        widgets += [ChartView(chart, classes="analytics-chart") for chart in section.charts]
        for table in section.tables:
            more = len(table.rows) - SHOWN_ROWS
            title = table.title + (
                f" (the first {SHOWN_ROWS} of {len(table.rows)}: `packdesk report` has them all)"
                if more > 0
                else ""
            )
            widgets.append(Static(escape(title), classes="analytics-table-title"))
            widgets.append(_table(table, currency))
        for widget in widgets:  # one at a time: keys pressed meanwhile are handled between
            await self.mount(widget)


def _table(table: Table, currency: str) -> DataTable[str]:
    view: DataTable[str] = DataTable(
        classes="analytics-table", cursor_type="row", zebra_stripes=True
    )
    view.add_columns(*(c.replace("_", " ") for c in table.columns))
    view.add_rows(
        [show(v, u, currency) for v, u in zip(row, table.units, strict=False)]
        for row in table.rows[:SHOWN_ROWS]
    )
    if not table.rows:
        view.add_row("nothing in this period", *([""] * (len(table.columns) - 1)))
    return view
