"""The stock view and the reorder plans behind it, read from the store and assembled by the
domain. The whole view is kept for a short while, so that paging, sorting and filtering
100,000 variants on the Stock screen works on rows already made."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from packdesk.domain.clock import Clock
from packdesk.domain.inventory.assemble import StockFacts, Warehouse, assemble
from packdesk.domain.inventory.demand import window
from packdesk.domain.inventory.reorder import ReorderPlan, ReorderPolicy
from packdesk.domain.inventory.stock import StockStatus
from packdesk.domain.inventory.view import StockQuery, StockRow, select, status_counts
from packdesk.domain.ports import Store


@dataclass(frozen=True)
class StockPage:
    """One page of the stock view, with what the whole view counts."""

    rows: list[StockRow]
    total: int
    """Rows matching the query."""
    counts: dict[StockStatus, int]
    """Rows per status in the whole view."""
    variants: int
    computed_at: datetime


class StockService:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        policy: ReorderPolicy,
        *,
        plan_fba: bool = False,
        max_age_s: float = 60.0,
    ) -> None:
        self.store = store
        self.clock = clock
        self.policy = policy
        self.plan_fba = plan_fba
        self.max_age = timedelta(seconds=max_age_s)
        self._lock = threading.Lock()
        self._view: tuple[datetime, list[StockRow]] | None = None

    def warehouses(self) -> list[Warehouse]:
        """The active Shopify locations, by code."""
        return [
            Warehouse(loc.id, loc.code)
            for loc in self.store.catalog.locations()
            if loc.is_shopify and loc.active
        ]

    def rows(self, skus: Sequence[str] | None = None, *, fresh: bool = False) -> list[StockRow]:
        """Rows of these SKUs (any case), or the whole view (kept `max_age_s`)."""
        if skus is not None:
            return self._assemble(skus)
        with self._lock:
            now = self.clock.now()
            if fresh or self._view is None or now - self._view[0] > self.max_age:
                self._view = (now, self._assemble(None))
            return self._view[1]

    def invalidate(self) -> None:
        """Stock changed: the next view is made afresh."""
        with self._lock:
            self._view = None

    def page(self, query: StockQuery, *, fresh: bool = False) -> StockPage:
        rows = self.rows(fresh=fresh)
        found, total = select(rows, query)
        assert self._view is not None
        return StockPage(found, total, status_counts(rows), len(rows), self._view[0])

    def plans(
        self, *, supplier_id: int | None = None, location: str = "", due_only: bool = True
    ) -> list[ReorderPlan]:
        """Reorder plans of every planned SKU and location (those due, by default), most
        urgent first; of one supplier's items, or at one location, when asked."""
        rows = self.rows(fresh=True)
        if supplier_id is not None:
            mine = {item.variant_id for item in self.store.purchasing.items(supplier_id)}
            rows = [r for r in rows if r.variant_id in mine]
        found = [
            p
            for r in rows
            for p in r.plans()
            if (not due_only or p.due) and (not location or p.inputs.location == location)
        ]
        found.sort(key=lambda p: (p.status.rank, p.days_of_cover or 0.0, p.inputs.sku))
        return found

    def _assemble(self, skus: Sequence[str] | None) -> list[StockRow]:
        now = self.clock.now()
        today = now.date()
        first, last = window(today, self.policy.window_days)
        store = self.store
        variants = store.inventory.variant_stock(skus)
        ids = None if skus is None else [v.variant_id for v in variants]
        sales = store.inventory.daily_sales(first, last, ids)
        # Only a variant sold in the window gets a plan at a warehouse (FBA's may be planned
        # without): its stock history and supplier are read, not every variant's.
        sold = {variant_id for variant_id, _ in sales}
        planned = [v for v in variants if v.variant_id in sold or (self.plan_fba and v.fba)]
        facts = StockFacts(
            variants=variants,
            warehouses=self.warehouses(),
            sales=sales,
            days=store.inventory.stock_days(first, [v.inventory_item_id for v in planned]),
            fba_totals=(
                store.inventory.fba_totals(now - timedelta(days=self.policy.window_days + 1), ids)
                if self.plan_fba
                else {}
            ),
            items=store.purchasing.items_by_variant([v.variant_id for v in planned]),
            suppliers={s.id: s for s in store.purchasing.suppliers()},
            open_po=store.purchasing.open_po_quantities(),
            alerts=frozenset((a.variant_id, a.location) for a in store.inventory.open_alerts()),
            snoozes={s.variant_id: s for s in store.inventory.snoozes(now)},
        )
        return assemble(facts, self.policy, today, plan_fba=self.plan_fba)
