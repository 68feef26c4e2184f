"""Reading the demo shop through Admin GraphQL like packdesk's sync does."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import operations as ops
from .conftest import START, URL, Shop


def _all_orders(shop: Shop, **variables: object) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        page = shop.data(ops.ORDER_IDS, {"first": 50, "after": after, **variables})["orders"]
        seen.extend(e["node"] for e in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]


def test_shop_and_locations(shop_ro: Shop) -> None:
    shop = shop_ro.data(ops.SHOP)["shop"]
    assert shop == {
        "name": "BrightMinds Learning",
        "myshopifyDomain": "brightminds-sandbox.myshopify.com",
        "currencyCode": "USD",
    }
    locs = shop_ro.data(ops.LOCATIONS, {"first": 10})["locations"]["nodes"]
    assert [(n["name"], n["address"]["city"], n["address"]["zip"]) for n in locs] == [
        ("CA Warehouse", "Oakland", "94606"),
        ("PA Warehouse", "Allentown", "18109"),
    ]
    assert locs[0]["address"]["address1"] == "2100 Livingston St"


def test_variants_carry_barcode_weight_dimensions_bin_and_stock(shop_ro: Shop) -> None:
    first = shop_ro.data(ops.VARIANTS, {"first": 40})["productVariants"]
    rest = shop_ro.data(ops.VARIANTS, {"first": 40, "after": first["pageInfo"]["endCursor"]})
    edges = first["edges"] + rest["productVariants"]["edges"]
    assert len(edges) == 43
    for e in edges:
        v = e["node"]
        assert v["sku"].startswith("BM-")
        assert len(v["barcode"]) in (12, 13)
        assert v["inventoryItem"]["measurement"]["weight"]["unit"] == "GRAMS"
        assert v["inventoryItem"]["measurement"]["weight"]["value"] > 0
        assert " x " in v["dimensions"]["value"]
        assert v["bin"]["value"]
        levels = v["inventoryItem"]["inventoryLevels"]["nodes"]
        assert len(levels) == 2
        assert {q["name"] for q in levels[0]["quantities"]} == {"available", "on_hand"}


def test_variant_pages_and_sku_search(shop_ro: Shop) -> None:
    first = shop_ro.data(ops.VARIANTS, {"first": 10})["productVariants"]
    assert first["pageInfo"]["hasNextPage"]
    second = shop_ro.data(ops.VARIANTS, {"first": 10, "after": first["pageInfo"]["endCursor"]})
    ids = {e["node"]["id"] for e in first["edges"]} | {
        e["node"]["id"] for e in second["productVariants"]["edges"]
    }
    assert len(ids) == 20
    hit = shop_ro.data(ops.VARIANTS, {"first": 5, "query": "sku:BM-ABC-01"})
    assert [e["node"]["sku"] for e in hit["productVariants"]["edges"]] == ["BM-ABC-01"]
    later = (START + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    none = shop_ro.data(ops.VARIANTS, {"first": 5, "query": f"updated_at:>'{later}'"})
    assert none["productVariants"]["edges"] == []


def test_products_and_inventory_items(shop_ro: Shop) -> None:
    products = shop_ro.data(ops.PRODUCTS, {"first": 50})["products"]["nodes"]
    assert len(products) == 40
    assert sum(len(p["variants"]["nodes"]) for p in products) == 43
    items = shop_ro.data(
        ops.INVENTORY_ITEMS, {"first": 100, "location": "gid://shopify/Location/72001001"}
    )
    by_sku = {i["sku"]: i for i in items["inventoryItems"]["nodes"]}
    q = {x["name"]: x["quantity"] for x in by_sku["BM-MIC-01"]["inventoryLevel"]["quantities"]}
    assert q == {"available": 0, "on_hand": 0}


def test_every_order_once_across_pages_oldest_first(shop_ro: Shop) -> None:
    orders = _all_orders(shop_ro)
    assert len(orders) == 300
    assert len({o["id"] for o in orders}) == 300
    assert orders[0]["name"] == "#1001"
    created = [o["createdAt"] for o in orders]
    assert created == sorted(created)
    oldest = START - timedelta(days=90)
    assert created[0] >= oldest.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_reverse_and_sort_by_updated_at(shop_ro: Shop) -> None:
    newest = _all_orders(shop_ro, reverse=True)
    assert newest[0]["name"] == "#1300"
    by_updated = _all_orders(shop_ro, sortKey="UPDATED_AT")
    keys = [(o["updatedAt"], int(o["id"].rsplit("/", 1)[1])) for o in by_updated]
    assert keys == sorted(keys)
    assert len(keys) == 300


def test_updated_at_filter_pages_only_newer_orders(shop_ro: Shop) -> None:
    since = (START - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    got = _all_orders(shop_ro, query=f"updated_at:>='{since}'", sortKey="UPDATED_AT")
    every = _all_orders(shop_ro)
    expected = {o["id"] for o in every if o["updatedAt"] >= since}
    assert {o["id"] for o in got} == expected
    assert 10 < len(expected) < 300
    created = _all_orders(shop_ro, query=f"created_at:>{since}")
    assert {o["id"] for o in created} == {o["id"] for o in every if o["createdAt"] > since}


def test_status_and_fulfillment_status_filters(shop_ro: Shop) -> None:
    every = _all_orders(shop_ro)
    queue = _all_orders(shop_ro, query="status:open AND fulfillment_status:unshipped")
    assert queue
    assert all(
        o["displayFulfillmentStatus"] == "UNFULFILLED"
        and o["cancelledAt"] is None
        and not o["closed"]
        for o in queue
    )
    cancelled = _all_orders(shop_ro, query="status:cancelled")
    assert cancelled
    assert all(o["cancelledAt"] for o in cancelled)
    closed = _all_orders(shop_ro, query="status:closed")
    assert closed
    assert all(o["closed"] and not o["cancelledAt"] for o in closed)
    shipped = _all_orders(shop_ro, query="fulfillment_status:shipped")
    assert shipped
    assert all(o["displayFulfillmentStatus"] == "FULFILLED" for o in shipped)
    partial = _all_orders(shop_ro, query="fulfillment_status:partial")
    assert partial
    assert all(o["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED" for o in partial)
    assert len(_all_orders(shop_ro, query="status:any")) == len(every)


def test_full_order_page_fields(shop_ro: Shop) -> None:
    page = shop_ro.data(ops.ORDERS, {"first": 5, "query": "status:open", "reverse": True})
    for o in page["orders"]["nodes"]:
        assert o["shippingAddress"]["countryCodeV2"] in ("US", "CA")
        assert o["lineItems"]["nodes"]
        assert o["fulfillmentOrders"]["nodes"]
        assert o["totalPriceSet"]["shopMoney"]["currencyCode"] == "USD"
        assert o["customer"]["emailMarketingConsent"]["marketingState"] in (
            "SUBSCRIBED",
            "NOT_SUBSCRIBED",
        )
        fo = o["fulfillmentOrders"]["nodes"][0]
        assert fo["assignedLocation"]["location"]["id"].startswith("gid://shopify/Location/")


def test_order_by_id_and_fragments(shop_ro: Shop) -> None:
    oid = "gid://shopify/Order/5800000010"
    order = shop_ro.data(ops.ORDER, {"id": oid})["order"]
    assert order["name"] == "#1011"
    frag = shop_ro.data(ops.ORDER_WITH_FRAGMENT, {"id": oid})["order"]
    assert frag["__typename"] == "Order"
    assert frag["lineItems"]["edges"][0]["node"]["sku"]
    assert shop_ro.data(ops.ORDER, {"id": "gid://shopify/Order/1"})["order"] is None


def test_last_and_before(shop_ro: Shop) -> None:
    page = shop_ro.data(ops.ORDERS_LAST, {"last": 3})["orders"]
    assert [n["name"] for n in page["nodes"]] == ["#1298", "#1299", "#1300"]
    before = shop_ro.data(ops.ORDERS_LAST, {"last": 2, "before": page["pageInfo"]["startCursor"]})
    assert [n["name"] for n in before["orders"]["nodes"]] == ["#1296", "#1297"]


def test_page_size_rules(shop_ro: Shop) -> None:
    too_big = shop_ro.post(ops.ORDER_IDS, {"first": 251})
    assert too_big["data"] is None
    assert "250" in too_big["errors"][0]["message"]
    missing = shop_ro.post(ops.ORDERS_NO_PAGE_SIZE)
    assert missing["errors"][0]["message"] == "you must provide one of first or last"
    bad_name = shop_ro.post(ops.BAD_QUANTITY_NAME, {"id": "gid://shopify/InventoryItem/4600000002"})
    assert "plenty" in bad_name["errors"][0]["message"]


def test_invalid_query_is_a_graphql_error_with_cost(shop_ro: Shop) -> None:
    answer = shop_ro.post(ops.INVALID_FIELD)
    assert "weight" in answer["errors"][0]["message"]
    assert "cost" in answer["extensions"]


def test_wrong_token_is_401_like_shopify(shop_ro: Shop) -> None:
    r = shop_ro.http.post(URL, json={"query": ops.SHOP}, headers={"X-Shopify-Access-Token": "x"})
    assert r.status_code == 401
    assert r.json() == {
        "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
    }
    assert shop_ro.http.post(URL, json={"query": ops.SHOP}).status_code == 401


def test_body_without_query_is_400_like_shopify(shop_ro: Shop) -> None:
    r = shop_ro.http.post(
        URL, json={"variables": {}}, headers={"X-Shopify-Access-Token": "sandbox-shopify-token"}
    )
    assert r.status_code == 400
    assert r.json() == {"errors": {"query": "Required parameter missing or invalid"}}


def test_negated_terms(shop_ro: Shop) -> None:
    every = _all_orders(shop_ro)
    not_cancelled = _all_orders(shop_ro, query="-status:cancelled")
    assert {o["id"] for o in not_cancelled} == {o["id"] for o in every if not o["cancelledAt"]}
    others = shop_ro.data(ops.VARIANTS, {"first": 50, "query": "-sku:BM-ABC-01"})
    skus = [e["node"]["sku"] for e in others["productVariants"]["edges"]]
    assert len(skus) == 42
    assert "BM-ABC-01" not in skus
