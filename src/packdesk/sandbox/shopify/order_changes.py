"""What a customer or the merchant does to orders outside packdesk: create, edit, cancel.

The control API calls these to simulate the world; each fires the webhooks Shopify would.
Bad input raises `ValueError` with one sentence saying what to send instead. Callers hold
`state.lock`.
"""

from __future__ import annotations

from typing import Any

from packdesk.sandbox.shopify.catalog import Node, gid, money
from packdesk.sandbox.shopify.fulfillment import order_status
from packdesk.sandbox.shopify.long_orders import ids_of
from packdesk.sandbox.shopify.order_heads import OrderHead, iso
from packdesk.sandbox.shopify.store import ShopState

MAX_LINES = 8
CANCEL_REASONS = ("CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF")
_ADDRESS_KEYS = {
    "name": "name",
    "company": "company",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "province_code": "provinceCode",
    "provinceCode": "provinceCode",
    "zip": "zip",
    "country_code": "countryCodeV2",
    "countryCodeV2": "countryCodeV2",
    "country": "country",
    "phone": "phone",
    "province": "province",
    "first_name": "firstName",
    "last_name": "lastName",
}


def _address(base: Node, patch: dict[str, Any]) -> Node:
    out = dict(base)
    for key, value in patch.items():
        if key not in _ADDRESS_KEYS:
            raise ValueError(
                f"Unknown address field {key!r}; use one of {', '.join(sorted(_ADDRESS_KEYS))}."
            )
        out[_ADDRESS_KEYS[key]] = value
    return out


def create_order(state: ShopState, body: dict[str, Any]) -> OrderHead:
    """A new open order placed now; body may pick items, address, note, location, shipping."""
    lines: list[tuple[Node, int]] = []
    for item in body.get("items") or []:
        variant = state.catalog.by_sku.get(str(item.get("sku")))
        if variant is None:
            raise ValueError(
                f"No product has SKU {item.get('sku')!r}; pick one from "
                "GET /control/shopify/demo's skus."
            )
        lines.append((variant, int(item.get("quantity", 1))))
    if len(lines) > MAX_LINES:
        raise ValueError(f"An order can have at most {MAX_LINES} lines here; send fewer items.")
    location = str(body.get("location", "CA"))
    if location not in state.catalog.locations:
        raise ValueError(f"Unknown location {location!r}; use CA or PA.")
    now = float(int(state.now().timestamp()))
    head = OrderHead(
        len(state.heads),
        now,
        now,
        "open",
        location,
        number=state.new_id(),
        order_number=state.new_order_number(),
    )
    order = state.factory.materialise(head, lines or None)
    _fresh_ids(state, head, order)
    if body.get("shipping_address"):
        order["shippingAddress"] = _address(order["shippingAddress"], body["shipping_address"])
    if "note" in body:
        order["note"] = body["note"]
    if body.get("email"):
        order["email"] = body["email"]
    if body.get("shipping") == "Express":
        line = order["shippingLines"][0]
        line.update(
            title="Express",
            code="EXPRESS",
            originalPriceSet=money("14.99"),
            discountedPriceSet=money("14.99"),
        )
    state.add_head(head, order)
    state.emit("orders/create", head)
    return head


def _fresh_ids(state: ShopState, head: OrderHead, order: Node) -> None:
    """Give an order placed at run time ids of its own (the demo's id blocks would repeat
    on the next start) and make each findable."""
    for line in order["lineItems"]:
        line["id"] = gid("LineItem", state.new_id())
    for shipping in order["shippingLines"]:
        shipping["id"] = gid("ShippingLine", state.new_id())
    for fo in order["fulfillmentOrders"]:
        fo["id"] = gid("FulfillmentOrder", state.new_id())
        for line in fo["lineItems"]:
            line["id"] = gid("FulfillmentOrderLineItem", state.new_id())
    for found in ids_of(order):
        state.register(found, head)


