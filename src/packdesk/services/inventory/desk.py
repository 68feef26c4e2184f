"""The inventory desk: what the station's Stock, Receive and Count screens ask for, behind
one small surface (as the station desk does for packing). Every answer is a value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from packdesk.domain.clock import Clock
from packdesk.domain.inventory.alerts import Snooze
from packdesk.domain.inventory.counting import StockCount
from packdesk.domain.inventory.stock import FBA
from packdesk.domain.inventory.view import StockQuery, StockRow
from packdesk.services.inventory.alerts import StockAlerts
from packdesk.services.inventory.counting import Counting, CountScanned
from packdesk.services.inventory.receiving import (
    ReceiptDone,
    ReceiveScanned,
    ReceiveSession,
    Receiving,
)
from packdesk.services.inventory.stock import StockPage, StockService


@dataclass
class InventoryDesk:
    clock: Clock
    stock: StockService
    alerts: StockAlerts
    receiving: Receiving
    counting: Counting
    location_code: str
    """The station's own warehouse: where receipts and counts happen by default."""
    snooze_days: int = 14

    def locations(self) -> list[str]:
        """The location codes the Stock screen has columns for: the warehouses, then FBA."""
        return [w.code for w in self.stock.warehouses()] + [FBA]

    def page(self, query: StockQuery, *, fresh: bool = False) -> StockPage:
        return self.stock.page(query, fresh=fresh)

    def row(self, sku: str) -> StockRow | None:
        """One SKU's row made afresh (the detail of the Stock screen)."""
        found = self.stock.rows([sku])
        return found[0] if found else None

    def snooze(self, sku: str) -> Snooze:
        return self.alerts.snooze(
            sku, self.clock.now() + timedelta(days=self.snooze_days), "snoozed at the station"
        )

    def unsnooze(self, sku: str) -> bool:
        return self.alerts.unsnooze(sku)

    def open_alerts(self) -> int:
        return len(self.alerts.open())

    # --- receiving ----------------------------------------------------------------------

    def open_receipt(self, ref: str) -> ReceiveSession:
        return self.receiving.open(ref)

    def receive_scan(self, session: ReceiveSession, code: str) -> ReceiveScanned:
        return self.receiving.scan(session, code)

    def receive_undo(self, session: ReceiveSession, variant_id: str) -> ReceiveSession:
        return self.receiving.undo(session, variant_id)

    def finish_receipt(self, session: ReceiveSession) -> ReceiptDone:
        return self.receiving.finish(session)

    # --- cycle counts -------------------------------------------------------------------

    def open_count(self, location: str = "") -> StockCount:
        return self.counting.open(location or self.location_code)

    def count_scan(self, count: StockCount, code: str) -> CountScanned:
        return self.counting.scan(count, code)

    def finish_count(self, count: StockCount) -> str:
        return self.counting.finish(count)
