"""Stock across locations as packdesk stores it: Shopify's levels and their history, FBA
imports, sales by day, low-stock alerts and snoozes, and cycle counts; and Amazon's FBA
stock as a source to read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from packdesk.domain.inventory.alerts import LevelCheck, Snooze, StockAlert
from packdesk.domain.inventory.counting import CountLine, StockCount
from packdesk.domain.inventory.demand import StockDay
from packdesk.domain.inventory.fba import FbaImport, FbaSnapshot
from packdesk.domain.inventory.stock import VariantStock

SalesKey = tuple[str, str]
"""(variant id, location id); the location is "" for sales no fulfillment order places."""


class InventoryRepository(Protocol):
    def variant_stock(self, skus: Sequence[str] | None = None) -> list[VariantStock]:
        """Every variant (or those with these SKUs, any case) with its levels and latest FBA
        numbers, by SKU."""
        ...

    def daily_sales(
        self, first: date, last: date, variant_ids: Sequence[str] | None = None
    ) -> dict[SalesKey, dict[date, int]]:
        """Units sold a day (orders not cancelled, by the day they were placed) per variant
        and the location its fulfillment order is assigned to."""
        ...

    def stock_days(
        self, since: date, item_ids: Sequence[str] | None = None
    ) -> dict[tuple[str, str], list[StockDay]]:
        """Observations per (inventory item, location id) from `since` on, each list led by
        the last one before `since` when there is one."""
        ...

    def fba_totals(
        self, since: datetime, variant_ids: Sequence[str] | None = None
    ) -> dict[str, list[tuple[datetime, int]]]:
        """Amazon's network total per variant in each FBA import since `since`, oldest first."""
        ...

    def save_fba_import(self, snapshot: FbaSnapshot, imported_at: datetime) -> FbaImport:
        """Store a snapshot whole (one transaction), its SKUs matched to variants."""
        ...

    def fba_imports(self, limit: int = 20) -> list[FbaImport]:
        """The latest imports, newest first."""
        ...

    def open_alerts(self) -> list[StockAlert]: ...

    def raise_alerts(self, checks: Sequence[LevelCheck], at: datetime) -> list[StockAlert]:
        """Open an alert per check; a check that already has an open alert is skipped."""
        ...

    def clear_alerts(self, alert_ids: Sequence[int], at: datetime) -> None: ...

    def alerts_to_digest(self, now: datetime) -> list[StockAlert]:
        """Open alerts no digest has carried, of SKUs not snoozed at `now`."""
        ...

    def mark_digested(self, alert_ids: Sequence[int], at: datetime) -> None: ...

    def snooze(self, variant_id: str, until: datetime, reason: str, at: datetime) -> None: ...

    def unsnooze(self, variant_id: str) -> bool: ...

    def snoozes(self, now: datetime) -> list[Snooze]:
        """Snoozes still running at `now`."""
        ...

    def open_count(self, location_id: str, actor: str, at: datetime) -> StockCount:
        """The station's open count at a location, started now when there is none."""
        ...

    def count(self, count_id: int) -> StockCount | None: ...

    def save_count_line(self, count_id: int, line: CountLine) -> None: ...

    def finish_count(self, count_id: int, at: datetime) -> bool:
        """OPEN → DONE; False when it was not open (finished elsewhere)."""
        ...


class FbaSource(Protocol):
    """Amazon's FBA stock read live (SP-API)."""

    def fetch(self) -> FbaSnapshot:
        """Every SKU in Amazon's network now. Raises `FbaUnavailable`."""
        ...


class FbaReportParser(Protocol):
    def __call__(self, data: bytes, *, name: str, as_of: datetime) -> FbaSnapshot:
        """Every row of a Manage FBA Inventory report file. Raises `FbaReportRefused`."""
        ...


class FbaUnavailable(Exception):
    """Amazon could not be read now; the sentence says why and what to do."""
