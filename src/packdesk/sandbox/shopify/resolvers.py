"""Resolvers for the fields that take arguments or compute; every other field reads a dict key.

The schema is the subset SDL in `schema.graphql` (plus schema_2026.graphql); `bind` attaches
these functions to it, and wraps every field that needs an access scope in a guard that
refuses it with ACCESS_DENIED (access.py). Each resolver gets the request's `Call` as
`info.context`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
)

from packdesk.sandbox.shopify.access import REQUIRED, access_denied, reads_fulfillment_orders
from packdesk.sandbox.shopify.call import call_of, state_of
from packdesk.sandbox.shopify.catalog import Node
from packdesk.sandbox.shopify.paging import PageError, list_connection
from packdesk.sandbox.shopify.search import Term, compare, parse_query, parse_time
from packdesk.sandbox.shopify.store import ShopState

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
    return state_of(info)


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


ORDERS_WITHOUT_READ_ALL_S = 60 * 86_400


def q_orders(_: Any, info: GraphQLResolveInfo, **args: Any) -> Node:
    state = _state(info)
    since = None
    if "read_all_orders" not in call_of(info).scopes:
        since = state.now().timestamp() - ORDERS_WITHOUT_READ_ALL_S
    try:
        return state.orders_page(args, created_since=since)
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


def f_fulfillment_lines(obj: Node, _info: GraphQLResolveInfo, **args: Any) -> Node:
    """What a fulfillment carried, as FulfillmentLineItem nodes."""
    number = str(obj["id"]).rsplit("/", 1)[-1]
    nodes = [
        {
            "id": f"gid://shopify/FulfillmentLineItem/{number}{i:03d}",
            "lineItem": line["lineItem"],
            "quantity": line["quantity"],
        }
        for i, line in enumerate(obj.get("_lines") or [], start=1)
    ]
    return _conn(nodes, args)


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


def f_fulfillment_orders(obj: Node, info: GraphQLResolveInfo, **args: Any) -> Node:
    """Fulfillment orders the token may see; none at all without a fulfillment-order scope."""
    if not reads_fulfillment_orders(call_of(info).scopes):
        return _conn([], args)
    return _conn(obj["fulfillmentOrders"], args)


def q_fulfillment_order(_: Any, info: GraphQLResolveInfo, id: str) -> Node | None:
    if not reads_fulfillment_orders(call_of(info).scopes):
        return None
    return _typed(_state(info).node(id), "gid://shopify/FulfillmentOrder/")


NODE_SCOPES = {
    "Order": ("read_orders",),
    "LineItem": ("read_orders",),
    "Fulfillment": ("read_orders",),
    "Customer": ("read_customers",),
    "Product": ("read_products",),
    "ProductVariant": ("read_products",),
    "InventoryItem": ("read_inventory",),
    "Location": ("read_locations",),
}


def kind_of(gid: str) -> str:
    """`Order` for `gid://shopify/Order/1`, `InventoryLevel` for a level's gid."""
    parts = gid.split("/")
    return parts[3].split("?")[0] if len(parts) > 4 else ""


def q_node(_: Any, info: GraphQLResolveInfo, id: str) -> Node | None:
    """Any object by its global id, checked against the token's scopes like its own query."""
    call = call_of(info)
    kind = kind_of(id)
    needs = NODE_SCOPES.get(kind)
    if needs is not None and not call.allows(needs):
        raise access_denied("node", needs)
    fulfillment_order = kind in ("FulfillmentOrder", "FulfillmentOrderLineItem")
    if fulfillment_order and not reads_fulfillment_orders(call.scopes):
        return None
    if kind == "BulkOperation":
        return call.services.bulk.node(id)
    if kind == "WebhookSubscription":
        return call.services.subscriptions.node(id)
    found = call.state.node(id)
    if found is None and id == call.state.shop["id"]:
        return call.state.shop
    return found


def resolve_node_type(value: Node, info: GraphQLResolveInfo, _type: Any) -> str | None:
    kind = kind_of(str(value.get("id", "")))
    found = info.schema.get_type(kind)
    return kind if isinstance(found, GraphQLObjectType) else None


def q_app_installation(_: Any, info: GraphQLResolveInfo) -> Node:
    """The app installation behind the token, with the access scopes it was granted."""
    return {
        "id": "gid://shopify/AppInstallation/71000000001",
        "accessScopes": [
            {"handle": scope, "description": scope.replace("_", " ").capitalize() + "."}
            for scope in sorted(call_of(info).scopes)
        ],
    }


def _guarded(
    name: str, needs: tuple[str, ...], inner: Callable[..., Any] | None
) -> Callable[..., Any]:
    """A resolver that refuses the field when the token lacks every one of `needs`."""

    def resolve(obj: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        if not call_of(info).allows(needs):
            raise access_denied(name, needs)
        if inner is not None:
            return inner(obj, info, **args)
        return obj.get(name) if isinstance(obj, dict) else None

    return resolve


def bind(schema: GraphQLSchema, more: dict[str, dict[str, Callable[..., Any]]]) -> None:
    """Attach resolvers (queries here, the rest given by type) to the schema's fields, and
    guard every field that needs an access scope."""
    table: dict[str, dict[str, Callable[..., Any]]] = {
        "QueryRoot": {
            "shop": lambda _o, info: _state(info).shop,
            "node": q_node,
            "currentAppInstallation": q_app_installation,
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
            "fulfillmentOrder": q_fulfillment_order,
        },
        "Product": {"variants": f_list_conn("variants")},
        "ProductVariant": {"metafield": f_metafield},
        "InventoryItem": {"inventoryLevels": f_levels, "inventoryLevel": f_level},
        "InventoryLevel": {"quantities": f_quantities},
        "Order": {
            "lineItems": f_list_conn("lineItems"),
            "shippingLines": f_list_conn("shippingLines"),
            "fulfillmentOrders": f_fulfillment_orders,
            "fulfillments": f_first_list("fulfillments"),
        },
        "Fulfillment": {
            "trackingInfo": f_first_list("trackingInfo"),
            "fulfillmentLineItems": f_fulfillment_lines,
        },
        "FulfillmentOrder": {"lineItems": f_list_conn("lineItems"), "order": f_fo_order},
    }
    for type_name, fields in more.items():
        table.setdefault(type_name, {}).update(fields)
    for type_name, fields in table.items():
        gtype = schema.type_map[type_name]
        assert isinstance(gtype, GraphQLObjectType)
        for field_name, fn in fields.items():
            gtype.fields[field_name].resolve = fn
    for (type_name, field_name), needs in REQUIRED.items():
        gtype = schema.type_map[type_name]
        assert isinstance(gtype, GraphQLObjectType)
        field = gtype.fields[field_name]
        field.resolve = _guarded(field_name, needs, field.resolve)
    node = schema.type_map["Node"]
    assert isinstance(node, GraphQLInterfaceType)
    node.resolve_type = resolve_node_type
