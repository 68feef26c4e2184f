"""Ports of the Shopify sync (issue #4): what sync needs from Shopify and from the store.

They live in their own module so that the sync's additions do not collide with other
engineers' edits of `ports.py`; `ports.py` re-exports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from packdesk.domain.models import (
    Location,
    Model,
    Order,
    StationOrder,
    StockLevel,
    SyncStatus,
    Variant,
)

T = TypeVar("T")


@dataclass(frozen=True)
class ShopPage(Generic[T]):
    """One page of a paginated Shopify list, with where the next page starts."""

    items: list[T] = field(default_factory=list)
    end_cursor: str = ""
    has_next: bool = False


class WebhookDelivery(Model):
    """One webhook as Shopify sent it: its event id, topic and the raw JSON body."""

    event_id: str
    topic: str
    shop: str
    resource_id: str
    """The GID of the order it is about (`gid://shopify/Order/…`)."""
    payload: str
    received_at: datetime


class ShopCatalog(Protocol):
    """Locations, variants and stock as Shopify has them."""

    def locations(self) -> list[Location]: ...

    def variants_page(self, *, query: str, after: str, first: int) -> ShopPage[Variant]:
        """Variants matching a Shopify search `query` (e.g. `updated_at:>='…'`)."""
        ...

    def stock_page(self, *, after: str, first: int) -> ShopPage[StockLevel]:
        """Stock levels of one page of inventory items (every location of each item)."""
        ...


class ShopOrders(Protocol):
    """Orders as Shopify has them."""

    def orders_page(self, *, query: str, after: str, first: int) -> ShopPage[Order]:
        """Orders matching `query`, oldest `updated_at` first."""
        ...

    def order(self, order_id: str) -> Order | None:
        """One order by GID, or None when Shopify has no such order."""
        ...


class SyncStateStore(Protocol):
    def sync_status(self, resource: str) -> SyncStatus: ...

    def save_sync_status(self, status: SyncStatus) -> None: ...

    def all_sync_status(self) -> list[SyncStatus]: ...


class CatalogStore(SyncStateStore, Protocol):
    """The local copy of locations, variants and stock; each page written with its cursor."""

    def store_locations(self, locations: Sequence[Location], status: SyncStatus) -> None: ...

    def store_variants_page(self, variants: Sequence[Variant], status: SyncStatus) -> None: ...

    def store_stock_page(self, levels: Sequence[StockLevel], status: SyncStatus) -> None: ...

    def location_by_code(self, code: str) -> Location | None: ...

    def variant_by_code(self, code: str) -> Variant | None:
        """The variant a scanned code names: its barcode, else its SKU."""
        ...


class OrderSyncStore(SyncStateStore, Protocol):
    def get_order(self, order_id: str) -> Order | None: ...

    def store_orders_page(self, orders: Sequence[Order], status: SyncStatus) -> None:
        """Upsert the orders and write `status` (the new cursor) in one transaction."""
        ...

    def station_orders_by_id(self, order_ids: Sequence[str]) -> dict[str, StationOrder]:
        """The station rows of those orders that have one."""
        ...

    def orders_without_station(self, location_id: str) -> list[str]:
        """Ids of orders with an open fulfillment order at `location_id` not at the station."""
        ...

    def location_by_code(self, code: str) -> Location | None: ...

    def locations(self) -> list[Location]: ...

    def note_station_order(
        self, order_id: str, *, reason: str, actor: str, at: datetime
    ) -> StationOrder | None:
        """Set an order's visible reason without moving it (with an audit row)."""
        ...


class WebhookInbox(Protocol):
    """Webhook deliveries as received, deduplicated by their event id."""

    def record_webhook(self, delivery: WebhookDelivery) -> bool:
        """Store a delivery; False when this event id was already stored (a duplicate)."""
        ...

    def pending_webhooks(self, limit: int = 100) -> list[WebhookDelivery]: ...

    def finish_webhook(self, event_id: str, *, at: datetime | None, error: str = "") -> None:
        """Record the outcome; `at=None` leaves the delivery pending (to try again)."""
        ...
