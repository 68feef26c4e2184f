"""Mutations packdesk sends after a label is bought or stock is counted."""

from __future__ import annotations

from typing import Any

from . import operations as ops
from .conftest import Shop

CA = "gid://shopify/Location/72001001"
PA = "gid://shopify/Location/72001002"


def _order(shop: Shop, name: object) -> dict[str, Any]:
    number = int(str(name).lstrip("#")) - 1001
    order: dict[str, Any] = shop.data(
        ops.ORDER, {"id": f"gid://shopify/Order/{5_800_000_000 + number}"}
    )["order"]
    return order


def _stock(line: dict[str, Any], where: str = "ca") -> dict[str, int]:
    level = line["lineItem"]["variant"]["inventoryItem"][where]
    return {q["name"]: q["quantity"] for q in level["quantities"]}


def _fulfil(shop: Shop, spec: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = shop.data(ops.FULFILLMENT_CREATE, {"fulfillment": spec})[
        "fulfillmentCreate"
    ]
    return created


def test_fulfilling_everything_closes_the_order_and_takes_stock(shop: Shop) -> None:
    name = shop.sandbox.demo()["simple"]
    before = _order(shop, name)
    fo = before["fulfillmentOrders"]["nodes"][0]
    stock_before = [_stock(line) for line in fo["lineItems"]["nodes"]]
    shop.clock.advance(minutes=5)
    got = _fulfil(
        shop,
        {
            "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}],
            "trackingInfo": {"company": "USPS", "number": "9400100000000000000001"},
            "notifyCustomer": True,
        },
    )
    assert got["userErrors"] == []
    assert got["fulfillment"]["status"] == "SUCCESS"
    assert got["fulfillment"]["trackingInfo"] == [
        {
            "company": "USPS",
            "number": "9400100000000000000001",
            "url": "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000001",
        }
    ]
    after = _order(shop, name)
    assert after["displayFulfillmentStatus"] == "FULFILLED"
    assert after["updatedAt"] > before["updatedAt"]
    fo_after = after["fulfillmentOrders"]["nodes"][0]
    assert fo_after["status"] == "CLOSED"
    for line, old in zip(fo_after["lineItems"]["nodes"], stock_before, strict=True):
        assert line["remainingQuantity"] == 0
        new = _stock(line)
        assert new["on_hand"] == old["on_hand"] - line["totalQuantity"]
        assert new["available"] == old["available"] - line["totalQuantity"]
    assert after["fulfillments"][-1]["trackingInfo"][0]["number"] == "9400100000000000000001"
    again = _fulfil(shop, {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}]})
    assert again["fulfillment"] is None
    assert "unfulfillable status= closed" in again["userErrors"][0]["message"]


def test_partial_fulfilment_and_quantity_checks(shop: Shop) -> None:
    name = shop.sandbox.demo()["simple"]
    fo = _order(shop, name)["fulfillmentOrders"]["nodes"][0]
    lines = fo["lineItems"]["nodes"]
    two = next(line for line in lines if line["totalQuantity"] == 2)
    too_many = _fulfil(
        shop,
        {
            "lineItemsByFulfillmentOrder": [
                {
                    "fulfillmentOrderId": fo["id"],
                    "fulfillmentOrderLineItems": [{"id": two["id"], "quantity": 3}],
                }
            ]
        },
    )
    assert too_many["fulfillment"] is None
    assert too_many["userErrors"][0]["field"][-1] == "quantity"
    one = _fulfil(
        shop,
        {
            "lineItemsByFulfillmentOrder": [
                {
                    "fulfillmentOrderId": fo["id"],
                    "fulfillmentOrderLineItems": [{"id": two["id"], "quantity": 1}],
                }
            ]
        },
    )
    assert one["userErrors"] == []
    after = _order(shop, name)
    assert after["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"
    fo_after = after["fulfillmentOrders"]["nodes"][0]
    assert fo_after["status"] == "IN_PROGRESS"
    assert {ln["id"]: ln["remainingQuantity"] for ln in fo_after["lineItems"]["nodes"]}[
        two["id"]
    ] == 1


def test_unknown_fulfillment_order_is_a_user_error(shop: Shop) -> None:
    got = _fulfil(
        shop,
        {
            "lineItemsByFulfillmentOrder": [
                {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1"}
            ]
        },
    )
    assert got == {
        "fulfillment": None,
        "userErrors": [
            {
                "field": ["fulfillment", "lineItemsByFulfillmentOrder", "0", "fulfillmentOrderId"],
                "message": "Fulfillment order does not exist.",
            }
        ],
    }
    fo = _order(shop, shop.sandbox.demo()["gift"])["fulfillmentOrders"]["nodes"][0]
    bad_line = _fulfil(
        shop,
        {
            "lineItemsByFulfillmentOrder": [
                {
                    "fulfillmentOrderId": fo["id"],
                    "fulfillmentOrderLineItems": [
                        {"id": "gid://shopify/FulfillmentOrderLineItem/9", "quantity": 1}
                    ],
                }
            ]
        },
    )
    assert bad_line["userErrors"][0]["message"] == "Fulfillment order line item does not exist."


def test_cancelled_order_cannot_be_fulfilled(shop: Shop) -> None:
    cancelled = shop.data(ops.ORDER_IDS, {"first": 1, "query": "status:cancelled"})
    oid = cancelled["orders"]["edges"][0]["node"]["id"]
    fo = shop.data(ops.ORDER, {"id": oid})["order"]["fulfillmentOrders"]["nodes"][0]
    got = _fulfil(shop, {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}]})
    assert got["fulfillment"] is None
    assert "closed" in got["userErrors"][0]["message"]


