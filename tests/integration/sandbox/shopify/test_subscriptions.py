"""Webhook subscriptions made through GraphQL drive the deliveries, with Shopify's headers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest

from packdesk.sandbox.server import SandboxInfo

from . import operations as ops
from . import operations_2026 as ops_2026
from .over_http import control, data, post, wait_for
from .receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def subscribe(info: SandboxInfo, topic: str, uri: str, **kw: Any) -> dict[str, Any]:
    answer = data(info, ops.WEBHOOK_SUBSCRIBE, {"topic": topic, "uri": uri}, **kw)
    payload: dict[str, Any] = answer["webhookSubscriptionCreate"]
    return payload


def delivered(info: SandboxInfo, count: int) -> list[dict[str, Any]]:
    """The control API's delivery records, once `count` of them are settled."""

    def settled() -> list[dict[str, Any]] | None:
        records: list[dict[str, Any]] = control(info, "GET", "webhooks").json()
        done = [r for r in records if r["status"] != "pending"]
        return records if len(done) >= count and len(done) == len(records) else None

    found: list[dict[str, Any]] = wait_for(settled)
    return found


def test_subscribe_list_page_and_delete(sandbox: SandboxInfo, receiver: Receiver) -> None:
    made = [
        subscribe(sandbox, topic, receiver.url)
        for topic in ("ORDERS_CREATE", "ORDERS_UPDATED", "INVENTORY_LEVELS_UPDATE")
    ]
    assert all(m["userErrors"] == [] for m in made)
    first = made[0]["webhookSubscription"]
    assert first["topic"] == "ORDERS_CREATE"
    assert first["uri"] == receiver.url
    assert first["format"] == "JSON"
    assert first["apiVersion"]["handle"] == "2026-10"
    again = subscribe(sandbox, "ORDERS_CREATE", receiver.url)
    assert again["webhookSubscription"] is None
    assert again["userErrors"][0]["message"] == "Address for this topic has already been taken"
    page = data(sandbox, ops.WEBHOOK_SUBSCRIPTIONS, {"first": 2})["webhookSubscriptions"]
    assert [n["topic"] for n in page["nodes"]] == ["ORDERS_CREATE", "ORDERS_UPDATED"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = data(
        sandbox, ops.WEBHOOK_SUBSCRIPTIONS, {"first": 2, "after": page["pageInfo"]["endCursor"]}
    )["webhookSubscriptions"]
    assert [n["topic"] for n in rest["nodes"]] == ["INVENTORY_LEVELS_UPDATE"]
    only = data(sandbox, ops.WEBHOOK_SUBSCRIPTIONS, {"first": 5, "topics": ["ORDERS_UPDATED"]})
    assert [n["id"] for n in only["webhookSubscriptions"]["nodes"]] == [
        made[1]["webhookSubscription"]["id"]
    ]
    gone = data(sandbox, ops.WEBHOOK_UNSUBSCRIBE, {"id": first["id"]})["webhookSubscriptionDelete"]
    assert gone == {"deletedWebhookSubscriptionId": first["id"], "userErrors": []}
    twice = data(sandbox, ops.WEBHOOK_UNSUBSCRIBE, {"id": first["id"]})["webhookSubscriptionDelete"]
    assert twice["deletedWebhookSubscriptionId"] is None
    assert twice["userErrors"][0]["field"] == ["id"]
    left = data(sandbox, ops.WEBHOOK_SUBSCRIPTIONS, {"first": 5})["webhookSubscriptions"]["nodes"]
    assert len(left) == 2


def test_a_subscription_refuses_what_shopify_refuses(sandbox: SandboxInfo) -> None:
    blank = subscribe(sandbox, "ORDERS_CREATE", "")
    assert blank["userErrors"][0]["message"] == "Address can't be blank"
    token = control(sandbox, "POST", "tokens", json={"scopes": ["read_products"]}).json()
    denied = subscribe(
        sandbox, "ORDERS_CREATE", "https://example.com/hooks", token=token["access_token"]
    )
    assert denied["userErrors"][0]["field"] == ["topic"]
    assert "`read_orders` access scope" in denied["userErrors"][0]["message"]


def test_subscribed_topics_are_delivered_signed_with_shopifys_headers(
    sandbox: SandboxInfo, receiver: Receiver
) -> None:
    subscribe(sandbox, "ORDERS_CANCELLED", receiver.url, version="2026-07")
    subscribe(sandbox, "ORDERS_UPDATED", receiver.url, version="2026-07")
    made = control(sandbox, "POST", "orders", json={}).json()
    control(sandbox, "POST", f"orders/{made['id']}/cancel", json={}).raise_for_status()
    records = delivered(sandbox, 2)
    assert [r["topic"] for r in records] == ["orders/cancelled", "orders/updated"]
    assert all(r["status"] == "delivered" for r in records)
    headers = [h for h, _ in receiver.posts]
    assert [h["X-Shopify-Topic"] for h in headers] == ["orders/cancelled", "orders/updated"]
    assert len({h["X-Shopify-Webhook-Id"] for h in headers}) == 2
    assert len({h["X-Shopify-Event-Id"] for h in headers}) == 1  # one merchant action
    assert {h["X-Shopify-API-Version"] for h in headers} == {"2026-07"}
    assert {h["X-Shopify-Shop-Domain"] for h in headers} == {sandbox.shop}
    assert all(h["X-Shopify-Triggered-At"] for h in headers)
    for head, body in receiver.posts:
        digest = hmac.new(sandbox.webhook_secret.encode(), body, hashlib.sha256).digest()
        assert head["X-Shopify-Hmac-Sha256"] == base64.b64encode(digest).decode()
        assert json.loads(body)["admin_graphql_api_id"] == made["admin_graphql_api_id"]


def test_a_stock_change_posts_inventory_levels_update_with_available_only(
    sandbox: SandboxInfo, receiver: Receiver
) -> None:
    subscribe(sandbox, "INVENTORY_LEVELS_UPDATE", receiver.url)
    set_by_hand = control(
        sandbox, "POST", "inventory", json={"sku": "BM-NUM-01", "location": "PA", "available": 17}
    )
    assert set_by_hand.json()["available"] == 17
    change = {
        "delta": 3,
        "inventoryItemId": "gid://shopify/InventoryItem/4600000003",
        "locationId": "gid://shopify/Location/72001002",
    }
    adjusted = data(
        sandbox,
        ops_2026.INVENTORY_ADJUST_IDEMPOTENT,
        {"input": {"reason": "received", "name": "available", "changes": [change]}, "key": "lv-1"},
    )
    assert adjusted["inventoryAdjustQuantities"]["userErrors"] == []
    delivered(sandbox, 2)
    bodies = [json.loads(body) for _, body in receiver.posts]
    assert [b["available"] for b in bodies] == [17, 20]
    assert bodies[0] == {
        "inventory_item_id": 4600000003,
        "location_id": 72001002,
        "available": 17,
        "updated_at": bodies[0]["updated_at"],
        "admin_graphql_api_id": "gid://shopify/InventoryLevel/72001002?inventory_item_id=4600000003",
    }
    assert {h["X-Shopify-Topic"] for h, _ in receiver.posts} == {"inventory_levels/update"}
    bad = control(sandbox, "POST", "inventory", json={"sku": "BM-NUM-01"})
    assert bad.status_code == 400


def test_the_control_receivers_still_work_and_are_not_the_apps(
    sandbox: SandboxInfo, receiver: Receiver
) -> None:
    answer = control(sandbox, "POST", "webhooks", json={"url": receiver.url})
    assert answer.status_code == 201
    assert answer.json()["topics"] == ["orders/cancelled", "orders/create", "orders/updated"]
    assert data(sandbox, ops.WEBHOOK_SUBSCRIPTIONS, {"first": 5})["webhookSubscriptions"] == {
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "nodes": [],
    }
    control(sandbox, "POST", "orders", json={}).raise_for_status()
    [record] = delivered(sandbox, 1)
    assert record["topic"] == "orders/create"
    assert receiver.posts[0][0]["X-Shopify-API-Version"] == sandbox.api_version
    assert post(sandbox, ops.SHOP).status_code == 200


def test_one_fulfillment_is_one_event_across_its_topics(
    sandbox: SandboxInfo, receiver: Receiver
) -> None:
    for topic in ("ORDERS_FULFILLED", "ORDERS_UPDATED", "INVENTORY_LEVELS_UPDATE"):
        subscribe(sandbox, topic, receiver.url)
    made = control(
        sandbox, "POST", "orders", json={"items": [{"sku": "BM-ABC-01"}, {"sku": "BM-TAN-01"}]}
    ).json()
    fo = made["fulfillment_orders"][0]["admin_graphql_api_id"]
    done = data(
        sandbox,
        ops.FULFILLMENT_CREATE,
        {"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo}]}},
    )
    assert done["fulfillmentCreate"]["userErrors"] == []
    records = delivered(sandbox, 4)
    assert sorted(r["topic"] for r in records) == [
        "inventory_levels/update",
        "inventory_levels/update",
        "orders/fulfilled",
        "orders/updated",
    ]
    assert len({r["event_id"] for r in records}) == 1
    assert len({r["webhook_id"] for r in records}) == 4
