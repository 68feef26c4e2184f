"""What fulfilling and moving do to an order: quantities, statuses, stock, updatedAt, webhooks.

Used by the `fulfillmentCreate` and `fulfillmentOrderMove` mutations and by the control API
("fulfilled elsewhere", "move to PA"). Each function checks its input like Shopify and
returns user errors (`{"field": [...], "message": ...}`) instead of changing anything.
A fulfillment tells orders/fulfilled (or orders/partially_fulfilled), orders/updated and
inventory_levels/update for every level it takes stock from. Callers hold `state.lock`.
"""

from __future__ import annotations

from typing import Any

from packdesk.sandbox.shopify.catalog import Node, gid
from packdesk.sandbox.shopify.demo_orders import new_fulfillment, tracking_info
from packdesk.sandbox.shopify.order_heads import iso
from packdesk.sandbox.shopify.store import ShopState

UserErrors = list[dict[str, Any]]


def _err(field: list[str] | None, message: str, code: str | None = None) -> dict[str, Any]:
    e: dict[str, Any] = {"field": field, "message": message}
    if code is not None:
        e["code"] = code
    return e


def _numeric(gid_text: str) -> str:
    return gid_text.rsplit("/", 1)[-1]


def order_status(order: Node) -> None:
    """Recompute displayFulfillmentStatus from the fulfillment orders' quantities."""
    total = remaining = 0
    for fo in order["fulfillmentOrders"]:
        for line in fo["lineItems"]:
            total += line["totalQuantity"]
            remaining += line["remainingQuantity"]
    if order["cancelledAt"]:
        return
    if remaining == 0 and total:
        order["displayFulfillmentStatus"] = "FULFILLED"
    elif remaining < total:
        order["displayFulfillmentStatus"] = "PARTIALLY_FULFILLED"
    else:
        order["displayFulfillmentStatus"] = "UNFULFILLED"
    per_line: dict[str, int] = {}
    for fo in order["fulfillmentOrders"]:
        for line in fo["lineItems"]:
            key = line["lineItem"]["id"]
            per_line[key] = per_line.get(key, 0) + line["remainingQuantity"]
    for li in order["lineItems"]:
        li["unfulfilledQuantity"] = per_line.get(li["id"], 0)


def fulfill(state: ShopState, spec: dict[str, Any]) -> tuple[Node | None, UserErrors]:
    """Apply a FulfillmentInput; returns (fulfillment, user errors)."""
    groups = spec.get("lineItemsByFulfillmentOrder") or []
    if not groups:
        return None, [
            _err(
                ["fulfillment", "lineItemsByFulfillmentOrder"],
                "Line items by fulfillment order can't be blank.",
            )
        ]
    plan: list[tuple[Node, Node, int]] = []  # (fo, fo line, quantity)
    head = order = None
    for i, group in enumerate(groups):
        where = ["fulfillment", "lineItemsByFulfillmentOrder", str(i)]
        found = state.find_in_order(group["fulfillmentOrderId"])
        if found is None or found[2].get("status") is None:
            return None, [_err([*where, "fulfillmentOrderId"], "Fulfillment order does not exist.")]
        fo_head, fo_order, fo = found
        if head is not None and fo_head is not head:
            return None, [
                _err(
                    [*where, "fulfillmentOrderId"],
                    "All fulfillment orders must belong to the same order.",
                )
            ]
        head, order = fo_head, fo_order
        if fo["status"] not in ("OPEN", "IN_PROGRESS"):
            return None, [
                _err(
                    ["fulfillment"],
                    f"Fulfillment order {_numeric(fo['id'])} has "
                    f"an unfulfillable status= {fo['status'].lower()}.",
                )
            ]
        wanted = group.get("fulfillmentOrderLineItems")
        if not wanted:
            plan.extend(
                (fo, ln, ln["remainingQuantity"])
                for ln in fo["lineItems"]
                if ln["remainingQuantity"] > 0
            )
            continue
        lines = {ln["id"]: ln for ln in fo["lineItems"]}
        for j, item in enumerate(wanted):
            at = [*where, "fulfillmentOrderLineItems", str(j)]
            line = lines.get(item["id"])
            if line is None:
                return None, [_err([*at, "id"], "Fulfillment order line item does not exist.")]
            if item["quantity"] <= 0 or item["quantity"] > line["remainingQuantity"]:
                return None, [
                    _err(
                        [*at, "quantity"], "Invalid fulfillment order line item quantity requested."
                    )
                ]
            plan.append((fo, line, item["quantity"]))
    if not plan or head is None or order is None:
        return None, [_err(["fulfillment"], "Fulfillment order has no fulfillable line items.")]
    order = state.pin(head)
    plan = [(_same(order, fo), _same_line(order, ln), q) for fo, ln, q in plan]
    now = iso(state.now().timestamp())
    fo0 = plan[0][0]
    location = fo0["assignedLocation"]["location"]
    infos = _tracking(spec.get("trackingInfo") or {})
    number = state.new_id()
    f = new_fulfillment(
        number,
        f"{order['name']}.{len(order['fulfillments']) + 1}",
        now,
        location,
        infos[0] if infos else {},
    )
    f["trackingInfo"] = infos
    f["_notifyCustomer"] = bool(spec.get("notifyCustomer"))
    f["_lines"] = [{"lineItem": ln["lineItem"], "quantity": q} for _, ln, q in plan]
    for fo, line, qty in plan:
        line["remainingQuantity"] -= qty
        level = state.catalog.level(
            line["lineItem"]["variant"]["inventoryItem"], fo["assignedLocation"]["location"]["id"]
        )
        if level is not None:
            level["_q"]["on_hand"] -= qty
            level["_q"]["available"] -= qty
            level["updatedAt"] = now
            variant = line["lineItem"]["variant"]
            variant["inventoryQuantity"] -= qty
            state.level_changed(level)
    for fo in {id(fo): fo for fo, _, _ in plan}.values():
        fo["status"] = (
            "CLOSED"
            if all(ln["remainingQuantity"] == 0 for ln in fo["lineItems"])
            else "IN_PROGRESS"
        )
        fo["updatedAt"] = now
    order["fulfillments"].append(f)
    order_status(order)
    state.touch(head)
    if order["displayFulfillmentStatus"] == "FULFILLED":
        state.emit("orders/fulfilled", head)
    else:
        state.emit("orders/partially_fulfilled", head)
    state.emit("orders/updated", head)
    return f, []


