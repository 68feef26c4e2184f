"""The whole sandbox on one port: Shopify mounted beside Shippo, mail and control."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import httpx
import pytest

from packdesk.sandbox.server import SandboxInfo, SandboxServer

from .shopify import operations as ops
from .shopify import operations_2026 as ops_2026
from .shopify.receiver import Receiver

SHOP_NAME = "{ shop { name } }"


def graphql(info: SandboxInfo, query: str, token: str | None = None) -> httpx.Response:
    return httpx.post(
        info.shopify_url,
        json={"query": query},
        headers={"X-Shopify-Access-Token": token or info.shopify_token},
    )


def test_shopify_graphql_answers_with_the_token(sandbox: SandboxInfo) -> None:
    answer = graphql(sandbox, SHOP_NAME)
    assert answer.status_code == 200
    assert answer.json()["data"]["shop"]["name"]
    assert "cost" in answer.json()["extensions"]
    assert graphql(sandbox, SHOP_NAME, token="wrong").status_code == 401


def test_new_order_webhook_reaches_a_receiver_with_a_valid_hmac(sandbox: SandboxInfo) -> None:
    receiver = Receiver()
    control = f"{sandbox.control_url}/shopify"
    try:
        httpx.post(
            f"{control}/webhooks", json={"url": receiver.url, "topics": ["orders/create"]}
        ).raise_for_status()
        httpx.post(f"{control}/orders", json={}).raise_for_status()
        deadline = time.monotonic() + 10
        records: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            records = httpx.get(f"{control}/webhooks").json()
            if records and records[0]["status"] != "pending":
                break
            time.sleep(0.05)
        assert [r["topic"] for r in records] == ["orders/create"]
        assert records[0]["status"] == "delivered"
        headers, body = receiver.posts[0]
        expected = base64.b64encode(
            hmac.new(sandbox.webhook_secret.encode(), body, hashlib.sha256).digest()
        ).decode()
        assert headers["X-Shopify-Hmac-Sha256"] == expected
    finally:
        receiver.close()


def test_shopify_faults_come_from_the_same_board(sandbox: SandboxInfo) -> None:
    httpx.put(
        f"{sandbox.control_url}/faults", json={"shopify": {"error_rate": 1}}
    ).raise_for_status()
    failed = graphql(sandbox, SHOP_NAME)
    assert failed.status_code == 503
    assert "sandbox fault" in failed.json()["errors"]
    httpx.put(
        f"{sandbox.control_url}/faults", json={"shopify": {"error_rate": 0, "drop_rate": 1}}
    ).raise_for_status()
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        graphql(sandbox, SHOP_NAME)


def test_reset_restores_the_shopify_bucket(
    sandbox_server: SandboxServer, sandbox: SandboxInfo
) -> None:
    throttle = f"{sandbox.control_url}/shopify/throttle"
    httpx.put(
        throttle, json={"bucket_size": 50, "restore_rate": 1, "enabled": True}
    ).raise_for_status()
    assert httpx.get(throttle).json()["maximumAvailable"] == 50
    sandbox_server.reset()
    assert httpx.get(throttle).json()["maximumAvailable"] == 2000


def test_commit_then_drop_applies_a_shopify_mutation_and_loses_the_answer(
    sandbox: SandboxInfo,
) -> None:
    location = httpx.get(f"{sandbox.control_url}/shopify/demo").json()["locations"]["CA"]

    def call(query: str, variables: dict[str, Any]) -> Any:
        answer = httpx.post(
            sandbox.shopify_url,
            json={"query": query, "variables": variables},
            headers={"X-Shopify-Access-Token": sandbox.shopify_token},
        )
        answer.raise_for_status()
        return answer.json()["data"]

    def available() -> tuple[str, int]:
        items = call(ops.INVENTORY_ITEMS, {"first": 1, "location": location})
        node = items["inventoryItems"]["nodes"][0]
        quantities = {q["name"]: q["quantity"] for q in node["inventoryLevel"]["quantities"]}
        return node["id"], quantities["available"]

    item, before = available()
    httpx.put(
        f"{sandbox.control_url}/faults", json={"shopify": {"commit_then_drop_rate": 1}}
    ).raise_for_status()
    change = {"delta": -1, "inventoryItemId": item, "locationId": location}
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        call(
            ops_2026.INVENTORY_ADJUST_IDEMPOTENT,
            {
                "input": {"reason": "correction", "name": "available", "changes": [change]},
                "key": "commit-then-drop-1",
            },
        )
    httpx.delete(f"{sandbox.control_url}/faults").raise_for_status()
    assert available() == (item, before - 1)
