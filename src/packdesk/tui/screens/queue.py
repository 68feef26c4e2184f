"""The queue: the station's open orders, most urgent first. Scan a slip or type an order
name to open it; `/` searches; it updates live while the sync runs."""

from __future__ import annotations

import logging

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static
from textual.worker import Worker

from packdesk.domain.scanning import ScanKind
from packdesk.tui import words
from packdesk.tui.keys import bindings
from packdesk.tui.messages import OrderNotOpened, PackOpened, QueueLoaded
from packdesk.tui.screens.base import StationContext, StationScreen
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

    def __init__(self, context: StationContext) -> None:
        super().__init__(context)
        self.search = ""
        self._loading = False
        self._stale = False

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

    def on_screen_resume(self) -> None:
        self.query_one(ScanField).focus()
        self.reload()

    def reload(self) -> None:
        """Load the rows again. One load at a time: a reload asked for while one runs
        follows it, so live updates and typing never pile up queries."""
        if self._loading:
            self._stale = True
            return
        self._loading, self._stale = True, False
        self._load(self.search)

    @work(thread=True, exit_on_error=False, group="queue-load")
    def _load(self, search: str) -> None:
        self.post_message(QueueLoaded(self.desk.queue_rows(search), search))

    @on(Worker.StateChanged)
    def _load_finished(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "queue-load" and event.worker.is_finished:
            self._loading = False
            if self._stale:
                self.reload()

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

    def _open(self, ref: str, *, typed_words: bool = False) -> None:
        """Open the order on the pack screen (the App shows it when it is open)."""
        self.writes.submit(
            self,
            lambda: self.desk.open_pack(ref),
            PackOpened,
            lambda exc: OrderNotOpened(ref, exc, typed_words),
        )

    @on(ScanField.EmptyEnter)
    def _open_selected(self) -> None:
        if self.query_one(ScanAlert).shown:
            self.app.bell()
            return
        order_id = self.table.selected_order_id
        if order_id is not None:
            self._open(order_id)

    @on(ScanField.Scanned)
    def _scanned(self, event: ScanField.Scanned) -> None:
        alert = self.query_one(ScanAlert)
        if alert.shown:
            self.app.bell()
            return
        code = self.desk.packing.classify(event.code)
        if code.kind is ScanKind.COMMAND:
            alert.show(f"{code.value} is a pack command; open an order first.")
            return
        # Words a person typed (not a scanner, not an order number) search the queue when
        # they name no order.
        typed_words = (
            not event.from_scanner and code.kind is ScanKind.ITEM and not code.value.isdigit()
        )
        self._open(code.value, typed_words=typed_words)

    def on_order_not_opened(self, message: OrderNotOpened) -> None:
        if message.typed:
            search = self.query_one("#search", Input)
            search.display = True
            search.value = message.ref
            self.search = message.ref
            self.reload()
            return
        self.query_one(ScanAlert).show(words.open_failed(message.ref, message.error))