def _same(order: Node, fo: Node) -> Node:
    """The pinned order's copy of a fulfillment order (pinning keeps the same dicts)."""
    for x in order["fulfillmentOrders"]:
        if x["id"] == fo["id"]:
            same: Node = x
            return same
    raise KeyError(fo["id"])


def _same_line(order: Node, line: Node) -> Node:
    for fo in order["fulfillmentOrders"]:
        for x in fo["lineItems"]:
            if x["id"] == line["id"]:
                same: Node = x
                return same
    raise KeyError(line["id"])


def _tracking(spec: dict[str, Any]) -> list[Node]:
    numbers = list(spec.get("numbers") or ([spec["number"]] if spec.get("number") else []))
    urls = list(spec.get("urls") or ([spec["url"]] if spec.get("url") else []))
    company = spec.get("company")
    if not numbers:
        return [tracking_info(company, None, urls[0] if urls else None)] if company else []
    return [
        tracking_info(company, n, urls[i] if i < len(urls) else None) for i, n in enumerate(numbers)
    ]


def move(
    state: ShopState, fo_id: str, location_id: str, lines: list[dict[str, Any]] | None
) -> tuple[dict[str, Node | None], UserErrors]:
    """fulfillmentOrderMove: the moved, original and remaining fulfillment orders."""
    empty: dict[str, Node | None] = {
        "movedFulfillmentOrder": None,
        "originalFulfillmentOrder": None,
        "remainingFulfillmentOrder": None,
    }
    found = state.find_in_order(fo_id)
    if found is None or found[2].get("status") is None:
        return empty, [_err(["id"], "Fulfillment order does not exist.")]
    location = state.catalog.locations_by_id.get(location_id)
    if location is None:
        return empty, [_err(["newLocationId"], "Location could not be found.")]
    head = found[0]
    order = state.pin(head)
    fo = _same(order, found[2])
    if fo["status"] not in ("OPEN", "IN_PROGRESS"):
        return empty, [
            _err(
                ["id"],
                "Cannot move a fulfillment order that is "
                f"{fo['status'].lower().replace('_', ' ')}.",
            )
        ]
    if fo["assignedLocation"]["location"]["id"] == location_id:
        return empty, [
            _err(
                ["newLocationId"],
                "Cannot move a fulfillment order to the location it is already assigned to.",
            )
        ]
    by_id = {ln["id"]: ln for ln in fo["lineItems"]}
    if lines:
        moving: dict[str, int] = {}
        for j, item in enumerate(lines):
            line = by_id.get(item["id"])
            if line is None:
                return empty, [
                    _err(
                        ["fulfillmentOrderLineItems", str(j), "id"],
                        "Fulfillment order line item does not exist.",
                    )
                ]
            if item["quantity"] <= 0 or item["quantity"] > line["remainingQuantity"]:
                return empty, [
                    _err(
                        ["fulfillmentOrderLineItems", str(j), "quantity"],
                        "Invalid fulfillment order line item quantity requested.",
                    )
                ]
            moving[line["id"]] = item["quantity"]
    else:
        moving = {
            ln["id"]: ln["remainingQuantity"]
            for ln in fo["lineItems"]
            if ln["remainingQuantity"] > 0
        }
    now = iso(state.now().timestamp())
    assigned = {"name": location["name"], "countryCode": "US", "location": location}
    untouched = all(
        ln["remainingQuantity"] == ln["totalQuantity"]
        and moving.get(ln["id"], 0) == ln["remainingQuantity"]
        for ln in fo["lineItems"]
    )
    if untouched:
        fo["assignedLocation"] = assigned
        fo["updatedAt"] = now
        moved = fo
    else:
        moved = {
            "id": gid("FulfillmentOrder", state.new_id()),
            "status": "OPEN",
            "requestStatus": "UNSUBMITTED",
            "createdAt": now,
            "updatedAt": now,
            "assignedLocation": assigned,
            "_order": order["id"],
            "lineItems": [],
        }
        for line_id, qty in moving.items():
            line = by_id[line_id]
            line["remainingQuantity"] -= qty
            line["totalQuantity"] -= qty
            new_line = {
                "id": gid("FulfillmentOrderLineItem", state.new_id()),
                "sku": line["sku"],
                "remainingQuantity": qty,
                "totalQuantity": qty,
                "lineItem": line["lineItem"],
            }
            moved["lineItems"].append(new_line)
            state.register(new_line["id"], head)
        fo["lineItems"] = [ln for ln in fo["lineItems"] if ln["totalQuantity"] > 0]
        if all(ln["remainingQuantity"] == 0 for ln in fo["lineItems"]):
            fo["status"] = "CLOSED"
        fo["updatedAt"] = now
        order["fulfillmentOrders"].append(moved)
        state.register(moved["id"], head)
    order_status(order)
    state.touch(head)
    state.emit("orders/updated", head)
    return {
        "movedFulfillmentOrder": moved,
        "originalFulfillmentOrder": fo,
        "remainingFulfillmentOrder": None if untouched else fo,
    }, []
