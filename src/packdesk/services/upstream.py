"""Outbox handlers for Shopify effects: fulfillments with tracking, and stock changes.

Each handler is idempotent: before creating a fulfillment it reads what Shopify already
holds for the order, so a retry after a lost answer (the mutation happened, the reply did
not arrive) finds its own fulfillment and counts the item as delivered.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from packdesk.domain.models import OutboxItem
from packdesk.domain.outbox import (
    Delivery,
    DeliveryFailed,
    FulfillmentLine,
    FulfillmentOrderLines,
    FulfillmentRequest,
    InventoryAdjustment,
)
from packdesk.domain.ports import ShopFulfillments, ShopInventory, StaleState
from packdesk.domain.states import StationState, TransitionRefused
from packdesk.services.station import StationService

OPEN_STATUSES = frozenset({"OPEN", "IN_PROGRESS"})
"""Fulfillment order statuses that can still take a fulfillment."""


class FulfillmentHandler:
    """Delivers `fulfillment` items (payload contract in services/effects.py)."""

    def __init__(
        self,
        shop: ShopFulfillments,
        *,
        notify_customer: bool = False,
        on_fulfilled: Callable[[str], None] | None = None,
    ) -> None:
        self.shop = shop
        self.notify_customer = notify_customer
        self.on_fulfilled = on_fulfilled
        """Called with the order id once Shopify holds the fulfillment (moves the station
        order to FULFILLED); runs again on a retry, so it must be idempotent too."""

    def __call__(self, item: OutboxItem) -> Delivery:
        request = self.request(item)
        upstream = self.shop.upstream_fulfillments(request.order_id)
        if request.tracking_number and request.tracking_number in upstream.tracking_numbers:
            return self._done(request, "already in Shopify (tracking number found)")
        statuses = upstream.fulfillment_order_status
        wanted = [fo for fo in request.fulfillment_orders if fo.id in statuses or not statuses]
        still_open = [fo for fo in wanted if statuses.get(fo.id, "OPEN") in OPEN_STATUSES]
        if not still_open:
            if request.fulfillment_orders and all(
                statuses.get(fo.id) == "CANCELLED" for fo in request.fulfillment_orders
            ):
                raise DeliveryFailed(
                    f"Order {request.order_id}: its fulfillment orders were cancelled in "
                    "Shopify, so there is nothing to fulfil; void the label if it is unused.",
                    permanent=True,
                )
            return self._done(request, "fulfillment orders already closed in Shopify")
        try:
            fulfillment_id = self.shop.create_fulfillment(
                request.model_copy(update={"fulfillment_orders": tuple(still_open)})
            )
        except DeliveryFailed:
            # The answer may be lost or a refusal may mean "already done": look again.
            if request.tracking_number and self._exists(request):
                return self._done(request, "already in Shopify (found after an unclear answer)")
            raise
        return self._done(request, f"fulfillment {fulfillment_id}")

    def _exists(self, request: FulfillmentRequest) -> bool:
        try:
            upstream = self.shop.upstream_fulfillments(request.order_id)
        except DeliveryFailed:
            return False
        return request.tracking_number in upstream.tracking_numbers

    def request(self, item: OutboxItem) -> FulfillmentRequest:
        p: dict[str, Any] = item.payload
        try:
            fos = tuple(
                FulfillmentOrderLines(
                    id=str(fo["id"]),
                    lines=tuple(
                        FulfillmentLine(id=str(line["id"]), quantity=int(line["quantity"]))
                        for line in fo.get("lines", [])
                    ),
                )
                for fo in p.get("fulfillment_orders", [])
            )
            return FulfillmentRequest(
                order_id=str(p.get("order_id") or item.order_id),
                fulfillment_orders=fos,
                tracking_company=str(p.get("tracking_company") or ""),
                tracking_number=str(p.get("tracking_number") or ""),
                tracking_url=str(p.get("tracking_url") or ""),
                notify_customer=self.notify_customer,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DeliveryFailed(
                f"Fulfillment item {item.dedupe_key} has a malformed payload ({exc}).",
                permanent=True,
            ) from exc

    def _done(self, request: FulfillmentRequest, note: str) -> Delivery:
        if self.on_fulfilled is not None:
            self.on_fulfilled(request.order_id)
        return Delivery(note=note)


class InventoryHandler:
    """Delivers `inventory_adjust` items: `{"inventory_item_id", "location_id", "delta",
    "reason"}`, and optionally `"name"` (`available`, the default, or `incoming`),
    `"reference"` and `"ledger_document"` (URIs of the purchase order it is made for). The
    dedupe key goes upstream as Shopify's idempotency key, so a resend after a lost answer is
    not applied twice."""

    def __init__(self, shop: ShopInventory) -> None:
        self.shop = shop

    def __call__(self, item: OutboxItem) -> Delivery:
        p = item.payload
        try:
            name = str(p.get("name") or "available")
            if name not in ("available", "incoming"):
                raise ValueError(f"name {name!r} is not available or incoming")
            adjustment = InventoryAdjustment(
                inventory_item_id=str(p["inventory_item_id"]),
                location_id=str(p["location_id"]),
                name="incoming" if name == "incoming" else "available",
                delta=int(str(p["delta"])),
                reason=str(p.get("reason") or "correction"),
                key=item.dedupe_key,
                reference=str(p.get("reference") or ""),
                ledger_document=str(p.get("ledger_document") or ""),
            )
        except (KeyError, ValueError) as exc:
            raise DeliveryFailed(
                f"Inventory item {item.dedupe_key} has a malformed payload ({exc}).",
                permanent=True,
            ) from exc
        if adjustment.delta == 0:
            return Delivery(note="nothing to change")
        self.shop.adjust_inventory(adjustment)
        name = "" if adjustment.name == "available" else f"{adjustment.name} "
        return Delivery(note=f"{name}{adjustment.delta:+d} at {adjustment.location_id}")


def mark_fulfilled(station: StationService) -> Callable[[str], None]:
    """An `on_fulfilled` callback: a LABELED or PRINTED order becomes FULFILLED once Shopify
    holds its fulfillment. Any other state is left alone (already moved on, or cancelled)."""

    def mark(order_id: str) -> None:
        current = station.state_of(order_id)
        if current is None or current.state not in (StationState.LABELED, StationState.PRINTED):
            return
        # another thread may have moved it meanwhile: then there is nothing to do
        with contextlib.suppress(StaleState, TransitionRefused):
            station.move(
                order_id,
                StationState.FULFILLED,
                actor="outbox",
                reason="Shopify holds the fulfillment with its tracking number",
            )

    return mark
