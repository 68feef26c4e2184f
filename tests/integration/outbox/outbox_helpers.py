"""Builders and fakes of packdesk's own ports for the outbox tests."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from packdesk.domain.models import (
    Address,
    Customer,
    FulfillmentOrder,
    FulfillmentOrderLine,
    LabelPurchase,
    LineItem,
    Order,
    PurchaseState,
    ShippingLine,
)
from packdesk.domain.outbox import (
    DeliveryFailed,
    FulfillmentRequest,
    InventoryAdjustment,
    InventoryCount,
    OutgoingEmail,
    UpstreamFulfillments,
)

T0 = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)
LOCATION = "gid://shopify/Location/1"


class MovableClock:
    """A clock tests move by hand (thread-safe reads)."""

    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def make_order(
    number: int = 1001,
    *,
    skus: tuple[str, ...] = ("BM-ABC-01",),
    email: str = "maya@example.com",
    accepts_marketing: bool = True,
    created_at: datetime = T0,
) -> Order:
    oid = f"gid://shopify/Order/{number}"
    lines = tuple(
        LineItem(
            id=f"gid://shopify/LineItem/{number}{i}",
            variant_id=f"gid://shopify/ProductVariant/{i}",
            sku=sku,
            title={"BM-ABC-01": "Alphabet Flash Cards", "BM-VOL-01": "Volcano Science Kit"}.get(
                sku, f"Item {sku}"
            ),
            quantity=2 if i == 0 else 1,
            price=Decimal("12.50"),
        )
        for i, sku in enumerate(skus)
    )
    return Order(
        id=oid,
        name=f"#{number}",
        created_at=created_at,
        updated_at=created_at,
        email=email,
        customer=Customer(
            id="gid://shopify/Customer/7",
            name="Maya Chen",
            email=email,
            accepts_marketing=accepts_marketing,
        ),
        shipping_address=Address(
            name="Maya Chen",
            address1="12 Elm St",
            city="Oakland",
            province_code="CA",
            zip="94607",
        ),
        shipping_lines=(ShippingLine(title="Standard", price=Decimal("5.00")),),
        line_items=lines,
        fulfillment_orders=(
            FulfillmentOrder(
                id=f"gid://shopify/FulfillmentOrder/{number}",
                order_id=oid,
                location_id=LOCATION,
                status="OPEN",
                lines=tuple(
                    FulfillmentOrderLine(
                        id=f"gid://shopify/FulfillmentOrderLineItem/{number}{i}",
                        line_item_id=li.id,
                        total_quantity=li.quantity,
                        remaining_quantity=li.quantity,
                    )
                    for i, li in enumerate(lines)
                ),
            ),
        ),
        total_price=Decimal("30.00"),
    )


def make_purchase(order: Order, tracking: str | None = None) -> LabelPurchase:
    number = tracking or f"9400111{order.number}0000"
    return LabelPurchase(
        key=LabelPurchase.make_key(order.id, 1, 1),
        order_id=order.id,
        package_no=1,
        attempt=1,
        state=PurchaseState.BOUGHT,
        transaction_id=f"tx-{order.number}",
        tracking_number=number,
        tracking_url=f"https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
        carrier="USPS",
        service_name="Ground Advantage",
        created_at=T0,
        updated_at=T0,
    )


class FakeShop:
    """Shopify's fulfillments and inventory as the outbox sees them, with injectable faults.

    `fail_before` makes the next N calls fail without changing anything (a 5xx, a dropped
    request); `commit_then_drop` makes the next N creates happen and then fail (the answer
    lost). `delay_s` slows every call so that concurrent workers overlap.
    """

    def __init__(self, delay_s: float = 0.0) -> None:
        self.lock = threading.Lock()
        self.fulfillments: list[FulfillmentRequest] = []
        self.adjustments: list[InventoryAdjustment] = []
        self.counts: list[InventoryCount] = []
        self.closed: set[str] = set()
        self.cancelled: set[str] = set()
        self.fail_before = 0
        self.commit_then_drop = 0
        self.delay_s = delay_s
        self.calls = 0

    def _fault_before(self) -> None:
        if self.delay_s:
            time.sleep(self.delay_s)
        with self.lock:
            self.calls += 1
            if self.fail_before > 0:
                self.fail_before -= 1
                raise DeliveryFailed("Shopify answered 503")

    def _fault_after(self) -> None:
        with self.lock:
            if self.commit_then_drop > 0:
                self.commit_then_drop -= 1
                raise DeliveryFailed("Shopify closed the connection without an answer")

    def upstream_fulfillments(self, order_id: str) -> UpstreamFulfillments:
        self._fault_before()
        with self.lock:
            mine = [f for f in self.fulfillments if f.order_id == order_id]
            fo_ids = {fo.id for f in mine for fo in f.fulfillment_orders}
            statuses = {
                f"gid://shopify/FulfillmentOrder/{order_id.rsplit('/', 1)[1]}": "OPEN",
            }
            for fo in fo_ids | self.closed:
                statuses[fo] = "CLOSED"
            for fo in self.cancelled:
                statuses[fo] = "CANCELLED"
            return UpstreamFulfillments(
                fulfillment_order_status=statuses,
                tracking_numbers=tuple(f.tracking_number for f in mine),
            )

    def create_fulfillment(self, request: FulfillmentRequest) -> str:
        self._fault_before()
        with self.lock:
            self.fulfillments.append(request)
            number = len(self.fulfillments)
        self._fault_after()
        return f"gid://shopify/Fulfillment/{number}"

    def adjust_inventory(self, adjustment: InventoryAdjustment) -> None:
        self._fault_before()
        with self.lock:
            self.adjustments.append(adjustment)
        self._fault_after()

    def set_inventory(self, count: InventoryCount) -> None:
        self._fault_before()
        with self.lock:
            self.counts.append(count)
        self._fault_after()

    def inventory_quantity(self, inventory_item_id: str, location_id: str, name: str) -> int | None:
        self._fault_before()
        return None


class FakeSender:
    def __init__(self) -> None:
        self.sent: list[OutgoingEmail] = []
        self.lock = threading.Lock()
        self.fail_before = 0

    def send(self, email: OutgoingEmail) -> None:
        with self.lock:
            if self.fail_before > 0:
                self.fail_before -= 1
                raise DeliveryFailed("The mail server answered 451 try again later")
            self.sent.append(email)
