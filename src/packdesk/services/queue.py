"""The station's packing queue, the order detail, and the health figures behind the status bar.

The queue is sorted by urgency: the promised service first (express before standard, from
`[shipping].promise_days`), then age. It is always limited, so the TUI stays fast whatever
the size of the order history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from packdesk.domain.ports import Store
from packdesk.domain.queue import (
    HealthReport,
    OrderDetail,
    PrinterHealth,
    QueueQuery,
    QueueRow,
    WebhookHealth,
)
from packdesk.services.station import OrderNotFound


@dataclass(frozen=True)
class PrinterInfo:
    """A configured printer, as the health screen lists it."""

    name: str
    role: str
    kind: str
    target: str = ""


@dataclass
class QueueService:
    store: Store
    location_code: str = ""
    promise_days: Mapping[str, int] = field(default_factory=lambda: {"": 7})
    limit: int = 500
    _location_id: str | None = None

    @property
    def location_id(self) -> str:
        """The Shopify location id of the station's location (cached once found)."""
        if not self._location_id and self.location_code:
            location = self.store.catalog.location(self.location_code)
            self._location_id = location.id if location else None
        return self._location_id or ""

    def rows(self, search: str = "") -> list[QueueRow]:
        """The open orders to pack here, most urgent first; `search` matches the order name,
        the customer's name or email, or a SKU on the order."""
        return self.store.views.queue(
            QueueQuery(
                location_id=self.location_id,
                search=search,
                limit=self.limit,
                promise_days=dict(self.promise_days),
            )
        )


@dataclass
class HealthService:
    store: Store
    printers: Sequence[PrinterInfo] = ()
    webhooks_enabled: bool = False
    webhooks_address: str = ""
    shopify_api_warning: Callable[[], str] = lambda: ""
    """The sentence saying Shopify answers with another API version than configured (empty
    while it does not)."""
    stock_alerts: Callable[[], int] = lambda: 0
    """How many low-stock alerts are open (of SKUs not snoozed)."""
    shippo_mode: str = ""

    def report(self) -> HealthReport:
        pending, dead, outbox_error = self.store.views.outbox_backlog()
        jobs = self.store.views.print_job_counts()
        printers = [
            PrinterHealth(
                name=p.name,
                role=p.role,
                kind=p.kind,
                queued=jobs.get(p.name, (0, 0, ""))[0],
                failed=jobs.get(p.name, (0, 0, ""))[1],
                last_error=jobs.get(p.name, (0, 0, ""))[2],
            )
            for p in self.printers
        ]
        received, unprocessed, last_at, hook_error = self.store.views.webhook_counts()
        return HealthReport(
            sync=tuple(self.store.sync.statuses()),
            outbox_pending=pending,
            outbox_dead=dead,
            outbox_last_error=outbox_error,
            printers=tuple(printers),
            webhooks=WebhookHealth(
                enabled=self.webhooks_enabled,
                address=self.webhooks_address,
                received=received,
                pending=unprocessed,
                last_received_at=last_at,
                last_error=hook_error,
            ),
            awaiting_label=self.store.views.awaiting_label(),
            shopify_api_warning=self.shopify_api_warning(),
            stock_alerts=self.stock_alerts(),
            shippo_mode=self.shippo_mode,
        )

    def order_detail(self, order_id: str) -> OrderDetail:
        order = self.store.orders.get(order_id)
        if order is None:
            raise OrderNotFound(f"No order {order_id} in the local database; run a sync (F9).")
        current = self.store.station.get(order_id)
        rate, rate_reason = self.store.shipments.chosen_rate(order_id, 1)
        return OrderDetail(
            order=order,
            state=current.state if current else None,
            reason=current.reason if current else "",
            history=tuple(self.store.station.history(order_id)),
            labels=tuple(self.store.labels.for_order(order_id)),
            print_jobs=tuple(self.store.print_jobs.for_order(order_id)),
            notes=tuple(self.store.station.notes(order_id)),
            rate=rate.describe() if rate else "",
            rate_reason=rate_reason,
        )
