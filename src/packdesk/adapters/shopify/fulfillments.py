"""Shopify fulfillments for the outbox (`ShopFulfillments`); stock changes are inventory.py's.

Operations are `.graphql` files in `operations/` run through the shop's GraphQL client
(`client.execute(name, variables)`). The client given here should not retry on its own
(bootstrap builds it with `max_attempts=1`): a mutation whose answer was lost must be
checked upstream before it is sent again, and the outbox worker does exactly that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from packdesk.adapters.shopify.errors import ShopifyQueryError
from packdesk.domain.outbox import (
    DeliveryFailed,
    FulfillmentRequest,
    UpstreamFulfillments,
)


class GraphQLExecutor(Protocol):
    def execute(
        self, operation: str, variables: Mapping[str, Any] | None = None
    ) -> dict[str, Any]: ...


class ShopifyFulfillments:
    def __init__(self, client: GraphQLExecutor) -> None:
        self.client = client

    def upstream_fulfillments(self, order_id: str) -> UpstreamFulfillments:
        data = self._run("FulfillmentOrderStatus", {"id": order_id})
        order = data.get("order")
        if not order:
            raise DeliveryFailed(
                f"Order {order_id} is not in Shopify any more; nothing to fulfil.",
                permanent=True,
            )
        statuses = {
            str(fo["id"]): str(fo["status"])
            for fo in (order.get("fulfillmentOrders") or {}).get("nodes", [])
        }
        numbers = tuple(
            str(info["number"])
            for fulfillment in order.get("fulfillments") or []
            if fulfillment.get("status") not in ("CANCELLED", "ERROR", "FAILURE")
            for info in fulfillment.get("trackingInfo") or []
            if info.get("number")
        )
        return UpstreamFulfillments(fulfillment_order_status=statuses, tracking_numbers=numbers)

    def create_fulfillment(self, request: FulfillmentRequest) -> str:
        tracking = {
            k: v
            for k, v in (
                ("company", request.tracking_company),
                ("number", request.tracking_number),
                ("url", request.tracking_url),
            )
            if v
        }
        fulfillment: dict[str, Any] = {
            "lineItemsByFulfillmentOrder": [
                {
                    "fulfillmentOrderId": fo.id,
                    "fulfillmentOrderLineItems": [
                        {"id": line.id, "quantity": line.quantity} for line in fo.lines
                    ],
                }
                for fo in request.fulfillment_orders
            ],
            "notifyCustomer": request.notify_customer,
        }
        if tracking:
            fulfillment["trackingInfo"] = tracking
        data = self._run("FulfillmentCreate", {"fulfillment": fulfillment})
        payload = data.get("fulfillmentCreate") or {}
        errors = payload.get("userErrors") or []
        if errors:
            raise DeliveryFailed(
                "Shopify refused the fulfillment: "
                + "; ".join(str(e.get("message")) for e in errors),
                permanent=True,
            )
        created = payload.get("fulfillment") or {}
        if not created.get("id"):
            raise DeliveryFailed("Shopify answered fulfillmentCreate without a fulfillment.")
        return str(created["id"])

    def _run(self, operation: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        try:
            return self.client.execute(operation, variables)
        except DeliveryFailed:
            raise
        except ShopifyQueryError as exc:  # the request itself is wrong: retrying cannot help
            raise DeliveryFailed(str(exc), permanent=True) from exc
        except Exception as exc:  # unavailable, auth (fixable in config), ...: sentences
            raise DeliveryFailed(str(exc)) from exc
