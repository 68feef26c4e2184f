"""The control API plays the world: new orders, edits, cancels, moves, elsewhere-fulfilment."""

from __future__ import annotations

import pytest

from . import operations as ops
from .conftest import Shop


def _queue_names(shop: Shop) -> list[str]:
    page = shop.data(
        ops.ORDER_IDS, {"first": 250, "query": "status:open fulfillment_status:unshipped"}
    )
    return [e["node"]["name"] for e in page["orders"]["edges"]]


def test_demo_lists_named_problem_orders(shop: Shop) -> None:
    demo = shop.http.get("/control/shopify/demo").json()
    names = [
        demo[k]
        for k in ("simple", "bad_address", "express", "gift", "multi_box", "canada", "out_of_stock")
    ]
    assert all(n and n.startswith("#") for n in names)
    assert len(set(names)) == 7
    queue = _queue_names(shop)
    assert set(names) <= set(queue)
    assert demo["locations"]["CA"] == "gid://shopify/Location/72001001"
    assert demo["skus"]["BM-ABC-01"]


def test_create_order_now_appears_in_the_queue(shop: Shop) -> None:
    shop.clock.advance(minutes=1)
    r = shop.http.post(
        "/control/shopify/orders",
        json={
            "items": [{"sku": "BM-TAN-01", "quantity": 1}, {"sku": "BM-VOL-01", "quantity": 2}],
            "shipping_address": {"zip": "94110", "city": "San Francisco", "province_code": "CA"},
            "location": "PA",
            "shipping": "Express",
        },
    )
    assert r.status_code == 201
    made = r.json()
    name = made["name"]
    assert int(name.lstrip("#")) > 1300  # after every demo order
    assert [(li["sku"], li["quantity"]) for li in made["line_items"]] == [
        ("BM-TAN-01", 1),
        ("BM-VOL-01", 2),
    ]
    assert made["shipping_lines"][0]["title"] == "Express"
    assert made["fulfillment_orders"][0]["assigned_location"] == "PA"
    assert name in _queue_names(shop)
    gql = shop.data(ops.ORDER, {"id": made["admin_graphql_api_id"]})["order"]
    assert gql["shippingAddress"]["city"] == "San Francisco"
    newest = shop.data(ops.ORDER_IDS, {"first": 1, "reverse": True, "sortKey": "UPDATED_AT"})
    assert newest["orders"]["edges"][0]["node"]["name"] == name


def test_bad_control_input_says_what_to_send(shop: Shop) -> None:
    r = shop.http.post("/control/shopify/orders", json={"items": [{"sku": "NOPE"}]})
    assert r.status_code == 400
    assert "NOPE" in r.json()["error"]
    r = shop.http.post("/control/shopify/orders/999999/cancel", json={})
    assert r.status_code == 404
    r = shop.http.post("/control/shopify/orders/1001/move", json={"location": "TX"})
    assert r.status_code == 400
    assert "CA" in r.json()["error"]


def test_edit_changes_quantity_note_and_address(shop: Shop) -> None:
    name = str(shop.sandbox.demo()["simple"]).lstrip("#")
    before = shop.http.get(f"/control/shopify/orders/{name}").json()
    line = next(li for li in before["line_items"] if li["quantity"] == 2)
    shop.clock.advance(minutes=2)
    r = shop.http.post(
        f"/control/shopify/orders/{name}/edit",
        json={
            "note": "Leave with neighbour",
            "quantities": {str(line["id"]): 1},
            "shipping_address": {"address2": "Unit 4"},
        },
    )
    assert r.status_code == 200, r.text
    after = r.json()
    edited = next(li for li in after["line_items"] if li["id"] == line["id"])
    assert edited["current_quantity"] == 1
    assert edited["quantity"] == 2
    fo_line = next(
        x for x in after["fulfillment_orders"][0]["line_items"] if x["line_item_id"] == line["id"]
    )
    assert fo_line["remaining_quantity"] == 1
    assert after["note"] == "Leave with neighbour"
    price = float(line["price"])
    tax_rate = float(before["total_tax"]) / float(before["subtotal_price"])
    assert float(after["current_total_price"]) == pytest.approx(
        float(before["current_total_price"]) - price * (1 + tax_rate), abs=0.01
    )
    assert float(after["current_subtotal_price"]) == pytest.approx(
        float(before["current_subtotal_price"]) - price
    )
    assert after["shipping_address"]["address2"] == "Unit 4"
    assert after["updated_at"] > before["updated_at"]


