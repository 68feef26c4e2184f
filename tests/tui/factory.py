"""Fixed demo data for the TUI tests: two warehouses, a small catalog and a queue of orders
in a real SQLite file, built as domain models and stored through the store (no network,
fixed clock)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import FixedClock
from packdesk.domain.models import (
    Address,
    Customer,
    FulfillmentOrder,
    FulfillmentOrderLine,
    LineItem,
    Order,
    ShippingLine,
)
from packdesk.domain.states import StationState
from packdesk.jobs.bus import EventBus
from packdesk.services.station import StationService

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
CA = "gid://shopify/Location/1"
PA = "gid://shopify/Location/2"

WAREHOUSES = [
    (CA, "CA Warehouse", "CA", Address(name="CA Warehouse", address1="2100 Livingston St",
                                       city="Oakland", province_code="CA", zip="94606")),
    (PA, "PA Warehouse", "PA", Address(name="PA Warehouse", address1="1 Market St",
                                       city="Philadelphia", province_code="PA", zip="19106")),
]  # fmt: skip

CATALOG = [
    # variant id, sku, barcode, title, bin, grams (every item fits a 15×10×5 cm space)
    ("V1", "ABACUS-10", "0700000000011", "Wooden Abacus", "A-01", 450.0),
    ("V2", "FLASH-ADD", "0700000000028", "Addition Flash Cards", "A-03", 120.0),
    ("V3", "GLOBE-S", "0700000000035", "Desk Globe Small", "B-02", 800.0),
    ("V4", "STICKERS", "", "Reward Stickers (no barcode)", "C-07", 30.0),
    ("V5", "MAP-US", "0700000000059", "US Map Poster", "D-01", 200.0),
]


def seed_catalog(store: SqliteStore) -> None:
    db = store.database
    with db.transaction():
        for location_id, name, code, address in WAREHOUSES:
            db.execute(
                "INSERT INTO locations (id, name, code, address) VALUES (?, ?, ?, ?)",
                [location_id, name, code, json.dumps(address.model_dump(mode="json"))],
            )
        for vid, sku, barcode, title, bin_, grams in CATALOG:
            db.execute("INSERT INTO products (id, title) VALUES (?, ?)", [f"P{vid}", title])
            db.execute(
                "INSERT INTO variants (id, product_id, title, sku, barcode, weight_g, bin,"
                " length_cm, width_cm, height_cm) VALUES (?, ?, 'Default Title', ?, ?, ?, ?,"
                " 15, 10, 5)",
                [vid, f"P{vid}", sku, barcode, grams, bin_],
            )


def make_order(
    number: int,
    items: list[tuple[str, int]],
    *,
    service: str = "Standard",
    age_h: float = 5,
    city: str = "Austin",
    province: str = "TX",
    location: str = CA,
    note: str = "",
    customer: str = "Ada Lovelace",
) -> Order:
    created = NOW - timedelta(hours=age_h)
    titles = {v[0]: (v[1], v[3]) for v in CATALOG}
    lines = tuple(
        LineItem(
            id=f"L{number}-{n}",
            variant_id=vid,
            sku=titles[vid][0],
            title=titles[vid][1],
            quantity=qty,
            price=Decimal("9.95"),
        )
        for n, (vid, qty) in enumerate(items)
    )
    return Order(
        id=f"gid://shopify/Order/{number}",
        name=f"#{number}",
        created_at=created,
        updated_at=created,
        email=f"{customer.split()[0].lower()}@example.com",
        customer=Customer(name=customer, email=f"{customer.split()[0].lower()}@example.com"),
        shipping_address=Address(
            name=customer, address1="1 Main St", city=city, province_code=province, zip="78701"
        ),
        shipping_lines=(ShippingLine(title=service),),
        line_items=lines,
        fulfillment_orders=(
            FulfillmentOrder(
                id=f"FO{number}",
                order_id=f"gid://shopify/Order/{number}",
                location_id=location,
                status="OPEN",
                lines=tuple(
                    FulfillmentOrderLine(
                        id=f"FOL{li.id}",
                        line_item_id=li.id,
                        total_quantity=li.quantity,
                        remaining_quantity=li.quantity,
                    )
                    for li in lines
                ),
            ),
        ),
        note=note,
        total_price=Decimal("42.00"),
    )


DEMO_ORDERS = [
    make_order(1001, [("V1", 1), ("V2", 2)], service="Standard", age_h=30),
    make_order(1002, [("V3", 1)], service="Express", age_h=2, city="Denver", province="CO"),
    make_order(1003, [("V5", 1), ("V4", 3)], service="Priority", age_h=10, note="Gift wrap"),
    make_order(1004, [("V2", 1)], service="Standard", age_h=50, city="Reno", province="NV"),
    make_order(1005, [("V1", 2)], service="Standard", age_h=8, location=PA),
]


def seeded_store(path: Path) -> tuple[SqliteStore, FixedClock]:
    store = SqliteStore.open(path)
    seed_catalog(store)
    for order in DEMO_ORDERS:
        store.orders.save(order)
    clock = FixedClock(NOW)
    station = StationService(store, EventBus(), clock)
    station.move("gid://shopify/Order/1004", StationState.NEW, actor="sync")
    station.hold("gid://shopify/Order/1004", actor="sync", reason="address to check")
    return store, clock
