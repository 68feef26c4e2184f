"""Resolvers of the order and inventory mutations; each answers a payload with `userErrors`.

Inventory mutations go through their `@idempotent(key:)` (idempotency.py) and are checked
as the API version answering the request checks them (inventory.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo

from packdesk.sandbox.shopify import fulfillment as fulfillment_ops
from packdesk.sandbox.shopify import inventory
from packdesk.sandbox.shopify.call import call_of
from packdesk.sandbox.shopify.catalog import Node


def _plain(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """UserError has no `code`; the typed user errors do."""
    return [{"field": e["field"], "message": e["message"]} for e in errors]


def fulfillment_create(
    _: Any, info: GraphQLResolveInfo, fulfillment: dict[str, Any], message: str | None = None
) -> Node:
    made, errors = fulfillment_ops.fulfill(call_of(info).state, fulfillment)
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
        call_of(info).state, id, newLocationId, fulfillmentOrderLineItems
    )
    return {**payload, "userErrors": _plain(errors)}


def _refused(code: str, message: str) -> Node:
    return {
        "inventoryAdjustmentGroup": None,
        "userErrors": [{"field": None, "message": message, "code": code}],
    }


def inventory_adjust(_: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Node:
    call = call_of(info)

    def work() -> tuple[Node, bool]:
        group, errors = inventory.adjust(call.state, input)
        return {"inventoryAdjustmentGroup": group, "userErrors": errors}, group is not None

    answer: Node = call.services.idempotency.run(info, {"input": input}, work, _refused)
    return answer


def inventory_set(_: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Node:
    call = call_of(info)

    def work() -> tuple[Node, bool]:
        group, errors = inventory.set_quantities(call.state, input, call.version)
        return {"inventoryAdjustmentGroup": group, "userErrors": errors}, group is not None

    answer: Node = call.services.idempotency.run(info, {"input": input}, work, _refused)
    return answer


MUTATIONS: dict[str, Callable[..., Node]] = {
    "fulfillmentCreate": fulfillment_create,
    "fulfillmentOrderMove": fulfillment_order_move,
    "inventoryAdjustQuantities": inventory_adjust,
    "inventorySetQuantities": inventory_set,
}