def test_move_and_fulfil_elsewhere(shop: Shop) -> None:
    name = str(shop.sandbox.demo()["express"]).lstrip("#")
    moved = shop.http.post(f"/control/shopify/orders/{name}/move", json={"location": "PA"})
    assert moved.json()["fulfillment_orders"][0]["assigned_location"] == "PA"
    done = shop.http.post(
        f"/control/shopify/orders/{name}/fulfill", json={"tracking_number": "1Z1", "company": "UPS"}
    ).json()
    assert done["fulfillment_status"] == "fulfilled"
    assert done["fulfillments"][0]["tracking_number"] == "1Z1"
    assert done["fulfillment_orders"][0]["status"] == "CLOSED"
    assert f"#{name}" not in _queue_names(shop)
    again = shop.http.post(f"/control/shopify/orders/{name}/fulfill", json={})
    assert again.status_code == 400


PARCELS = """
query Parcels($id: ID!) {
  order(id: $id) {
    displayFulfillmentStatus
    fulfillments(first: 5) {
      trackingInfo(first: 5) { number }
      fulfillmentLineItems(first: 10) { nodes { quantity lineItem { sku } } }
    }
  }
}
"""


def test_fulfil_part_of_an_order_and_read_what_the_parcel_carried(shop: Shop) -> None:
    made = shop.http.post(
        "/control/shopify/orders",
        json={"items": [{"sku": "BM-TAN-01", "quantity": 1}, {"sku": "BM-VOL-01", "quantity": 3}]},
    ).json()
    name = made["name"].lstrip("#")
    part = shop.http.post(
        f"/control/shopify/orders/{name}/fulfill",
        json={"items": [{"sku": "BM-VOL-01", "quantity": 2}], "tracking_number": "9400123"},
    ).json()
    assert part["fulfillment_status"] == "partial"
    left = {x["sku"]: x["remaining_quantity"] for x in part["fulfillment_orders"][0]["line_items"]}
    assert left == {"BM-TAN-01": 1, "BM-VOL-01": 1}
    assert part["fulfillment_orders"][0]["status"] == "IN_PROGRESS"
    order = shop.data(PARCELS, {"id": made["admin_graphql_api_id"]})["order"]
    assert order["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"
    [parcel] = order["fulfillments"]
    assert parcel["trackingInfo"] == [{"number": "9400123"}]
    assert parcel["fulfillmentLineItems"]["nodes"] == [
        {"quantity": 2, "lineItem": {"sku": "BM-VOL-01"}}
    ]
    too_many = shop.http.post(
        f"/control/shopify/orders/{name}/fulfill",
        json={"items": [{"sku": "BM-VOL-01", "quantity": 2}]},
    )
    assert too_many.status_code == 400
    assert "fewer than 2 × BM-VOL-01 left" in too_many.json()["error"]


def test_cancel_takes_order_out_of_the_queue(shop: Shop) -> None:
    name = str(shop.sandbox.demo()["canada"]).lstrip("#")
    r = shop.http.post(f"/control/shopify/orders/{name}/cancel", json={})
    assert r.json()["cancelled_at"]
    assert r.json()["fulfillment_orders"][0]["status"] == "CLOSED"
    assert f"#{name}" not in _queue_names(shop)
    cancelled = shop.data(ops.ORDER_IDS, {"first": 250, "query": "status:cancelled"})
    assert f"#{name}" in [e["node"]["name"] for e in cancelled["orders"]["edges"]]
    twice = shop.http.post(f"/control/shopify/orders/{name}/cancel", json={})
    assert twice.status_code == 400
    assert "already cancelled" in twice.json()["error"]


def test_get_order_by_numeric_id(shop: Shop) -> None:
    r = shop.http.get("/control/shopify/orders/5800000000")
    assert r.json()["name"] == "#1001"
    assert r.json()["admin_graphql_api_id"] == "gid://shopify/Order/5800000000"
