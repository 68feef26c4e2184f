"""The queue: the station's open orders, most urgent first. Scan a slip or type an order
name to open it; `/` searches; it updates live while the sync runs."""

from __future__ import annotations

import logging

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from packdesk.domain.scanning import ScanKind
from packdesk.tui.keys import bindings
from packdesk.tui.messages import QueueLoaded
from packdesk.tui.screens.base import StationScreen
from packdesk.tui.widgets.alert import ScanAlert
from packdesk.tui.widgets.key_footer import KeyFooter
from packdesk.tui.widgets.queue_table import QueueTable
from packdesk.tui.widgets.scan_field import ScanField

log = logging.getLogger(__name__)


class QueueScreen(StationScreen):
    BINDINGS = [
        *bindings(
            "reprint-label",
            "reprint-slip",
            "void-label",
            "hold",
            "note",
            "detail",
            "search",
            "back",
        ),
        Binding("up", "cursor('up')", show=False),
        Binding("down", "cursor('down')", show=False),
        Binding("pageup", "cursor('page_up')", show=False),
        Binding("pagedown", "cursor('page_down')", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.search = ""

    def compose(self) -> ComposeResult:
        yield Static("Queue", id="queue-title", classes="screen-title")
        yield ScanAlert(id="alert")
        yield ScanField(
            placeholder="Scan a packing slip or type an order name (#1001), then Enter",
            prefix=self.desk.scanner.prefix,
            max_interkey_ms=self.desk.scanner.max_interkey_ms,
            id="scan",
        )
        yield Input(
            placeholder="Search: order, customer or SKU — Enter to keep, Esc to clear", id="search"
        )
        yield QueueTable(id="queue-table")
        yield self.status_bar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#search").display = False
        self.query_one(ScanField).focus()
        self.reload()

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    def current_order_id(self) -> str | None:
        return self.table.selected_order_id

    async def order_changed(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.query_one(ScanField).focus()
        self.reload()

    def reload(self) -> None:
        self._load(self.search)

    @work(exclusive=True, exit_on_error=False, group="queue-load")
    async def _load(self, search: str) -> None:
        rows = await self.station_app.read(self.desk.queue_rows, search)
        self.post_message(QueueLoaded(rows, search))

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        if message.search != self.search:
            return
        self.table.show_rows(message.rows, self.desk.clock.now())
        shown = len(message.rows)
        title = f"Queue — {shown} order{'s' if shown != 1 else ''}"
        if self.search:
            title += f" matching “{self.search}”"
        self.query_one("#queue-title", Static).update(title)

    def action_cursor(self, where: str) -> None:
        getattr(self.table, f"action_{'cursor_' if where in ('up', 'down') else ''}{where}")()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search = event.value.strip()
        self.reload()

    @on(Input.Submitted, "#search")
    def _search_done(self, event: Input.Submitted) -> None:
        self.query_one(ScanField).focus()

    def action_back(self) -> None:
        alert = self.query_one(ScanAlert)
        if alert.shown:
            alert.clear()
            return
        search = self.query_one("#search", Input)
        if search.display:
            search.value = ""
            search.display = False
            self.search = ""
            self.reload()
        self.query_one(ScanField).focus()

    @on(ScanField.EmptyEnter)
    async def _open_selected(self) -> None:
        if self.query_one(ScanAlert).shown:
            self.app.bell()
            return
        order_id = self.table.selected_order_id
        if order_id is not None:
            error = await self.station_app.open_order(order_id)
            if error:
                self.query_one(ScanAlert).show(error)

    @on(ScanField.Scanned)
    async def _scanned(self, event: ScanField.Scanned) -> None:
        alert = self.query_one(ScanAlert)
        if alert.shown:
            self.app.bell()
            return
        code = self.desk.packing.classify(event.code)
        if code.kind is ScanKind.COMMAND:
            alert.show(f"{code.value} is a pack command; open an order first.")
            return
        error = await self.station_app.open_order(code.value)
        if error is None:
            return
        if not event.from_scanner and code.kind is ScanKind.ITEM and not code.value.isdigit():
            # A person typed words, not an order name: search the queue for them instead.
            search = self.query_one("#search", Input)
            search.display = True
            search.value = code.value
            self.search = code.value
            self.reload()
            return
        alert.show(error)
