"""The demo's long orders: nested lists longer than one page, as real stores have them.

- `long_order`: a school's wholesale order of 250 line items (light classroom SKUs, one of
  each, cycling through them), one fulfillment order of 250 lines at CA.
- `many_fulfillment_orders`: ten lines split over seven open fulfillment orders, four at CA
  and three at PA (what repeated splits and moves leave behind).

Their line items and fulfillment orders need more ids than the per-order blocks the other
orders use (8 lines, 4 fulfillment orders), so they take ids from blocks of their own; the
shop registers every id of these orders when it starts.
"""

from __future__ import annotations

from packdesk.sandbox.shopify.catalog import Catalog, Node, gid

LONG_SPECIALS = ("long_order", "many_fulfillment_orders")
LONG_LINES = 250
SPLIT_LINES = 10
SPLIT_ORDERS = 7
_LIGHT_SKUS = (
    "BM-STK-01",
    "BM-ABC-01",
    "BM-NUM-01",
    "BM-MUL-01",
    "BM-SIG-01",
    "BM-SIG-02",
    "BM-SPN-01",
    "BM-TMR-01",
    "BM-HND-01",
    "BM-SPL-01",
)
_LINE_BASE = 17_000_000_000
_FO_LINE_BASE = 18_000_000_000
_FO_BASE = 6_300_000_000
_PER_ORDER = 1000


def line_id(idx: int, j: int, special: str | None) -> str:
    """The LineItem gid of line j of order idx."""
    if special in LONG_SPECIALS:
        return gid("LineItem", _LINE_BASE + idx * _PER_ORDER + j)
    return gid("LineItem", 15_000_000_000 + idx * 8 + j)


def fo_line_id(idx: int, j: int, special: str | None) -> str:
    """The FulfillmentOrderLineItem gid of line j of order idx."""
    if special in LONG_SPECIALS:
        return gid("FulfillmentOrderLineItem", _FO_LINE_BASE + idx * _PER_ORDER + j)
    return gid("FulfillmentOrderLineItem", 16_000_000_000 + idx * 8 + j)


def long_lines(catalog: Catalog, special: str) -> list[tuple[Node, int]]:
    """The (variant, quantity) lines of a long special order."""
    count = LONG_LINES if special == "long_order" else SPLIT_LINES
    return [(catalog.by_sku[_LIGHT_SKUS[j % len(_LIGHT_SKUS)]], 1) for j in range(count)]


def split(fo: Node, catalog: Catalog, idx: int) -> list[Node]:
    """The one fulfillment order of `many_fulfillment_orders` as seven, over CA and PA."""
    pieces = []
    for k in range(SPLIT_ORDERS):
        location = catalog.locations["CA" if k % 2 == 0 else "PA"]
        pieces.append(
            {
                **fo,
                "id": gid("FulfillmentOrder", _FO_BASE + idx * 16 + k),
                "assignedLocation": {
                    "name": location["name"],
                    "countryCode": "US",
                    "location": location,
                },
                "lineItems": fo["lineItems"][k::SPLIT_ORDERS],
            }
        )
    return pieces


def ids_of(order: Node) -> list[str]:
    """Every gid inside an order that the shop must find its way back from."""
    found = [li["id"] for li in order["lineItems"]]
    for fo in order["fulfillmentOrders"]:
        found.append(fo["id"])
        found.extend(line["id"] for line in fo["lineItems"])
    return found