def test_move_whole_fulfillment_order_to_pa(shop: Shop) -> None:
    name = shop.sandbox.demo()["out_of_stock"]
    fo = _order(shop, name)["fulfillmentOrders"]["nodes"][0]
    assert fo["assignedLocation"]["location"]["id"] == CA
    moved = shop.data(ops.FULFILLMENT_ORDER_MOVE, {"id": fo["id"], "newLocationId": PA})
    payload = moved["fulfillmentOrderMove"]
    assert payload["userErrors"] == []
    assert payload["movedFulfillmentOrder"]["id"] == fo["id"]
    assert payload["movedFulfillmentOrder"]["assignedLocation"]["location"]["id"] == PA
    again = shop.data(ops.FULFILLMENT_ORDER_MOVE, {"id": fo["id"], "newLocationId": PA})
    assert again["fulfillmentOrderMove"]["userErrors"]
    nowhere = shop.data(
        ops.FULFILLMENT_ORDER_MOVE, {"id": fo["id"], "newLocationId": "gid://shopify/Location/1"}
    )
    assert nowhere["fulfillmentOrderMove"]["userErrors"][0]["field"] == ["newLocationId"]


def test_move_some_lines_splits_the_fulfillment_order(shop: Shop) -> None:
    name = shop.sandbox.demo()["multi_box"]
    fo = _order(shop, name)["fulfillmentOrders"]["nodes"][0]
    line = fo["lineItems"]["nodes"][0]
    moved = shop.data(
        ops.FULFILLMENT_ORDER_MOVE,
        {
            "id": fo["id"],
            "newLocationId": PA,
            "fulfillmentOrderLineItems": [{"id": line["id"], "quantity": 1}],
        },
    )["fulfillmentOrderMove"]
    assert moved["userErrors"] == []
    assert moved["movedFulfillmentOrder"]["id"] != fo["id"]
    assert moved["movedFulfillmentOrder"]["lineItems"]["nodes"][0]["totalQuantity"] == 1
    after = _order(shop, name)
    fos = after["fulfillmentOrders"]["nodes"]
    assert len(fos) == 2
    assert {f["assignedLocation"]["location"]["id"] for f in fos} == {CA, PA}
    # the new fulfillment order can be fulfilled at PA, stock taken there
    new = next(f for f in fos if f["assignedLocation"]["location"]["id"] == PA)
    pa_before = _stock(new["lineItems"]["nodes"][0], "pa")
    ok = _fulfil(shop, {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": new["id"]}]})
    assert ok["userErrors"] == []
    after2 = _order(shop, name)
    new2 = next(f for f in after2["fulfillmentOrders"]["nodes"] if f["id"] == new["id"])
    assert _stock(new2["lineItems"]["nodes"][0], "pa")["on_hand"] == pa_before["on_hand"] - 1
    assert after2["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"


def test_inventory_adjust_and_set(shop: Shop) -> None:
    item = "gid://shopify/InventoryItem/4600000002"
    adjust = shop.data(
        ops.INVENTORY_ADJUST,
        {
            "input": {
                "reason": "correction",
                "name": "available",
                "referenceDocumentUri": "packdesk://x/1",
                "changes": [{"delta": -2, "inventoryItemId": item, "locationId": CA}],
            }
        },
    )
    group = adjust["inventoryAdjustQuantities"]["inventoryAdjustmentGroup"]
    after = group["changes"][0]["quantityAfterChange"]
    assert group["referenceDocumentUri"] == "packdesk://x/1"
    stale = shop.data(
        ops.INVENTORY_SET,
        {
            "input": {
                "reason": "correction",
                "name": "available",
                "quantities": [
                    {
                        "inventoryItemId": item,
                        "locationId": CA,
                        "quantity": 5,
                        "compareQuantity": after + 1,
                    }
                ],
            }
        },
    )["inventorySetQuantities"]
    assert stale["inventoryAdjustmentGroup"] is None
    assert stale["userErrors"][0]["code"] == "COMPARE_QUANTITY_STALE"
    ok = shop.data(
        ops.INVENTORY_SET,
        {
            "input": {
                "reason": "correction",
                "name": "available",
                "quantities": [
                    {
                        "inventoryItemId": item,
                        "locationId": CA,
                        "quantity": 5,
                        "compareQuantity": after,
                    }
                ],
            }
        },
    )["inventorySetQuantities"]
    assert ok["inventoryAdjustmentGroup"]["changes"] == [
        {"name": "available", "delta": 5 - after, "quantityAfterChange": 5}
    ]


def test_inventory_user_errors(shop: Shop) -> None:
    item = "gid://shopify/InventoryItem/4600000002"
    cases = [
        (
            {
                "reason": "because",
                "name": "available",
                "changes": [{"delta": 1, "inventoryItemId": item, "locationId": CA}],
            },
            "INVALID_REASON",
        ),
        (
            {
                "reason": "correction",
                "name": "lots",
                "changes": [{"delta": 1, "inventoryItemId": item, "locationId": CA}],
            },
            "INVALID_QUANTITY_NAME",
        ),
        (
            {
                "reason": "correction",
                "name": "available",
                "changes": [
                    {
                        "delta": 1,
                        "inventoryItemId": "gid://shopify/InventoryItem/1",
                        "locationId": CA,
                    }
                ],
            },
            "INVALID_INVENTORY_ITEM",
        ),
        (
            {
                "reason": "correction",
                "name": "available",
                "changes": [
                    {"delta": 1, "inventoryItemId": item, "locationId": "gid://shopify/Location/5"}
                ],
            },
            "INVALID_LOCATION",
        ),
    ]
    for spec, code in cases:
        got = shop.data(ops.INVENTORY_ADJUST, {"input": spec})["inventoryAdjustQuantities"]
        assert got["inventoryAdjustmentGroup"] is None
        assert got["userErrors"][0]["code"] == code
