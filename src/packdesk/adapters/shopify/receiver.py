"""The webhook receiver: a small Starlette app that Shopify POSTs order webhooks to.

It answers fast and does the work after. For each POST it

1. verifies `X-Shopify-Hmac-Sha256` over the raw body (401 when missing or wrong);
2. checks the topic is one it handles and the body is a JSON order (400 otherwise);
3. stores the delivery once per `X-Shopify-Event-Id` (else `X-Shopify-Webhook-Id`), so that
   Shopify's retries are recognised (200 either way: a duplicate is not an error);
4. hands a new delivery to `on_delivery` (a queue a worker thread drains: fetch that one
   order through GraphQL and upsert it) and answers 200 at once.

A rejected request writes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from packdesk.adapters.shopify.webhooks import TOPICS, verify
from packdesk.domain.ports import WebhookInbox
from packdesk.domain.shop import WebhookDelivery

log = logging.getLogger(__name__)

MAX_BODY = 5 * 1024 * 1024


def _refuse(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


def order_gid(payload: object) -> str | None:
    """The order's GID from a REST-shaped order body (`admin_graphql_api_id`, else `id`)."""
    if not isinstance(payload, dict):
        return None
    gid = payload.get("admin_graphql_api_id")
    if isinstance(gid, str) and gid.startswith("gid://shopify/Order/"):
        return gid
    number = payload.get("id")
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        return f"gid://shopify/Order/{number}"
    if isinstance(number, str) and number.isdigit():
        return f"gid://shopify/Order/{number}"
    return None


def build_receiver(
    inbox: WebhookInbox,
    secret: str,
    on_delivery: Callable[[WebhookDelivery], None],
    now: Callable[[], datetime],
) -> Starlette:
    """The receiver app; `on_delivery` must not block (put the delivery on a queue)."""

    async def receive(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY:
            return _refuse(413, "body too large")
        if not verify(body, request.headers.get("x-shopify-hmac-sha256"), secret):
            return _refuse(401, "missing or wrong X-Shopify-Hmac-Sha256")
        topic = request.headers.get("x-shopify-topic", "")
        if topic not in TOPICS:
            return _refuse(400, f"topic {topic!r} is not handled")
        event_id = request.headers.get("x-shopify-event-id") or request.headers.get(
            "x-shopify-webhook-id"
        )
        if not event_id:
            return _refuse(400, "missing X-Shopify-Event-Id and X-Shopify-Webhook-Id")
        shop = request.headers.get("x-shopify-shop-domain", "")
        if not shop:
            return _refuse(400, "missing X-Shopify-Shop-Domain")
        try:
            text = body.decode("utf-8")
            gid = order_gid(json.loads(text))
        except (UnicodeDecodeError, ValueError):
            return _refuse(400, "the body is not JSON")
        if gid is None:
            return _refuse(400, "the body is not an order (no id)")
        delivery = WebhookDelivery(
            event_id=event_id,
            topic=topic,
            shop=shop,
            resource_id=gid,
            payload=text,
            received_at=now(),
        )
        new = await run_in_threadpool(inbox.record, delivery)
        if new:
            on_delivery(delivery)
        else:
            log.info("webhook %s (%s) is a duplicate", event_id, topic)
        return JSONResponse({"ok": True, "duplicate": not new})

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/webhooks", receive, methods=["POST"]),
            Route("/webhooks/shopify", receive, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ]
    )
