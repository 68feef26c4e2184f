"""The webhook receiver: a small Starlette app that Shopify POSTs order and stock webhooks to.

It answers fast and does the work after, and it bounds what it reads before it trusts
anything. For each POST it

1. refuses a declared `Content-Length` over 5 MB (413) and any content type but
   `application/json` (415) before reading a byte of the body, then reads the body in the
   chunks it arrives in and stops at 5 MB (413), so a huge or endless (chunked) request
   costs at most 5 MB of memory; a 413 closes the connection, so the rest is never read;
2. verifies `X-Shopify-Hmac-Sha256` over the raw body (401 when missing or wrong);
3. acknowledges, and drops, a genuine delivery it will never use: one for another shop
   (`X-Shopify-Shop-Domain` is not [shopify].shop) or of a topic it does not handle.
   Shopify retries every answer that is not 2xx (8 times over 4 hours) and may delete a
   subscription that keeps failing, so a 4xx would only bring the same delivery back; the
   answer is 200 with `{"ok": false, "ignored": <why>}`, and the log says why;
4. refuses a delivery that is not shaped like Shopify's (400): no webhook id, a body that
   is not a JSON order (or inventory level, for inventory_levels/update);
5. stores the delivery once per `X-Shopify-Webhook-Id`, which Shopify keeps on its retries
   of a delivery (200 either way: a retry is not an error). Never per
   `X-Shopify-Event-Id`: every topic one merchant action causes shares that id, so
   orders/create and inventory_levels/update of one sale would drop each other;
6. hands a new delivery to `on_delivery` (a queue a worker thread drains: read that one
   order or stock level through GraphQL and store it) and answers 200 at once.

Nothing but a stored delivery writes anything.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from packdesk.adapters.shopify.webhooks import TOPICS, verify
from packdesk.domain.ports import WebhookInbox
from packdesk.domain.shop import STOCK_TOPICS, WebhookDelivery

log = logging.getLogger(__name__)

MAX_BODY = 5 * 1024 * 1024
"""The largest body read; Shopify's order webhooks are far smaller."""


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _refuse(status: int, message: str, *, close: bool = False) -> Response:
    headers = {"Connection": "close"} if close else None
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _ignore(reason: str) -> Response:
    return JSONResponse({"ok": False, "ignored": reason})


def shop_domain(shop: str) -> str:
    """`bright-minds` or `Bright-Minds.myshopify.com` as Shopify writes it in
    `X-Shopify-Shop-Domain`: `bright-minds.myshopify.com`."""
    name = shop.strip().lower().removeprefix("https://").rstrip("/")
    return name if "." in name else f"{name}.myshopify.com"


def _gid(kind: str, number: object) -> str | None:
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        return f"gid://shopify/{kind}/{number}"
    if isinstance(number, str) and number.isdigit():
        return f"gid://shopify/{kind}/{number}"
    return None


def order_gid(payload: object) -> str | None:
    """The order's GID from a REST-shaped order body (`admin_graphql_api_id`, else `id`)."""
    if not isinstance(payload, dict):
        return None
    gid = payload.get("admin_graphql_api_id")
    if isinstance(gid, str) and gid.startswith("gid://shopify/Order/"):
        return gid
    return _gid("Order", payload.get("id"))


def level_gids(payload: object) -> tuple[str, str] | None:
    """(inventory item GID, location GID) from an inventory_levels/update body, which
    carries `inventory_item_id` and `location_id` (and only `available` of the quantities)."""
    if not isinstance(payload, dict):
        return None
    item = _gid("InventoryItem", payload.get("inventory_item_id"))
    location = _gid("Location", payload.get("location_id"))
    return (item, location) if item and location else None


def _resource(topic: str, payload: object) -> tuple[str, str] | None:
    """(resource GID, location GID or "") a delivery of `topic` is about."""
    if topic in STOCK_TOPICS:
        return level_gids(payload)
    gid = order_gid(payload)
    return (gid, "") if gid else None


