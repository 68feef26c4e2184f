"""Resolvers for the fields that take arguments or compute; every other field reads a dict key.

The schema is the subset SDL in `schema.graphql`; `bind` attaches these functions to it.
Each resolver gets the `ShopState` as `info.context`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLError, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema

from packdesk.sandbox.shopify.catalog import Node
from packdesk.sandbox.shopify.search import Term, compare, parse_query, parse_time
from packdesk.sandbox.shopify.store import PageError, ShopState, list_connection

QUANTITY_NAMES = (
    "available",
    "on_hand",
    "committed",
    "incoming",
    "reserved",
    "damaged",
    "safety_stock",
    "quality_control",
)


def _state(info: GraphQLResolveInfo) -> ShopState:
    state: ShopState = info.context
    return state


def _conn(nodes: list[Node], args: dict[str, Any]) -> Node:
    try:
        return list_connection(nodes, args)
    except PageError as exc:
        raise GraphQLError(str(exc)) from exc


def _catalog_filter(nodes: list[Node], query: str | None) -> list[Node]:
    """Apply updated_at/created_at/sku/barcode terms of a search to catalog objects."""
    terms = parse_query(query)
    if not terms:
        return nodes
    return [n for n in nodes if all(_catalog_holds(n, t) != t.negate for t in terms)]


def _catalog_holds(node: Node, t: Term) -> bool:
    if t.field in ("updated_at", "created_at"):
        stamp = parse_time(node["updatedAt" if t.field == "updated_at" else "createdAt"])
        assert isinstance(t.value, float)
        assert stamp is not None
        return compare(stamp, t.op, t.value)
    if t.field in ("sku", "barcode"):
        return str(node.get(t.field) or "").lower() == str(t.value).lower()
    return True


def q_orders(_: Any, info: GraphQLResolveInfo, **args: Any) -> Node:
    try:
        return _state(info).orders_page(args)
    except PageError as exc:
        raise GraphQLError(str(exc)) from exc


def q_order(_: Any, info: GraphQLResolveInfo, id: str) -> Node | None:
    return _typed(_state(info).node(id), "gid://shopify/Order/")


def _typed(node: Node | None, prefix: str) -> Node | None:
    return node if node is not None and str(node.get("id", "")).startswith(prefix) else None


def q_by_id(prefix: str) -> Callable[..., Node | None]:
    def resolve(_: Any, info: GraphQLResolveInfo, id: str | None = None) -> Node | None:
        if id is None:
            return None
        return _typed(_state(info).node(id), prefix)

    return resolve


def q_location(_: Any, info: GraphQLResolveInfo, id: str | None = None) -> Node | None:
    cat = _state(info).catalog
    if id is None:
        return cat.locations["CA"]
    return cat.locations_by_id.get(id)


def q_locations(_: Any, info: GraphQLResolveInfo, **args: Any) -> Node:
    locs = sorted(_state(info).catalog.locations.values(), key=lambda n: n["name"])
    return _conn(locs, args)


def q_products(_: Any, info: GraphQLResolveInfo, **args: Any) -> Node:
    return _conn(_catalog_filter(_state(info).catalog.products, args.get("query")), args)


def q_variants(_: Any, info: GraphQLResolveInfo, **args: Any) -> Node:
    return _conn(_catalog_filter(_state(info).catalog.variants, args.get("query")), args)


def q_items(_: Any, info: GraphQLResolveInfo, **args: Any) -> Node:
    return _conn(_catalog_filter(_state(info).catalog.items, args.get("query")), args)


def f_list_conn(key: str) -> Callable[..., Node]:
    def resolve(obj: Node, _info: GraphQLResolveInfo, **args: Any) -> Node:
        return _conn(obj[key], args)

    return resolve


def f_first_list(key: str) -> Callable[..., list[Node]]:
    def resolve(obj: Node, _info: GraphQLResolveInfo, first: int | None = None) -> list[Node]:
        items: list[Node] = obj[key]
        return items if first is None else items[:first]

    return resolve


def f_metafield(
    obj: Node, _info: GraphQLResolveInfo, key: str, namespace: str | None = None
) -> Node | None:
    got: Node | None = obj["_metafields"].get((namespace or "", key))
    return got


def f_levels(obj: Node, _info: GraphQLResolveInfo, **args: Any) -> Node:
    return _conn(list(obj["_levels"].values()), args)


def f_level(obj: Node, _info: GraphQLResolveInfo, locationId: str) -> Node | None:
    got: Node | None = obj["_levels"].get(locationId)
    return got


def f_quantities(obj: Node, _info: GraphQLResolveInfo, names: list[str]) -> list[Node]:
    bad = [n for n in names if n not in QUANTITY_NAMES]
    if bad:
        raise GraphQLError(
            f"The quantity name '{bad[0]}' is not valid. Valid names: {', '.join(QUANTITY_NAMES)}."
        )
    q = obj["_q"]
    return [
        {"id": f"{obj['id']}&name={n}", "name": n, "quantity": q[n], "updatedAt": obj["updatedAt"]}
        for n in names
    ]


def f_fo_order(obj: Node, info: GraphQLResolveInfo) -> Node | None:
    return _state(info).node(obj["_order"])


def bind(schema: GraphQLSchema, mutations: dict[str, Callable[..., Any]]) -> None:
    """Attach resolvers (queries here, mutations given) to the schema's fields."""
    table: dict[str, dict[str, Callable[..., Any]]] = {
        "QueryRoot": {
            "shop": lambda _o, info: _state(info).shop,
            "orders": q_orders,
            "order": q_order,
            "location": q_location,
            "locations": q_locations,
            "products": q_products,
            "product": q_by_id("gid://shopify/Product/"),
            "productVariants": q_variants,
            "productVariant": q_by_id("gid://shopify/ProductVariant/"),
            "inventoryItems": q_items,
            "inventoryItem": q_by_id("gid://shopify/InventoryItem/"),
            "fulfillmentOrder": q_by_id("gid://shopify/FulfillmentOrder/"),
        },
        "Mutation": mutations,
        "Product": {"variants": f_list_conn("variants")},
        "ProductVariant": {"metafield": f_metafield},
        "InventoryItem": {"inventoryLevels": f_levels, "inventoryLevel": f_level},
        "InventoryLevel": {"quantities": f_quantities},
        "Order": {
            "lineItems": f_list_conn("lineItems"),
            "shippingLines": f_list_conn("shippingLines"),
            "fulfillmentOrders": f_list_conn("fulfillmentOrders"),
            "fulfillments": f_first_list("fulfillments"),
        },
        "Fulfillment": {"trackingInfo": f_first_list("trackingInfo")},
        "FulfillmentOrder": {"lineItems": f_list_conn("lineItems"), "order": f_fo_order},
    }
    for type_name, fields in table.items():
        gtype = schema.type_map[type_name]
        assert isinstance(gtype, GraphQLObjectType)
        for field_name, fn in fields.items():
            gtype.fields[field_name].resolve = fn
