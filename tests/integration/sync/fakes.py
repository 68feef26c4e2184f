"""An in-memory Shopify behind the sync's ports (`ShopCatalog`, `ShopOrders`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from packdesk.domain.models import (
    Address,
    FulfillmentOrder,
    FulfillmentOrderLine,
    LineItem,
    Location,
    Order,
    StockLevel,
    Variant,
)
from packdesk.domain.shop import ShopIdentity, ShopPage

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
CA = "gid://shopify/Location/1"
PA = "gid://shopify/Location/2"

_SINCE = re.compile(r"updated_at:>='([^']+)'")


def _since(query: str) -> datetime | None:
    match = _SINCE.search(query or "")
    return datetime.fromisoformat(match.group(1).replace("Z", "+00:00")) if match else None


def make_order(n: int, *, location: str = CA, at: datetime | None = None, qty: int = 1) -> Order:
    oid = f"gid://shopify/Order/{n}"
    li = f"gid://shopify/LineItem/{n}1"
    return Order(
        id=oid,
        name=f"#{n}",
        created_at=at or T0,
        updated_at=at or T0 + timedelta(seconds=n),
        shipping_address=Address(name="Ada", address1="1 Main St", city="Oakland", zip="94606"),
        line_items=(LineItem(id=li, title="Abacus", quantity=qty, sku="ABA-1"),),
        fulfillment_orders=(
            FulfillmentOrder(
                id=f"gid://shopify/FulfillmentOrder/{n}",
                order_id=oid,
                location_id=location,
                status="OPEN",
                lines=(
                    FulfillmentOrderLine(
                        id=f"gid://shopify/FulfillmentOrderLineItem/{n}",
                        line_item_id=li,
                        total_quantity=qty,
                        remaining_quantity=qty,
                    ),
                ),
            ),
        ),
        total_price=Decimal("12.50"),
    )


class FakeShop:
    def __init__(self) -> None:
        self.locs = [
            Location(id=CA, name="CA Warehouse", code="CA", address=Address(city="Oakland")),
            Location(id=PA, name="PA Warehouse", code="PA", address=Address(city="Allentown")),
        ]
        self.variants: dict[str, Variant] = {}
        self.stock: dict[str, list[StockLevel]] = {}
        self.orders: dict[str, Order] = {}
        self.fail_on_page: int | None = None
        self.pages_served = 0
        self.clock = T0 + timedelta(days=1)

    # -- helpers for tests ----------------------------------------------------------------

    def tick(self) -> datetime:
        self.clock += timedelta(seconds=1)
        return self.clock

    def put(self, order: Order) -> Order:
        self.orders[order.id] = order
        return order

    def change(self, order_id: str, **update: object) -> Order:
        order = self.orders[order_id].model_copy(update={**update, "updated_at": self.tick()})
        self.orders[order_id] = order
        return order

    def add_variant(self, n: int) -> Variant:
        v = Variant(
            id=f"gid://shopify/ProductVariant/{n}",
            product_id=f"gid://shopify/Product/{n}",
            product_title=f"Product {n}",
            sku=f"SKU-{n}",
            barcode=f"0000{n:08d}",
            inventory_item_id=f"gid://shopify/InventoryItem/{n}",
            weight_g=100.0 + n,
            length_cm=20,
            width_cm=15,
            height_cm=3,
            bin=f"A-{n:02d}",
            updated_at=T0 + timedelta(seconds=n),
        )
        self.variants[v.id] = v
        self.stock[v.inventory_item_id] = [
            StockLevel(
                inventory_item_id=v.inventory_item_id, location_id=CA, available=n, on_hand=n + 1
            ),
            StockLevel(
                inventory_item_id=v.inventory_item_id, location_id=PA, available=0, on_hand=0
            ),
        ]
        return v

    # -- ShopCatalog ----------------------------------------------------------------------

    def shop(self) -> ShopIdentity:
        return ShopIdentity(name="Demo Learning Co.", domain="demo.myshopify.com")

    def locations(self) -> list[Location]:
        return list(self.locs)

    def _page(self, items: list, after: str, first: int) -> tuple[list, str, bool]:  # type: ignore[type-arg]
        self.pages_served += 1
        if self.fail_on_page is not None and self.pages_served == self.fail_on_page:
            raise RuntimeError("Shopify did not answer (simulated crash)")
        start = int(after) if after else 0
        chunk = items[start : start + first]
        end = start + len(chunk)
        return chunk, str(end), end < len(items)

    def variants_page(self, *, query: str, after: str, first: int) -> ShopPage[Variant]:
        since = _since(query)
        items = sorted(
            (
                v
                for v in self.variants.values()
                if since is None or (v.updated_at and v.updated_at >= since)
            ),
            key=lambda v: v.id,
        )
        chunk, end, more = self._page(items, after, first)
        return ShopPage(chunk, end, more)

    def stock_page(self, *, after: str, first: int) -> ShopPage[StockLevel]:
        keys = sorted(self.stock)
        chunk, end, more = self._page(keys, after, first)
        return ShopPage([s for k in chunk for s in self.stock[k]], end, more)

    def stock_level(self, inventory_item_id: str, location_id: str) -> StockLevel | None:
        levels = self.stock.get(inventory_item_id, [])
        return next((s for s in levels if s.location_id == location_id), None)

    # -- ShopOrders -----------------------------------------------------------------------

    def orders_page(self, *, query: str, after: str, first: int) -> ShopPage[Order]:
        since = _since(query)
        items = sorted(
            (o for o in self.orders.values() if since is None or o.updated_at >= since),
            key=lambda o: (o.updated_at, o.id),
        )
        chunk, end, more = self._page(items, after, first)
        return ShopPage(chunk, end, more)

    def order(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)
