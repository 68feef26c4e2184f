"""The demo shop's orders: compact heads generated in O(N), full orders built on demand.

100,000 orders as full nested dicts would take gigabytes, so generation makes one small
`OrderHead` per order (times, state, warehouse) and `materialise` builds the Shopify-shaped
order from the head and a per-order seeded RNG whenever it is read. Orders that are changed
(fulfilled, moved, edited, cancelled) keep their full dict on the head from then on.

The heads and the demo's named problem orders are in order_heads.py. Orders made at run
time take ids and numbers that no earlier run of the sandbox gave out (ShopState.new_id).
"""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from packdesk.sandbox.shopify.catalog import (
    HEAVY_SKU,
    OUT_OF_STOCK_SKU,
    Catalog,
    Node,
    gid,
    money,
)
from packdesk.sandbox.shopify.demo_people import make_customer
from packdesk.sandbox.shopify.long_orders import (
    LONG_SPECIALS,
    fo_line_id,
    line_id,
    long_lines,
    split,
)
from packdesk.sandbox.shopify.order_heads import OrderHead, iso

SALES_TAX = {"CA": 0.0725, "PA": 0.06}
"""Sales tax on the items (after discounts) for deliveries to the states the merchant has
warehouses in; other destinations pay none here."""


class OrderFactory:
    """Builds full Shopify-shaped orders from heads, deterministically from the seed."""

    def __init__(
        self, seed: int, catalog: Catalog, n_customers: int, sold_out_at: float = 0.0
    ) -> None:
        self.seed = seed
        self.catalog = catalog
        self.sold_out_at = sold_out_at
        """Until then the out-of-stock SKU sold at CA like any other; none were left after."""
        self.n_customers = max(1, n_customers)
        self._customers: dict[int, tuple[Node, Node]] = {}
        skus = sorted(catalog.by_sku)
        self._ordinary = [catalog.by_sku[s] for s in skus if s not in (HEAVY_SKU, OUT_OF_STOCK_SKU)]

    def customer(self, c: int) -> tuple[Node, Node]:
        """Customer number c and their default address (cached; customers repeat)."""
        got = self._customers.get(c)
        if got is None:
            got = self._customers[c] = make_customer(self.seed, c)
        return got

    def _discount(self, head: OrderHead, subtotal_cents: int) -> int:
        """WELCOME10 (10 % off the items) on about one ordinary order in eight. A generator
        of its own, so that the demo's orders keep every other value they had."""
        if head.special is not None:
            return 0
        r = random.Random(self.seed * 7_000_003 + head.idx)
        return round(subtotal_cents * 0.10) if r.random() < 0.125 else 0

    def _lines(self, r: random.Random, special: str | None) -> list[tuple[Node, int]]:
        by_sku = self.catalog.by_sku
        if special == "simple":
            return [(by_sku["BM-ABC-01"], 1), (by_sku["BM-TAN-01"], 2)]
        if special == "multi_box":
            return [
                (by_sku[HEAVY_SKU], 2),
                (by_sku["BM-SCL-01"], 1),
                (by_sku["BM-GLB-01"], 1),
                (by_sku["BM-CIR-01"], 1),
                (by_sku["BM-ATL-01"], 2),
            ]
        if special == "out_of_stock":
            return [(by_sku[OUT_OF_STOCK_SKU], 1), (by_sku["BM-NUM-01"], 1)]
        if special in LONG_SPECIALS:
            return long_lines(self.catalog, special)
        count = 1 + int(r.random() ** 1.8 * 4)
        picked = r.sample(self._ordinary, count)
        if r.random() < 0.01:
            picked[0] = by_sku[HEAVY_SKU]
        return [(v, 1 if r.random() < 0.8 else r.randint(2, 3)) for v in picked]

    def _history(self, head: OrderHead, picked: list[tuple[Node, int]]) -> list[tuple[Node, int]]:
        """Shipped CA orders from before the stock-out carried the out-of-stock SKU now and
        then (its own dice, so no other order changes)."""
        if (
            head.special is None
            and head.loc == "CA"
            and head.kind in ("fulfilled", "closed")
            and head.created < self.sold_out_at
            and random.Random(self.seed * 7_919 + head.idx).random() < 0.25
        ):
            return [*picked, (self.catalog.by_sku[OUT_OF_STOCK_SKU], 1)]
        return picked

    def materialise(self, head: OrderHead, items: list[tuple[Node, int]] | None = None) -> Node:
        """The full order for a head, exactly as it was generated (or with these lines)."""
        r = random.Random(self.seed * 1_000_003 + head.idx)
        customer, address = self.customer(r.randrange(self.n_customers))
        special = head.special
        if special == "bad_address":
            address = {**address, "zip": "9021"}
        elif special == "canada":
            address = dict(address)
            address.update(
                city="Toronto",
                province="Ontario",
                provinceCode="ON",
                zip="M5V 2T6",
                country="Canada",
                countryCodeV2="CA",
                address1="288 Bremner Blvd",
                address2=None,
            )
        created, updated = iso(head.created), iso(head.updated)
        o: Node = {
            "id": head.gid,
            "legacyResourceId": str(head.number),
            "name": head.name,
            "createdAt": created,
            "updatedAt": updated,
            "processedAt": created,
            "cancelledAt": None,
            "cancelReason": None,
            "closed": False,
            "closedAt": None,
            "displayFinancialStatus": "PAID",
            "displayFulfillmentStatus": "UNFULFILLED",
            "email": customer["email"],
            "phone": None,
            "test": False,
            "currencyCode": "USD",
            "presentmentCurrencyCode": "CAD" if special == "canada" else "USD",
            "note": "Gift: Happy birthday, Maya! Love, Grandma" if special == "gift" else None,
            "tags": [],
            "customer": customer,
            "shippingAddress": address,
        }
        if special is None and r.random() < 0.04:
            o["note"] = "Please leave at the side door."
        if r.random() < 0.15:
            o["tags"] = ["wholesale"] if r.random() < 0.3 else ["repeat-customer"]
        lines: list[Node] = []
        subtotal = grams = 0
        for j, (variant, qty) in enumerate(items or self._history(head, self._lines(r, special))):
            cents = round(float(variant["price"]) * 100)
            subtotal += cents * qty
            grams += variant["_grams"] * qty
            product = variant["product"]
            lines.append(
                {
                    "id": line_id(head.idx, j, special),
                    "sku": variant["sku"],
                    "name": variant["displayName"],
                    "title": product["title"],
                    "variantTitle": None
                    if variant["title"] == "Default Title"
                    else variant["title"],
                    "quantity": qty,
                    "currentQuantity": qty,
                    "unfulfilledQuantity": qty,
                    "requiresShipping": True,
                    "variant": variant,
                    "product": product,
                    "originalUnitPriceSet": variant["_priceSet"],
                    "discountedUnitPriceSet": variant["_priceSet"],
                }
            )
        express = special == "express" or (special is None and r.random() < 0.08)
        if express:
            ship_title, ship_code, ship_cents = "Express", "EXPRESS", 1499
        elif subtotal >= 5000:
            ship_title, ship_code, ship_cents = "Free Shipping", "FREE", 0
        else:
            ship_title, ship_code, ship_cents = "Standard", "STANDARD", 599
        o["shippingLines"] = [
            {
                "id": gid("ShippingLine", 3_900_000_000 + head.idx),
                "title": ship_title,
                "code": ship_code,
                "source": "shopify",
                "carrierIdentifier": None,
                "originalPriceSet": _shipping_set(ship_cents),
                "discountedPriceSet": _shipping_set(ship_cents),
            }
        ]
        discount = self._discount(head, subtotal) if items is None else 0
        after = subtotal - discount
        tax = round(after * SALES_TAX.get(address.get("provinceCode") or "", 0.0))
        if address.get("countryCodeV2") != "US":
            tax = 0
        total = _amount(after + ship_cents + tax)
        o.update(
            lineItems=lines,
            subtotalPriceSet=money(_amount(after)),
            currentSubtotalPriceSet=money(_amount(after)),
            totalDiscountsSet=money(_amount(discount)),
            totalTaxSet=money(_amount(tax)),
            totalPriceSet=money(total),
            currentTotalPriceSet=money(total),
            totalShippingPriceSet=_shipping_set(ship_cents),
            totalWeight=str(grams),
        )
        if special == "canada":
            for key in _ORDER_MONEY:
                o[key] = _presented(o[key], CAD_PER_USD, "CAD")
        loc = self.catalog.locations[head.loc]
        fo: Node = {
            "id": gid("FulfillmentOrder", 6_100_000_000 + head.idx * 4),
            "status": "OPEN",
            "requestStatus": "UNSUBMITTED",
            "createdAt": created,
            "updatedAt": updated,
            "assignedLocation": {"name": loc["name"], "countryCode": "US", "location": loc},
            "_order": head.gid,
            "lineItems": [
                {
                    "id": fo_line_id(head.idx, j, special),
                    "sku": li["sku"],
                    "remainingQuantity": li["quantity"],
                    "totalQuantity": li["quantity"],
                    "lineItem": li,
                }
                for j, li in enumerate(lines)
            ],
        }
        o["fulfillmentOrders"] = (
            split(fo, self.catalog, head.idx) if special == "many_fulfillment_orders" else [fo]
        )
        if special == "long_order":
            o.update(tags=["wholesale"], note="School district order: one of each, please.")
        o["fulfillments"] = []
        kind = head.kind
        if kind in ("fulfilled", "closed", "partial"):
            shipped = fo["lineItems"] if kind != "partial" else fo["lineItems"][:1]
            if kind == "partial" and len(fo["lineItems"]) == 1:
                shipped = []
            for fl in shipped:
                fl["remainingQuantity"] = 0
                fl["lineItem"]["unfulfilledQuantity"] = 0
            if shipped or kind != "partial":
                parcel = _fulfillment(
                    5_300_000_000 + head.idx * 4,
                    f"{head.name}-F1",
                    updated,
                    loc,
                    "USPS",
                    f"9400{r.randrange(10**17, 10**18)}",
                )
                parcel["_lines"] = [
                    {"lineItem": fl["lineItem"], "quantity": fl["totalQuantity"]} for fl in shipped
                ]
                o["fulfillments"].append(parcel)
            left = any(fl["remainingQuantity"] for fl in fo["lineItems"])
            fo["status"] = "IN_PROGRESS" if left else "CLOSED"
            o["displayFulfillmentStatus"] = "PARTIALLY_FULFILLED" if left else "FULFILLED"
            if kind == "closed":
                o["closed"], o["closedAt"] = True, updated
        elif kind == "cancelled":
            o.update(
                cancelledAt=updated,
                cancelReason="CUSTOMER",
                closed=True,
                closedAt=updated,
                displayFinancialStatus="REFUNDED",
                currentSubtotalPriceSet=money("0.00"),
            )
            fo["status"] = "CLOSED"
        return o


