"""Sync of orders into the local store, and the queue moves their upstream changes cause.

Orders are read oldest change first (`sortKey: UPDATED_AT`) with a Shopify search
`updated_at:>='<cursor - overlap>'`. Each page is upserted together with the new cursor (the
page's last `updated_at`) in one transaction; a crash re-reads at most the overlap and the
page in flight, and re-reading is an upsert. After the page is stored, `sync_queue` rules move
the page's orders in this station's queue through `StationService` (audit row, events).
Before each run the queue is reconciled from the local copy alone, so that a crash between a
stored page and its queue moves is caught up on the next run.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from packdesk.domain.events import OrderStateChanged
from packdesk.domain.models import Order, StationOrder, SyncStatus
from packdesk.domain.ports import ShopOrders, StaleState, Store
from packdesk.domain.shop import ShopPage
from packdesk.domain.states import QUEUE_STATES, StationState, TransitionRefused
from packdesk.services.station import StationService
from packdesk.services.sync_catalog import Progress, later, since_query
from packdesk.services.sync_queue import queue_change

log = logging.getLogger(__name__)

ACTOR = "sync"
EDIT_SENSITIVE = frozenset({StationState.READY, StationState.PACKING, StationState.PACKED})
"""States in which an edit upstream moves the order (rates, scans or the box are stale)."""
WATCHED_STATES = [*QUEUE_STATES, StationState.PRINTED, StationState.MOVED]
"""States in which an upstream change can still move an order at the station."""


class OrderSync:
    def __init__(
        self,
        shop: ShopOrders,
        store: Store,
        station: StationService,
        *,
        location_code: str,
        page_size: int = 100,
        overlap_s: int = 120,
    ) -> None:
        self.shop = shop
        self.store = store
        self.station = station
        self.location_code = location_code
        self.page_size = max(1, min(page_size, 250))
        self.overlap_s = overlap_s
        self.stopping = threading.Event()
        """Set at shutdown: the run ends after the page it is storing (its cursor is kept)."""

    # -- where this station ships from ----------------------------------------------------

    def here(self) -> str | None:
        """The GID of this station's location, once locations are synced."""
        location = self.store.catalog.location(self.location_code)
        return location.id if location else None

    def _names(self) -> dict[str, str]:
        return {loc.id: loc.code or loc.name for loc in self.store.catalog.locations()}

    # -- orders ---------------------------------------------------------------------------

    def sync_orders(self, progress: Progress | None = None) -> int:
        """Read every order changed since the cursor; returns how many were stored.

        The next page is fetched while this one is stored (its cursor is known as soon as
        this page arrives), so that Shopify's latency and SQLite's writes overlap. Pages are
        still stored strictly in order, each with its own cursor.
        """
        self.reconcile_queue()
        status = self.store.sync.status("orders")
        query = since_query(status.cursor, self.overlap_s)
        count = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="orders-page") as pool:

            def fetch(after: str) -> Future[ShopPage[Order]]:
                return pool.submit(
                    self.shop.orders_page, query=query, after=after, first=self.page_size
                )

            pending = fetch("")
            where = (self.here(), self._names())
            while True:
                page = pending.result()
                if page.has_next:
                    pending = fetch(page.end_cursor)
                count += len(page.items)
                states = self.store.station.by_ids([o.id for o in page.items])
                previous = self._previous(page.items, states)
                cursor = status.cursor
                for order in page.items:
                    cursor = later(cursor, order.updated_at)
                update: dict[str, object] = {"cursor": cursor}
                if not page.has_next:
                    update.update(last_success_at=self.station.clock.now(), last_count=count)
                status = status.model_copy(update=update)
                self._store_page(page.items, status)
                self.apply_queue_changes(page.items, previous, states, where)
                if progress:
                    progress("orders", count)
                if not page.has_next or self.stopping.is_set():
                    pending.cancel()
                    return count

    def sync_order(self, order_id: str) -> Order | None:
        """Fetch one order (a webhook named it) and store it, moving it in the queue."""
        order = self.shop.order(order_id)
        if order is None:
            return None
        states = self.store.station.by_ids([order.id])
        previous = self._previous([order], states)
        # One order is not a page of the cursor's sequence: the cursor stays where it is.
        self.store.orders.save(order)
        self.apply_queue_changes([order], previous, states)
        return order

    def _store_page(self, orders: Sequence[Order], status: SyncStatus) -> None:
        """The page and the cursor after it, in one transaction: a crash keeps both or
        neither, so no order is skipped and none is stored twice over."""
        with self.store.transaction():
            self.store.orders.save_many(orders)
            self.store.sync.save(status)

    def _previous(
        self, orders: Sequence[Order], states: dict[str, StationOrder]
    ) -> dict[str, Order]:
        """The stored copies of orders whose edits matter to the station (READY, PACKING...)."""
        found: dict[str, Order] = {}
        for order in orders:
            current = states.get(order.id)
            if current and current.state in EDIT_SENSITIVE:
                stored = self.store.orders.get(order.id)
                if stored is not None:
                    found[order.id] = stored
        return found

    # -- the queue ------------------------------------------------------------------------

    def apply_queue_changes(
        self,
        orders: Sequence[Order],
        previous: dict[str, Order],
        states: dict[str, StationOrder] | None = None,
        where: tuple[str | None, dict[str, str]] | None = None,
    ) -> int:
        """Move each order in this station's queue as its upstream change requires.

        `states` (the orders' station rows read before the page was stored) and `where`
        (this station's location and every location's name) save queries per order.
        """
        here, names = where or (self.here(), self._names())
        if here is None:
            return 0
        if states is None:
            states = self.store.station.by_ids([o.id for o in orders])
        moved = 0
        for order in orders:
            moved += self._apply(previous.get(order.id), order, states.get(order.id), here, names)
        return moved

    def reconcile_queue(self) -> int:
        """Bring the queue in line with the local copy of orders (after a crash, or a
        location sync that came after the orders)."""
        here = self.here()
        if here is None:
            return 0
        names = self._names()
        moved = 0
        ids = [s.order_id for s in self.store.station.in_states(WATCHED_STATES)]
        ids += self.store.orders.not_at_station(here)
        for order_id in ids:
            order = self.store.orders.get(order_id)
            if order is not None:
                moved += self._apply(None, order, self.station.state_of(order_id), here, names)
        return moved

    def _apply(
        self,
        previous: Order | None,
        order: Order,
        station: StationOrder | None,
        here: str,
        names: dict[str, str],
    ) -> int:
        change = queue_change(previous, order, station, here, names)
        if change is None:
            return 0
        try:
            if change.to_state is None:
                noted = self.store.station.note(
                    order.id, reason=change.reason, actor=ACTOR, at=self.station.clock.now()
                )
                if noted is not None:
                    self.station.bus.publish(
                        OrderStateChanged(
                            at=noted.updated_at,
                            order_id=order.id,
                            order_name=order.name,
                            from_state=noted.state,
                            to_state=noted.state,
                            reason=noted.reason,
                        )
                    )
            else:
                self.station.move(order.id, change.to_state, actor=ACTOR, reason=change.reason)
        except (StaleState, TransitionRefused) as exc:
            # A packer moved it meanwhile; the next sync looks again.
            log.info("queue change of %s skipped: %s", order.name, exc)
            return 0
        return 1
