"""Shopify as packdesk needs it: the catalog and orders that sync reads, and the effects the
outbox writes back (fulfillments with tracking, stock changes)."""

from __future__ import annotations

from typing import Protocol

from packdesk.domain.models import Location, Order, StockLevel, Variant
from packdesk.domain.outbox import (
    FulfillmentRequest,
    InventoryAdjustment,
    InventoryCount,
    UpstreamFulfillments,
)
from packdesk.domain.shop import ShopIdentity, ShopPage, WebhookSubscription


class ShopCatalog(Protocol):
    """Locations, variants and stock as Shopify has them."""

    def shop(self) -> ShopIdentity:
        """The shop's own name and domain."""
        ...

    def locations(self) -> list[Location]: ...

    def variants_page(self, *, query: str, after: str, first: int) -> ShopPage[Variant]:
        """Variants matching a Shopify search `query` (e.g. `updated_at:>='…'`)."""
        ...

    def stock_page(self, *, after: str, first: int) -> ShopPage[StockLevel]:
        """Stock levels of one page of inventory items (every location of each item)."""
        ...

    def stock_level(self, inventory_item_id: str, location_id: str) -> StockLevel | None:
        """One item's stock at one location; None when Shopify does not stock it there."""
        ...


class ShopOrders(Protocol):
    """Orders as Shopify has them."""

    def orders_page(self, *, query: str, after: str, first: int) -> ShopPage[Order]:
        """Orders matching `query`, oldest `updated_at` first."""
        ...

    def order(self, order_id: str) -> Order | None:
        """One order by GID, or None when Shopify has no such order."""
        ...


class ShopFulfillments(Protocol):
    """Shopify fulfillments, for the outbox's `fulfillment` items."""

    def upstream_fulfillments(self, order_id: str) -> UpstreamFulfillments:
        """The order's fulfillment order statuses and existing tracking numbers."""
        ...

    def create_fulfillment(self, request: FulfillmentRequest) -> str:
        """Create the fulfillment; return its id. Raises `DeliveryFailed`."""
        ...


class ShopInventory(Protocol):
    """Stock changes in Shopify, each under its outbox key as Shopify's idempotency key."""

    def adjust_inventory(self, adjustment: InventoryAdjustment) -> None:
        """Apply a stock change at a location. Raises `DeliveryFailed`."""
        ...

    def set_inventory(self, count: InventoryCount) -> None:
        """Set a counted quantity, compared with `count.expected`. Raises `QuantityStale`
        when Shopify holds another quantity, `DeliveryFailed` otherwise."""
        ...

    def inventory_quantity(self, inventory_item_id: str, location_id: str, name: str) -> int | None:
        """The quantity `name` Shopify holds now; None when the item is not stocked there."""
        ...


class ShopWebhooks(Protocol):
    """The app's webhook subscriptions in Shopify."""

    def subscriptions(self) -> list[WebhookSubscription]:
        """Every subscription the app has, of any topic."""
        ...

    def subscribe(self, topic: str, uri: str) -> WebhookSubscription | None:
        """Subscribe `uri` to `topic`; None when Shopify already has exactly that one."""
        ...

    def unsubscribe(self, subscription_id: str) -> None:
        """Remove one subscription (gone already counts as removed)."""
        ...