_ORDER_MONEY = (
    "subtotalPriceSet",
    "currentSubtotalPriceSet",
    "totalDiscountsSet",
    "totalTaxSet",
    "totalPriceSet",
    "currentTotalPriceSet",
    "totalShippingPriceSet",
)
CAD_PER_USD = 1.37
"""The rate at which the demo's Canadian customer pays in Canadian dollars."""


def _presented(bag: Node, rate: float, currency: str) -> Node:
    """A new MoneyBag: the same shop money, presented to the customer in `currency`."""
    cents = round(float(bag["shopMoney"]["amount"]) * rate * 100)
    return {
        "shopMoney": bag["shopMoney"],
        "presentmentMoney": {"amount": _amount(cents), "currencyCode": currency},
    }


@lru_cache(maxsize=16)
def _shipping_set(cents: int) -> Node:
    """Shared MoneyBag per shipping price; order dicts never change a price in place."""
    return money(_amount(cents))


def _amount(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _fulfillment(number: int, name: str, at: str, loc: Node, company: str, tracking: str) -> Node:
    return {
        "id": gid("Fulfillment", number),
        "legacyResourceId": str(number),
        "name": name,
        "status": "SUCCESS",
        "displayStatus": "FULFILLED",
        "createdAt": at,
        "updatedAt": at,
        "location": loc,
        "trackingInfo": [tracking_info(company, tracking)],
    }


def tracking_info(company: str | None, number: str | None, url: str | None = None) -> Node:
    """FulfillmentTrackingInfo with a carrier tracking URL when Shopify would derive one."""
    if url is None and number and company == "USPS":
        url = f"https://tools.usps.com/go/TrackConfirmAction?tLabels={number}"
    elif url is None and number and company == "UPS":
        url = f"https://www.ups.com/track?tracknum={number}"
    elif url is None and number and company == "FedEx":
        url = f"https://www.fedex.com/fedextrack/?trknbr={number}"
    return {"company": company, "number": number, "url": url}


def new_fulfillment(number: int, name: str, at: str, loc: Node, info: Node) -> dict[str, Any]:
    """A successful fulfillment made now (by a mutation or the control API)."""
    f = _fulfillment(number, name, at, loc, "", "")
    f["trackingInfo"] = [info] if info.get("number") or info.get("company") else []
    return f
