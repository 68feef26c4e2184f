"""Webhooks out: REST-shaped bodies, Shopify's headers, HMAC checked independently, retries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest

from .conftest import SECRET, Shop
from .receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def _subscribe(shop: Shop, url: str, topics: list[str] | None = None) -> None:
    body = {"url": url} if topics is None else {"url": url, "topics": topics}
    r = shop.http.post("/control/shopify/webhooks", json=body)
    assert r.status_code == 201, r.text


def _hmac_ok(headers: dict[str, str], body: bytes) -> bool:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), headers["X-Shopify-Hmac-Sha256"])


def test_new_order_posts_orders_create_signed(shop: Shop, receiver: Receiver) -> None:
    _subscribe(shop, receiver.url)
    made = shop.http.post(
        "/control/shopify/orders",
        json={"items": [{"sku": "BM-ABC-01", "quantity": 2}], "note": "Gift: for Sam"},
    ).json()
    assert shop.sandbox.webhooks.wait_idle()
    assert len(receiver.posts) == 1
    headers, body = receiver.posts[0]
    assert _hmac_ok(headers, body)
    assert headers["X-Shopify-Topic"] == "orders/create"
    assert headers["X-Shopify-Shop-Domain"] == "brightminds-sandbox.myshopify.com"
    assert headers["X-Shopify-API-Version"]
    assert headers["X-Shopify-Webhook-Id"]
    assert headers["X-Shopify-Event-Id"]
    assert headers["X-Shopify-Triggered-At"].startswith("2026-11-24T15:00")
    order = json.loads(body)
    assert order["id"] == made["id"]
    assert order["admin_graphql_api_id"] == f"gid://shopify/Order/{made['id']}"
    assert order["name"] == made["name"]
    assert order["note"] == "Gift: for Sam"
    assert order["line_items"][0]["sku"] == "BM-ABC-01"
    assert order["line_items"][0]["quantity"] == 2
    assert order["financial_status"] == "paid"
    assert order["fulfillment_status"] is None
    assert order["shipping_address"]["zip"]
    assert order["customer"]["email"]
    assert order["created_at"].endswith("+00:00")
    tampered = body.replace(made["name"].encode(), b"#1302")
    assert not _hmac_ok(headers, tampered)


def test_cancel_posts_cancelled_and_updated(shop: Shop, receiver: Receiver) -> None:
    _subscribe(shop, receiver.url, ["orders/cancelled", "orders/updated"])
    name = str(shop.sandbox.demo()["gift"])
    r = shop.http.post(
        f"/control/shopify/orders/{name.lstrip('#')}/cancel", json={"reason": "customer"}
    )
    assert r.status_code == 200
    assert r.json()["cancel_reason"] == "customer"
    assert shop.sandbox.webhooks.wait_idle()
    topics = [h["X-Shopify-Topic"] for h, _ in receiver.posts]
    assert topics == ["orders/cancelled", "orders/updated"]
    # one merchant action: the topics share its event id, each delivery has its own id
    assert len({h["X-Shopify-Event-Id"] for h, _ in receiver.posts}) == 1
    assert len({h["X-Shopify-Webhook-Id"] for h, _ in receiver.posts}) == 2
    assert json.loads(receiver.posts[0][1])["cancelled_at"]


def test_fulfilment_by_mutation_posts_orders_updated(shop: Shop, receiver: Receiver) -> None:
    from . import operations as ops

    _subscribe(shop, receiver.url, ["orders/updated"])
    name = str(shop.sandbox.demo()["simple"])
    number = int(name.lstrip("#")) - 1001 + 5_800_000_000
    order = shop.data(ops.ORDER, {"id": f"gid://shopify/Order/{number}"})["order"]
    fo = order["fulfillmentOrders"]["nodes"][0]["id"]
    shop.data(
        ops.FULFILLMENT_CREATE,
        {
            "fulfillment": {
                "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo}],
                "trackingInfo": {"company": "UPS", "number": "1Z999AA10123456784"},
            }
        },
    )
    assert shop.sandbox.webhooks.wait_idle()
    ((_headers, body),) = receiver.posts
    order_json = json.loads(body)
    assert order_json["fulfillment_status"] == "fulfilled"
    assert order_json["fulfillments"][0]["tracking_number"] == "1Z999AA10123456784"
    assert order_json["fulfillments"][0]["tracking_company"] == "UPS"


def test_failed_delivery_is_retried_under_the_same_webhook_id(shop: Shop) -> None:
    receiver = Receiver(fail_first=2)
    try:
        shop.sandbox.webhooks.backoff = 0.01
        _subscribe(shop, receiver.url)
        shop.http.post("/control/shopify/orders", json={})
        assert shop.sandbox.webhooks.wait_idle()
        assert len(receiver.posts) == 3
        assert len({h["X-Shopify-Webhook-Id"] for h, _ in receiver.posts}) == 1
        (record,) = shop.http.get("/control/shopify/webhooks").json()
        assert record["status"] == "delivered"
        assert [a.get("status_code") for a in record["attempts"]] == [500, 500, 200]
        assert record["topic"] == "orders/create"
        assert record["url"] == receiver.url
    finally:
        receiver.close()


def test_unreachable_receiver_ends_failed(shop: Shop) -> None:
    shop.sandbox.webhooks.backoff = 0.01
    shop.sandbox.webhooks.retries = 1
    _subscribe(shop, "http://127.0.0.1:9/nobody")
    shop.http.post("/control/shopify/orders", json={})
    assert shop.sandbox.webhooks.wait_idle()
    (record,) = shop.http.get("/control/shopify/webhooks").json()
    assert record["status"] == "failed"
    assert len(record["attempts"]) == 2
    assert "error" in record["attempts"][0]


def test_bad_subscription_is_400(shop: Shop) -> None:
    r = shop.http.post("/control/shopify/webhooks", json={"url": "ftp://x"})
    assert r.status_code == 400
    assert "url" in r.json()["error"]
    r = shop.http.post(
        "/control/shopify/webhooks", json={"url": "http://127.0.0.1:1/", "topics": ["orders/paid"]}
    )
    assert r.status_code == 400
    assert "orders/paid" in r.json()["error"]


def test_reset_forgets_receivers_and_refills_the_bucket(shop: Shop, receiver: Receiver) -> None:
    _subscribe(shop, receiver.url)
    shop.http.put("/control/shopify/throttle", json={"enabled": True, "bucket_size": 10})
    shop.sandbox.reset()
    shop.http.post("/control/shopify/orders", json={})
    assert shop.sandbox.webhooks.wait_idle()
    assert receiver.posts == []
    assert shop.http.get("/control/shopify/webhooks").json() == []
    status = shop.http.get("/control/shopify/throttle").json()
    assert status["maximumAvailable"] == 2000.0
    assert status["enabled"] is True
