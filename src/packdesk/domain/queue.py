"""What the packing queue, the health screen and the order detail show, as plain values.

The store fills these from SQLite; the services and the TUI only read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from packdesk.domain.models import AuditEvent, LabelPurchase, Order, PrintJob, SyncStatus
from packdesk.domain.scanning import StationNote
from packdesk.domain.states import StationState


class View(BaseModel):
    model_config = ConfigDict(frozen=True)


class QueueRow(View):
    """One order in the packing queue."""

    order_id: str
    name: str
    created_at: datetime
    items: int
    service: str
    """The shipping line the customer chose, e.g. `Express`."""
    promise_days: int
    destination: str
    state: StationState
    problems: tuple[str, ...] = ()
    customer: str = ""

    def ship_by(self) -> datetime:
        return self.created_at + timedelta(days=self.promise_days)


AWAITING_LABEL = "label pending"
"""The problem shown on a PACKED order: it is packed and its label is not bought yet."""


def queue_problems(
    state: StationState, reason: str, *, has_address: bool, has_note: bool, cancelled: bool
) -> tuple[str, ...]:
    """What the packer must know about a queued order before opening it, in a few words."""
    problems: list[str] = []
    if state in (StationState.ON_HOLD, StationState.ERROR) and reason:
        problems.append(reason)
    if state is StationState.PACKED:
        problems.append(AWAITING_LABEL)
    if not has_address:
        problems.append("no address")
    if has_note:
        problems.append("note")
    if cancelled:
        problems.append("cancelled")
    return tuple(problems)


def destination(city: str, province_code: str, country_code: str = "US") -> str:
    """Where an order goes, as the queue shows it: `Austin, TX`, or `Toronto, ON CA` abroad."""
    place = ", ".join(p for p in (city, province_code) if p)
    if country_code != "US":
        place = f"{place} {country_code}".strip()
    return place


class QueueQuery(View):
    """Which queue rows to load: the station's location, an optional search, a limit."""

    location_id: str = ""
    search: str = ""
    limit: int = 500
    promise_days: Mapping[str, int] = Field(default_factory=lambda: {"": 7})


def promise_days_for(service_title: str, promise_days: Mapping[str, int]) -> int:
    """The delivery promise for a shipping line title: the first configured word it contains,
    shortest promise first (so "Express Priority" counts as express), else the "" entry."""
    title = service_title.casefold()
    for word, days in sorted(promise_days.items(), key=lambda kv: kv[1]):
        if word and word.casefold() in title:
            return days
    return promise_days.get("", 7)


class PrinterHealth(View):
    name: str
    role: str
    kind: str
    queued: int = 0
    failed: int = 0
    last_error: str = ""


class WebhookHealth(View):
    enabled: bool = False
    address: str = ""
    received: int = 0
    pending: int = 0
    last_received_at: datetime | None = None
    last_error: str = ""


class HealthReport(View):
    """Everything the Health screen and the status bar show."""

    sync: tuple[SyncStatus, ...] = ()
    outbox_pending: int = 0
    outbox_dead: int = 0
    outbox_last_error: str = ""
    printers: tuple[PrinterHealth, ...] = ()
    webhooks: WebhookHealth = Field(default_factory=WebhookHealth)
    awaiting_label: int = 0
    """Orders packed whose label is not bought yet."""
    shopify_api_warning: str = ""
    """Set when Shopify answered with another Admin API version than [shopify].api_version:
    which one, and the fix."""
    stock_alerts: int = 0
    """Open low-stock alerts of SKUs not snoozed."""
    shippo_mode: str = ""
    """TEST when labels come from a Shippo test token (free, ship nothing), LIVE when they
    are real and charged, "" without a token."""

    def last_sync_at(self) -> datetime | None:
        times = [s.last_success_at for s in self.sync if s.last_success_at is not None]
        return max(times) if times else None

    def sync_error(self) -> str:
        failing = [
            s
            for s in self.sync
            if s.last_error_at is not None
            and (s.last_success_at is None or s.last_error_at > s.last_success_at)
        ]
        return f"{failing[0].resource}: {failing[0].last_error}" if failing else ""


class OrderDetail(View):
    """Everything the order detail screen shows about one order."""

    order: Order
    state: StationState | None = None
    reason: str = ""
    history: tuple[AuditEvent, ...] = ()
    labels: tuple[LabelPurchase, ...] = ()
    print_jobs: tuple[PrintJob, ...] = ()
    notes: tuple[StationNote, ...] = ()
    rate: str = ""
    rate_reason: str = ""


def money(value: Decimal, currency: str = "USD") -> str:
    return f"${value:.2f}" if currency == "USD" else f"{value:.2f} {currency}"
