"""A small shop written through the store's repositories, with numbers a person can add up
by hand: orders with their sales breakdown, items with unit costs, stock, and labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import (
    Customer,
    FulfillmentOrder,
    LabelPurchase,
    LineItem,
    Location,
    Order,
    Parcel,
    PurchaseState,
    Rate,
    ShippingLine,
    StockLevel,
    Variant,
)
from packdesk.domain.sales import OrderSales

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
"""Monday 2 March 2026, 15:00 UTC."""
CA = Location(id="gid://shopify/Location/1", name="CA Warehouse", code="CA")
PA = Location(id="gid://shopify/Location/2", name="PA Warehouse", code="PA")


def variant(n: int, sku: str, price: str, cost: str | None) -> Variant:
    return Variant(
        id=f"gid://shopify/ProductVariant/{n}",
        product_id=f"gid://shopify/Product/{n}",
        product_title=f"Item {sku}",
        sku=sku,
        inventory_item_id=f"gid://shopify/InventoryItem/{n}",
        price=Decimal(price),
        unit_cost=None if cost is None else Decimal(cost),
        cost_currency="USD" if cost else "",
    )


@dataclass
class Shop:
    """Writes orders and labels; remembers nothing the store does not."""

    store: SqliteStore
    variants: dict[str, Variant] = field(default_factory=dict)
    _numbers: int = 1000

    def catalog(self, *variants: Variant) -> None:
        self.store.catalog.save_locations([CA, PA], T0)
        self.store.catalog.save_variants(list(variants))
        self.variants.update({v.sku: v for v in variants})

    def stock(
        self, sku: str, location: Location, on_hand: int, available: int | None = None
    ) -> None:
        v = self.variants[sku]
        self.store.catalog.save_stock(
            [
                StockLevel(
                    inventory_item_id=v.inventory_item_id,
                    location_id=location.id,
                    on_hand=on_hand,
                    available=on_hand if available is None else available,
                )
            ]
        )

    def order(
        self,
        lines: dict[str, int],
        *,
        at: datetime = T0,
        customer: str = "c1",
        discount: str = "0",
        returned: str = "0",
        shipping: str = "5.00",
        tax: str = "0",
        cancelled: bool = False,
        breakdown: bool = True,
        location: Location = CA,
        paid_in: str = "",
        service: str = "Standard",
    ) -> Order:
        """An order of `lines` (SKU: quantity) at the variants' prices."""
        self._numbers += 1
        number = self._numbers
        oid = f"gid://shopify/Order/{number}"
        items = tuple(
            LineItem(
                id=f"gid://shopify/LineItem/{number}{i}",
                variant_id=self.variants[sku].id,
                sku=sku,
                title=self.variants[sku].product_title,
                quantity=qty,
                price=self.variants[sku].price,
            )
            for i, (sku, qty) in enumerate(lines.items())
        )
        gross = sum((li.price * li.quantity for li in items), Decimal("0"))
        subtotal = gross - Decimal(discount)
        sales = OrderSales(
            subtotal=subtotal,
            current_subtotal=subtotal - Decimal(returned),
            discounts=Decimal(discount),
            tax=Decimal(tax),
            shipping=Decimal(shipping),
        )
        order = Order(
            id=oid,
            name=f"#{number}",
            created_at=at,
            updated_at=at,
            cancelled_at=at + timedelta(hours=1) if cancelled else None,
            email=f"{customer}@example.com" if customer else "",
            customer=Customer(id=f"gid://shopify/Customer/{customer}" if customer else ""),
            shipping_lines=(ShippingLine(title=service, price=Decimal(shipping)),),
            line_items=items,
            fulfillment_orders=(
                FulfillmentOrder(
                    id=f"gid://shopify/FulfillmentOrder/{number}",
                    order_id=oid,
                    location_id=location.id,
                    status="OPEN",
                ),
            ),
            total_price=subtotal + Decimal(shipping) + Decimal(tax),
            presentment_currency=paid_in,
            sales=sales if breakdown else None,
        )
        self.store.orders.save(order)
        return order

    def label(
        self,
        order: Order,
        *,
        cost: str,
        fee: str = "0.05",
        at: datetime | None = None,
        package_no: int = 1,
        carrier: str = "USPS",
        service: str = "Ground Advantage",
        zone: str = "4",
        weight_g: float | None = 454.0,
        state: PurchaseState = PurchaseState.BOUGHT,
        currency: str = "USD",
    ) -> LabelPurchase:
        """A label bought for one package of `order` (its rate and package stored too)."""
        when = at or order.created_at + timedelta(hours=6)
        rate = Rate(
            id=f"rate-{order.number}-{package_no}",
            shipment_id=f"shp-{order.number}",
            carrier=carrier,
            service_token="svc",
            service_name=service,
            amount=Decimal(cost),
            currency=currency,
            fetched_at=when,
            zone=zone,
        )
        self.store.shipments.save_rates(order.id, package_no, [rate], rate.id, "cheapest")
        if weight_g is not None:
            self.store.shipments.save_package(
                order.id,
                Parcel(
                    package_no=package_no,
                    box="M",
                    length_cm=30,
                    width_cm=20,
                    height_cm=10,
                    weight_g=weight_g,
                ),
                weight_overridden=False,
            )
        purchase = LabelPurchase(
            key=LabelPurchase.make_key(order.id, package_no, 1),
            order_id=order.id,
            package_no=package_no,
            attempt=1,
            state=state,
            rate_id=rate.id,
            carrier=carrier,
            service_name=service,
            cost=Decimal(cost),
            fee=Decimal(fee),
            currency=currency,
            created_at=when,
            updated_at=when,
        )
        self.store.labels.add(purchase)
        return purchase
