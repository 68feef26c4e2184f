"""Count: a cycle count of a shelf at the station's warehouse, by scan.

Each item's first scan reads what Shopify holds of it there; every scan counts one more.
Finish (ctrl+f) sends each count that differs through the outbox, compared with what
Shopify held at that first scan, so a sale in between is never overwritten. An unknown code
is loud and not counted."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from packdesk.domain.inventory.counting import StockCount
from packdesk.services.inventory.counting import CountScanned
from packdesk.services.inventory.desk import InventoryDesk
from packdesk.tui.keys import bindings
from packdesk.tui.widgets.alert import ScanAlert
from packdesk.tui.widgets.key_footer import KeyFooter
from packdesk.tui.widgets.scan_field import ScanField

log = logging.getLogger(__name__)


@dataclass
class CountOpened(Message, bubble=False):
    count: StockCount


@dataclass
class CountScanDone(Message, bubble=False):
    scanned: CountScanned


@dataclass
class CountFinished(Message, bubble=False):
    sentence: str


@dataclass
class CountRefused(Message, bubble=False):
    sentence: str


class CountScreen(Screen[None]):
    BINDINGS = bindings("finish", "back")

    def __init__(self, inventory: InventoryDesk) -> None:
        super().__init__()
        self.inventory = inventory
        self.count: StockCount | None = None
        self.pending: deque[str] = deque()
        self.working = True  # until the count is open

    def compose(self) -> ComposeResult:
        yield Static("Count — opening…", classes="screen-title", id="count-title")
        yield ScanField(placeholder="Scan every item on the shelf", id="count-scan")
        yield ScanAlert(id="count-alert")
        yield DataTable(id="count-lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="count-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#count-lines", DataTable)
        for label, width in (
            ("SKU", 14),
            ("Item", 40),
            ("Shopify had", 11),
            ("Counted", 8),
            ("Difference", 10),
        ):
            table.add_column(label, width=width)
        self.query_one(ScanField).focus()
        self._open()

    @property
    def alert(self) -> ScanAlert:
        return self.query_one(ScanAlert)

    @work(thread=True, exit_on_error=False, group="count")
    def _open(self) -> None:
        try:
            self.post_message(CountOpened(self.inventory.open_count()))
        except Exception as exc:
            self.post_message(CountRefused(str(exc)))

    @on(CountOpened)
    def _opened(self, message: CountOpened) -> None:
        self.count = message.count
        self.query_one("#count-title", Static).update(
            f"Count at {message.count.location} — scan every item on the shelf, then ctrl+f"
        )
        self._show()
        self._done()

    @on(ScanField.Scanned)
    def _scanned(self, event: ScanField.Scanned) -> None:
        if self.alert.shown:
            self.app.bell()
            return
        self.pending.append(event.code)
        self._next()

    def _next(self) -> None:
        if self.working or not self.pending or self.count is None:
            return
        self.working = True
        self._scan(self.count, self.pending.popleft())

    def _done(self) -> None:
        self.working = False
        self._next()

    @work(thread=True, exit_on_error=False, group="count")
    def _scan(self, count: StockCount, code: str) -> None:
        try:
            self.post_message(CountScanDone(self.inventory.count_scan(count, code)))
        except Exception as exc:
            log.exception("a count scan failed")
            self.post_message(CountRefused(f"The scan of {code} was not stored: {exc}"))

    @on(CountScanDone)
    def _scan_done(self, message: CountScanDone) -> None:
        scanned = message.scanned
        self.count = scanned.count
        if scanned.ok:
            self.query_one("#count-status", Static).update(
                Text(scanned.message, style="bold green")
            )
        else:
            self.pending.clear()
            self.alert.show(scanned.message)
        self._show()
        self._done()

    @on(CountRefused)
    def _refused(self, message: CountRefused) -> None:
        self.pending.clear()
        self.alert.show(message.sentence)
        self._done()

    def _show(self) -> None:
        table = self.query_one("#count-lines", DataTable)
        table.clear()
        for li in self.count.lines if self.count else ():
            diff = li.difference
            table.add_row(
                Text(li.sku, style="bold"),
                li.title,
                "—" if li.expected is None else str(li.expected),
                str(li.counted),
                Text("" if not diff else f"{diff:+d}", style="bold yellow"),
                key=li.variant_id,
            )

    def action_finish(self) -> None:
        if self.count is None or self.working:
            return
        self.working = True
        self._finish(self.count)

    @work(thread=True, exit_on_error=False, group="count")
    def _finish(self, count: StockCount) -> None:
        try:
            self.post_message(CountFinished(self.inventory.finish_count(count)))
        except Exception as exc:
            self.post_message(CountRefused(str(exc)))

    @on(CountFinished)
    def _finished(self, message: CountFinished) -> None:
        self.notify(f"{message.sentence}; Shopify is updated through the outbox.", timeout=8)
        self.working = False
        self.app.pop_screen()

    def action_back(self) -> None:
        if self.alert.shown:
            self.alert.clear()
            return
        self.app.pop_screen()
