"""Webhooks out: every event of a subscribed topic to the subscription's URI.

Topics: orders/create, orders/updated, orders/cancelled, orders/fulfilled,
orders/partially_fulfilled (the REST order, rest.py), inventory_levels/update (the level's
`available` only, as Shopify sends it) and bulk_operations/finish. Bodies are snapshotted
when the event happens; headers are Shopify's: `X-Shopify-Hmac-Sha256` = base64
HMAC-SHA256 of the raw body with the app's secret, `X-Shopify-Webhook-Id` unique per
delivery, `X-Shopify-Event-Id` shared by every topic one action caused,
`X-Shopify-API-Version` the subscription's version. A background thread delivers them in
order, retrying a failed delivery a few times with backoff (Shopify retries 8 times over 4
hours; the sandbox keeps it short) under the same webhook id. Every delivery is recorded for
`GET /control/shopify/webhooks`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from packdesk.sandbox.shopify import rest
from packdesk.sandbox.shopify.order_heads import OrderHead
from packdesk.sandbox.shopify.store import ShopState
from packdesk.sandbox.shopify.subscriptions import ORDER_TOPICS, TOPICS, Subscriptions


def sign(body: bytes, secret: str) -> str:
    """Shopify's X-Shopify-Hmac-Sha256 for a raw body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass
class Delivery:
    """One webhook to one URL, with what happened to each attempt."""

    webhook_id: str
    event_id: str
    topic: str
    url: str
    order_id: int | None
    triggered_at: str
    body: bytes
    headers: dict[str, str]
    status: str = "pending"  # pending | delivered | failed
    attempts: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "webhook_id": self.webhook_id,
            "event_id": self.event_id,
            "topic": self.topic,
            "url": self.url,
            "order_id": self.order_id,
            "triggered_at": self.triggered_at,
            "status": self.status,
            "attempts": self.attempts,
            "headers": self.headers,
            "body": json.loads(self.body),
        }


class WebhookSender:
    """Turns order events into signed deliveries, sent by one background thread."""

    def __init__(
        self,
        state: ShopState,
        secret: str,
        subscriptions: Subscriptions,
        *,
        now: Callable[[], datetime],
        default_version: str,
        retries: int = 3,
        backoff: float = 0.2,
        timeout: float = 5.0,
    ) -> None:
        self.state = state
        self.secret = secret
        self.registry = subscriptions
        self.default_version = default_version
        self.now = now
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.deliveries: list[Delivery] = []
        self._lock = threading.Lock()
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._closed = False
        state.listeners.append(self.on_event)

    def subscribe(self, url: str, topics: list[str] | None) -> list[str]:
        """A receiver outside the app's subscriptions (like one made in the shop's admin)
        for some topics (default: the order topics); returns the topics."""
        wanted = sorted(set(topics or ORDER_TOPICS))
        unknown = [t for t in wanted if t not in TOPICS.values()]
        if unknown:
            raise ValueError(
                f"Unknown webhook topic {unknown[0]!r}; use one of {', '.join(TOPICS.values())}."
            )
        for topic in wanted:
            self.registry.add(topic, url, self.default_version, app=False)
        return wanted

    def on_event(self, topic: str, subject: Any) -> None:
        """Snapshot the subject and queue one delivery per subscription to the topic."""
        subs = self.registry.for_topic(topic)
        if not subs or self._closed:
            return
        body = json.dumps(self._body(topic, subject), separators=(",", ":")).encode()
        event_id = self.state.event_id()
        triggered = self.now().isoformat().replace("+00:00", "Z")
        order_id = subject.number if isinstance(subject, OrderHead) else None
        for sub in subs:
            webhook_id = str(uuid.uuid4())
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "Shopify-Captain-Hook",
                "X-Shopify-Topic": topic,
                "X-Shopify-Hmac-Sha256": sign(body, self.secret),
                "X-Shopify-Shop-Domain": self.state.shop_domain,
                "X-Shopify-API-Version": sub.api_version,
                "X-Shopify-Webhook-Id": webhook_id,
                "X-Shopify-Event-Id": event_id,
                "X-Shopify-Triggered-At": triggered,
            }
            d = Delivery(webhook_id, event_id, topic, sub.uri, order_id, triggered, body, headers)
            with self._lock:
                self.deliveries.append(d)
            self._start()
            self._queue.put(d)

    def _body(self, topic: str, subject: Any) -> dict[str, Any]:
        if isinstance(subject, OrderHead):
            return rest.order(self.state.order(subject))
        if topic == "inventory_levels/update":
            return rest.inventory_level(subject)
        return dict(subject)

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="shopify-webhooks", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as client:
            while True:
                d = self._queue.get()
                if d is None:
                    return
                self._deliver(client, d)

    def _deliver(self, client: httpx.Client, d: Delivery) -> None:
        for attempt in range(self.retries + 1):
            if self._closed:
                d.status = "failed"
                return
            started = time.monotonic()
            try:
                r = client.post(d.url, content=d.body, headers=d.headers)
                result: dict[str, Any] = {"status_code": r.status_code}
                ok = 200 <= r.status_code < 300
            except httpx.HTTPError as exc:
                result, ok = {"error": f"{type(exc).__name__}: {exc}"}, False
            result["ms"] = round((time.monotonic() - started) * 1000, 1)
            d.attempts.append(result)
            if ok:
                d.status = "delivered"
                return
            if attempt < self.retries:
                time.sleep(self.backoff * (2**attempt))
        d.status = "failed"

    def records(self) -> list[dict[str, Any]]:
        with self._lock:
            return [d.as_json() for d in self.deliveries]

    def clear(self) -> None:
        with self._lock:
            self.deliveries.clear()

    def reset(self) -> None:
        """Forget receivers (the app's subscriptions too) and deliveries."""
        self.registry.clear()
        with self._lock:
            self.deliveries.clear()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every queued delivery is delivered or failed (for tests)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if all(d.status != "pending" for d in self.deliveries):
                    return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        """Stop the sender thread; pending deliveries are abandoned."""
        self._closed = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=5)
            self._thread = None
