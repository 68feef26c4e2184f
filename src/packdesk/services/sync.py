"""The sync of Shopify into the local store, resource by resource.

`SyncService.run(resource)` runs one resource's sync, records its outcome in `sync_state`
(last success, last error) and publishes `SyncFinished` on the bus; the scheduler calls it
on intervals, `packdesk sync --once` calls `run_all`, and the webhook worker calls
`sync_order`. Errors never escape `run`: they are stored and published as sentences, so a
sync failing in the background shows in the status bar instead of killing its job.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from packdesk.domain.clock import Clock
from packdesk.domain.events import SyncFinished, SyncProgress
from packdesk.domain.models import Order, StockLevel, SyncStatus
from packdesk.domain.ports import EventPublisher, Store
from packdesk.services.sync_catalog import CatalogSync, Progress
from packdesk.services.sync_orders import OrderSync

log = logging.getLogger(__name__)

RESOURCES = ("locations", "variants", "inventory", "orders")
"""Every synced resource, in the order a full sync runs them (orders need locations)."""


@dataclass(frozen=True)
class SyncResult:
    resource: str
    count: int
    seconds: float
    ok: bool
    error: str = ""


class SyncService:
    def __init__(
        self,
        catalog: CatalogSync,
        orders: OrderSync,
        store: Store,
        bus: EventPublisher,
        clock: Clock,
        *,
        progress: Progress | None = None,
    ) -> None:
        self.catalog = catalog
        self.orders = orders
        self.store = store
        self.bus = bus
        self.clock = clock
        self.progress = progress
        self._locks = {name: threading.Lock() for name in RESOURCES}
        self._runners: dict[str, Callable[[Progress | None], int]] = {
            "locations": catalog.sync_locations,
            "variants": catalog.sync_variants,
            "inventory": catalog.sync_inventory,
            "orders": orders.sync_orders,
        }

    def run(self, resource: str) -> SyncResult:
        """Sync one resource; never raises for upstream trouble (it is stored and published)."""
        if resource not in self._runners:
            raise ValueError(
                f"Unknown resource {resource!r}: choose one of {', '.join(RESOURCES)}."
            )
        lock = self._locks[resource]
        if not lock.acquire(blocking=False):
            log.info("sync of %s already running; skipped", resource)
            return SyncResult(resource, 0, 0.0, True, "already running")
        started = time.monotonic()
        try:
            count = self._runners[resource](self._report)
        except Exception as exc:
            error = str(exc) or type(exc).__name__
            log.exception("sync of %s failed", resource)
            self._record_error(resource, error)
            result = SyncResult(resource, 0, time.monotonic() - started, False, error)
        else:
            result = SyncResult(resource, count, time.monotonic() - started, True)
        finally:
            lock.release()
        self.bus.publish(
            SyncFinished(
                at=self.clock.now(),
                resource=resource,
                count=result.count,
                ok=result.ok,
                error=result.error,
            )
        )
        return result

    def _report(self, resource: str, count: int) -> None:
        self.bus.publish(SyncProgress(at=self.clock.now(), resource=resource, count=count))
        if self.progress is not None:
            self.progress(resource, count)

    def stop(self) -> None:
        """Make running syncs end after the page they are storing (for a quick shutdown)."""
        self.catalog.stopping.set()
        self.orders.stopping.set()

    def run_all(self) -> list[SyncResult]:
        return [self.run(resource) for resource in RESOURCES]

    def sync_order(self, order_id: str) -> Order | None:
        """Fetch and store one order now (a webhook named it); raises on upstream trouble."""
        return self.orders.sync_order(order_id)

    def sync_stock_level(self, inventory_item_id: str, location_id: str) -> StockLevel | None:
        """Fetch and store one item's stock at one location now (a webhook named it);
        raises on upstream trouble."""
        return self.catalog.sync_level(inventory_item_id, location_id)

    def status(self) -> list[SyncStatus]:
        return self.store.sync.statuses()

    def _record_error(self, resource: str, error: str) -> None:
        try:
            status = self.store.sync.status(resource)
            self.store.sync.save(
                status.model_copy(update={"last_error": error, "last_error_at": self.clock.now()})
            )
        except Exception:  # the database itself may be what failed
            log.exception("cannot record the sync error of %s", resource)
