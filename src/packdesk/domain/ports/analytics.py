"""Analytics as services see the store: read-only queries that answer with sums.

Every method runs SQL over the local database (docs/analytics.md has the formulas) and
returns small results whatever the history's size. Times are UTC instants; buckets come
from `Period.buckets`, so the store never needs to know the shop's time zone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Literal, Protocol

from packdesk.domain.analytics.export import FactTable
from packdesk.domain.analytics.facts import (
    CohortCell,
    CurrencyMix,
    CustomerFacts,
    InventoryValue,
    ProductFacts,
    RfmCell,
    SalesFacts,
    ServiceMatch,
    ShippingGroup,
    ShippingTotals,
)
from packdesk.domain.analytics.periods import Bucket
from packdesk.domain.monitoring import GaugeQuery, StationGauges


class SalesReader(Protocol):
    def sales(self, buckets: Sequence[Bucket], currency: str) -> list[SalesFacts]:
        """One row per bucket, in order (empty buckets included), of the orders whose shop
        currency is `currency`."""
        ...

    def sales_total(self, start: datetime, end: datetime, currency: str) -> SalesFacts:
        """The same sums over the whole span."""
        ...

    def currencies(self, start: datetime, end: datetime) -> CurrencyMix:
        """The shop's currency and the currencies orders were paid in and labels billed in."""
        ...


class ShippingReader(Protocol):
    def shipping(self, start: datetime, end: datetime, currency: str) -> ShippingTotals:
        """Labels bought in the span and billed in `currency`, with their orders."""
        ...

    def shipping_groups(
        self, start: datetime, end: datetime, currency: str
    ) -> dict[str, list[ShippingGroup]]:
        """The same labels by `carrier`, `service`, `zone` and `warehouse` (the keys), each
        costliest first."""
        ...

    def service_matches(self, start: datetime, end: datetime, currency: str) -> list[ServiceMatch]:
        """Labels by the service the customer chose and the service bought."""
        ...


class StockReader(Protocol):
    def products(
        self,
        start: datetime,
        end: datetime,
        stock: date | Literal["current"] | None,
        a_share: float,
        b_share: float,
    ) -> list[ProductFacts]:
        """Items sold in the span, most units first, with ABC classes cut at the cumulative
        shares `a_share` and `b_share` of units, and stock on hand from the snapshot of the
        day `stock`, today's stock ("current"), or unknown (None)."""
        ...

    def snapshot_day(self, first: date, last: date) -> date | None:
        """The latest day from `first` to `last` with a stock snapshot."""
        ...

    def inventory_value(self, first_day: date, last_day: date) -> InventoryValue:
        """The average value of stock on hand over the days (snapshots at unit cost)."""
        ...

    def take_snapshot(self, day: date, at: datetime) -> int:
        """Write the day's picture of stock on hand at unit cost (again: it is replaced);
        returns how many item-location rows it holds."""
        ...


class CustomerReader(Protocol):
    def customers(self, start: datetime, end: datetime) -> CustomerFacts:
        """Customers as of `end`, all-time and within the span."""
        ...

    def cohorts(self, months: Sequence[Bucket]) -> list[CohortCell]:
        """Customers by the month of their first order among `months`, and what each cohort
        did in that month and every later one."""
        ...

    def rfm(self, end: datetime) -> list[RfmCell]:
        """Every customer with an order before `end`, scored 1–5 by quintile on recency,
        frequency and monetary value, counted by score."""
        ...


class FactTables(Protocol):
    def rows(self, table: FactTable) -> Iterator[tuple[object, ...]]:
        """Every row of a fact table, in the order of its columns, a page at a time."""
        ...


class StationReadings(Protocol):
    def gauges(self, query: GaugeQuery) -> StationGauges:
        """What the station's gauges read now (queue, print jobs, outbox, sync, stock)."""
        ...


class Analytics(Protocol):
    """The readers, one per concern."""

    @property
    def sales(self) -> SalesReader: ...

    @property
    def shipping(self) -> ShippingReader: ...

    @property
    def stock(self) -> StockReader: ...

    @property
    def customers(self) -> CustomerReader: ...

    @property
    def facts(self) -> FactTables: ...

    @property
    def readings(self) -> StationReadings: ...
