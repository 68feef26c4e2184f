"""The demo's long orders, read to their end through nested cursor paging as Shopify pages."""

from __future__ import annotations

from typing import Any

import httpx

from packdesk.sandbox.server import SandboxInfo

from . import operations as ops
from .over_http import data


def order_id(info: SandboxInfo, special: str) -> str:
    name = httpx.get(f"{info.control_url}/shopify/demo").json()[special]
    found = data(info, ops.ORDER_IDS, {"first": 1, "query": f"name:{name}"})
    return str(found["orders"]["edges"][0]["node"]["id"])


def pages(info: SandboxInfo, query: str, path: list[str], **variables: Any) -> list[Any]:
    """Every page of one nested connection, following pageInfo.endCursor with after:."""
    found: list[Any] = []
    after = None
    while True:
        node: Any = data(info, query, {**variables, "after": after})
        for key in path:
            node = node[key]
        found.append(node)
        if not node["pageInfo"]["hasNextPage"]:
            return found
        after = node["pageInfo"]["endCursor"]


def test_an_order_of_250_lines_pages_its_lines_to_the_end(sandbox: SandboxInfo) -> None:
    order = order_id(sandbox, "long_order")
    got = pages(sandbox, ops.ORDER_LINES_PAGE, ["order", "lineItems"], id=order, first=100)
    assert [len(p["nodes"]) for p in got] == [100, 100, 50]
    assert [p["pageInfo"]["hasPreviousPage"] for p in got] == [False, True, True]
    ids = [n["id"] for p in got for n in p["nodes"]]
    assert len(ids) == len(set(ids)) == 250
    whole = data(sandbox, ops.ORDER_LINES_PAGE, {"id": order, "first": 250})
    assert [n["id"] for n in whole["order"]["lineItems"]["nodes"]] == ids
    assert whole["order"]["lineItems"]["pageInfo"]["hasNextPage"] is False
    [fo] = data(sandbox, ops.ORDER_FULFILLMENT_ORDERS_PAGE, {"id": order, "first": 5})["order"][
        "fulfillmentOrders"
    ]["nodes"]
    assert fo["lineItems"]["pageInfo"]["hasNextPage"] is True
    fo_pages = pages(
        sandbox,
        ops.FULFILLMENT_ORDER_LINES_PAGE,
        ["fulfillmentOrder", "lineItems"],
        id=fo["id"],
        first=60,
    )
    lines = [n for p in fo_pages for n in p["nodes"]]
    assert len(lines) == 250
    assert [n["lineItem"]["id"] for n in lines] == ids


def test_an_order_with_seven_fulfillment_orders_pages_them(sandbox: SandboxInfo) -> None:
    order = order_id(sandbox, "many_fulfillment_orders")
    got = pages(
        sandbox,
        ops.ORDER_FULFILLMENT_ORDERS_PAGE,
        ["order", "fulfillmentOrders"],
        id=order,
        first=5,
    )
    assert [len(p["nodes"]) for p in got] == [5, 2]
    fos = [n for p in got for n in p["nodes"]]
    assert len({fo["id"] for fo in fos}) == 7
    assert all(fo["status"] == "OPEN" for fo in fos)
    places = [fo["assignedLocation"]["location"]["name"] for fo in fos]
    assert places.count("CA Warehouse") == 4
    assert places.count("PA Warehouse") == 3
    assert sum(len(fo["lineItems"]["nodes"]) for fo in fos) == 10
    backwards = data(
        sandbox,
        ops.ORDER_FULFILLMENT_ORDERS_PAGE.replace(
            "first: $first, after: $after", "last: $first, before: $after"
        ),
        {"id": order, "first": 2},
    )["order"]["fulfillmentOrders"]
    assert [fo["id"] for fo in backwards["nodes"]] == [fo["id"] for fo in fos[-2:]]
    assert backwards["pageInfo"]["hasPreviousPage"] is True