def cancel_order(state: ShopState, head: OrderHead, reason: str = "CUSTOMER") -> Node:
    """Cancel an order (refunded, closed); fires orders/cancelled and orders/updated."""
    reason = reason.upper()
    if reason not in CANCEL_REASONS:
        raise ValueError(
            f"Unknown cancel reason {reason!r}; use one of {', '.join(CANCEL_REASONS)}."
        )
    order = state.pin(head)
    if order["cancelledAt"]:
        raise ValueError(f"Order {order['name']} is already cancelled.")
    if order["displayFulfillmentStatus"] == "FULFILLED":
        raise ValueError(f"Order {order['name']} is fulfilled and can't be cancelled.")
    now = iso(state.now().timestamp())
    order.update(
        cancelledAt=now,
        cancelReason=reason,
        closed=True,
        closedAt=now,
        displayFinancialStatus="REFUNDED",
        currentSubtotalPriceSet=money("0.00"),
    )
    for fo in order["fulfillmentOrders"]:
        if fo["status"] in ("OPEN", "IN_PROGRESS", "ON_HOLD", "SCHEDULED"):
            fo["status"] = "CLOSED"
            fo["updatedAt"] = now
    state.touch(head)
    state.emit("orders/cancelled", head)
    state.emit("orders/updated", head)
    return order


def edit_order(state: ShopState, head: OrderHead, body: dict[str, Any]) -> Node:
    """Change note, line quantities ({line item id: qty}) or address; fires orders/updated."""
    order = state.pin(head)
    if order["cancelledAt"]:
        raise ValueError(f"Order {order['name']} is cancelled and can't be edited.")
    quantities = body.get("quantities") or {}
    by_id = {li["id"].rsplit("/", 1)[-1]: li for li in order["lineItems"]}
    for key, qty in quantities.items():
        li = by_id.get(str(key).rsplit("/", 1)[-1])
        if li is None:
            raise ValueError(
                f"Order {order['name']} has no line item {key}; use one of {', '.join(by_id)}."
            )
        _set_quantity(order, li, int(qty))
    if quantities:
        order["currentTotalPriceSet"] = money(_current_total(order))
        order["currentSubtotalPriceSet"] = money(_current_subtotal(order))
    if "note" in body:
        order["note"] = body["note"]
    if body.get("shipping_address"):
        order["shippingAddress"] = _address(order["shippingAddress"], body["shipping_address"])
    order_status(order)
    state.touch(head)
    state.emit("orders/updated", head)
    return order


def _cents(amount: str) -> int:
    units, _, cents = amount.partition(".")
    return int(units) * 100 + int((cents + "00")[:2])


def _current_total(order: Node) -> str:
    """The current subtotal plus shipping and the tax on what is left, as Shopify's
    currentTotalPrice after an edit (the tax falls with the items it was charged on)."""
    current = _cents(_current_subtotal(order))
    subtotal = _cents(order["subtotalPriceSet"]["shopMoney"]["amount"])
    tax_set = order.get("totalTaxSet")
    tax = _cents(tax_set["shopMoney"]["amount"]) if tax_set else 0
    total = current + (round(tax * current / subtotal) if subtotal else 0)
    total += sum(
        _cents(s["originalPriceSet"]["shopMoney"]["amount"]) for s in order["shippingLines"]
    )
    return f"{total // 100}.{total % 100:02d}"


def _current_subtotal(order: Node) -> str:
    """Line prices × current quantities less the order's discounts, as Shopify's
    currentSubtotalPrice after an edit."""
    items = sum(
        _cents(li["originalUnitPriceSet"]["shopMoney"]["amount"]) * li["currentQuantity"]
        for li in order["lineItems"]
    )
    discounts = order.get("totalDiscountsSet")
    items -= _cents(discounts["shopMoney"]["amount"]) if discounts else 0
    items = max(0, items)
    return f"{items // 100}.{items % 100:02d}"


def _set_quantity(order: Node, li: Node, qty: int) -> None:
    fulfilled = li["currentQuantity"] - li["unfulfilledQuantity"]
    if qty < fulfilled:
        raise ValueError(
            f"Line {li['sku']} has {fulfilled} fulfilled already; the quantity can't go below that."
        )
    delta = qty - li["currentQuantity"]
    li["currentQuantity"] = qty
    for fo in order["fulfillmentOrders"]:
        if fo["status"] not in ("OPEN", "IN_PROGRESS") or delta == 0:
            continue
        for line in fo["lineItems"]:
            if line["lineItem"] is li:
                change = max(delta, -line["remainingQuantity"])
                line["remainingQuantity"] += change
                line["totalQuantity"] += change
                delta -= change
    if (
        all(
            ln["remainingQuantity"] == 0
            for fo in order["fulfillmentOrders"]
            for ln in fo["lineItems"]
        )
        and li["currentQuantity"] == 0
    ):
        for fo in order["fulfillmentOrders"]:
            if fo["status"] == "OPEN":
                fo["status"] = "CLOSED"
