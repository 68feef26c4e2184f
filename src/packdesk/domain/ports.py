"""Ports: what the services need from the outside world, as `typing.Protocol`s.

Adapters implement them (SQLite, Shopify, Shippo, printers, email); tests pass fakes. Each
protocol is small so that a fake of it stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from packdesk.domain.events import Event
from packdesk.domain.models import (
    AuditEvent,
    NewOutboxItem,
    NewPrintJob,
    Order,
    StationOrder,
    Transition,
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


# Ports of the Shopify sync (issue #4), kept in domain/shop.py and re-exported here.
from packdesk.domain.shop import (  # noqa: E402, F401
    CatalogStore,
    OrderSyncStore,
    ShopCatalog,
    ShopOrders,
    ShopPage,
    SyncStateStore,
    WebhookDelivery,
    WebhookInbox,
)
