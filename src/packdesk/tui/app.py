"""The packing station app. It receives a ready `StationDesk` (built by bootstrap) and only
shows screens, routes keys, and turns bus events into messages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen

from packdesk.domain.events import Event, OrderStateChanged, SyncFinished
from packdesk.domain.queue import HealthReport
from packdesk.domain.states import StationState
from packdesk.services.desk import StationDesk
from packdesk.services.packing import PackRefused
from packdesk.services.station import OrderNotFound
from packdesk.tui.keys import bindings, keymap_errors
from packdesk.tui.messages import BusEvent, HealthLoaded
from packdesk.tui.screens.count import CountScreen
from packdesk.tui.screens.health import HealthScreen
from packdesk.tui.screens.help import HelpScreen
from packdesk.tui.screens.modals import ConfirmModal
from packdesk.tui.screens.pack import PackScreen
from packdesk.tui.screens.queue import QueueScreen
from packdesk.tui.screens.receive import ReceiveScreen
from packdesk.tui.screens.stock import StockScreen
from packdesk.tui.widgets.status_bar import StatusBar

log = logging.getLogger(__name__)
T = TypeVar("T")

READ_THREADS = 1
"""Threads that read the database for the screens (queue, status bar)."""
ACTION_THREADS = 2
"""Threads that run slow actions (label purchase and printing, reprint, void, sync now)."""
PACK_THREADS = 1
"""The thread that stores the packer's changes (scans, undo, holds, notes, ...), one after
another in the order they were made."""

LIVE_DEBOUNCE_S = 0.3
"""Bus events within this time refresh the queue and status bar once."""


class PackdeskApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "packdesk"
    BINDINGS = bindings("help", "sync-now", "health", "stock", "receive", "count", "quit")

    def __init__(self, desk: StationDesk, *, status_every_s: float = 5.0) -> None:
        super().__init__()
        self.desk = desk
        self.status_every_s = status_every_s
        self._unsubscribe: Any = None
        self._live_pending = False
        self.syncing = False
        # Each thread gets its own SQLite connection (one per thread, by design), so the
        # workers hand their work to these long-lived pools instead of a new thread per call:
        # a station refreshing every few seconds all day would otherwise open thousands.
        self.read_pool = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="station-read")
        self.action_pool = ThreadPoolExecutor(ACTION_THREADS, thread_name_prefix="station-act")
        self.pack_pool = ThreadPoolExecutor(PACK_THREADS, thread_name_prefix="station-pack")
        self.last_report: HealthReport | None = None
        self.last_report_at: datetime | None = None
        self.set_keymap(dict(desk.keys))

    # --- lifecycle --------------------------------------------------------------------

    def on_mount(self) -> None:
        self.push_screen(QueueScreen())
        self._unsubscribe = self.desk.bus.subscribe(self._on_bus)
        for problem in keymap_errors(dict(self.desk.keys)):
            self.notify(problem, severity="warning", timeout=15)
        self.refresh_status()
        if self.status_every_s > 0:
            self.set_interval(self.status_every_s, self.refresh_status)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.read_pool.shutdown(wait=False, cancel_futures=True)
        self.pack_pool.shutdown(wait=True, cancel_futures=False)
        self.action_pool.shutdown(wait=True, cancel_futures=False)

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a database read on the read pool, off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.read_pool, fn, *args)

    async def record(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a change the packer makes (scan, undo, quantity, box, hold, note, open,
        abandon) on the pack thread, off the event loop; one thread keeps the changes in
        the order the packer made them."""
        return await asyncio.get_running_loop().run_in_executor(self.pack_pool, fn, *args)

    def act(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a slow action on the action pool; call it from a thread worker."""
        return self.action_pool.submit(fn, *args).result()

    def _on_bus(self, event: Event) -> None:
        """Runs on the publisher's thread: hand the event to the event loop."""
        self.post_message(BusEvent(event))

    async def on_bus_event(self, message: BusEvent) -> None:
        event = message.event
        if isinstance(event, SyncFinished):
            self.syncing = False
        pack = self.pack_screen()
        if (
            isinstance(event, OrderStateChanged)
            and pack is not None
            and event.order_id == pack.session.order_id
            and event.to_state in (StationState.CANCELLED, StationState.ON_HOLD)
            and event.from_state in (StationState.PACKING, StationState.PACKED)
            and not pack.working
        ):
            await self.record(pack.session.reload_state)
            pack.alert.show(
                f"{event.order_name} was {event.to_state.value.lower().replace('_', ' ')} "
                f"elsewhere ({event.reason or 'no reason given'}): stop packing it and put "
                "its items back."
            )
        if not self._live_pending:
            self._live_pending = True
            self.set_timer(LIVE_DEBOUNCE_S, self._live_refresh)

    def _live_refresh(self) -> None:
        self._live_pending = False
        self.queue_changed()
        self.refresh_status()

    # --- status -----------------------------------------------------------------------

    def refresh_status(self) -> None:
        self._load_status()

    @work(exclusive=True, exit_on_error=False, group="status")
    async def _load_status(self) -> None:
        self.post_message(HealthLoaded(await self.read(self.desk.report)))

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

    # --- orders -----------------------------------------------------------------------

    def queue_changed(self) -> None:
        """Reload the queue if it shows; a hidden queue reloads when it shows again."""
        if isinstance(self.screen, QueueScreen):
            self.screen.reload()

    def pack_screen(self) -> PackScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, PackScreen)), None)

    async def open_order(self, ref: str, *, replace: bool = False) -> str | None:
        """Open the order with this id or name on the pack screen; returns the sentence to
        show when it cannot be opened."""
        try:
            session = await self.record(self.desk.open_pack, ref)
        except (PackRefused, OrderNotFound) as exc:
            return str(exc)
        except Exception as exc:
            log.exception("opening %s failed", ref)
            return f"Order {ref} could not be opened ({exc}); see the log."
        if isinstance(self.screen, PackScreen):
            self.switch_screen(PackScreen(session))
        else:
            self.push_screen(PackScreen(session))
        self.queue_changed()
        return None

    async def next_order_name(self, exclude: str = "") -> str | None:
        """The most urgent order that is ready to pack."""
        for row in await self.read(self.desk.queue_rows):
            if row.order_id != exclude and row.state in (StationState.NEW, StationState.READY):
                return row.name
        return None

    # --- app actions ------------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.desk.keys))

    def action_health(self) -> None:
        if not isinstance(self.screen, HealthScreen):
            self.push_screen(HealthScreen())

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
        try:
            sentence = self.act(self.desk.sync_now)
        except Exception as exc:
            log.exception("sync now failed")
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=12)
        else:
            self.call_from_thread(self.notify, sentence, timeout=5)
        finally:
            self.syncing = False
            self.call_from_thread(self._live_refresh)

    def action_quit_station(self) -> None:
        pack = self.pack_screen()
        if pack is None or not pack.in_progress:
            self.exit()
            return
        session = pack.session

        async def chosen(choice: str | None) -> None:
            if choice == "abandon":
                await self.record(session.abandon)
                self.exit()
            elif choice == "keep":
                self.exit()

        self.push_screen(
            ConfirmModal(
                f"{session.order.name} is half packed ({session.scanned} of {session.expected}). "
                "Abandon it (scans cleared, back to the queue) or keep it to resume later?",
                [("abandon", "Abandon and quit"), ("keep", "Keep and quit"), ("cancel", "Cancel")],
            ),
            chosen,
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Sync now", "Fetch orders and stock from Shopify now (F9)", self.action_sync_now
        )
        yield SystemCommand(
            "Health", "Sync, outbox, printers and webhooks (F10)", self.action_health
        )
        yield SystemCommand("Stock", "Every SKU at CA, PA and FBA (F11)", self.action_stock)
        yield SystemCommand(
            "Receive", "Receive a purchase order by scan (F12)", self.action_receive
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
