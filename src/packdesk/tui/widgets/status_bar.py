"""The status bar: DEMO, TEST (Shippo test token) or LIVE, station and location, sync age,
outbox backlog, printers."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from packdesk.domain.queue import HealthReport

SYNC_AMBER_S = 5 * 60
"""A last good sync older than this shows amber."""
SYNC_RED_S = 30 * 60
"""... and older than this red."""


def age_text(seconds: float) -> str:
    """`42s`, `7m`, `3h`, `2d`: short ages for a narrow bar."""
    if seconds < 60:
        return f"{int(seconds)}s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 86400)}d"


def sync_style(age_s: float | None) -> str:
    if age_s is None or age_s > SYNC_RED_S:
        return "bold white on red"
    if age_s > SYNC_AMBER_S:
        return "bold black on dark_orange"
    return "green"


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; }
    """

    report: reactive[HealthReport | None] = reactive(None, layout=False)
    now: reactive[datetime | None] = reactive(None)
    syncing: reactive[bool] = reactive(False)

    def __init__(
        self,
        *,
        station: str,
        location: str,
        demo: bool,
        report: HealthReport | None = None,
        now: datetime | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.station = station
        self.location = location
        self.demo = demo
        # A screen opened between two refreshes shows the last figures at once.
        self.set_reactive(StatusBar.report, report)
        self.set_reactive(StatusBar.now, now)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.demo:
            text.append(" DEMO ", "bold black on yellow")
        elif self.report is not None and self.report.shippo_mode == "TEST":
            text.append(" TEST ", "bold black on dark_orange")
        else:
            text.append(" LIVE ", "bold white on blue")
        text.append(f" {self.station} @ {self.location} ", "bold")
        report = self.report
        if report is None:
            text.append("│ loading…")
            return text
        last = report.last_sync_at()
        age = (self.now - last).total_seconds() if (last and self.now) else None
        sync = "syncing… " if self.syncing else ""
        if age is None:
            text.append(f"│ {sync}never synced ", sync_style(None))
        else:
            text.append(f"│ {sync}synced {age_text(max(age, 0))} ago ", sync_style(age))
        error = report.sync_error()
        if error:
            text.append(" sync error ", "bold white on red")
        if report.shopify_api_warning:
            text.append(" Shopify API version ", "bold black on dark_orange")
        text.append("│ outbox ")
        text.append(
            f"{report.outbox_pending}"
            + (f" +{report.outbox_dead} dead" if report.outbox_dead else ""),
            "bold red" if report.outbox_dead else ("yellow" if report.outbox_pending else "green"),
        )
        text.append(" │ ")
        if not report.printers:
            text.append("no printers", "yellow")
        for printer in report.printers:
            if printer.failed or printer.last_error:
                style, word = "bold red", "error"
            elif printer.queued:
                style, word = "yellow", f"{printer.queued} queued"
            else:
                style, word = "green", "ok"
            text.append(f"{printer.name} {word} ", style)
        if report.awaiting_label:
            text.append(f"│ {report.awaiting_label} label pending ", "bold yellow")
        if report.stock_alerts:
            text.append(f"│ {report.stock_alerts} low stock ", "bold black on yellow")
        return text
