"""GraphQL JSON → domain models, converting Shopify's units to grams and centimetres.

Dimensions and the warehouse bin are not in Shopify's schema: packdesk keeps them in the
variant metafields `packdesk.dimensions_cm` ("L x W x H", e.g. "20 x 15 x 3") and
`packdesk.bin` ("A-03"). A value that does not parse counts as unknown (0), never as an error:
one badly typed metafield must not stop the catalog sync.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from packdesk.domain.fulfillments import Fulfillment, FulfillmentLine, TrackingInfo
from packdesk.domain.models import (
    Address,
    Customer,
    FulfillmentOrder,
    FulfillmentOrderLine,
    LineItem,
    Location,
    Order,
    ShippingLine,
    StockLevel,
    Variant,
)
from packdesk.domain.sales import OrderSales

GRAMS_PER_UNIT = {
    "GRAMS": 1.0,
    "KILOGRAMS": 1000.0,
    "OUNCES": 28.349523125,
    "POUNDS": 453.59237,
}

Node = dict[str, Any]


def _dt(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _money(bag: Any) -> Decimal:
    try:
        return Decimal(str(bag["shopMoney"]["amount"]))
    except (KeyError, TypeError, InvalidOperation):
        return Decimal("0")


def _money_v2(value: Any) -> tuple[Decimal | None, str]:
    """A `MoneyV2` as (amount, currency); (None, "") when absent or unreadable."""
    if not isinstance(value, dict):
        return None, ""
    try:
        return Decimal(str(value["amount"])), _s(value.get("currencyCode"))
    except (KeyError, InvalidOperation):
        return None, ""


def order_sales(node: Node) -> OrderSales | None:
    """The order's money in shop money; None when the answer did not select it."""
    if "subtotalPriceSet" not in node and "currentSubtotalPriceSet" not in node:
        return None
    subtotal = _money(node.get("subtotalPriceSet"))
    current = node.get("currentSubtotalPriceSet")
    return OrderSales(
        subtotal=subtotal,
        current_subtotal=_money(current) if current is not None else subtotal,
        discounts=_money(node.get("totalDiscountsSet")),
        tax=_money(node.get("totalTaxSet")),
        shipping=_money(node.get("totalShippingPriceSet")),
    )


def _nodes(connection: Any) -> list[Node]:
    if not isinstance(connection, dict):
        return []
    return [n for n in connection.get("nodes") or [] if isinstance(n, dict)]


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def weight_grams(measurement: Any) -> float:
    """`inventoryItem.measurement` → grams (0 when Shopify has no weight)."""
    try:
        weight = measurement["weight"]
        return round(float(weight["value"]) * GRAMS_PER_UNIT[weight["unit"]], 3)
    except (KeyError, TypeError, ValueError):
        return 0.0


_DIMENSIONS = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*[x×X*]\s*(\d+(?:[.,]\d+)?)\s*[x×X*]\s*(\d+(?:[.,]\d+)?)\s*(?:cm)?\s*$"
)


def parse_dimensions(text: str) -> tuple[float, float, float]:
    """ "20 x 15 x 3" → (20.0, 15.0, 3.0); anything else → zeros."""
    match = _DIMENSIONS.match(text or "")
    if not match:
        return (0.0, 0.0, 0.0)
    a, b, c = (float(g.replace(",", ".")) for g in match.groups())
    return (a, b, c)


def _metafield(node: Node, alias: str) -> str:
    field = node.get(alias)
    return _s(field.get("value")) if isinstance(field, dict) else ""


def location_code(name: str) -> str:
    """The short code of a location: the first word of its name ("CA Warehouse" → "CA")."""
    words = name.split()
    return words[0].upper() if words else ""


def location_from_node(node: Node) -> Location:
    address = node.get("address") or {}
    return Location(
        id=node["id"],
        name=node["name"],
        code=location_code(node["name"]),
        is_shopify=True,
        active=bool(node.get("isActive", True)),
        address=Address(
            name=node["name"],
            address1=_s(address.get("address1")),
            address2=_s(address.get("address2")),
            city=_s(address.get("city")),
            province_code=_s(address.get("provinceCode")),
            zip=_s(address.get("zip")),
            country_code=_s(address.get("countryCode")) or "US",
            phone=_s(address.get("phone")),
        ),
    )


def variant_from_node(node: Node) -> Variant:
    product = node.get("product") or {}
    item = node.get("inventoryItem") or {}
    length, width, height = parse_dimensions(_metafield(node, "dimensions"))
    try:
        price = Decimal(str(node.get("price") or "0"))
    except InvalidOperation:
        price = Decimal("0")
    unit_cost, cost_currency = _money_v2(item.get("unitCost"))
    return Variant(
        id=node["id"],
        product_id=_s(product.get("id")),
        product_title=_s(product.get("title")),
        title=_s(node.get("title")),
        sku=_s(node.get("sku")),
        barcode=_s(node.get("barcode")),
        inventory_item_id=_s(item.get("id")),
        price=price,
        weight_g=weight_grams(item.get("measurement")),
        length_cm=length,
        width_cm=width,
        height_cm=height,
        bin=_metafield(node, "bin"),
        unit_cost=unit_cost,
        cost_currency=cost_currency,
        vendor=_s(product.get("vendor")),
        hs_code=_s(item.get("harmonizedSystemCode")),
        origin_country=_s(item.get("countryCodeOfOrigin")),
        updated_at=_dt(node.get("updatedAt")),
    )


