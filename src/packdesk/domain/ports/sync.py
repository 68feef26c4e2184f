"""Where each synced resource stands (its cursor and health), and the inbox of webhook
deliveries stored before any work is done on them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from packdesk.domain.models import SyncStatus
from packdesk.domain.shop import WebhookDelivery


class SyncStateRepository(Protocol):
    def status(self, resource: str) -> SyncStatus:
        """The stored state of `resource`, or a blank one before its first sync."""
        ...

    def statuses(self) -> list[SyncStatus]:
        """Every resource's state, by resource name."""
        ...

    def save(self, status: SyncStatus) -> None:
        """Write a resource's state; with a page of data, in the same `Store.transaction()`
        as the page, so that the cursor never runs ahead of what is stored."""
        ...


class WebhookInbox(Protocol):
    """Webhook deliveries as received, deduplicated by their webhook id."""

    def record(self, delivery: WebhookDelivery) -> bool:
        """Store a delivery; False when this webhook id was already stored (a retry)."""
        ...

    def pending(self, limit: int = 100) -> list[WebhookDelivery]:
        """Deliveries stored but not yet worked on, oldest first."""
        ...

    def finish(self, webhook_id: str, *, at: datetime | None, error: str = "") -> None:
        """Record the outcome; `at=None` leaves the delivery pending (to try again)."""
        ...

    def count(self) -> int: ...
