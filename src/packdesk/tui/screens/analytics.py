"""Analytics: the numbers of a period on four tabs (orders and revenue, shipping, inventory,
customers), each figure with its change from the period before, charts and tables.

Every section's queries run in a thread worker, so the screen stays responsive however long
the history (BENCHMARKS.md, "Analytics"); its result comes back as a message. A period
picked while sections load makes the late results stale: they carry the load's number and
are dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Select, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from packdesk.domain.analytics.periods import PRESETS, Period, PeriodError
from packdesk.domain.analytics.report import Section
from packdesk.services.analytics import SECTIONS, AnalyticsService
from packdesk.tui.keys import bindings
from packdesk.tui.widgets.analytics_section import SectionView
from packdesk.tui.widgets.key_footer import KeyFooter

log = logging.getLogger(__name__)

DEFAULT_PERIOD = "30d"


@dataclass
class SectionLoaded(Message):
    """A section of the numbers, computed in a worker for load number `load`."""

    key: str
    load: int
    section: Section
    currency: str


class AnalyticsScreen(Screen[None]):
    BINDINGS = bindings("back")
    DEFAULT_CSS = """
    AnalyticsScreen #analytics-period {
        height: auto;
        padding: 0 1;
    }
    AnalyticsScreen #analytics-period Select {
        width: 30;
    }
    AnalyticsScreen #analytics-period Input {
        width: 16;
    }
    AnalyticsScreen #analytics-shown {
        padding: 1 1 0 1;
        width: 1fr;
    }
    """

    def __init__(self, analytics: AnalyticsService) -> None:
        super().__init__()
        self.analytics = analytics
        self.period = analytics.preset(DEFAULT_PERIOD)
        self.load = 0
        self.loaded: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static("Analytics", classes="screen-title")
        with Horizontal(id="analytics-period"):
            yield Select(
                [(label.capitalize(), name) for name, label in PRESETS.items()],
                value=DEFAULT_PERIOD,
                allow_blank=False,
                id="analytics-preset",
            )
            yield Input(placeholder="from YYYY-MM-DD", id="analytics-from")
            yield Input(placeholder="to YYYY-MM-DD", id="analytics-to")
            yield Static(id="analytics-shown")
        with TabbedContent(id="analytics-tabs"):
            for key, title in SECTIONS.items():
                with TabPane(title, id=f"tab-{key}"), VerticalScroll():
                    yield SectionView(id=f"section-{key}")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()

    # --- the period ---------------------------------------------------------------------

    @on(Select.Changed, "#analytics-preset")
    def _preset_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in PRESETS:
            self.show_period(self.analytics.preset(event.value))

    @on(Input.Submitted)
    def _dates_given(self, event: Input.Submitted) -> None:
        first = self.query_one("#analytics-from", Input).value.strip()
        last = self.query_one("#analytics-to", Input).value.strip()
        if not first or not last:
            self.query_one("#analytics-to" if first else "#analytics-from", Input).focus()
            return
        try:
            period = self.analytics.between(first, last)
        except PeriodError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            self.app.bell()
            return
        self.show_period(period)

    def show_period(self, period: Period) -> None:
        if period != self.period:
            self.period = period
            self.reload()

    def reload(self) -> None:
        """Compute every section of the period again, each in a worker of its own."""
        self.load += 1
        self.loaded.clear()
        before = self.period.previous()
        self.query_one("#analytics-shown", Static).update(
            f"{self.period.describe()}  (against {before.describe()})"
        )
        for key in SECTIONS:
            self._compute(key, self.period, self.load)

    @work(thread=True, exit_on_error=False, group="analytics")
    def _compute(self, key: str, period: Period, load: int) -> None:
        section = self.analytics.section(key, period)
        currency = self.analytics.currency(period)
        self.post_message(SectionLoaded(key, load, section, currency))

    async def on_section_loaded(self, message: SectionLoaded) -> None:
        if message.load != self.load:
            return  # computed for a period no longer shown
        self.loaded.add(message.key)
        await self.query_one(f"#section-{message.key}", SectionView).show(
            message.section, message.currency
        )

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "analytics" and event.state is WorkerState.ERROR:
            log.error("analytics failed: %r", event.worker.error)
            self.notify(
                f"The numbers could not be computed: {event.worker.error}",
                severity="error",
                timeout=12,
            )

    def action_back(self) -> None:
        self.app.pop_screen()
