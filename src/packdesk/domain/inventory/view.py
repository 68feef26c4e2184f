"""The stock view: one row per SKU with a line per location, totals and a status, and the
query that sorts and filters it (by status, location, vendor, words) a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from packdesk.domain.inventory.reorder import ReorderPlan
from packdesk.domain.inventory.stock import FbaQuantities, ShopifyQuantities, StockStatus


@dataclass(frozen=True, slots=True, kw_only=True)
class LocationLine:
    """One SKU at one location: Shopify's or Amazon's numbers, and its plan when planned."""

    location: str
    shopify: ShopifyQuantities | None = None
    fba: FbaQuantities | None = None
    available: int
    """Shopify's available, or FBA's fulfillable."""
    plan: ReorderPlan | None = None
    """None where no reorder is planned: nothing sold there in the window, or FBA unless
    `plan_fba`."""
    status: StockStatus

    @property
    def planned(self) -> bool:
        return self.plan is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class StockRow:
    variant_id: str
    sku: str
    title: str
    vendor: str = ""
    barcode: str = ""
    inventory_item_id: str = ""
    lines: tuple[LocationLine, ...] = ()
    available: int = 0
    """At the warehouses (Shopify locations)."""
    on_hand: int = 0
    committed: int = 0
    incoming: int = 0
    fba_fulfillable: int | None = None
    fba_inbound: int | None = None
    velocity: float = 0.0
    """Units a day at the warehouses together."""
    days_of_cover: float | None = None
    reorder_point: float = 0.0
    status: StockStatus
    alert: bool = False
    """An open low-stock alert at one of its locations."""
    snoozed_until: datetime | None = None

    def line(self, location: str) -> LocationLine | None:
        return next((li for li in self.lines if li.location == location), None)

    def plans(self) -> list[ReorderPlan]:
        return [li.plan for li in self.lines if li.plan is not None]


SortKey = Literal["status", "sku", "title", "vendor", "available", "velocity", "cover"]


@dataclass(frozen=True)
class StockQuery:
    """What the Stock screen and `packdesk stock` ask for."""

    statuses: frozenset[StockStatus] = frozenset()
    """Rows with one of these statuses (at `location` when given); all when empty."""
    location: str = ""
    """Rows stocked at this location code (CA, PA, FBA); its line decides the status."""
    vendor: str = ""
    """Rows whose vendor contains this text (any case)."""
    search: str = ""
    """Rows whose SKU, title or barcode contains this text (any case)."""
    sort: SortKey = "status"
    descending: bool = False
    offset: int = 0
    limit: int = 200


def _status(row: StockRow, location: str) -> StockStatus:
    if not location:
        return row.status
    line = row.line(location)
    return line.status if line else row.status


def _matches(row: StockRow, q: StockQuery) -> bool:
    if q.location and row.line(q.location) is None:
        return False
    if q.statuses and _status(row, q.location) not in q.statuses:
        return False
    if q.vendor and q.vendor.casefold() not in row.vendor.casefold():
        return False
    if q.search:
        words = q.search.casefold()
        return any(words in text.casefold() for text in (row.sku, row.title, row.barcode))
    return True


def _sort_key(row: StockRow, q: StockQuery) -> tuple[object, ...]:
    line = row.line(q.location) if q.location else None
    available = line.available if line else row.available
    velocity = line.plan.inputs.demand.velocity if line and line.plan else row.velocity
    cover = line.plan.days_of_cover if line and line.plan else row.days_of_cover
    if q.sort == "status":
        return (_status(row, q.location).rank, cover if cover is not None else 1e12, row.sku)
    if q.sort == "available":
        return (available, row.sku)
    if q.sort == "velocity":
        return (velocity, row.sku)
    if q.sort == "cover":
        return (cover if cover is not None else 1e12, row.sku)
    if q.sort == "title":
        return (row.title.casefold(), row.sku)
    if q.sort == "vendor":
        return (row.vendor.casefold(), row.sku)
    return (row.sku,)


def select(rows: Sequence[StockRow], q: StockQuery) -> tuple[list[StockRow], int]:
    """(the page of rows the query asks for, how many rows match in all)."""
    found = [row for row in rows if _matches(row, q)]
    found.sort(key=lambda row: _sort_key(row, q), reverse=q.descending)
    return found[q.offset : q.offset + q.limit], len(found)


def status_counts(rows: Sequence[StockRow]) -> dict[StockStatus, int]:
    counts = dict.fromkeys(StockStatus, 0)
    for row in rows:
        counts[row.status] += 1
    return counts
