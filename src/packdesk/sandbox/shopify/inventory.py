"""inventoryAdjustQuantities and inventorySetQuantities over the catalog's inventory levels.

Checks follow Shopify's: known reason, quantity name, item and location, the item stocked
at the location, and for "set" the compare quantity (unless told to ignore it). Any error
rejects the whole input, as Shopify does. Callers hold `state.lock`.
"""

from __future__ import annotations

from typing import Any

from packdesk.sandbox.shopify.catalog import Node, gid
from packdesk.sandbox.shopify.demo_orders import iso
from packdesk.sandbox.shopify.store import ShopState

REASONS = {
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_canceled",
    "movement_created",
    "movement_received",
    "movement_updated",
    "other",
    "promotion",
    "quality_control",
    "received",
    "reservation_created",
    "reservation_deleted",
    "reservation_updated",
    "restock",
    "safety_stock",
    "shrinkage",
}
ADJUST_NAMES = {
    "available",
    "damaged",
    "incoming",
    "quality_control",
    "reserved",
    "safety_stock",
    "on_hand",
}
SET_NAMES = {"available", "on_hand"}

UserErrors = list[dict[str, Any]]


def _err(field: list[str], message: str, code: str) -> dict[str, Any]:
    return {"field": field, "message": message, "code": code}


def _level(
    state: ShopState, item_id: str, location_id: str, at: list[str]
) -> tuple[Node | None, dict[str, Any] | None]:
    item = state.catalog.by_id.get(item_id)
    if item is None or not item_id.startswith("gid://shopify/InventoryItem/"):
        return None, _err(
            [*at, "inventoryItemId"],
            "The specified inventory item could not be found.",
            "INVALID_INVENTORY_ITEM",
        )
    if location_id not in state.catalog.locations_by_id:
        return None, _err(
            [*at, "locationId"], "The specified location could not be found.", "INVALID_LOCATION"
        )
    level = state.catalog.level(item, location_id)
    if level is None:
        return None, _err(
            [*at, "locationId"],
            "The specified inventory item is not stocked at the location.",
            "ITEM_NOT_STOCKED_AT_LOCATION",
        )
    return level, None


def _apply(level: Node, name: str, delta: int, now: str) -> int:
    q = level["_q"]
    q[name] += delta
    # available and on_hand move together: the sandbox keeps nothing committed
    if name == "available":
        q["on_hand"] += delta
    elif name == "on_hand":
        q["available"] += delta
    level["updatedAt"] = now
    variant = level["item"]["variant"]
    variant["inventoryQuantity"] = sum(
        lv["_q"]["available"] for lv in level["item"]["_levels"].values()
    )
    after: int = q[name]
    return after


def _group(state: ShopState, spec: dict[str, Any], changes: list[Node], now: str) -> Node:
    return {
        "id": gid("InventoryAdjustmentGroup", state.new_id()),
        "createdAt": now,
        "reason": spec["reason"],
        "referenceDocumentUri": spec.get("referenceDocumentUri"),
        "changes": changes,
    }


def _common(spec: dict[str, Any], names: set[str], name_code: str) -> UserErrors:
    if spec["reason"] not in REASONS:
        return [_err(["input", "reason"], "The specified reason is invalid.", "INVALID_REASON")]
    if spec["name"] not in names:
        return [
            _err(
                ["input", "name"],
                "The specified quantity name is invalid. Valid values "
                f"are: {', '.join(sorted(names))}.",
                name_code,
            )
        ]
    return []


def adjust(state: ShopState, spec: dict[str, Any]) -> tuple[Node | None, UserErrors]:
    """InventoryAdjustQuantitiesInput → (adjustment group, user errors)."""
    errors = _common(spec, ADJUST_NAMES, "INVALID_QUANTITY_NAME")
    if errors:
        return None, errors
    levels = []
    for i, change in enumerate(spec["changes"]):
        level, err = _level(
            state, change["inventoryItemId"], change["locationId"], ["input", "changes", str(i)]
        )
        if err is not None:
            return None, [err]
        levels.append((level, change["delta"]))
    now = iso(state.now().timestamp())
    changes = []
    for level, delta in levels:
        assert level is not None
        after = _apply(level, spec["name"], delta, now)
        changes.append(
            {
                "name": spec["name"],
                "delta": delta,
                "quantityAfterChange": after,
                "item": level["item"],
                "location": level["location"],
            }
        )
    return _group(state, spec, changes, now), []


def set_quantities(state: ShopState, spec: dict[str, Any]) -> tuple[Node | None, UserErrors]:
    """InventorySetQuantitiesInput → (adjustment group, user errors)."""
    errors = _common(spec, SET_NAMES, "INVALID_NAME")
    if errors:
        return None, errors
    name = spec["name"]
    todo = []
    seen = set()
    for i, qin in enumerate(spec["quantities"]):
        at = ["input", "quantities", str(i)]
        level, err = _level(state, qin["inventoryItemId"], qin["locationId"], at)
        if err is not None:
            return None, [err]
        assert level is not None
        key = (qin["inventoryItemId"], qin["locationId"])
        if key in seen:
            return None, [
                _err(
                    at,
                    "The combination of inventoryItemId and locationId must be unique.",
                    "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
                )
            ]
        seen.add(key)
        if qin["quantity"] < 0 and name == "on_hand":
            return None, [
                _err(
                    [*at, "quantity"],
                    "The quantity can't be negative.",
                    "INVALID_QUANTITY_NEGATIVE",
                )
            ]
        if not spec.get("ignoreCompareQuantity"):
            if qin.get("compareQuantity") is None:
                return None, [
                    _err(
                        [*at, "compareQuantity"],
                        "The compareQuantity argument "
                        "must be given to each quantity or ignored using "
                        "ignoreCompareQuantity.",
                        "COMPARE_QUANTITY_REQUIRED",
                    )
                ]
            if qin["compareQuantity"] != level["_q"][name]:
                return None, [
                    _err(
                        [*at, "compareQuantity"],
                        "The specified compare quantity does not match the current quantity.",
                        "COMPARE_QUANTITY_STALE",
                    )
                ]
        todo.append((level, qin["quantity"]))
    now = iso(state.now().timestamp())
    changes = []
    for level, quantity in todo:
        delta = quantity - level["_q"][name]
        after = _apply(level, name, delta, now)
        changes.append(
            {
                "name": name,
                "delta": delta,
                "quantityAfterChange": after,
                "item": level["item"],
                "location": level["location"],
            }
        )
    return _group(state, spec, changes, now), []
