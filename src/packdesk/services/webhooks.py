"""Working on stored webhook deliveries: read again what each one names and store it.

The receiver only stores a delivery and queues it; this service does the slow part on a
worker thread. Webhook bodies are REST-shaped and partial (an inventory_levels/update body
carries `available` only), so what a delivery names is read again through GraphQL: an
order (`SyncService.sync_order`, which also moves it in the queue), or one item's stock at
one location. A delivery whose read fails stays pending with its error and is tried again
by the next sweep.
"""

from __future__ import annotations

import logging

from packdesk.domain.clock import Clock
from packdesk.domain.ports import WebhookInbox
from packdesk.domain.shop import STOCK_TOPICS, WebhookDelivery
from packdesk.services.sync import SyncService

log = logging.getLogger(__name__)


class WebhookProcessor:
    def __init__(self, inbox: WebhookInbox, sync: SyncService, clock: Clock) -> None:
        self.inbox = inbox
        self.sync = sync
        self.clock = clock

    def process(self, delivery: WebhookDelivery) -> bool:
        """Read and store what the delivery names; True when done (or nothing to do)."""
        try:
            missing = self._read_again(delivery)
        except Exception as exc:
            log.warning(
                "webhook %s (%s): cannot read %s: %s",
                delivery.webhook_id,
                delivery.topic,
                delivery.resource_id,
                exc,
            )
            self.inbox.finish(delivery.webhook_id, at=None, error=str(exc))
            return False
        self.inbox.finish(delivery.webhook_id, at=self.clock.now(), error=missing)
        return True

    def _read_again(self, delivery: WebhookDelivery) -> str:
        """Read the delivery's order or stock level; what Shopify no longer has, or ""."""
        if delivery.topic in STOCK_TOPICS:
            level = self.sync.sync_stock_level(delivery.resource_id, delivery.location_id)
            if level is None:
                return f"Shopify does not stock {delivery.resource_id} at {delivery.location_id}"
            return ""
        order = self.sync.sync_order(delivery.resource_id)
        return "" if order is not None else f"Shopify has no order {delivery.resource_id}"

    def sweep(self, limit: int = 100) -> int:
        """Work on deliveries stored but not done (after a restart or a failed read)."""
        done = 0
        for delivery in self.inbox.pending(limit):
            done += self.process(delivery)
        return done
