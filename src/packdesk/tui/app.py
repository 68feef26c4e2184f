"""The packing station app. It receives a ready `StationDesk` (built by bootstrap), hands it
down to the screens it makes, and handles what they ask for in messages: showing an order's
pack or detail screen, fresh status figures, quitting. Bus events become messages too.

One concurrency mechanism: Textual workers. Reads and slow actions run in thread workers
that post their results as messages; the packer's changes go through `OrderedWrites`, one
worker at a time in the order they were made.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from packdesk.domain.events import Event, OrderStateChanged, SyncFinished
from packdesk.domain.queue import HealthReport
from packdesk.services.desk import StationDesk
from packdesk.tui import words
from packdesk.tui.keys import bindings, keymap_errors
from packdesk.tui.messages import (
    BusEvent,
    HealthLoaded,
    PackOpened,
    QueueChanged,
    QuitStation,
    ShowDetail,
    StatusWanted,
    SyncDone,
)
from packdesk.tui.ordered_writes import OrderedWrites
from packdesk.tui.screens.analytics import AnalyticsScreen
from packdesk.tui.screens.base import StationContext
from packdesk.tui.screens.count import CountScreen
from packdesk.tui.screens.detail import DetailScreen
from packdesk.tui.screens.health import HealthScreen
from packdesk.tui.screens.help import HelpScreen
from packdesk.tui.screens.pack import PackScreen
from packdesk.tui.screens.queue import QueueScreen
from packdesk.tui.screens.receive import ReceiveScreen
from packdesk.tui.screens.stock import StockScreen
from packdesk.tui.widgets.status_bar import StatusBar

log = logging.getLogger(__name__)

LIVE_DEBOUNCE_S = 0.3
"""Bus events within this time refresh the queue and status bar once."""


class PackdeskApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "packdesk"
    BINDINGS = bindings(
        "help", "sync-now", "health", "stock", "receive", "count", "analytics", "quit"
    )

    def __init__(self, desk: StationDesk, *, status_every_s: float = 5.0) -> None:
        super().__init__()
        self.desk = desk
        self.status_every_s = status_every_s
        self.writes = OrderedWrites()
        self.syncing = False
        self.last_report: HealthReport | None = None
        self.last_report_at: datetime | None = None
        self._unsubscribe: Any = None
        self._live_pending = False
        self._status_loading = False
        self._status_stale = False
        self.set_keymap(dict(desk.keys))

    def context(self) -> StationContext:
        """What a new screen is handed: the desk, the ordered writes, the last figures."""
        return StationContext(self.desk, self.writes, self.last_report, self.last_report_at)

    # --- lifecycle --------------------------------------------------------------------

    def on_mount(self) -> None:
        self.push_screen(QueueScreen(self.context()))
        self._unsubscribe = self.desk.bus.subscribe(self._on_bus)
        for problem in keymap_errors(dict(self.desk.keys)):
            self.notify(problem, severity="warning", timeout=15)
        self.refresh_status()
        if self.status_every_s > 0:
            self.set_interval(self.status_every_s, self.refresh_status)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def _on_bus(self, event: Event) -> None:
        """Runs on the publisher's thread: hand the event to the event loop."""
        self.post_message(BusEvent(event))

    def on_bus_event(self, message: BusEvent) -> None:
        event = message.event
        if isinstance(event, SyncFinished):
            self.syncing = False
        if isinstance(event, OrderStateChanged):
            for screen in self.screen_stack:
                if isinstance(screen, PackScreen):
                    screen.order_moved(event)
        if not self._live_pending:
            self._live_pending = True
            self.set_timer(LIVE_DEBOUNCE_S, self._live_refresh)

    def _live_refresh(self) -> None:
        self._live_pending = False
        if not self.screen_stack:  # the app is closing: nothing shows any more
            return
        if isinstance(self.screen, QueueScreen):
            self.screen.reload()
        self.refresh_status()

    # --- status -----------------------------------------------------------------------

    def refresh_status(self) -> None:
        """Load fresh figures; one load at a time, a refresh asked for meanwhile follows it."""
        if self._status_loading:
            self._status_stale = True
            return
        self._status_loading, self._status_stale = True, False
        self._load_status()

    @work(thread=True, exit_on_error=False, group="status")
    def _load_status(self) -> None:
        self.post_message(HealthLoaded(self.desk.report()))

    def on_health_loaded(self, message: HealthLoaded) -> None:
        now = self.desk.clock.now()
        self.last_report, self.last_report_at = message.report, now
        for screen in self.screen_stack:
            for bar in screen.query(StatusBar):
                bar.now = now
                bar.syncing = self.syncing
                bar.report = message.report
            if isinstance(screen, HealthScreen):
                screen.show(message.report)

    def on_status_wanted(self, message: StatusWanted) -> None:
        self.refresh_status()

    def on_queue_changed(self, message: QueueChanged) -> None:
        self._live_refresh()

    # --- navigation -------------------------------------------------------------------

    def on_pack_opened(self, message: PackOpened) -> None:
        screen = PackScreen(self.context(), message.session)
        if isinstance(self.screen, PackScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def on_show_detail(self, message: ShowDetail) -> None:
        self.push_screen(DetailScreen(self.context(), message.order_id))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.context()))

    def action_health(self) -> None:
        if not isinstance(self.screen, HealthScreen):
            self.push_screen(HealthScreen(self.context()))

    # --- sync now ---------------------------------------------------------------------

    def action_analytics(self) -> None:
        if not isinstance(self.screen, AnalyticsScreen):
            self.push_screen(AnalyticsScreen(self.desk.analytics))

    def action_stock(self) -> None:
        if not isinstance(self.screen, StockScreen):
            self.push_screen(StockScreen(self.desk.inventory))

    def action_receive(self) -> None:
        if not isinstance(self.screen, ReceiveScreen):
            self.push_screen(ReceiveScreen(self.desk.inventory))

    def action_count(self) -> None:
        if not isinstance(self.screen, CountScreen):
            self.push_screen(CountScreen(self.desk.inventory))

    def action_sync_now(self) -> None:
        self.syncing = True
        self._sync_now()

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync-now")
    def _sync_now(self) -> None:
        self.post_message(SyncDone(self.desk.sync_now()))

    def on_sync_done(self, message: SyncDone) -> None:
        self.syncing = False
        failed = bool(message.summary.failed)
        self.notify(
            words.synced(message.summary),
            severity="warning" if failed else "information",
            timeout=12 if failed else 5,
        )
        self._live_refresh()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "status" and event.worker.is_finished:
            self._status_loading = False
            if self._status_stale:
                self.refresh_status()
        if event.state is not WorkerState.ERROR:
            return
        log.error("%s failed: %r", event.worker.name or event.worker.group, event.worker.error)
        if event.worker.group == "sync-now":
            self.syncing = False
            self.notify(str(event.worker.error), severity="error", timeout=12)
            self._live_refresh()

    # --- quitting ---------------------------------------------------------------------

    def action_quit_station(self) -> None:
        pack = next((s for s in self.screen_stack if isinstance(s, PackScreen)), None)
        if pack is None:
            self.exit()
        else:
            pack.ask_quit()  # it asks the packer first when the pack is half done

    def on_quit_station(self, message: QuitStation) -> None:
        self.exit()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Sync now", "Fetch orders and stock from Shopify now (F9)", self.action_sync_now
        )
        yield SystemCommand(
            "Health", "Sync, outbox, printers and webhooks (F10)", self.action_health
        )
        yield SystemCommand(
            "Analytics", "Sales, shipping, stock and customers (F12)", self.action_analytics
        )
        yield SystemCommand("Stock", "Every SKU at CA, PA and FBA (F11)", self.action_stock)
        yield SystemCommand(
            "Receive", "Receive a purchase order by scan (ctrl+r)", self.action_receive
        )
        yield SystemCommand("Count", "Cycle count a shelf by scan (ctrl+t)", self.action_count)
        yield SystemCommand("Keys", "Every key and its id (F1)", self.action_help)
        yield SystemCommand(
            "Quit station", "Quit, asking if a pack is in progress (q)", self.action_quit_station
        )
        for name, method in (
            ("Reprint label", "action_reprint_label"),
            ("Reprint slip", "action_reprint_slip"),
            ("Void label", "action_void_label"),
            ("Hold / release order", "action_hold"),
            ("Add note", "action_note"),
            ("Order detail", "action_detail"),
        ):
            action = getattr(screen, method, None)
            if action is not None:
                yield SystemCommand(name, f"{name} for the current order", action)
