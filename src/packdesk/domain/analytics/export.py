"""The fact tables `packdesk export` writes for a data warehouse, each column documented.

docs/analytics.md lists the same columns (a test holds the two together). Money is in the
shop's currency as decimal text, times are ISO 8601 in UTC, days are the shop's calendar
days.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    """`text`, `integer`, `decimal`, `number`, `timestamp` or `date`."""
    doc: str


@dataclass(frozen=True)
class FactTable:
    name: str
    doc: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, kind: str, doc: str) -> Column:
    return Column(name, kind, doc)


ORDERS = FactTable(
    "orders",
    "One row per Shopify order in the local database.",
    (
        _c("order_id", "text", "Shopify's order GID."),
        _c("name", "text", "The order name the customer sees (#1001)."),
        _c("created_at", "timestamp", "When the order was placed."),
        _c("cancelled_at", "timestamp", "When it was cancelled; empty if it was not."),
        _c("customer_key", "text", "Shopify's customer GID, else the e-mail in lower case."),
        _c("currency", "text", "The shop's currency: every amount of the row is in it."),
        _c("presentment_currency", "text", "The currency the customer paid in."),
        _c("gross_sales", "decimal", "Items before discounts (subtotal + discounts)."),
        _c("discounts", "decimal", "Discounts on the order."),
        _c("returns", "decimal", "Items returned or removed, after their discounts."),
        _c("net_sales", "decimal", "Gross sales − discounts − returns (current subtotal)."),
        _c("shipping", "decimal", "Shipping charged to the customer."),
        _c("tax", "decimal", "Taxes charged."),
        _c("total_price", "decimal", "What the order came to (totalPriceSet)."),
        _c("financial_status", "text", "Shopify's financial status (PAID, REFUNDED, ...)."),
        _c("fulfillment_status", "text", "Shopify's fulfillment status."),
        _c("shipping_service", "text", "The shipping the customer chose at checkout."),
        _c("station_state", "text", "The order's state at this station; empty if never queued."),
    ),
)

ORDER_LINES = FactTable(
    "order_lines",
    "One row per line item of an order.",
    (
        _c("order_id", "text", "The order's GID (orders.order_id)."),
        _c("line_item_id", "text", "Shopify's line item GID."),
        _c("variant_id", "text", "The variant's GID; empty for a custom item."),
        _c("sku", "text", "The SKU at the time of the order."),
        _c("title", "text", "The product title on the order."),
        _c("quantity", "integer", "Units still on the order (current quantity)."),
        _c("unit_price", "decimal", "The original unit price."),
        _c("unit_cost", "decimal", "The variant's unit cost now; empty while unknown."),
    ),
)

LABELS = FactTable(
    "labels",
    "One row per label purchase attempt, with what it cost.",
    (
        _c("purchase_key", "text", "order:<id>:pkg:<n>:try:<k>, the purchase's key."),
        _c("order_id", "text", "The order's GID."),
        _c("package_no", "integer", "The package of the order (1, 2, ...)."),
        _c("state", "text", "BOUGHT, VOIDED (refunded), FAILED or PENDING."),
        _c("carrier", "text", "USPS, UPS, FedEx, ..."),
        _c("service", "text", "The carrier's service name."),
        _c("zone", "text", "The carrier's zone of the rate bought; empty if unknown."),
        _c("cost", "decimal", "The rate's price."),
        _c("fee", "decimal", "The label fee ([shippo].label_fee)."),
        _c("currency", "text", "The currency of cost and fee."),
        _c("weight_g", "number", "The parcel's weight in grams; empty if unknown."),
        _c("box", "text", "The box the parcel went in."),
        _c("created_at", "timestamp", "When the purchase was made."),
    ),
)

STOCK_SNAPSHOTS = FactTable(
    "stock_snapshots",
    "Stock on hand of each item at each location, once a day.",
    (
        _c("day", "date", "The shop's calendar day of the picture."),
        _c("inventory_item_id", "text", "Shopify's inventory item GID."),
        _c("sku", "text", "The item's SKU now."),
        _c("location", "text", "The location's code (CA, PA)."),
        _c("on_hand", "integer", "Units on hand."),
        _c("available", "integer", "Units available to sell."),
        _c("unit_cost", "decimal", "The unit cost that day; empty while unknown."),
        _c("taken_at", "timestamp", "When the picture was last taken that day."),
    ),
)

PURCHASE_ORDERS = FactTable(
    "purchase_orders",
    "One row per line of a purchase order to a supplier.",
    (
        _c("purchase_order_id", "integer", "packdesk's purchase order number."),
        _c("supplier", "text", "The supplier's name."),
        _c("location", "text", "The warehouse it is for (CA, PA)."),
        _c("status", "text", "DRAFT, ORDERED, PARTIAL, RECEIVED, CLOSED or CANCELLED."),
        _c("created_at", "timestamp", "When the purchase order was made."),
        _c("variant_id", "text", "The variant ordered."),
        _c("sku", "text", "Its SKU now."),
        _c("quantity", "integer", "Units ordered."),
        _c("unit_cost", "decimal", "The price agreed per unit."),
    ),
)

FACT_TABLES: tuple[FactTable, ...] = (
    ORDERS,
    ORDER_LINES,
    LABELS,
    STOCK_SNAPSHOTS,
    PURCHASE_ORDERS,
)
