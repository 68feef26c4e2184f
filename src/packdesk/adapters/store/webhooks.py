"""Webhook deliveries, stored once per event id before any work is done on them."""

from __future__ import annotations

from datetime import datetime

from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import parse_ts, ts
from packdesk.domain.shop import WebhookDelivery


class WebhookRows:
    database: Database

    def record_webhook(self, delivery: WebhookDelivery) -> bool:
        """Store a delivery; False when its event id is already stored (Shopify retried)."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "INSERT INTO webhook_events (event_id, topic, shop, resource_id, payload,"
                " received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
                [
                    delivery.event_id,
                    delivery.topic,
                    delivery.shop,
                    delivery.resource_id,
                    delivery.payload,
                    ts(delivery.received_at),
                ],
            )
            return bool(cursor.rowcount)

    def pending_webhooks(self, limit: int = 100) -> list[WebhookDelivery]:
        """Deliveries stored but not yet worked on (e.g. the process stopped in between)."""
        return [
            WebhookDelivery(
                event_id=r["event_id"],
                topic=r["topic"],
                shop=r["shop"],
                resource_id=r["resource_id"],
                payload=r["payload"],
                received_at=parse_ts(r["received_at"]) or datetime.min,
            )
            for r in self.database.db.query(
                "SELECT * FROM webhook_events WHERE processed_at IS NULL"
                " ORDER BY received_at LIMIT ?",
                [limit],
            )
        ]

    def finish_webhook(self, event_id: str, *, at: datetime | None, error: str = "") -> None:
        """Record the outcome; `at=None` leaves the delivery pending (to try again)."""
        with self.database.transaction() as db:
            db.execute(
                "UPDATE webhook_events SET processed_at = ?, error = ? WHERE event_id = ?",
                [ts(at), error, event_id],
            )

    def count_webhooks(self) -> int:
        return int(self.database.db.execute("SELECT count(*) FROM webhook_events").fetchone()[0])
