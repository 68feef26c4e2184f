"""Cycle counts at the station: every item on a shelf scanned, then each count set in
Shopify through the outbox with `inventorySetQuantities` and `changeFromQuantity` — the
available quantity Shopify held when the item was first scanned — so that a sale or a
receipt in between makes Shopify refuse the count rather than lose that change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from packdesk.domain.clock import Clock
from packdesk.domain.inventory.counting import CountLine, StockCount, count_summary
from packdesk.domain.inventory.events import StockChanged
from packdesk.domain.inventory.stock import InventoryError
from packdesk.domain.models import NewOutboxItem, StockLevel
from packdesk.domain.ports import EventPublisher, Store
from packdesk.services.inventory.stock import StockService

LevelReader = Callable[[str, str], StockLevel | None]
"""(inventory item id, location id) → the level as Shopify holds it now."""


@dataclass(frozen=True)
class CountScanned:
    ok: bool
    message: str
    count: StockCount


class Counting:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        bus: EventPublisher,
        stock: StockService,
        read_level: LevelReader,
        *,
        actor: str,
    ) -> None:
        self.store = store
        self.clock = clock
        self.bus = bus
        self.stock = stock
        self.read_level = read_level
        self.actor = actor

    def open(self, location: str) -> StockCount:
        loc = self.store.catalog.location(location)
        if loc is None or not loc.is_shopify:
            codes = ", ".join(w.code for w in self.stock.warehouses())
            raise InventoryError(f"{location} is not a warehouse to count; use one of {codes}.")
        return self.store.inventory.open_count(loc.id, self.actor, self.clock.now())

    def scan(self, count: StockCount, code: str, quantity: int = 1) -> CountScanned:
        """Count `quantity` more of the item with this barcode or SKU."""
        variant = self.store.catalog.variant_for_code(code)
        if variant is None:
            return CountScanned(
                False,
                f"Unknown code {code.strip()}: no item has this barcode or SKU. Check the item, "
                "or sync the catalog (F9), then press Esc.",
                count,
            )
        line = next((li for li in count.lines if li.variant_id == variant.id), None)
        if line is None:
            level = self.read_level(variant.inventory_item_id, count.location_id)
            if level is None:
                return CountScanned(
                    False,
                    f"{variant.sku} is not stocked at {count.location} in Shopify: stock it "
                    "there first, then count it.",
                    count,
                )
            line = CountLine(
                variant_id=variant.id,
                inventory_item_id=variant.inventory_item_id,
                sku=variant.sku,
                title=variant.display_title,
                expected=level.available,
            )
        return self.set(count, line, line.counted + quantity)

    def set(self, count: StockCount, line: CountLine, counted: int) -> CountScanned:
        if counted < 0:
            raise InventoryError(f"{line.sku}: a count of {counted} is negative; count again.")
        self.store.inventory.save_count_line(count.id, line.model_copy(update={"counted": counted}))
        found = self.store.inventory.count(count.id)
        assert found is not None
        return CountScanned(True, f"{line.sku} {line.title}: {counted} counted", found)

    def finish(self, count: StockCount) -> str:
        """Send every count that differs from what Shopify held; the sentence says what."""
        current = self.store.inventory.count(count.id)
        if current is None or not current.lines:
            raise InventoryError("Nothing was counted: scan the items on the shelf first.")
        now = self.clock.now()
        with self.store.transaction():
            if not self.store.inventory.finish_count(count.id, now):
                raise InventoryError("This count was finished at another station already.")
            self.store.outbox.add(
                [
                    NewOutboxItem(
                        kind="inventory_set",
                        dedupe_key=f"count:{current.location}:{count.id}:{li.variant_id}",
                        payload={
                            "inventory_item_id": li.inventory_item_id,
                            "location_id": current.location_id,
                            "name": "available",
                            "quantity": li.counted,
                            "expected": li.expected,
                            "reason": "cycle_count_available",
                        },
                    )
                    for li in current.changed()
                ],
                now,
            )
        self.stock.invalidate()
        self.bus.publish(StockChanged(at=now, reason=f"count at {current.location}"))
        return count_summary(current.lines)