def stock_from_item_node(node: Node) -> list[StockLevel]:
    return [
        stock_from_level_node(node["id"], level) for level in _nodes(node.get("inventoryLevels"))
    ]


def stock_from_level_node(inventory_item_id: str, level: Node) -> StockLevel:
    """One `InventoryLevel` with its `quantities(names: [...])`: available, on_hand,
    committed and incoming (a name not asked for is 0)."""
    quantities = {q["name"]: int(q["quantity"]) for q in level.get("quantities") or []}
    return StockLevel(
        inventory_item_id=inventory_item_id,
        location_id=level["location"]["id"],
        available=quantities.get("available", 0),
        on_hand=quantities.get("on_hand", 0),
        committed=quantities.get("committed", 0),
        incoming=quantities.get("incoming", 0),
        updated_at=_dt(level.get("updatedAt")),
    )


def _address(node: Any) -> Address | None:
    if not isinstance(node, dict):
        return None
    return Address(
        name=_s(node.get("name")),
        company=_s(node.get("company")),
        address1=_s(node.get("address1")),
        address2=_s(node.get("address2")),
        city=_s(node.get("city")),
        province_code=_s(node.get("provinceCode")),
        zip=_s(node.get("zip")),
        country_code=_s(node.get("countryCodeV2")) or "US",
        phone=_s(node.get("phone")),
    )


def fulfillment_from_node(node: Node) -> Fulfillment:
    """A `Fulfillment` with its tracking and the line items it carried."""
    created_at = _dt(node.get("createdAt"))
    assert created_at is not None
    return Fulfillment(
        id=node["id"],
        name=_s(node.get("name")),
        status=_s(node.get("status")) or "SUCCESS",
        created_at=created_at,
        location_id=_s((node.get("location") or {}).get("id")),
        tracking=tuple(
            TrackingInfo(
                number=_s(info.get("number")),
                company=_s(info.get("company")),
                url=_s(info.get("url")),
            )
            for info in node.get("trackingInfo") or []
            if isinstance(info, dict)
        ),
        lines=tuple(
            FulfillmentLine(
                line_item_id=line["lineItem"]["id"], quantity=int(line.get("quantity") or 0)
            )
            for line in _nodes(node.get("fulfillmentLineItems"))
        ),
    )


def order_from_node(node: Node) -> Order:
    customer = node.get("customer") or {}
    address = customer.get("defaultEmailAddress") or {}
    created_at = _dt(node["createdAt"])
    updated_at = _dt(node["updatedAt"])
    assert created_at is not None
    assert updated_at is not None
    fulfillment_orders = tuple(
        FulfillmentOrder(
            id=fo["id"],
            order_id=node["id"],
            location_id=_s(((fo.get("assignedLocation") or {}).get("location") or {}).get("id")),
            status=_s(fo.get("status")),
            lines=tuple(
                FulfillmentOrderLine(
                    id=line["id"],
                    line_item_id=line["lineItem"]["id"],
                    total_quantity=int(line["totalQuantity"]),
                    remaining_quantity=int(line["remainingQuantity"]),
                )
                for line in _nodes(fo.get("lineItems"))
            ),
            updated_at=_dt(fo.get("updatedAt")),
        )
        for fo in _nodes(node.get("fulfillmentOrders"))
    )
    return Order(
        id=node["id"],
        name=node["name"],
        created_at=created_at,
        updated_at=updated_at,
        cancelled_at=_dt(node.get("cancelledAt")),
        cancel_reason=_s(node.get("cancelReason")),
        closed_at=_dt(node.get("closedAt")),
        financial_status=_s(node.get("displayFinancialStatus")),
        fulfillment_status=_s(node.get("displayFulfillmentStatus")),
        email=_s(node.get("email")),
        customer=Customer(
            id=_s(customer.get("id")),
            name=_s(customer.get("displayName")),
            email=_s(address.get("emailAddress")),
            accepts_marketing=address.get("marketingState") == "SUBSCRIBED",
        ),
        shipping_address=_address(node.get("shippingAddress")),
        shipping_lines=tuple(
            ShippingLine(
                title=_s(line.get("title")),
                code=_s(line.get("code")),
                source=_s(line.get("source")),
                price=_money(line.get("originalPriceSet")),
            )
            for line in _nodes(node.get("shippingLines"))
        ),
        line_items=tuple(
            LineItem(
                id=line["id"],
                variant_id=_s((line.get("variant") or {}).get("id")),
                sku=_s(line.get("sku")),
                title=_s(line.get("title")),
                variant_title=_s(line.get("variantTitle")),
                quantity=int(line.get("currentQuantity", 0)),
                requires_shipping=bool(line.get("requiresShipping", True)),
                price=_money(line.get("originalUnitPriceSet")),
            )
            for line in _nodes(node.get("lineItems"))
        ),
        fulfillment_orders=fulfillment_orders,
        fulfillments=tuple(
            fulfillment_from_node(f) for f in node["fulfillments"] or [] if isinstance(f, dict)
        )
        if "fulfillments" in node
        else None,
        note=_s(node.get("note")),
        tags=tuple(str(t) for t in node.get("tags") or []),
        total_price=_money(node.get("totalPriceSet")),
        currency=_s(node.get("currencyCode")) or "USD",
        presentment_currency=_s(node.get("presentmentCurrencyCode")),
        sales=order_sales(node),
    )
