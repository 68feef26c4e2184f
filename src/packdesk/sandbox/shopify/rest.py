"""Orders in Shopify's REST shape (snake_case), as webhook bodies and control API answers carry.

Webhook payloads are still the REST resource even for GraphQL apps: numeric `id`,
`admin_graphql_api_id`, money as strings, `tags` as one comma-separated string,
lowercase `financial_status` / `fulfillment_status` / `cancel_reason`.
"""

from __future__ import annotations

from typing import Any

from packdesk.sandbox.shopify.catalog import Node

_FULFILLMENT_STATUS = {"FULFILLED": "fulfilled", "PARTIALLY_FULFILLED": "partial"}


def _num(gid: str | None) -> int | None:
    return int(gid.rsplit("/", 1)[-1]) if gid else None


def _rest_time(value: str | None) -> str | None:
    """Shopify REST writes times with an explicit offset."""
    return value.replace("Z", "+00:00") if value else None


def _amount(bag: Node | None) -> str | None:
    return bag["shopMoney"]["amount"] if bag else None


def address(a: Node | None) -> Node | None:
    if a is None:
        return None
    return {
        "first_name": a.get("firstName"),
        "last_name": a.get("lastName"),
        "name": a.get("name"),
        "company": a.get("company"),
        "address1": a.get("address1"),
        "address2": a.get("address2"),
        "city": a.get("city"),
        "province": a.get("province"),
        "province_code": a.get("provinceCode"),
        "zip": a.get("zip"),
        "country": a.get("country"),
        "country_code": a.get("countryCodeV2"),
        "phone": a.get("phone"),
    }


def _line(li: Node) -> Node:
    variant = li.get("variant")
    product = li.get("product")
    if li["unfulfilledQuantity"] == 0:
        status = "fulfilled"
    elif li["unfulfilledQuantity"] < li["currentQuantity"]:
        status = "partial"
    else:
        status = None
    return {
        "id": _num(li["id"]),
        "admin_graphql_api_id": li["id"],
        "variant_id": _num(variant["id"]) if variant else None,
        "product_id": _num(product["id"]) if product else None,
        "sku": li["sku"],
        "title": li["title"],
        "variant_title": li["variantTitle"],
        "name": li["name"],
        "quantity": li["quantity"],
        "current_quantity": li["currentQuantity"],
        "fulfillable_quantity": li["unfulfilledQuantity"],
        "fulfillment_status": status,
        "grams": variant["_grams"] if variant else 0,
        "price": li["originalUnitPriceSet"]["shopMoney"]["amount"],
        "requires_shipping": li["requiresShipping"],
    }


def _fulfillment(f: Node) -> Node:
    infos = f["trackingInfo"]
    first = infos[0] if infos else {}
    return {
        "id": _num(f["id"]),
        "admin_graphql_api_id": f["id"],
        "name": f["name"],
        "status": f["status"].lower(),
        "created_at": _rest_time(f["createdAt"]),
        "updated_at": _rest_time(f["updatedAt"]),
        "location_id": _num(f["location"]["id"]) if f.get("location") else None,
        "tracking_company": first.get("company"),
        "tracking_number": first.get("number"),
        "tracking_numbers": [i["number"] for i in infos if i.get("number")],
        "tracking_url": first.get("url"),
        "tracking_urls": [i["url"] for i in infos if i.get("url")],
        "notify_customer": bool(f.get("_notifyCustomer")),
        "line_items": [
            {"id": _num(x["lineItem"]["id"]), "quantity": x["quantity"]}
            for x in f.get("_lines", [])
        ],
    }


def order(o: Node) -> Node:
    """The REST `Order` resource for a GraphQL-shaped order."""
    customer = o.get("customer")
    number = int(o["name"].lstrip("#"))
    return {
        "id": _num(o["id"]),
        "admin_graphql_api_id": o["id"],
        "name": o["name"],
        "order_number": number,
        "number": number - 1000,
        "email": o["email"],
        "contact_email": o["email"],
        "phone": o.get("phone"),
        "created_at": _rest_time(o["createdAt"]),
        "updated_at": _rest_time(o["updatedAt"]),
        "processed_at": _rest_time(o["processedAt"]),
        "cancelled_at": _rest_time(o["cancelledAt"]),
        "cancel_reason": o["cancelReason"].lower() if o["cancelReason"] else None,
        "closed_at": _rest_time(o["closedAt"]),
        "currency": o["currencyCode"],
        "presentment_currency": o.get("presentmentCurrencyCode") or o["currencyCode"],
        "financial_status": (o["displayFinancialStatus"] or "").lower() or None,
        "fulfillment_status": _FULFILLMENT_STATUS.get(o["displayFulfillmentStatus"]),
        "note": o["note"],
        "tags": ", ".join(o["tags"]),
        "test": o["test"],
        "subtotal_price": _amount(o.get("subtotalPriceSet")),
        "current_subtotal_price": _amount(o.get("currentSubtotalPriceSet")),
        "total_discounts": _amount(o.get("totalDiscountsSet")),
        "total_tax": _amount(o.get("totalTaxSet")),
        "total_price": _amount(o["totalPriceSet"]),
        "current_total_price": _amount(o["currentTotalPriceSet"]),
        "total_weight": int(o["totalWeight"] or 0),
        "customer": None
        if customer is None
        else {
            "id": _num(customer["id"]),
            "admin_graphql_api_id": customer["id"],
            "email": customer["email"],
            "first_name": customer["firstName"],
            "last_name": customer["lastName"],
            "email_marketing_consent": {
                "state": customer["emailMarketingConsent"]["marketingState"].lower(),
                "opt_in_level": customer["emailMarketingConsent"]["marketingOptInLevel"].lower(),
                "consent_updated_at": None,
            },
        },
        "shipping_address": address(o["shippingAddress"]),
        "line_items": [_line(li) for li in o["lineItems"]],
        "shipping_lines": [
            {
                "id": _num(s["id"]),
                "title": s["title"],
                "code": s["code"],
                "source": s["source"],
                "price": s["originalPriceSet"]["shopMoney"]["amount"],
            }
            for s in o["shippingLines"]
        ],
        "fulfillments": [_fulfillment(f) for f in o["fulfillments"]],
    }


def order_with_fulfillment_orders(o: Node) -> dict[str, Any]:
    """REST order plus its fulfillment orders, for the control API and tests."""
    out = order(o)
    out["fulfillment_orders"] = [
        {
            "id": _num(fo["id"]),
            "admin_graphql_api_id": fo["id"],
            "status": fo["status"],
            "assigned_location": fo["assignedLocation"]["location"]["_key"],
            "assigned_location_id": _num(fo["assignedLocation"]["location"]["id"]),
            "line_items": [
                {
                    "id": _num(x["id"]),
                    "line_item_id": _num(x["lineItem"]["id"]),
                    "sku": x["sku"],
                    "remaining_quantity": x["remainingQuantity"],
                    "total_quantity": x["totalQuantity"],
                }
                for x in fo["lineItems"]
            ],
        }
        for fo in o["fulfillmentOrders"]
    ]
    return out


def inventory_level(level: Node) -> Node:
    """The inventory_levels/update body: the level's `available` only, as Shopify sends it
    (the other quantities have to be read back through GraphQL)."""
    return {
        "inventory_item_id": int(level["item"]["legacyResourceId"]),
        "location_id": int(level["location"]["legacyResourceId"]),
        "available": level["_q"]["available"],
        "updated_at": _rest_time(level["updatedAt"]),
        "admin_graphql_api_id": level["id"],
    }
