"""The Shopify sandbox inside the whole sandbox server, over real HTTP on loopback.

Uses the session's shared server (tests/conftest.py), so it only changes orders it creates
itself: other tests rely on the demo's named orders staying in the queue.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from packdesk.sandbox.server import SandboxInfo, SandboxServer

from . import operations as ops
from .receiver import Receiver


@pytest.fixture
def shopify(sandbox: SandboxInfo, sandbox_server: SandboxServer) -> Iterator[SandboxInfo]:
    sandbox_server.shopify.reset()
    yield sandbox
    sandbox_server.shopify.reset()


def _gql(info: SandboxInfo, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    r = httpx.post(
        info.shopify_url,
        json={"query": query, "variables": variables or {}},
        headers={"X-Shopify-Access-Token": info.shopify_token},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer


def test_token_and_shop(shopify: SandboxInfo) -> None:
    answer = _gql(shopify, ops.SHOP)
    assert answer["data"]["shop"]["myshopifyDomain"] == shopify.shop
    assert answer["extensions"]["cost"]["throttleStatus"]["maximumAvailable"] == 2000.0
    bad = httpx.post(
        shopify.shopify_url, json={"query": ops.SHOP}, headers={"X-Shopify-Access-Token": "nope"}
    )
    assert bad.status_code == 401


def test_queue_page_and_named_orders(shopify: SandboxInfo) -> None:
    demo = httpx.get(f"{shopify.control_url}/shopify/demo").json()
    page = _gql(
        shopify, ops.ORDER_IDS, {"first": 250, "query": "status:open fulfillment_status:unshipped"}
    )
    names = {e["node"]["name"] for e in page["data"]["orders"]["edges"]}
    assert demo["simple"] in names
    assert demo["bad_address"] in names


def test_new_order_webhook_then_fulfil_over_http(shopify: SandboxInfo) -> None:
    receiver = Receiver()
    try:
        control = f"{shopify.control_url}/shopify"
        assert httpx.post(f"{control}/webhooks", json={"url": receiver.url}).status_code == 201
        made = httpx.post(
            f"{control}/orders", json={"items": [{"sku": "BM-NUM-01", "quantity": 1}]}
        ).json()
        order = _gql(shopify, ops.ORDER, {"id": made["admin_graphql_api_id"]})["data"]["order"]
        fo = order["fulfillmentOrders"]["nodes"][0]["id"]
        done = _gql(
            shopify,
            ops.FULFILLMENT_CREATE,
            {
                "fulfillment": {
                    "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo}],
                    "trackingInfo": {"company": "USPS", "number": "9400100000000000000042"},
                }
            },
        )
        assert done["data"]["fulfillmentCreate"]["userErrors"] == []
        after = httpx.get(f"{control}/orders/{made['id']}").json()
        assert after["fulfillment_status"] == "fulfilled"
        assert after["fulfillments"][0]["tracking_number"] == "9400100000000000000042"
        deadline = datetime.now().timestamp() + 10
        while len(receiver.posts) < 2 and datetime.now().timestamp() < deadline:
            httpx.get(f"{control}/stats")
        topics = [h["X-Shopify-Topic"] for h, _ in receiver.posts]
        assert topics == ["orders/create", "orders/updated"]
        headers, body = receiver.posts[0]
        digest = hmac.new(shopify.webhook_secret.encode(), body, hashlib.sha256).digest()
        assert headers["X-Shopify-Hmac-Sha256"] == base64.b64encode(digest).decode()
        assert json.loads(body)["id"] == made["id"]
    finally:
        receiver.close()


def test_shopify_faults_reach_the_graphql_endpoint(shopify: SandboxInfo) -> None:
    r = httpx.put(f"{shopify.control_url}/faults", json={"shopify": {"burst_429": 1}})
    assert r.status_code in (200, 204)
    first = httpx.post(
        shopify.shopify_url,
        json={"query": ops.SHOP},
        headers={"X-Shopify-Access-Token": shopify.shopify_token},
    )
    second = httpx.post(
        shopify.shopify_url,
        json={"query": ops.SHOP},
        headers={"X-Shopify-Access-Token": shopify.shopify_token},
    )
    assert (first.status_code, second.status_code) == (429, 200)
