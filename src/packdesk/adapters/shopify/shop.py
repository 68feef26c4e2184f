"""`ShopifyShop`: the sync's ports (`ShopCatalog`, `ShopOrders`) over the GraphQL client."""

from __future__ import annotations

from typing import Any

from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.errors import ShopifyQueryError
from packdesk.adapters.shopify.inventory import read_level
from packdesk.adapters.shopify.mappers import (
    location_from_node,
    order_from_node,
    stock_from_item_node,
    variant_from_node,
)
from packdesk.domain.models import Location, Order, StockLevel, Variant
from packdesk.domain.shop import ShopIdentity, ShopPage

PAGE_LISTS = {"lineItems": 5, "fulfillmentOrders": 1, "shippingLines": 1}
"""Nested list sizes on a page of orders: enough for most orders, cheap in query cost."""
ONE_ORDER_LISTS = {
    "lineItems": 30,
    "fulfillmentOrders": 5,
    "shippingLines": 5,
    "fulfillments": 5,
    "fulfillmentLines": 30,
}
"""Nested list sizes when one order is read alone (its page cut a list short, or it is
partly shipped): roomy lists, and the parcels that left with what each carried."""
LEAST_ONE_ORDER_LISTS = {**PAGE_LISTS, "fulfillments": 1, "fulfillmentLines": 5}
"""The smallest lists an order read alone asks for when Shopify says it costs too much."""


def shorter_lists(lists: dict[str, int]) -> dict[str, int]:
    """Lists for a read that cost too much: the parcels that left are given up first (they
    only name earlier parcels), then every list is halved, never below a page's sizes."""
    parcels = ("fulfillments", "fulfillmentLines")
    if any(lists[k] > LEAST_ONE_ORDER_LISTS[k] for k in parcels):
        return {**lists, **{k: LEAST_ONE_ORDER_LISTS[k] for k in parcels}}
    return {k: max(LEAST_ONE_ORDER_LISTS[k], v // 2) for k, v in lists.items()}


def _cut(connection: Any) -> bool:
    return bool(
        isinstance(connection, dict) and (connection.get("pageInfo") or {}).get("hasNextPage")
    )


def is_cut_short(node: dict[str, Any]) -> bool:
    """Whether a page's order node lost line items, fulfillment orders or shipping lines."""
    if any(_cut(node.get(key)) for key in PAGE_LISTS):
        return True
    fos = (node.get("fulfillmentOrders") or {}).get("nodes") or []
    return any(_cut(fo.get("lineItems")) for fo in fos if isinstance(fo, dict))


def is_partly_shipped(node: dict[str, Any]) -> bool:
    """Whether a page's order has parcels that already left and items still to ship: a page
    leaves its fulfillments out (their cost), so such an order is read again alone."""
    if node.get("displayFulfillmentStatus") == "PARTIALLY_FULFILLED":
        return True
    fos = (node.get("fulfillmentOrders") or {}).get("nodes") or []
    return any(
        fo.get("status") in ("OPEN", "IN_PROGRESS")
        and any(
            int(line.get("remainingQuantity") or 0) < int(line.get("totalQuantity") or 0)
            for line in (fo.get("lineItems") or {}).get("nodes") or []
        )
        for fo in fos
        if isinstance(fo, dict)
    )


def smaller_page(first: int, extensions: list[dict[str, object]]) -> int:
    """The page size that fits Shopify's cost limit, from its MAX_COST_EXCEEDED details
    (`cost` of the page asked for and `maxCost`); half the size when they are missing."""
    for ext in extensions:
        cost, limit = ext.get("cost"), ext.get("maxCost")
        if isinstance(cost, int | float) and isinstance(limit, int | float) and cost > 0:
            fits = int(first * (limit - 2) / (cost - 2))  # 2: the connection's own cost
            return max(1, min(first - 1, fits))
    return max(1, first // 2)


def _page_info(connection: dict[str, Any]) -> tuple[str, bool]:
    info = connection.get("pageInfo") or {}
    return str(info.get("endCursor") or ""), bool(info.get("hasNextPage"))


class ShopifyShop:
    """Reads locations, variants, stock and orders from one Shopify shop."""

    def __init__(self, client: ShopifyClient) -> None:
        self.client = client
        self._caps: dict[str, int] = {}

    def _page(self, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
        """Run a paginated query, shrinking `first` while Shopify says a page costs too much
        (MAX_COST_EXCEEDED); the smaller size is kept for the rest of the process."""
        first = min(int(variables["first"]), self._caps.get(operation, 250))
        while True:
            try:
                return self.client.execute(operation, {**variables, "first": first})
            except ShopifyQueryError as exc:
                if "MAX_COST_EXCEEDED" not in exc.codes or first <= 1:
                    raise
                first = smaller_page(first, exc.extensions)
                self._caps[operation] = first

    def shop(self) -> ShopIdentity:
        shop = self.client.execute("Shop").get("shop") or {}
        return ShopIdentity(
            name=str(shop.get("name") or ""), domain=str(shop.get("myshopifyDomain") or "")
        )

    def locations(self) -> list[Location]:
        found: list[Location] = []
        after: str | None = None
        while True:
            data = self.client.execute("Locations", {"first": 50, "after": after})
            connection = data["locations"]
            found.extend(location_from_node(n) for n in connection["nodes"])
            after, has_next = _page_info(connection)
            if not has_next:
                return found

    def variants_page(self, *, query: str, after: str, first: int) -> ShopPage[Variant]:
        data = self._page(
            "ProductVariants", {"first": first, "after": after or None, "query": query or None}
        )
        connection = data["productVariants"]
        end, has_next = _page_info(connection)
        return ShopPage([variant_from_node(n) for n in connection["nodes"]], end, has_next)

    def stock_page(self, *, after: str, first: int) -> ShopPage[StockLevel]:
        data = self._page("InventoryLevels", {"first": first, "after": after or None})
        connection = data["inventoryItems"]
        end, has_next = _page_info(connection)
        levels = [level for n in connection["nodes"] for level in stock_from_item_node(n)]
        return ShopPage(levels, end, has_next)

    def stock_level(self, inventory_item_id: str, location_id: str) -> StockLevel | None:
        return read_level(self.client, inventory_item_id, location_id)

    def orders_page(self, *, query: str, after: str, first: int) -> ShopPage[Order]:
        data = self._page(
            "Orders",
            {"first": first, "after": after or None, "query": query or None, **PAGE_LISTS},
        )
        connection = data["orders"]
        end, has_next = _page_info(connection)
        orders = []
        for node in connection["nodes"]:
            alone = is_cut_short(node) or is_partly_shipped(node)
            whole = self.order(node["id"]) if alone else None
            orders.append(whole or order_from_node(node))
        return ShopPage(orders, end, has_next)

    def order(self, order_id: str) -> Order | None:
        lists = dict(ONE_ORDER_LISTS)
        while True:
            try:
                data = self.client.execute("Order", {"id": order_id, **lists})
                break
            except ShopifyQueryError as exc:
                # a bucket smaller than one roomy order: ask for shorter lists
                if "MAX_COST_EXCEEDED" not in exc.codes or lists == LEAST_ONE_ORDER_LISTS:
                    raise
                lists = shorter_lists(lists)
        node = data.get("order")
        return order_from_node(node) if isinstance(node, dict) else None
