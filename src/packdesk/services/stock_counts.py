"""The outbox handler of counted stock (`inventory_set` items): set in Shopify only what
Shopify still holds as the count saw it.

A count is compared with the quantity Shopify held when it was made (`expected`, sent as
`changeFromQuantity`). When Shopify holds another quantity now, it refuses the write
(CHANGE_FROM_QUANTITY_STALE), and the handler re-reads before deciding:

- Shopify already holds the counted quantity: delivered (an earlier try whose answer was
  lost, or a change that happened to end there);
- it holds something else: stock moved since the count (a sale, a receipt, another count)
  and packdesk cannot tell the counted shelf from the change, so it stops for a person with
  the numbers, who counts again. It never resends the same write, and never overwrites a
  change it has not seen.
"""

from __future__ import annotations

from typing import Any, Literal

from packdesk.domain.models import OutboxItem
from packdesk.domain.outbox import Delivery, DeliveryFailed, InventoryCount, QuantityStale
from packdesk.domain.ports import ShopInventory

QUANTITY_NAMES = ("available", "on_hand")


class InventoryCountHandler:
    """Delivers `inventory_set` items: `{"inventory_item_id", "location_id", "name",
    "quantity", "expected", "reason"}`; `name` is `available` (the default) or `on_hand`,
    `expected` Shopify's quantity when counted (null: set whatever Shopify holds)."""

    def __init__(self, shop: ShopInventory) -> None:
        self.shop = shop

    def __call__(self, item: OutboxItem) -> Delivery:
        count = self.count(item)
        try:
            self.shop.set_inventory(count)
        except QuantityStale:
            return self._decide(count)
        return Delivery(note=f"{count.name} set to {count.quantity} at {count.location_id}")

    def _decide(self, count: InventoryCount) -> Delivery:
        now = self.shop.inventory_quantity(count.inventory_item_id, count.location_id, count.name)
        if now is None:
            raise DeliveryFailed(
                f"Shopify no longer stocks {count.inventory_item_id} at {count.location_id}, "
                "so the count cannot be set; stock the item there in Shopify and count again.",
                permanent=True,
            )
        if now == count.quantity:
            return Delivery(note=f"Shopify already holds {now} {count.name} (re-read)")
        raise DeliveryFailed(
            f"Shopify's {count.name} stock of {count.inventory_item_id} at "
            f"{count.location_id} is {now}, not the {count.expected} the count of "
            f"{count.quantity} was compared with: it changed since the count (a sale, a "
            "receipt or another count). packdesk does not overwrite a change it has not seen; "
            "count again.",
            permanent=True,
        )

    @staticmethod
    def count(item: OutboxItem) -> InventoryCount:
        p: dict[str, Any] = item.payload
        try:
            name = str(p.get("name") or "available")
            if name not in QUANTITY_NAMES:
                raise ValueError(f"name {name!r} is not one of {', '.join(QUANTITY_NAMES)}")
            which: Literal["available", "on_hand"] = "on_hand" if name == "on_hand" else "available"
            expected = p.get("expected")
            return InventoryCount(
                inventory_item_id=str(p["inventory_item_id"]),
                location_id=str(p["location_id"]),
                name=which,
                quantity=int(str(p["quantity"])),
                expected=None if expected is None else int(str(expected)),
                reason=str(
                    p.get("reason")
                    or ("cycle_count_available" if name == "available" else "correction")
                ),
                key=item.dedupe_key,
            )
        except (KeyError, ValueError) as exc:
            raise DeliveryFailed(
                f"Count item {item.dedupe_key} has a malformed payload ({exc}).", permanent=True
            ) from exc