def check_declared_length(request: Request, limit: int = MAX_BODY) -> Response | None:
    """The refusal of a request whose `Content-Length` is not a number (400) or is over
    `limit` (413), read from the headers alone; None when it may be read."""
    declared = request.headers.get("content-length")
    if declared is None:
        return None
    if not declared.strip().isdigit():
        return _refuse(400, "Content-Length is not a number", close=True)
    if int(declared) > limit:
        return _too_large(limit)
    return None


async def read_bounded(request: Request, limit: int = MAX_BODY) -> bytes:
    """The request body, read in the chunks it arrives in; `_Refused` (413, closing the
    connection) as soon as it grows past `limit`, whatever the headers said."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _Refused(_too_large(limit))
    return bytes(body)


def _too_large(limit: int) -> Response:
    return _refuse(413, f"the body is larger than {limit // (1024 * 1024)} MB", close=True)


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json"


def build_receiver(
    inbox: WebhookInbox,
    secret: str,
    shop: str,
    on_delivery: Callable[[WebhookDelivery], None],
    now: Callable[[], datetime],
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The receiver app for the shop `shop` ([shopify].shop); `on_delivery` must not block
    (put the delivery on a queue). `extra_routes` are served beside the webhooks (the
    unsubscribe links of marketing e-mails)."""
    our_shop = shop_domain(shop)

    async def receive(request: Request) -> Response:
        too_long = check_declared_length(request)
        if too_long is not None:
            return too_long
        if not _is_json(request.headers.get("content-type")):
            return _refuse(415, "only application/json is accepted", close=True)
        try:
            body = await read_bounded(request)
        except _Refused as cut_off:
            return cut_off.response
        except ClientDisconnect:
            return _refuse(400, "the client went away before the body ended", close=True)
        if not verify(body, request.headers.get("x-shopify-hmac-sha256"), secret):
            return _refuse(401, "missing or wrong X-Shopify-Hmac-Sha256")
        shop_header = request.headers.get("x-shopify-shop-domain", "").strip().lower()
        if not shop_header:
            return _refuse(400, "missing X-Shopify-Shop-Domain")
        topic = request.headers.get("x-shopify-topic", "")
        if not topic:
            return _refuse(400, "missing X-Shopify-Topic")
        if shop_header != our_shop:
            log.warning(
                "webhook for shop %s ignored: this station serves %s ([shopify].shop)",
                shop_header,
                our_shop,
            )
            return _ignore(f"this receiver serves {our_shop}, not {shop_header}")
        if topic not in TOPICS:
            log.warning("webhook of topic %r ignored: packdesk does not handle it", topic)
            return _ignore(f"topic {topic!r} is not handled")
        webhook_id = request.headers.get("x-shopify-webhook-id", "").strip()
        if not webhook_id:
            return _refuse(400, "missing X-Shopify-Webhook-Id")
        try:
            text = body.decode("utf-8")
            resource = _resource(topic, json.loads(text))
        except (UnicodeDecodeError, ValueError):
            return _refuse(400, "the body is not JSON")
        if resource is None:
            what = "an inventory level" if topic in STOCK_TOPICS else "an order (no id)"
            return _refuse(400, f"the body is not {what}")
        delivery = WebhookDelivery(
            webhook_id=webhook_id,
            event_id=request.headers.get("x-shopify-event-id", "").strip(),
            topic=topic,
            shop=shop_header,
            resource_id=resource[0],
            location_id=resource[1],
            payload=text,
            received_at=now(),
        )
        new = await run_in_threadpool(inbox.record, delivery)
        if new:
            on_delivery(delivery)
        else:
            log.info("webhook %s (%s) is a retry of one stored", webhook_id, topic)
        return JSONResponse({"ok": True, "duplicate": not new})

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/webhooks", receive, methods=["POST"]),
            Route("/webhooks/shopify", receive, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
            *extra_routes,
        ]
    )
