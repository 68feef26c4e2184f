"""Low-stock alerts: raised once per crossing of the reorder point, cleared when stock is
back, shown in the status bar and the Stock screen, and sent to the owner in one digest a
day (an outbox e-mail keyed by the date, so a day never gets two). Snoozes are per SKU."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from packdesk.domain.clock import Clock
from packdesk.domain.inventory.alerts import LevelCheck, Snooze, StockAlert, crossings, digest_text
from packdesk.domain.inventory.events import StockAlertsChanged
from packdesk.domain.inventory.stock import InventoryError
from packdesk.domain.ports import EventPublisher, Store
from packdesk.services.inventory.mail import business_email
from packdesk.services.inventory.stock import StockService


@dataclass(frozen=True)
class DigestPolicy:
    owner_email: str = ""
    daily: bool = True
    hour: int = 7
    """Hour of the day (UTC) from which the day's digest goes out."""
    shop_name: str = "packdesk"


@dataclass(frozen=True)
class AlertCheck:
    raised: list[StockAlert]
    cleared: int
    open: int


class StockAlerts:
    def __init__(
        self,
        store: Store,
        stock: StockService,
        clock: Clock,
        bus: EventPublisher,
        policy: DigestPolicy,
    ) -> None:
        self.store = store
        self.stock = stock
        self.clock = clock
        self.bus = bus
        self.policy = policy

    def open(self) -> list[StockAlert]:
        """Open alerts of SKUs not snoozed now."""
        snoozed = {s.variant_id for s in self.store.inventory.snoozes(self.clock.now())}
        return [a for a in self.store.inventory.open_alerts() if a.variant_id not in snoozed]

    def check(self) -> AlertCheck:
        """Raise alerts for new crossings, clear the ones whose stock is back."""
        now = self.clock.now()
        checks = [
            LevelCheck(
                variant_id=row.variant_id,
                sku=row.sku,
                title=row.title,
                location=line.location,
                available=line.available,
                reorder_point=line.plan.reorder_point,
            )
            for row in self.stock.rows(fresh=True)
            for line in row.lines
            if line.plan is not None
        ]
        current = {(a.variant_id, a.location): a for a in self.store.inventory.open_alerts()}
        snoozed = {s.variant_id for s in self.store.inventory.snoozes(now)}
        to_raise, to_clear = crossings(checks, current, snoozed)
        raised = self.store.inventory.raise_alerts(to_raise, now) if to_raise else []
        if to_clear:
            self.store.inventory.clear_alerts([a.id for a in to_clear], now)
        still_open = len(current) + len(raised) - len(to_clear)
        if raised or to_clear:
            self.stock.invalidate()
            self.bus.publish(
                StockAlertsChanged(
                    at=now, raised=len(raised), cleared=len(to_clear), open=still_open
                )
            )
        return AlertCheck(raised, len(to_clear), still_open)

    def digest(self) -> int:
        """Queue today's digest when it is due: the alerts no digest carried yet, to the
        owner, once a day from `hour`. Returns the alerts it carries (0: none queued)."""
        p = self.policy
        now = self.clock.now()
        if not (p.daily and p.owner_email) or now.hour < p.hour:
            return 0
        day = now.date().isoformat()
        key = f"email:stock-digest:{day}"
        if self.store.outbox.known_keys([key]):
            return 0
        alerts = self.store.inventory.alerts_to_digest(now)
        if not alerts:
            return 0
        subject, text = digest_text(alerts, p.shop_name, day)
        with self.store.transaction():  # the e-mail and the marks, or neither
            self.store.outbox.add([business_email(key, p.owner_email, subject, text)], now)
            self.store.inventory.mark_digested([a.id for a in alerts], now)
        return len(alerts)

    def run(self) -> None:
        """The job: check, then send the digest when due."""
        self.check()
        self.digest()

    def snooze(self, sku: str, until: datetime, reason: str = "") -> Snooze:
        variant = self._variant(sku)
        self.store.inventory.snooze(variant, until, reason, self.clock.now())
        self.stock.invalidate()
        return Snooze(variant_id=variant, sku=sku, until=until, reason=reason)

    def unsnooze(self, sku: str) -> bool:
        done = self.store.inventory.unsnooze(self._variant(sku))
        self.stock.invalidate()
        return done

    def snoozes(self) -> list[Snooze]:
        return self.store.inventory.snoozes(self.clock.now())

    def _variant(self, sku: str) -> str:
        found = self.store.catalog.variant_for_code(sku)
        if found is None or found.sku.casefold() != sku.strip().casefold():
            raise InventoryError(
                f"No variant has SKU {sku}; check it with `packdesk stock {sku}`, or sync the "
                "catalog (`packdesk sync --once`)."
            )
        return found.id
