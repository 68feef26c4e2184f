"""Sync of locations, variants (with products) and stock levels into the local store.

Each page is stored together with the resource's sync state in one transaction, so that a
crash between pages resumes from the last stored page:

- variants are read with a Shopify search `updated_at:>='<cursor - overlap>'`; the page
  cursor and the run's high-water mark ride in `page_cursor` until the last page, whose
  transaction moves `cursor` forward and clears `page_cursor`;
- stock has no dependable change filter, so every run reads every inventory item; a crash
  resumes from the stored page cursor.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from packdesk.domain.clock import Clock
from packdesk.domain.models import StockLevel, SyncStatus
from packdesk.domain.ports import ShopCatalog, Store

Progress = Callable[[str, int], None]
"""Called after each stored page with (resource, items stored so far in this run)."""


def since_query(cursor: str, overlap_s: int) -> str:
    """Shopify search text for "changed at or after the cursor, minus the overlap"."""
    if not cursor:
        return ""
    since = datetime.fromisoformat(cursor) - timedelta(seconds=overlap_s)
    return f"updated_at:>='{since.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}'"


def iso(value: datetime) -> str:
    """A cursor value: UTC ISO 8601 with microseconds, so that text order is time order."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def later(cursor: str, value: datetime | None) -> str:
    """The later of a cursor and a time, as a cursor."""
    if value is None:
        return cursor
    if cursor and datetime.fromisoformat(cursor) >= value:
        return cursor
    return iso(value)


def _resume(status: SyncStatus) -> dict[str, str]:
    try:
        data = json.loads(status.page_cursor) if status.page_cursor else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


class CatalogSync:
    def __init__(
        self,
        shop: ShopCatalog,
        store: Store,
        clock: Clock,
        *,
        page_size: int = 100,
        overlap_s: int = 120,
    ) -> None:
        self.shop = shop
        self.store = store
        self.clock = clock
        self.page_size = max(1, min(page_size, 250))
        self.overlap_s = overlap_s
        self.stopping = threading.Event()
        """Set at shutdown: the run ends after the page it is storing (its cursor is kept)."""

    def sync_locations(self, progress: Progress | None = None) -> int:
        """The shop's locations, and its own name and domain."""
        shop = self.shop.shop()
        locations = self.shop.locations()
        status = self.store.sync.status("locations")
        now = self.clock.now()
        with self.store.transaction():
            if shop.name:
                self.store.catalog.save_shop(shop, now)
            self.store.catalog.save_locations(locations, now)
            self.store.sync.save(
                status.model_copy(
                    update={
                        "cursor": iso(now),
                        "last_success_at": now,
                        "last_count": len(locations),
                    }
                )
            )
        if progress:
            progress("locations", len(locations))
        return len(locations)

    def sync_variants(self, progress: Progress | None = None) -> int:
        status = self.store.sync.status("variants")
        resume = _resume(status)
        query = resume.get("query", since_query(status.cursor, self.overlap_s))
        after = resume.get("after", "")
        high = resume.get("high", status.cursor)
        count = 0
        while True:
            page = self.shop.variants_page(query=query, after=after, first=self.page_size)
            for v in page.items:
                high = later(high, v.updated_at)
            count += len(page.items)
            if page.has_next:
                status = status.model_copy(
                    update={
                        "page_cursor": json.dumps(
                            {"query": query, "after": page.end_cursor, "high": high}
                        )
                    }
                )
            else:
                now = self.clock.now()
                status = status.model_copy(
                    update={
                        "cursor": high,
                        "page_cursor": "",
                        "last_success_at": now,
                        "last_count": count,
                    }
                )
            with self.store.transaction():  # the page and its cursor, or neither
                self.store.catalog.save_variants(page.items)
                self.store.sync.save(status)
            if progress:
                progress("variants", count)
            if not page.has_next or self.stopping.is_set():
                return count
            after = page.end_cursor

    def sync_level(self, inventory_item_id: str, location_id: str) -> StockLevel | None:
        """Read one item's stock at one location again and store it (a stock webhook named
        it); None when Shopify does not stock the item there."""
        level = self.shop.stock_level(inventory_item_id, location_id)
        if level is not None:
            self.store.catalog.save_stock([level])
        return level

    def sync_inventory(self, progress: Progress | None = None) -> int:
        status = self.store.sync.status("inventory")
        after = _resume(status).get("after", "")
        count = 0
        while True:
            page = self.shop.stock_page(after=after, first=self.page_size)
            count += len(page.items)
            if page.has_next:
                status = status.model_copy(
                    update={"page_cursor": json.dumps({"after": page.end_cursor})}
                )
            else:
                now = self.clock.now()
                status = status.model_copy(
                    update={
                        "cursor": iso(now),
                        "page_cursor": "",
                        "last_success_at": now,
                        "last_count": count,
                    }
                )
            with self.store.transaction():
                self.store.catalog.save_stock(page.items)
                self.store.sync.save(status)
            if progress:
                progress("inventory", count)
            if not page.has_next or self.stopping.is_set():
                return count
            after = page.end_cursor
