"""FBA stock into packdesk: a downloaded report file, or a read of Amazon's SP-API. Each is
stored whole in one transaction, or not at all."""

from __future__ import annotations

from datetime import datetime

from packdesk.domain.clock import Clock
from packdesk.domain.inventory.events import StockChanged
from packdesk.domain.inventory.fba import FbaImport, FbaSnapshot
from packdesk.domain.ports import (
    EventPublisher,
    FbaReportParser,
    FbaSource,
    FbaUnavailable,
    Store,
)
from packdesk.services.inventory.stock import StockService


class FbaService:
    def __init__(
        self,
        store: Store,
        stock: StockService,
        clock: Clock,
        bus: EventPublisher,
        *,
        parse: FbaReportParser,
        source: FbaSource | None,
    ) -> None:
        self.store = store
        self.stock = stock
        self.clock = clock
        self.bus = bus
        self.parse = parse
        self.source = source
        """Amazon's SP-API; None when [amazon].enabled is off."""

    def import_report(self, data: bytes, *, name: str, as_of: datetime) -> FbaImport:
        """Store a downloaded report. Raises `FbaReportRefused` (nothing stored)."""
        return self._store(self.parse(data, name=name, as_of=as_of))

    def sync(self) -> FbaImport:
        """Read FBA stock from Amazon now. Raises `FbaUnavailable` (nothing stored)."""
        if self.source is None:
            raise FbaUnavailable(
                "Reading FBA stock from Amazon is off: set [amazon].enabled = true with the "
                "app's credentials, or import a downloaded report with `packdesk fba import "
                "FILE`."
            )
        return self._store(self.source.fetch())

    def imports(self, limit: int = 10) -> list[FbaImport]:
        return self.store.inventory.fba_imports(limit)

    def _store(self, snapshot: FbaSnapshot) -> FbaImport:
        done = self.store.inventory.save_fba_import(snapshot, self.clock.now())
        self.stock.invalidate()
        self.bus.publish(StockChanged(at=self.clock.now(), reason=f"FBA {done.source} import"))
        return done
