"""The upstream effects a station change causes, as outbox rows.

These are written in the same transaction as the change (DESIGN.md, "Never twice, never
lost"); the outbox worker delivers them. Their dedupe keys make a second write of the same
effect a no-op, so retrying a use case never sends anything twice.

Payload shapes (the outbox worker's contract):

- `fulfillment`: `{"order_id", "purchase_key", "tracking_company", "tracking_number",
  "tracking_url", "fulfillment_orders": [{"id", "lines": [{"id", "quantity"}]}]}`
- `email`: `{"template", "order_id", "to", ...template values}`; template is one of
  `order_confirmation`, `shipping_confirmation`, `usage_guide`, `review_request`. A shipping
  confirmation carries `items: [{"line_item_id", "quantity"}]`, what its parcel holds.
- `inventory_adjust`: `{"inventory_item_id", "location_id", "delta", "reason"}`
- `inventory_set`: `{"inventory_item_id", "location_id", "name", "quantity", "expected",
  "reason"}`: a counted quantity (services/stock_counts.py)
"""

from __future__ import annotations

from packdesk.domain.models import LabelPurchase, NewOutboxItem, Order
from packdesk.domain.outbox import email_key, fulfillment_key
from packdesk.domain.remaining import to_ship


def fulfillment_effects(
    order: Order, purchase: LabelPurchase, location_id: str
) -> list[NewOutboxItem]:
    """The fulfillment with tracking for the station location's open fulfillment orders,
    and the customer's shipping email listing what the parcel holds (what remained to ship
    from here), for a freshly bought label."""
    fulfillment_orders = [
        {
            "id": fo.id,
            "lines": [
                {"id": line.id, "quantity": line.remaining_quantity}
                for line in fo.lines
                if line.remaining_quantity > 0
            ],
        }
        for fo in order.fulfillment_orders
        if fo.location_id == location_id and fo.status in ("OPEN", "IN_PROGRESS")
    ]
    effects = [
        NewOutboxItem(
            kind="fulfillment",
            dedupe_key=fulfillment_key(purchase.key),
            order_id=order.id,
            payload={
                "order_id": order.id,
                "purchase_key": purchase.key,
                "tracking_company": purchase.carrier,
                "tracking_number": purchase.tracking_number,
                "tracking_url": purchase.tracking_url,
                "fulfillment_orders": fulfillment_orders,
            },
        )
    ]
    recipient = order.email or order.customer.email
    if recipient:
        effects.append(
            NewOutboxItem(
                kind="email",
                dedupe_key=email_key("shipping_confirmation", order.id),
                order_id=order.id,
                payload={
                    "template": "shipping_confirmation",
                    "order_id": order.id,
                    "to": recipient,
                    "tracking_number": purchase.tracking_number,
                    "tracking_url": purchase.tracking_url,
                    "carrier": purchase.carrier,
                    "items": [
                        {"line_item_id": line_item_id, "quantity": quantity}
                        for line_item_id, quantity in to_ship(order, location_id).items()
                    ],
                },
            )
        )
    return effects
