"""Working on stored webhook deliveries: fetch the order each one names and store it.

The receiver only stores a delivery and queues it; this service does the slow part on a
worker thread. The webhook body is REST-shaped and partial, so the order is read again
through GraphQL (`SyncService.sync_order`), which also moves it in the queue. A delivery whose
fetch fails stays pending with its error and is tried again by the next sweep.
"""

from __future__ import annotations

import logging

from packdesk.domain.clock import Clock
from packdesk.domain.ports import WebhookInbox
from packdesk.domain.shop import WebhookDelivery
from packdesk.services.sync import SyncService

log = logging.getLogger(__name__)


class WebhookProcessor:
    def __init__(self, inbox: WebhookInbox, sync: SyncService, clock: Clock) -> None:
        self.inbox = inbox
        self.sync = sync
        self.clock = clock

    def process(self, delivery: WebhookDelivery) -> bool:
        """Fetch and store the delivery's order; True when done (or nothing to do)."""
        try:
            order = self.sync.sync_order(delivery.resource_id)
        except Exception as exc:
            log.warning(
                "webhook %s: cannot fetch %s: %s", delivery.event_id, delivery.resource_id, exc
            )
            self.inbox.finish(delivery.event_id, at=None, error=str(exc))
            return False
        error = "" if order is not None else f"Shopify has no order {delivery.resource_id}"
        self.inbox.finish(delivery.event_id, at=self.clock.now(), error=error)
        return True

    def sweep(self, limit: int = 100) -> int:
        """Work on deliveries stored but not done (after a restart or a failed fetch)."""
        done = 0
        for delivery in self.inbox.pending(limit):
            done += self.process(delivery)
        return done
