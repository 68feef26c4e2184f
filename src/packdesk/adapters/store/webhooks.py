"""Webhook deliveries, stored once per webhook id before any work is done on them."""

from __future__ import annotations

from datetime import datetime

from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import parse_ts, ts
from packdesk.domain.shop import WebhookDelivery


class SqlWebhookInbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, delivery: WebhookDelivery) -> bool:
        added = self.db.execute(
            "INSERT INTO webhook_events (webhook_id, event_id, topic, shop, resource_id,"
            " location_id, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (webhook_id) DO NOTHING",
            [
                delivery.webhook_id,
                delivery.event_id,
                delivery.topic,
                delivery.shop,
                delivery.resource_id,
                delivery.location_id,
                delivery.payload,
                ts(delivery.received_at),
            ],
        )
        return added == 1

    def pending(self, limit: int = 100) -> list[WebhookDelivery]:
        return [
            WebhookDelivery(
                webhook_id=r["webhook_id"],
                event_id=r["event_id"],
                topic=r["topic"],
                shop=r["shop"],
                resource_id=r["resource_id"],
                location_id=r["location_id"],
                payload=r["payload"],
                received_at=parse_ts(r["received_at"]) or datetime.min,
            )
            for r in self.db.query(
                "SELECT * FROM webhook_events WHERE processed_at IS NULL"
                " ORDER BY received_at LIMIT ?",
                [limit],
            )
        ]

    def finish(self, webhook_id: str, *, at: datetime | None, error: str = "") -> None:
        self.db.execute(
            "UPDATE webhook_events SET processed_at = ?, error = ? WHERE webhook_id = ?",
            [ts(at), error, webhook_id],
        )

    def count(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM webhook_events"))
