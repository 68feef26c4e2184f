"""Ports: what the services need from the outside world, as `typing.Protocol`s.

Adapters implement them (SQLite, Shopify, Shippo, printers, email); tests pass fakes. Each
protocol is small so that a fake of it stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from packdesk.domain.events import Event
from packdesk.domain.models import (
    AuditEvent,
    NewOutboxItem,
    NewPrintJob,
    Order,
    OutboxItem,
    OutboxState,
    StationOrder,
    Transition,
)
from packdesk.domain.outbox import (
    FulfillmentRequest,
    InventoryAdjustment,
    OutgoingEmail,
    RenderedEmail,
    UpstreamFulfillments,
)
from packdesk.domain.states import StationState


class StaleState(RuntimeError):
    """The order moved on (another thread or station changed it) since the caller read it."""


class EventPublisher(Protocol):
    def publish(self, event: Event) -> None:
        """Hand an event to whoever listens (TUI, metrics, logs); must not block."""
        ...


class OrderReader(Protocol):
    def get_order(self, order_id: str) -> Order | None: ...

    def find_order_by_name(self, name: str) -> Order | None:
        """The order whose customer-facing name is `name` (`#1001`, `1001` or `#1001 `)."""
        ...


class StationStore(OrderReader, Protocol):
    """The station's state of each order and its audit history."""

    def get_station_order(self, order_id: str) -> StationOrder | None: ...

    def apply_transition(
        self,
        transition: Transition,
        outbox: Sequence[NewOutboxItem] = (),
        print_jobs: Sequence[NewPrintJob] = (),
    ) -> StationOrder:
        """Write the new state, its audit row, and its effects in one transaction.

        Raises `StaleState` when the stored state is not `transition.from_state`.
        """
        ...

    def history(self, order_id: str) -> list[AuditEvent]: ...

    def orders_in_states(self, states: Sequence[StationState]) -> list[StationOrder]: ...


class OutboxStore(Protocol):
    """Outbox rows: claimed under a lease, settled by the worker that claimed them."""

    def schedule_outbox(self, items: Sequence[tuple[NewOutboxItem, datetime]], at: datetime) -> int:
        """Insert items due at the given times (a known dedupe key is ignored); count new."""
        ...

    def claim_outbox(
        self,
        now: datetime,
        limit: int,
        worker: str,
        lease_until: datetime,
        kinds: Sequence[str] | None = None,
    ) -> list[OutboxItem]:
        """Atomically lease up to `limit` due PENDING rows (of `kinds`, when given) to
        `worker` and count an attempt on each; rows leased by another worker whose lease has
        not run out are left alone."""
        ...

    def settle_outbox(
        self, item_id: int, worker: str, state: OutboxState, at: datetime, note: str = ""
    ) -> bool:
        """Mark a claimed row DELIVERED or SKIPPED; False if `worker` no longer holds it."""
        ...

    def fail_outbox(
        self, item_id: int, worker: str, error: str, next_attempt_at: datetime, dead: bool
    ) -> bool:
        """Record a failed attempt: back to PENDING at `next_attempt_at`, or DEAD."""
        ...

    def retry_outbox(self, item_id: int, at: datetime) -> bool:
        """Revive a DEAD row (attempts start again); False if it is not DEAD."""
        ...

    def retry_all_outbox(self, at: datetime) -> int: ...

    def get_outbox(self, item_id: int) -> OutboxItem | None: ...

    def list_outbox(
        self, states: Sequence[OutboxState] = (), limit: int = 200
    ) -> list[OutboxItem]: ...

    def outbox_counts(self) -> dict[OutboxState, int]: ...


class SuppressionList(Protocol):
    def is_suppressed(self, email: str) -> bool: ...

    def suppress_email(self, email: str, reason: str, at: datetime) -> None: ...

    def unsuppress_email(self, email: str) -> bool: ...


class FollowupStore(OrderReader, Protocol):
    """Orders delivered to the customer whose after-delivery emails are not planned yet."""

    def delivered_without_followups(self, limit: int = 100) -> list[tuple[str, datetime]]:
        """(order id, delivered at) of DELIVERED orders not yet planned."""
        ...

    def plan_followups(
        self,
        order_id: str,
        delivered_at: datetime,
        items: Sequence[tuple[NewOutboxItem, datetime]],
        at: datetime,
    ) -> None:
        """Write the order's follow-up rows and its planned mark in one transaction."""
        ...

    def recent_station_orders_without(
        self, dedupe_prefix: str, since: datetime, limit: int = 100
    ) -> list[str]:
        """Ids of orders at the station created after `since` that have no outbox row whose
        key is `dedupe_prefix` + order id (for order confirmations)."""
        ...


class ShopFulfillments(Protocol):
    """Shopify fulfillments, for the outbox's `fulfillment` items."""

    def upstream_fulfillments(self, order_id: str) -> UpstreamFulfillments:
        """The order's fulfillment order statuses and existing tracking numbers."""
        ...

    def create_fulfillment(self, request: FulfillmentRequest) -> str:
        """Create the fulfillment; return its id. Raises `DeliveryFailed`."""
        ...


class ShopInventory(Protocol):
    def adjust_inventory(self, adjustment: InventoryAdjustment) -> None:
        """Apply a stock change at a location. Raises `DeliveryFailed`."""
        ...


class EmailRenderer(Protocol):
    def render(self, template: str, context: dict[str, object]) -> RenderedEmail:
        """Subject, text and HTML of an email template; raises ValueError on template errors."""
        ...

    def guide(self, sku: str) -> tuple[str, str, str] | None:
        """The usage guide for a SKU as (title, text, html), or None when it has none."""
        ...

    def generic_guide(self) -> tuple[str, str, str]: ...

    def logo(self) -> bytes | None:
        """The shop's logo PNG, if one is configured or shipped."""
        ...


class EmailSender(Protocol):
    def send(self, email: OutgoingEmail) -> None:
        """Hand the email to SMTP or SendGrid. Raises `DeliveryFailed`."""
        ...
