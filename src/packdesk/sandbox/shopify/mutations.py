"""Resolvers of the four mutations; each answers a payload with `userErrors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo

from packdesk.sandbox.shopify import fulfillment as fulfillment_ops
from packdesk.sandbox.shopify import inventory
from packdesk.sandbox.shopify.catalog import Node
from packdesk.sandbox.shopify.store import ShopState


def _state(info: GraphQLResolveInfo) -> ShopState:
    state: ShopState = info.context
    return state


def _plain(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """UserError has no `code`; the typed user errors do."""
    return [{"field": e["field"], "message": e["message"]} for e in errors]


def fulfillment_create(
    _: Any, info: GraphQLResolveInfo, fulfillment: dict[str, Any], message: str | None = None
) -> Node:
    made, errors = fulfillment_ops.fulfill(_state(info), fulfillment)
    if made is not None and message:
        made["_message"] = message
    return {"fulfillment": made, "userErrors": _plain(errors)}


def fulfillment_order_move(
    _: Any,
    info: GraphQLResolveInfo,
    id: str,
    newLocationId: str,
    fulfillmentOrderLineItems: list[dict[str, Any]] | None = None,
) -> Node:
    payload, errors = fulfillment_ops.move(
        _state(info), id, newLocationId, fulfillmentOrderLineItems
    )
    return {**payload, "userErrors": _plain(errors)}


def inventory_adjust(_: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Node:
    group, errors = inventory.adjust(_state(info), input)
    return {"inventoryAdjustmentGroup": group, "userErrors": errors}


def inventory_set(_: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Node:
    group, errors = inventory.set_quantities(_state(info), input)
    return {"inventoryAdjustmentGroup": group, "userErrors": errors}


MUTATIONS: dict[str, Callable[..., Node]] = {
    "fulfillmentCreate": fulfillment_create,
    "fulfillmentOrderMove": fulfillment_order_move,
    "inventoryAdjustQuantities": inventory_adjust,
    "inventorySetQuantities": inventory_set,
}
