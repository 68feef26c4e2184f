"""Orders, variants and transitions the store tests write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from packdesk.adapters.store import SqliteStore
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
    Transition,
)
from packdesk.domain.states import StationState

T0 = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)
CA = "gid://shopify/Location/1"


def make_order(
    number: int = 1001,
    quantity: int = 2,
    *,
    location: str = CA,
    created: datetime = T0,
    status: str = "OPEN",
) -> Order:
    oid = f"gid://shopify/Order/{number}"
    return Order(
        id=oid,
        name=f"#{number}",
        created_at=created,
        updated_at=created,
        email="maya@example.com",
        customer=Customer(id="gid://shopify/Customer/7", name="Maya Chen", email="maya@example.com"),
        shipping_address=Address(
            name="Maya Chen", address1="12 Elm St", city="Oakland", province_code="CA",
            zip="94607", country_code="US",
        ),
        shipping_lines=(ShippingLine(title="Standard", price=Decimal("5.00")),),
        line_items=(
            LineItem(id=f"gid://shopify/LineItem/{number}1", variant_id="gid://shopify/ProductVariant/1",
                     sku="BM-ABC-01", title="Alphabet Flash Cards", quantity=quantity,
                     price=Decimal("12.50")),
        ),
        fulfillment_orders=(
            FulfillmentOrder(
                id=f"gid://shopify/FulfillmentOrder/{number}", order_id=oid,
                location_id=location, status=status,
                lines=(FulfillmentOrderLine(id=f"gid://shopify/FulfillmentOrderLineItem/{number}",
                                            line_item_id=f"gid://shopify/LineItem/{number}1",
                                            total_quantity=quantity, remaining_quantity=quantity),),
            ),
        ),
        tags=("wholesale",),
        total_price=Decimal("30.00"),
    )  # fmt: skip


def move(
    store: SqliteStore,
    order_id: str,
    *states: StationState,
    at: datetime = T0,
) -> None:
    """Walk an order through `states` (from wherever it is), one transition each."""
    current = store.station.get(order_id)
    before = current.state if current else None
    for state in states:
        store.station.apply(
            Transition(order_id=order_id, from_state=before, to_state=state, actor="test", at=at)
        )
        before = state


def make_purchase(
    order: Order,
    *,
    package_no: int = 1,
    attempt: int = 1,
    state: PurchaseState = PurchaseState.PENDING,
) -> LabelPurchase:
    return LabelPurchase(
        key=LabelPurchase.make_key(order.number, package_no, attempt),
        order_id=order.id,
        package_no=package_no,
        attempt=attempt,
        state=state,
        rate_id="rate-1",
        carrier="USPS",
        service_name="Ground Advantage",
        cost=Decimal("5.12"),
        created_at=T0 + timedelta(minutes=attempt),
        updated_at=T0 + timedelta(minutes=attempt),
    )
