"""Stock changes in Shopify for the outbox (`ShopInventory`): adjustments and counts.

Every write carries its outbox key as `@idempotent(key:)` (required on adjustments from API
version 2026-04); a change of `incoming` names its ledger document (the purchase order): Shopify remembers a key for 24 hours and answers a repeat with the first
result instead of applying it again, so the outbox may resend after a lost answer. A count
also carries `changeFromQuantity`, the quantity Shopify held when it was counted; when
Shopify holds another, it refuses with CHANGE_FROM_QUANTITY_STALE, which becomes
`QuantityStale` for the handler to re-read and decide, never a blind retry.

The client given here should not retry on its own (bootstrap gives the outbox's client,
`max_attempts=1`), as for fulfillments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from packdesk.adapters.shopify.errors import ShopifyQueryError
from packdesk.adapters.shopify.fulfillments import GraphQLExecutor
from packdesk.adapters.shopify.mappers import stock_from_level_node
from packdesk.domain.models import StockLevel
from packdesk.domain.outbox import (
    DeliveryFailed,
    InventoryAdjustment,
    InventoryCount,
    QuantityStale,
)

STALE = "CHANGE_FROM_QUANTITY_STALE"
CONCURRENT = "IDEMPOTENCY_CONCURRENT_REQUEST"


def reference_uri(key: str) -> str:
    """The outbox key as the URI Shopify keeps with an inventory adjustment group."""
    return f"gid://packdesk/OutboxItem/{quote(key, safe='')}"


def read_level(
    client: GraphQLExecutor, inventory_item_id: str, location_id: str
) -> StockLevel | None:
    """The item's available and on-hand stock at the location now; None when Shopify has no
    such item or does not stock it there."""
    data = client.execute("InventoryLevel", {"item": inventory_item_id, "location": location_id})
    item = data.get("inventoryItem") or {}
    level = item.get("inventoryLevel")
    return stock_from_level_node(inventory_item_id, level) if isinstance(level, dict) else None


class ShopifyInventory:
    def __init__(self, client: GraphQLExecutor) -> None:
        self.client = client

    def adjust_inventory(self, adjustment: InventoryAdjustment) -> None:
        change: dict[str, Any] = {
            "delta": adjustment.delta,
            "inventoryItemId": adjustment.inventory_item_id,
            "locationId": adjustment.location_id,
        }
        if adjustment.name != "available":
            change["ledgerDocumentUri"] = adjustment.ledger_document or reference_uri(
                adjustment.key
            )
        data = self._run(
            "InventoryAdjustQuantities",
            {
                "input": {
                    "name": adjustment.name,
                    "reason": adjustment.reason,
                    "referenceDocumentUri": adjustment.reference or reference_uri(adjustment.key),
                    "changes": [change],
                },
                "idempotencyKey": adjustment.key,
            },
        )
        self._check(data.get("inventoryAdjustQuantities"), "the stock change")

    def set_inventory(self, count: InventoryCount) -> None:
        data = self._run(
            "InventorySetQuantities",
            {
                "input": {
                    "name": count.name,
                    "reason": count.reason,
                    "referenceDocumentUri": reference_uri(count.key),
                    "quantities": [
                        {
                            "inventoryItemId": count.inventory_item_id,
                            "locationId": count.location_id,
                            "quantity": count.quantity,
                            "changeFromQuantity": count.expected,
                        }
                    ],
                },
                "idempotencyKey": count.key,
            },
        )
        self._check(data.get("inventorySetQuantities"), "the counted quantity")

    def inventory_quantity(self, inventory_item_id: str, location_id: str, name: str) -> int | None:
        try:
            level = read_level(self.client, inventory_item_id, location_id)
        except ShopifyQueryError as exc:
            raise DeliveryFailed(str(exc), permanent=True) from exc
        except Exception as exc:
            raise DeliveryFailed(str(exc)) from exc
        if level is None:
            return None
        return level.on_hand if name == "on_hand" else level.available

    @staticmethod
    def _check(payload: Any, what: str) -> None:
        errors = (payload or {}).get("userErrors") or []
        if not errors:
            return
        codes = {str(e.get("code") or "") for e in errors}
        text = "; ".join(str(e.get("message")) for e in errors)
        if STALE in codes:
            raise QuantityStale(text)
        if CONCURRENT in codes:
            raise DeliveryFailed(
                f"Shopify is still applying an earlier try of {what} ({text}); packdesk asks "
                "again later."
            )
        raise DeliveryFailed(f"Shopify refused {what}: {text}", permanent=True)

    def _run(self, operation: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        try:
            return self.client.execute(operation, variables)
        except ShopifyQueryError as exc:  # the request itself is wrong: retrying cannot help
            raise DeliveryFailed(str(exc), permanent=True) from exc
        except Exception as exc:  # unavailable, a missing scope (fixable), ...: sentences
            raise DeliveryFailed(str(exc)) from exc
