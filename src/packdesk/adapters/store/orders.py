"""Orders, their line items, fulfillment orders and fulfillments: the local copy of Shopify's
orders. An order read without its fulfillments (`fulfillments is None`, a page of orders)
keeps the ones stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import dumps, loads, parse_ts, required_ts, ts
from packdesk.domain.fulfillments import Fulfillment, FulfillmentLine, TrackingInfo
from packdesk.domain.models import (
    Address,
    Customer,
    FulfillmentOrder,
    FulfillmentOrderLine,
    LineItem,
    Order,
    ShippingLine,
)
from packdesk.domain.sales import OrderSales


def normalise_order_name(name: str) -> str:
    """`1001`, `#1001` and ` #1001 ` all name order `#1001`."""
    name = name.strip()
    return name if name.startswith("#") else f"#{name}"


class SqlOrders:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, order_id: str) -> Order | None:
        with self.db.transaction(write=False):  # the order and its children as of one moment
            row = self.db.one("SELECT * FROM orders WHERE id = ?", [order_id])
            return self._load(row) if row else None

    def by_name(self, name: str) -> Order | None:
        with self.db.transaction(write=False):
            row = self.db.one("SELECT * FROM orders WHERE name = ?", [normalise_order_name(name)])
            return self._load(row) if row else None

    def save(self, order: Order) -> None:
        self.save_many([order])

    def save_many(self, orders: Sequence[Order]) -> None:
        # Preparing (JSON, model dumps) is the slow, pure-Python part of a write; doing it
        # before the first statement keeps the write lock short, so a packer's scan never
        # queues behind a sync page that is still encoding JSON.
        prepared = [prepare_order(order) for order in orders]
        with self.db.transaction():
            for order in prepared:
                self._write(order)

    def not_at_station(self, location_id: str) -> list[str]:
        return [
            r["id"]
            for r in self.db.query(
                """
                SELECT DISTINCT o.id, o.created_at FROM orders o
                JOIN fulfillment_orders fo ON fo.order_id = o.id
                LEFT JOIN station_orders so ON so.order_id = o.id
                WHERE so.order_id IS NULL AND o.cancelled_at IS NULL
                  AND fo.location_id = ? AND fo.status IN ('OPEN', 'IN_PROGRESS')
                ORDER BY o.created_at
                """,
                [location_id],
            )
        ]

    def count(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM orders"))

    def _write(self, p: PreparedOrder) -> None:
        self.db.execute(
            """
            INSERT INTO orders (id, name, created_at, updated_at, cancelled_at, cancel_reason,
                closed_at, financial_status, fulfillment_status, email, customer,
                shipping_address, shipping_lines, note, tags, total_price, currency,
                subtotal_price, current_subtotal_price, total_discounts, total_tax,
                total_shipping, customer_key, shipping_title, presentment_currency)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, created_at = excluded.created_at,
                updated_at = excluded.updated_at, cancelled_at = excluded.cancelled_at,
                cancel_reason = excluded.cancel_reason, closed_at = excluded.closed_at,
                financial_status = excluded.financial_status,
                fulfillment_status = excluded.fulfillment_status, email = excluded.email,
                customer = excluded.customer, shipping_address = excluded.shipping_address,
                shipping_lines = excluded.shipping_lines, note = excluded.note,
                tags = excluded.tags, total_price = excluded.total_price,
                currency = excluded.currency, subtotal_price = excluded.subtotal_price,
                current_subtotal_price = excluded.current_subtotal_price,
                total_discounts = excluded.total_discounts, total_tax = excluded.total_tax,
                total_shipping = excluded.total_shipping,
                customer_key = excluded.customer_key, shipping_title = excluded.shipping_title,
                presentment_currency = excluded.presentment_currency
            """,
            p.order,
        )
        self.db.execute("DELETE FROM line_items WHERE order_id = ?", [p.order_id])
        self.db.execute_many(
            "INSERT INTO line_items (id, order_id, position, variant_id, sku, title,"
            " variant_title, quantity, requires_shipping, price)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            p.lines,
        )
        self.db.execute("DELETE FROM fulfillment_orders WHERE order_id = ?", [p.order_id])
        for fo, fo_lines in p.fos:
            self.db.execute(
                "INSERT INTO fulfillment_orders (id, order_id, location_id, status, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                fo,
            )
            self.db.execute_many(
                "INSERT INTO fulfillment_order_lines (id, fulfillment_order_id, line_item_id,"
                " total_quantity, remaining_quantity) VALUES (?, ?, ?, ?, ?)",
                fo_lines,
            )
        if p.fulfillments is None:
            return
        self.db.execute("DELETE FROM fulfillments WHERE order_id = ?", [p.order_id])
        for f, f_lines in p.fulfillments:
            self.db.execute(
                "INSERT INTO fulfillments (id, order_id, name, status, created_at, location_id,"
                " tracking) VALUES (?, ?, ?, ?, ?, ?, ?)",
                f,
            )
            self.db.execute_many(
                "INSERT INTO fulfillment_lines (fulfillment_id, position, line_item_id, quantity)"
                " VALUES (?, ?, ?, ?)",
                f_lines,
            )

    def _load(self, row: Row) -> Order:
        lines = [
            LineItem(
                id=r["id"],
                variant_id=r["variant_id"],
                sku=r["sku"],
                title=r["title"],
                variant_title=r["variant_title"],
                quantity=r["quantity"],
                requires_shipping=bool(r["requires_shipping"]),
                price=Decimal(r["price"]),
            )
            for r in self.db.query(
                "SELECT * FROM line_items WHERE order_id = ? ORDER BY position, id", [row["id"]]
            )
        ]
        fos = [
            self._fulfillment_order(fo)
            for fo in self.db.query(
                "SELECT * FROM fulfillment_orders WHERE order_id = ? ORDER BY id", [row["id"]]
            )
        ]
        shipped = [
            self._fulfillment(f)
            for f in self.db.query(
                "SELECT * FROM fulfillments WHERE order_id = ? ORDER BY created_at, id",
                [row["id"]],
            )
        ]
        address = loads(row["shipping_address"])
        return Order(
            id=row["id"],
            name=row["name"],
            created_at=required_ts(row["created_at"]),
            updated_at=required_ts(row["updated_at"]),
            cancelled_at=parse_ts(row["cancelled_at"]),
            cancel_reason=row["cancel_reason"],
            closed_at=parse_ts(row["closed_at"]),
            financial_status=row["financial_status"],
            fulfillment_status=row["fulfillment_status"],
            email=row["email"],
            customer=Customer(**(loads(row["customer"]) or {})),
            shipping_address=Address(**address) if address else None,
            shipping_lines=tuple(ShippingLine(**s) for s in loads(row["shipping_lines"]) or []),
            line_items=tuple(lines),
            fulfillment_orders=tuple(fos),
            fulfillments=tuple(shipped),
            note=row["note"],
            tags=tuple(loads(row["tags"]) or []),
            total_price=Decimal(row["total_price"]),
            currency=row["currency"],
            presentment_currency=row["presentment_currency"],
            sales=_sales(row),
        )

    def _fulfillment_order(self, fo: Row) -> FulfillmentOrder:
        lines = tuple(
            FulfillmentOrderLine(
                id=r["id"],
                line_item_id=r["line_item_id"],
                total_quantity=r["total_quantity"],
                remaining_quantity=r["remaining_quantity"],
            )
            for r in self.db.query(
                "SELECT * FROM fulfillment_order_lines WHERE fulfillment_order_id = ? ORDER BY id",
                [fo["id"]],
            )
        )
        return FulfillmentOrder(
            id=fo["id"],
            order_id=fo["order_id"],
            location_id=fo["location_id"],
            status=fo["status"],
            lines=lines,
            updated_at=parse_ts(fo["updated_at"]),
        )

    def _fulfillment(self, f: Row) -> Fulfillment:
        lines = tuple(
            FulfillmentLine(line_item_id=r["line_item_id"], quantity=r["quantity"])
            for r in self.db.query(
                "SELECT * FROM fulfillment_lines WHERE fulfillment_id = ? ORDER BY position",
                [f["id"]],
            )
        )
        return Fulfillment(
            id=f["id"],
            name=f["name"],
            status=f["status"],
            created_at=required_ts(f["created_at"]),
            location_id=f["location_id"],
            tracking=tuple(TrackingInfo(**t) for t in loads(f["tracking"]) or []),
            lines=lines,
        )


def _sales(row: Row) -> OrderSales | None:
    if row["subtotal_price"] is None:
        return None
    return OrderSales(
        subtotal=Decimal(row["subtotal_price"]),
        current_subtotal=Decimal(row["current_subtotal_price"] or row["subtotal_price"]),
        discounts=Decimal(row["total_discounts"] or "0"),
        tax=Decimal(row["total_tax"] or "0"),
        shipping=Decimal(row["total_shipping"] or "0"),
    )


@dataclass(frozen=True)
class PreparedOrder:
    """An order turned into SQL parameters, ready to write."""

    order_id: str
    order: list[Any]
    lines: list[tuple[Any, ...]]
    fos: list[tuple[list[Any], list[tuple[Any, ...]]]]
    fulfillments: list[tuple[list[Any], list[tuple[Any, ...]]]] | None


def prepare_order(order: Order) -> PreparedOrder:
    """The SQL parameters of one order and its children (no database access)."""
    return PreparedOrder(
        order_id=order.id,
        order=[
            order.id,
            order.name,
            ts(order.created_at),
            ts(order.updated_at),
            ts(order.cancelled_at),
            order.cancel_reason,
            ts(order.closed_at),
            order.financial_status,
            order.fulfillment_status,
            order.email,
            dumps(order.customer.model_dump()),
            dumps(order.shipping_address.model_dump()) if order.shipping_address else None,
            dumps([s.model_dump(mode="json") for s in order.shipping_lines]),
            order.note,
            dumps(list(order.tags)),
            str(order.total_price),
            order.currency,
            *_sales_columns(order.sales),
            order.customer_key,
            order.shipping_title,
            order.presentment_currency,
        ],
        lines=[
            (
                li.id,
                order.id,
                n,
                li.variant_id,
                li.sku,
                li.title,
                li.variant_title,
                li.quantity,
                int(li.requires_shipping),
                str(li.price),
            )
            for n, li in enumerate(order.line_items)
        ],
        fos=[
            (
                [fo.id, order.id, fo.location_id, fo.status, ts(fo.updated_at)],
                [
                    (ln.id, fo.id, ln.line_item_id, ln.total_quantity, ln.remaining_quantity)
                    for ln in fo.lines
                ],
            )
            for fo in order.fulfillment_orders
        ],
        fulfillments=None
        if order.fulfillments is None
        else [
            (
                [
                    f.id,
                    order.id,
                    f.name,
                    f.status,
                    ts(f.created_at),
                    f.location_id,
                    dumps([t.model_dump() for t in f.tracking]),
                ],
                [(f.id, n, ln.line_item_id, ln.quantity) for n, ln in enumerate(f.lines)],
            )
            for f in order.fulfillments
        ],
    )


def _sales_columns(sales: OrderSales | None) -> list[str | None]:
    if sales is None:
        return [None] * 5
    return [
        str(sales.subtotal),
        str(sales.current_subtotal),
        str(sales.discounts),
        str(sales.tax),
        str(sales.shipping),
    ]
