"""inventoryAdjustQuantities and inventorySetQuantities over the catalog's inventory levels.

Checks follow Shopify's: known reason, quantity name, item and location, the item stocked
at the location, and the compare-and-swap of the version answering: before 2026-04 "set"
compares `compareQuantity` (unless told to ignore it) or `changeFromQuantity` when given;
from 2026-04 every quantity must carry `changeFromQuantity` (null opts out of the check)
and `compareQuantity` is no longer read. An adjustment change may carry `changeFromQuantity`
too. `ledgerDocumentUri` is required on every change of a name but available, refused on
available, and never a Shopify GID. Any error rejects the whole input, as Shopify does. Every level that changes tells the
webhook listeners (inventory_levels/update). Callers hold `state.lock`.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from packdesk.sandbox.shopify.catalog import Node, gid
from packdesk.sandbox.shopify.order_heads import iso
from packdesk.sandbox.shopify.store import ShopState
from packdesk.sandbox.shopify.versions import at_least

CHANGE_FROM_REQUIRED_FROM = "2026-04"

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


def _stale(at: list[str], code_text: str) -> dict[str, Any]:
    return _err([*at, "changeFromQuantity"], code_text, "CHANGE_FROM_QUANTITY_STALE")


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


def _ledger_error(name: str, change: dict[str, Any], at: list[str]) -> dict[str, Any] | None:
    """Shopify's rules for `ledgerDocumentUri`: required for every name but available,
    refused for available, and never a Shopify GID."""
    uri = change.get("ledgerDocumentUri")
    where = [*at, "ledgerDocumentUri"]
    if name == "available":
        if uri:
            return _err(
                where,
                "A ledger document URI is not allowed when adjusting available.",
                "INVALID_AVAILABLE_DOCUMENT",
            )
        return None
    if not uri:
        return _err(
            where,
            "A ledger document URI is required except when adjusting available.",
            "INVALID_QUANTITY_DOCUMENT",
        )
    if str(uri).startswith("gid://shopify/"):
        return _err(
            where,
            "The ledger document URI cannot be a Shopify document.",
            "INTERNAL_LEDGER_DOCUMENT",
        )
    if "://" not in str(uri):
        return _err(where, "The ledger document URI is not a valid URI.", "INVALID_LEDGER_DOCUMENT")
    return None


def adjust(state: ShopState, spec: dict[str, Any]) -> tuple[Node | None, UserErrors]:
    """InventoryAdjustQuantitiesInput → (adjustment group, user errors)."""
    errors = _common(spec, ADJUST_NAMES, "INVALID_QUANTITY_NAME")
    if errors:
        return None, errors
    levels = []
    for i, change in enumerate(spec["changes"]):
        at = ["input", "changes", str(i)]
        ledger = _ledger_error(spec["name"], change, at)
        if ledger is not None:
            return None, [ledger]
        level, err = _level(state, change["inventoryItemId"], change["locationId"], at)
        if err is not None:
            return None, [err]
        assert level is not None
        expected = change.get("changeFromQuantity")
        if expected is not None and expected != level["_q"][spec["name"]]:
            return None, [
                _stale(
                    at, "The changeFromQuantity argument no longer matches the persisted quantity."
                )
            ]
        levels.append((level, change["delta"]))
    ledger_uris = {
        id(level): change.get("ledgerDocumentUri")
        for (level, _), change in zip(levels, spec["changes"], strict=True)
    }
    now = iso(state.now().timestamp())
    changes = []
    for level, delta in levels:
        assert level is not None
        after = _apply(level, spec["name"], delta, now)
        state.level_changed(level)
        changes.append(
            {
                "name": spec["name"],
                "delta": delta,
                "quantityAfterChange": after,
                "ledgerDocumentUri": ledger_uris.get(id(level)),
                "item": level["item"],
                "location": level["location"],
            }
        )
    return _group(state, spec, changes, now), []


def _require_change_from(spec: dict[str, Any]) -> None:
    """From 2026-04 a quantity without `changeFromQuantity` is refused before anything runs."""
    for qin in spec["quantities"]:
        if "changeFromQuantity" not in qin:
            raise GraphQLError(
                "InventoryQuantityInput must include the following argument: changeFromQuantity",
                extensions={"code": "INVALID_FIELD_ARGUMENTS"},
            )


def _swap_error(
    spec: dict[str, Any], qin: dict[str, Any], current: int, at: list[str], *, cas: bool
) -> dict[str, Any] | None:
    """The compare-and-swap refusal for one quantity, if any."""
    if cas or "changeFromQuantity" in qin:
        expected = qin.get("changeFromQuantity")
        if expected is not None and expected != current:
            return _stale(at, "The changeFromQuantity value does not match persisted value.")
        return None
    if spec.get("ignoreCompareQuantity"):
        return None
    if qin.get("compareQuantity") is None:
        return _err(
            [*at, "compareQuantity"],
            "The compareQuantity argument must be given to each quantity or ignored using "
            "ignoreCompareQuantity.",
            "COMPARE_QUANTITY_REQUIRED",
        )
    if qin["compareQuantity"] != current:
        return _err(
            [*at, "compareQuantity"],
            "The specified compare quantity does not match the current quantity.",
            "COMPARE_QUANTITY_STALE",
        )
    return None


def set_quantities(
    state: ShopState, spec: dict[str, Any], version: str
) -> tuple[Node | None, UserErrors]:
    """InventorySetQuantitiesInput → (adjustment group, user errors), as `version` checks it."""
    cas = at_least(version, CHANGE_FROM_REQUIRED_FROM)
    if cas:
        _require_change_from(spec)
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
        refused = _swap_error(spec, qin, level["_q"][name], at, cas=cas)
        if refused is not None:
            return None, [refused]
        todo.append((level, qin["quantity"]))
    now = iso(state.now().timestamp())
    changes = []
    for level, quantity in todo:
        delta = quantity - level["_q"][name]
        after = _apply(level, name, delta, now)
        state.level_changed(level)
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
