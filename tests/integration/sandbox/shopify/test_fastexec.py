"""The fast query path answers exactly what graphql-core answers, for every test query."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse

from . import operations as ops
from .conftest import Shop, make_shop

VARIABLES: dict[str, list[dict[str, Any]]] = {
    "SHOP": [{}],
    "LOCATIONS": [{"first": 1}, {"first": 5}],
    "VARIANTS": [{"first": 7}, {"first": 3, "query": "sku:BM-SIG-02"}],
    "PRODUCTS": [{"first": 20}],
    "INVENTORY_ITEMS": [{"first": 10, "location": "gid://shopify/Location/72001002"}],
    "ORDERS": [
        {"first": 5},
        {"first": 5, "reverse": True, "query": "status:open"},
        {"first": 3, "sortKey": "UPDATED_AT", "query": "fulfillment_status:partial"},
    ],
    "ORDER_IDS": [{"first": 50}, {"first": 10, "query": "status:closed", "reverse": True}],
    "ORDERS_LAST": [{"last": 4}],
    "ORDERS_NO_PAGE_SIZE": [{}],
    "ORDER": [
        {"id": "gid://shopify/Order/5800000042"},
        {"id": "gid://shopify/Order/1"},
        {"id": "gid://shopify/Order/5800000119"},
    ],
    "ORDER_WITH_FRAGMENT": [{"id": "gid://shopify/Order/5800000003"}],
    "BAD_QUANTITY_NAME": [{"id": "gid://shopify/InventoryItem/4600000002"}],
    "COST_SMALL": [{}],
    "COST_NESTED": [{}],
    "COST_TOO_BIG": [{}],
    "COST_DEFAULTS": [{}, {"lines": 2}],
    "APP_SCOPES": [{}],
    "CUSTOMER_EMAIL": [{"id": "gid://shopify/Order/5800000042"}],
    "ORDER_LINES_PAGE": [{"id": "gid://shopify/Order/5800000042", "first": 1}],
    "ORDER_FULFILLMENT_ORDERS_PAGE": [{"id": "gid://shopify/Order/5800000042", "first": 2}],
    "FULFILLMENT_ORDER_LINES_PAGE": [
        {"id": "gid://shopify/FulfillmentOrder/6100000168", "first": 2}
    ],
    "NODE": [{"id": "gid://shopify/Order/5800000042"}, {"id": "gid://shopify/Product/8100000001"}],
    "WEBHOOK_SUBSCRIPTIONS": [{"first": 5}],
    "BULK_CURRENT": [{}],
    "BULK_NODE": [{"id": "gid://shopify/BulkOperation/1"}],
}


@pytest.fixture(scope="module")
def shop() -> Iterator[Shop]:
    s = make_shop(orders=120)
    s.sandbox.bucket.configure(enabled=False)
    yield s
    s.sandbox.close()


def test_every_query_has_variables_here() -> None:
    assert set(VARIABLES) == set(ops.QUERIES)


@pytest.mark.parametrize("name", sorted(ops.QUERIES))
def test_fast_and_graphql_core_agree(shop: Shop, name: str) -> None:
    endpoint = shop.sandbox.graphql
    for variables in VARIABLES[name]:
        endpoint.fast = True
        fast = endpoint.run({"query": ops.QUERIES[name], "variables": variables})
        endpoint.fast = False
        slow = endpoint.run({"query": ops.QUERIES[name], "variables": variables})
        endpoint.fast = True
        assert fast[0] == slow[0]
        f, s = fast[1], slow[1]
        assert f.get("data") == s.get("data"), name
        assert f.get("errors") == s.get("errors"), name
        fc, sc = f["extensions"]["cost"], s["extensions"]["cost"]
        assert fc["requestedQueryCost"] == sc["requestedQueryCost"]
        assert fc["actualQueryCost"] == sc["actualQueryCost"], name


def _packdesk_queries() -> dict[str, str]:
    return {
        name: text
        for name, text in ops.packdesk_operations().items()
        if any(
            isinstance(d, OperationDefinitionNode) and d.operation.value == "query"
            for d in parse(text).definitions
        )
    }


@pytest.mark.parametrize("name", sorted(_packdesk_queries()))
def test_packdesk_queries_take_the_fast_path_with_the_same_answers(shop: Shop, name: str) -> None:
    endpoint = shop.sandbox.graphql
    query = _packdesk_queries()[name]
    variables = {
        "first": 3,
        "lineItems": 5,
        "fulfillmentOrders": 2,
        "shippingLines": 2,
        "id": "gid://shopify/Order/5800000100",
        "item": "gid://shopify/InventoryItem/4600000002",
        "location": "gid://shopify/Location/72001001",
    }
    used = {
        v.variable.name.value
        for d in parse(query).definitions
        if isinstance(d, OperationDefinitionNode)
        for v in d.variable_definitions
    }
    variables = {k: v for k, v in variables.items() if k in used}
    before = endpoint.stats.fast_path
    fast = endpoint.run({"query": query, "variables": variables})[1]
    assert endpoint.stats.fast_path == before + 1, fast.get("errors")
    endpoint.fast = False
    slow = endpoint.run({"query": query, "variables": variables})[1]
    endpoint.fast = True
    assert "errors" not in fast
    assert fast["data"] == slow["data"]
    assert (
        fast["extensions"]["cost"]["actualQueryCost"]
        == slow["extensions"]["cost"]["actualQueryCost"]
    )
