"""Orders, catalog rows and services for the shipping tests, on a real SQLite file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from packdesk.adapters.store import SqliteStore
from packdesk.adapters.store.rows import dumps
from packdesk.bootstrap import Container
from packdesk.domain.clock import FixedClock
from packdesk.domain.customs import CustomsProduct
from packdesk.domain.events import Event
from packdesk.domain.models import (
    Address,
    Box,
    Customer,
    FulfillmentOrder,
    FulfillmentOrderLine,
    LineItem,
    Order,
    ShippingLine,
    Transition,
)
from packdesk.domain.ports import Carrier
from packdesk.domain.states import StationState
from packdesk.services.labels import LabelService
from packdesk.services.shipping import ShippingService
from packdesk.settings import PrinterSettings, Settings, ShippingSettings

from .fakes import T0

LOCATION = "gid://shopify/Location/1"
CA_ADDRESS = Address(
    name="CA Warehouse",
    address1="2100 Livingston St",
    city="Oakland",
    province_code="CA",
    zip="94606",
    country_code="US",
)
BOXES = (
    Box(name="S", length_cm=20.3, width_cm=15.2, height_cm=10.2, tare_g=120, max_weight_g=9000),
    Box(name="M", length_cm=30.5, width_cm=25.4, height_cm=15.2, tare_g=220, max_weight_g=18000),
)
CUSTOMS = {
    "BM-ABC-01": CustomsProduct(hs_code="4901.99.0093", value=Decimal("12.50")),
}


class Bus:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, event: Event) -> None:
        self.events.append(event)


def seed_catalog(store: SqliteStore) -> None:
    db = store.database
    with db.transaction():
        db.execute(
            "INSERT OR REPLACE INTO locations (id, name, code, address) VALUES (?, ?, ?, ?)",
            [LOCATION, "CA Warehouse", "CA", dumps(CA_ADDRESS.model_dump())],
        )
        db.execute("INSERT OR REPLACE INTO products (id, title) VALUES ('P1', 'Flash Cards')")
        db.execute(
            "INSERT OR REPLACE INTO variants (id, product_id, sku, weight_g, length_cm,"
            " width_cm, height_cm) VALUES ('V1', 'P1', 'BM-ABC-01', 250, 15, 10, 3)"
        )
        db.execute(
            "INSERT OR REPLACE INTO variants (id, product_id, sku, weight_g, length_cm,"
            " width_cm, height_cm) VALUES ('V2', 'P1', 'BM-BIG-01', 7000, 28, 24, 14)"
        )


def make_order(
    number: int = 1001,
    *,
    quantity: int = 2,
    sku: str = "BM-ABC-01",
    variant: str = "V1",
    shipping: str = "Standard",
    address: Address | None = None,
) -> Order:
    oid = f"gid://shopify/Order/{number}"
    return Order(
        id=oid,
        name=f"#{number}",
        created_at=T0,
        updated_at=T0,
        email="maya@example.com",
        customer=Customer(name="Maya Chen", email="maya@example.com"),
        shipping_address=address
        or Address(
            name="Maya Chen",
            address1="12 Elm St",
            city="Oakland",
            province_code="CA",
            zip="94607",
            country_code="US",
        ),
        shipping_lines=(ShippingLine(title=shipping),),
        line_items=(
            LineItem(
                id=f"LI{number}",
                variant_id=variant,
                sku=sku,
                title="Flash Cards",
                quantity=quantity,
            ),
        ),
        fulfillment_orders=(
            FulfillmentOrder(
                id=f"FO{number}",
                order_id=oid,
                location_id=LOCATION,
                status="OPEN",
                lines=(
                    FulfillmentOrderLine(
                        id=f"FOL{number}",
                        line_item_id=f"LI{number}",
                        total_quantity=quantity,
                        remaining_quantity=quantity,
                    ),
                ),
            ),
        ),
    )


def add_order(store: SqliteStore, order: Order, state: StationState | None = None) -> None:
    store.orders.save(order)
    if state is None:
        return
    path = {
        StationState.NEW: [StationState.NEW],
        StationState.READY: [StationState.NEW, StationState.READY],
        StationState.PACKED: [
            StationState.NEW,
            StationState.READY,
            StationState.PACKING,
            StationState.PACKED,
        ],
    }[state]
    before = None
    for s in path:
        store.station.apply(
            Transition(order_id=order.id, from_state=before, to_state=s, actor="test", at=T0)
        )
        before = s


def services(
    path: Path, carrier: Carrier, *, printer: str = "zebra", kind: str = "zpl"
) -> tuple[SqliteStore, ShippingService, LabelService, Bus]:
    """A fresh store and the shipping services the container wires around `carrier`, on the
    database at `path` (a new one = a restart)."""
    store = SqliteStore.open(path)
    settings = Settings(
        boxes=list(BOXES),
        printers=[PrinterSettings(name=printer, kind=kind, role="label")],
        shipping=ShippingSettings(customs=CUSTOMS),
    )
    container = Container(settings, store=store, carrier=carrier, clock=FixedClock(T0))
    bus = Bus()
    container.bus.subscribe(bus.publish)
    return store, container.shipping, container.labels, bus
