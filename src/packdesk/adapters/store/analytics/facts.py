"""The rows of the fact tables `packdesk export` writes (domain/analytics/export.py names
and documents their columns), read a page at a time by keyset so that memory stays flat
however long the history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from packdesk.adapters.store.db import Database, Row
from packdesk.domain.analytics.export import (
    LABELS,
    ORDER_LINES,
    ORDERS,
    PURCHASE_ORDERS,
    STOCK_SNAPSHOTS,
    FactTable,
)

PAGE = 2_000


@dataclass(frozen=True)
class _Source:
    select: str
    """The table's rows; paged from outside by its key columns."""
    keys: tuple[str, ...]
    """The key columns' aliases (unique per row), in ORDER BY order."""
    shape: Callable[[Row], tuple[object, ...]]
    """A row as the table's columns."""


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _order(r: Row) -> tuple[object, ...]:
    subtotal, current = _money(r["subtotal_price"]), _money(r["current_subtotal_price"])
    discounts = _money(r["total_discounts"])
    gross = returns = None
    if subtotal is not None and current is not None and discounts is not None:
        gross, returns = subtotal + discounts, subtotal - current
    return (
        r["k_id"],
        r["name"],
        r["created_at"],
        r["cancelled_at"],
        r["customer_key"],
        r["currency"],
        r["presentment_currency"] or r["currency"],
        gross,
        discounts,
        returns,
        current,
        _money(r["total_shipping"]),
        _money(r["total_tax"]),
        Decimal(r["total_price"]),
        r["financial_status"],
        r["fulfillment_status"],
        r["shipping_title"],
        r["state"] or "",
    )


def _plain(*names: str) -> Callable[[Row], tuple[object, ...]]:
    def shape(r: Row) -> tuple[object, ...]:
        return tuple(r[n] for n in names)

    return shape


_SOURCES: dict[str, _Source] = {
    ORDERS.name: _Source(
        "SELECT o.id AS k_id, o.name, o.created_at, o.cancelled_at, o.customer_key,"
        " o.currency, o.presentment_currency, o.subtotal_price, o.current_subtotal_price,"
        " o.total_discounts, o.total_shipping, o.total_tax, o.total_price,"
        " o.financial_status, o.fulfillment_status, o.shipping_title, s.state"
        " FROM orders o LEFT JOIN station_orders s ON s.order_id = o.id",
        ("k_id",),
        _order,
    ),
    ORDER_LINES.name: _Source(
        "SELECT li.order_id, li.id AS k_id, li.variant_id, li.sku, li.title, li.quantity,"
        " li.price, v.unit_cost"
        " FROM line_items li LEFT JOIN variants v ON v.id = li.variant_id",
        ("k_id",),
        _plain("order_id", "k_id", "variant_id", "sku", "title", "quantity", "price", "unit_cost"),
    ),
    LABELS.name: _Source(
        "SELECT p.key AS k_key, p.order_id, p.package_no, p.state, p.carrier, p.service_name,"
        " COALESCE(r.zone, '') AS zone, p.cost, p.fee, p.currency, pk.weight_g,"
        " COALESCE(pk.box, '') AS box, p.created_at"
        " FROM label_purchases p LEFT JOIN rates r ON r.id = p.rate_id"
        " LEFT JOIN packages pk ON pk.order_id = p.order_id AND pk.package_no = p.package_no"
        "",
        ("k_key",),
        _plain(
            "k_key",
            "order_id",
            "package_no",
            "state",
            "carrier",
            "service_name",
            "zone",
            "cost",
            "fee",
            "currency",
            "weight_g",
            "box",
            "created_at",
        ),
    ),
    STOCK_SNAPSHOTS.name: _Source(
        "SELECT s.day AS k_day, s.inventory_item_id AS k_item, s.location_id AS k_location,"
        " (SELECT MAX(v.sku) FROM variants v WHERE v.inventory_item_id = s.inventory_item_id)"
        " AS sku, COALESCE(loc.code, s.location_id) AS location, s.on_hand, s.available,"
        " s.unit_cost, s.taken_at"
        " FROM stock_snapshots s LEFT JOIN locations loc ON loc.id = s.location_id",
        ("k_day", "k_item", "k_location"),
        _plain(
            "k_day", "k_item", "sku", "location", "on_hand", "available", "unit_cost", "taken_at"
        ),
    ),
    PURCHASE_ORDERS.name: _Source(
        "SELECT pl.purchase_order_id AS k_po, po.supplier, po.location_code, po.status,"
        " po.created_at, pl.variant_id AS k_variant, COALESCE(v.sku, '') AS sku, pl.quantity,"
        " pl.unit_cost"
        " FROM purchase_order_lines pl JOIN purchase_orders po ON po.id = pl.purchase_order_id"
        " LEFT JOIN variants v ON v.id = pl.variant_id",
        ("k_po", "k_variant"),
        _plain(
            "k_po",
            "supplier",
            "location_code",
            "status",
            "created_at",
            "k_variant",
            "sku",
            "quantity",
            "unit_cost",
        ),
    ),
}


class SqlFactTables:
    def __init__(self, db: Database) -> None:
        self.db = db

    def rows(self, table: FactTable) -> Iterator[tuple[object, ...]]:
        source = _SOURCES[table.name]
        keys = ", ".join(source.keys)
        after: list[object] | None = None
        while True:
            condition = ""
            if after is not None:
                condition = f"WHERE ({keys}) > ({', '.join('?' for _ in source.keys)})"
            page = self.db.query(
                f"SELECT * FROM ({source.select}) t {condition} ORDER BY {keys} LIMIT {PAGE}",
                after or [],
            )
            for row in page:
                yield source.shape(row)
            if len(page) < PAGE:
                return
            after = [page[-1][k] for k in source.keys]
