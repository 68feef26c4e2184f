"""The local copy of Shopify: orders (with line items and fulfillment orders) and the
catalog (locations, variants with their products, stock levels)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from packdesk.domain.models import Location, Order, StockLevel, Variant
from packdesk.domain.shop import ShopIdentity


class OrderRepository(Protocol):
    """Orders as Shopify last sent them; each one is written whole."""

    def get(self, order_id: str) -> Order | None: ...

    def by_name(self, name: str) -> Order | None:
        """The order whose customer-facing name is `name` (`#1001`, `1001` or ` #1001 `)."""
        ...

    def save(self, order: Order) -> None:
        """Store an order with its lines and fulfillment orders, replacing what was there:
        lines and fulfillment orders removed upstream are removed here too."""
        ...

    def save_many(self, orders: Sequence[Order]) -> None:
        """`save` for a page of orders (the sync writes it with its cursor, in one
        `Store.transaction()`)."""
        ...

    def not_at_station(self, location_id: str) -> list[str]:
        """Ids of orders with open work at `location_id` that the station has not seen yet,
        oldest first."""
        ...

    def count(self) -> int: ...


class CatalogRepository(Protocol):
    """Locations, variants and stock levels as the last sync stored them."""

    def save_locations(self, locations: Sequence[Location], at: datetime) -> None:
        """Upsert the locations with their ship-from addresses, as synced at `at`."""
        ...

    def locations(self) -> list[Location]: ...

    def save_shop(self, shop: ShopIdentity, at: datetime) -> None:
        """Keep the shop's name and domain as synced at `at`."""
        ...

    def shop(self) -> ShopIdentity | None:
        """The shop's name and domain as last synced; None before the first sync."""
        ...

    def location(self, code_or_id: str) -> Location | None:
        """The location [station].location names (`Location.answers_to`: code or name in
        any case, GID or its number); an active one first."""
        ...

    def save_variants(self, variants: Sequence[Variant]) -> None:
        """Upsert variants and the titles of their products."""
        ...

    def variant(self, variant_id: str) -> Variant | None: ...

    def variants(self) -> list[Variant]: ...

    def variants_by_id(self, variant_ids: Sequence[str]) -> dict[str, Variant]:
        """The variants among `variant_ids` that the catalog holds, by id."""
        ...

    def variant_for_code(self, code: str) -> Variant | None:
        """The variant a scanned code names: its barcode, else its SKU (in any case)."""
        ...

    def bins(self, variant_ids: Sequence[str]) -> dict[str, str]:
        """The warehouse bin of each variant that has one."""
        ...

    def count_variants(self) -> int: ...

    def save_stock(self, levels: Sequence[StockLevel]) -> None:
        """Upsert stock levels (one per inventory item and location), keeping a day's row of
        history for each level whose available quantity changed."""
        ...

    def stock_levels(self, inventory_item_id: str | None = None) -> list[StockLevel]: ...
