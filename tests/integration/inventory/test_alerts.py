"""Low-stock alerts on a real store: raised once per crossing, cleared when stock is back,
quiet while snoozed, and carried to the owner in one digest a day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from packdesk.bootstrap import Container
from packdesk.domain.models import (
    FulfillmentOrder,
    FulfillmentOrderLine,
    LineItem,
    Location,
    Order,
    OutboxItem,
    StockLevel,
    Variant,
)
from packdesk.domain.outbox import OutgoingEmail
from packdesk.settings import InventorySettings, Settings, StationSettings

from .inventory_rig import MovableClock

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CA = "gid://shopify/Location/1"
VARIANT = "gid://shopify/ProductVariant/1"
ITEM = "gid://shopify/InventoryItem/1"


class Outbox:
    """The e-mail sender port, keeping what it was given."""

    def __init__(self) -> None:
        self.sent: list[OutgoingEmail] = []

    def send(self, email: OutgoingEmail) -> None:
        self.sent.append(email)


def order(n: int, day: datetime, quantity: int) -> Order:
    oid = f"gid://shopify/Order/{n}"
    line = f"gid://shopify/LineItem/{n}"
    return Order(
        id=oid,
        name=f"#{n}",
        created_at=day,
        updated_at=day,
        line_items=(
            LineItem(
                id=line,
                variant_id=VARIANT,
                sku="BM-CIR-01",
                title="Snap Circuits",
                quantity=quantity,
                price=Decimal("39.99"),
            ),
        ),
        fulfillment_orders=(
            FulfillmentOrder(
                id=f"gid://shopify/FulfillmentOrder/{n}",
                order_id=oid,
                location_id=CA,
                status="CLOSED",
                lines=(
                    FulfillmentOrderLine(
                        id=f"gid://shopify/FulfillmentOrderLineItem/{n}",
                        line_item_id=line,
                        total_quantity=quantity,
                        remaining_quantity=0,
                    ),
                ),
            ),
        ),
    )


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(NOW)


@pytest.fixture
def container(tmp_path: Path, clock: MovableClock) -> Iterator[Container]:
    settings = Settings(
        station=StationSettings(data_dir=str(tmp_path)),
        inventory=InventorySettings(owner_email="owner@brightminds.example", digest_hour=7),
    )
    with Container(settings, clock=clock, email_sender=Outbox()) as c:
        c.store.catalog.save_locations([Location(id=CA, name="CA Warehouse", code="CA")], NOW)
        c.store.catalog.save_variants(
            [
                Variant(
                    id=VARIANT,
                    product_id="gid://shopify/Product/1",
                    product_title="Snap Circuits",
                    sku="BM-CIR-01",
                    inventory_item_id=ITEM,
                )
            ]
        )
        for n in range(30):  # 2 a day for the 30 days of the window: velocity 2, σ 0
            c.store.orders.save(order(1000 + n, NOW - timedelta(days=n + 1), 2))
        yield c


def stock(c: Container, available: int, clock: MovableClock) -> None:
    c.store.catalog.save_stock(
        [
            StockLevel(
                inventory_item_id=ITEM,
                location_id=CA,
                available=available,
                on_hand=available,
                updated_at=clock.now(),
            )
        ]
    )


def test_an_alert_is_raised_once_per_crossing(container: Container, clock: MovableClock) -> None:
    alerts = container.inventory.alerts
    stock(container, 40, clock)  # reorder point 2 × 14 = 28
    assert alerts.check().raised == []
    stock(container, 20, clock)
    [raised] = alerts.check().raised
    assert raised.sentence().startswith(
        "BM-CIR-01 Snap Circuits at CA: 20 available, reorder point 28.0"
    )
    stock(container, 12, clock)
    assert alerts.check().raised == []  # still the same crossing
    stock(container, 100, clock)
    assert alerts.check().cleared == 1
    stock(container, 0, clock)
    [again] = alerts.check().raised
    assert again.id != raised.id
    assert "out of stock" in again.sentence()


def test_a_snoozed_sku_alerts_once_when_its_snooze_ends_still_low(
    container: Container, clock: MovableClock
) -> None:
    alerts = container.inventory.alerts
    stock(container, 5, clock)
    alerts.snooze("bm-cir-01", NOW + timedelta(days=3), "supplier on holiday")
    assert alerts.check().raised == []
    assert container.inventory.stock.rows(["BM-CIR-01"])[0].snoozed_until == NOW + timedelta(days=3)
    clock.advance(days=4)
    assert len(alerts.check().raised) == 1
    assert alerts.check().raised == []
    with pytest.raises(ValueError, match="No variant has SKU NOPE"):
        alerts.snooze("NOPE", NOW, "")


def test_the_owner_gets_one_digest_a_day_of_new_alerts(
    container: Container, clock: MovableClock
) -> None:
    alerts = container.inventory.alerts
    stock(container, 3, clock)
    clock.at = NOW.replace(hour=6)
    alerts.run()
    assert container.outbox.items() == []  # before the digest hour
    clock.at = NOW.replace(hour=8)
    alerts.run()
    alerts.run()
    [item] = container.outbox.items()
    assert_digest(item, "BM-CIR-01 Snap Circuits at CA: 3 available")
    container.outbox.run_once()
    sender = container.email_sender
    assert isinstance(sender, Outbox)
    [email] = sender.sent
    assert email.to == "owner@brightminds.example"
    assert "1 SKU(s) low on stock (2026-12-01)" in email.subject
    clock.advance(days=1)
    alerts.run()
    assert len(container.outbox.items()) == 1  # nothing new: no e-mail


def assert_digest(item: OutboxItem, line: str) -> None:
    assert item.kind == "business_email"
    assert item.dedupe_key == "email:stock-digest:2026-12-01"
    assert line in str(item.payload["text"])
