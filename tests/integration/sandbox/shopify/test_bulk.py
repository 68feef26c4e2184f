"""Bulk query operations over real HTTP: the run, its JSONL file, the one-at-a-time rule, the
query checks, failures, cancels, expiry and the bulk_operations/finish webhook."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from packdesk.sandbox.server import SandboxInfo, SandboxServer

from . import operations as ops
from .over_http import control, data, post, wait_for
from .receiver import Receiver

ORDERS_WITH_LINES = """
{
  orders(query: "status:any") {
    edges { node { id name lineItems { edges { node { id sku quantity } } } } }
  }
}
"""
FINAL = ("COMPLETED", "FAILED", "CANCELED", "EXPIRED")


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=7, orders=30) as running:
        yield running


@pytest.fixture
def shop(server: SandboxServer) -> Iterator[SandboxInfo]:
    server.reset()
    assert server.info is not None
    yield server.info
    server.reset()
    assert server.shopify.bulk.wait_idle()


def run(info: SandboxInfo, query: str, token: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = data(info, ops.BULK_RUN, {"query": query}, token=token)[
        "bulkOperationRunQuery"
    ]
    return payload


def finished(info: SandboxInfo) -> dict[str, Any]:
    def current() -> dict[str, Any] | None:
        op: dict[str, Any] = data(info, ops.BULK_CURRENT)["currentBulkOperation"]
        return op if op["status"] in FINAL else None

    found: dict[str, Any] = wait_for(current)
    return found


def lines(url: str) -> list[dict[str, Any]]:
    answer = httpx.get(url, timeout=30)
    assert answer.status_code == 200, answer.text
    return [json.loads(line) for line in answer.text.splitlines()]


def test_a_bulk_query_writes_every_order_and_every_line_as_jsonl(
    server: SandboxServer, shop: SandboxInfo
) -> None:
    receiver = Receiver()
    try:
        hook = data(
            shop, ops.WEBHOOK_SUBSCRIBE, {"topic": "BULK_OPERATIONS_FINISH", "uri": receiver.url}
        )
        assert hook["webhookSubscriptionCreate"]["userErrors"] == []
        started = run(shop, ORDERS_WITH_LINES)
        assert started["userErrors"] == []
        assert started["bulkOperation"]["status"] in ("CREATED", "RUNNING")
        done = finished(shop)
        assert done["id"] == started["bulkOperation"]["id"]
        assert done["status"] == "COMPLETED"
        assert done["type"] == "QUERY"
        assert done["query"] == ORDERS_WITH_LINES
        assert done["completedAt"] >= done["createdAt"]
        got = lines(done["url"])
        state = server.shopify.state
        orders = [state.order(h) for h in state.heads]
        roots = [line for line in got if "__parentId" not in line]
        assert [r["id"] for r in roots] == [o["id"] for o in orders]
        assert {r["name"] for r in roots} == {o["name"] for o in orders}
        children = [line for line in got if "__parentId" in line]
        assert len(children) == sum(len(o["lineItems"]) for o in orders)
        by_parent: dict[str, list[str]] = {}
        position = {line["id"]: i for i, line in enumerate(got)}
        for child in children:
            assert position[child["__parentId"]] < position[child["id"]]  # after its parent
            by_parent.setdefault(child["__parentId"], []).append(child["id"])
        for order in orders:
            assert by_parent.get(order["id"], []) == [li["id"] for li in order["lineItems"]]
        assert max(len(v) for v in by_parent.values()) == 250  # the long order, whole
        assert done["objectCount"] == str(len(got))
        assert done["rootObjectCount"] == str(len(roots))
        assert done["fileSize"] == str(len(httpx.get(done["url"]).content))
        node = data(shop, ops.BULK_NODE, {"id": done["id"]})["node"]
        assert node["status"] == "COMPLETED"
        assert node["url"] == done["url"]
        [(headers, body)] = wait_for(lambda: receiver.posts)
        assert headers["X-Shopify-Topic"] == "bulk_operations/finish"
        assert json.loads(body) == {
            "admin_graphql_api_id": done["id"],
            "completed_at": done["completedAt"].replace("Z", "+00:00"),
            "created_at": done["createdAt"].replace("Z", "+00:00"),
            "error_code": None,
            "status": "completed",
            "type": "query",
        }
    finally:
        receiver.close()


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("{ shop { name } }", "at least one connection"),
        ("{ orders { edges { node { id } } } shop { name } }", "exactly one top-level field"),
        ('{ node(id: "gid://shopify/Order/1") { id } }', "`node` and `nodes`"),
        (
            "{ orders { nodes { id fulfillmentOrders { nodes { id"
            " lineItems { nodes { id } } } } } } }",
            "nested more than 2 levels",
        ),
        (
            "{ products { nodes { id variants { nodes { id } } a: variants { nodes { id } }"
            " b: variants { nodes { id } } c: variants { nodes { id } }"
            " d: variants { nodes { id } } } } }",
            "more than 5 connections",
        ),
        ("{ orders { nodes { weight } } }", "Invalid bulk query"),
        ("{ orders {", "Invalid bulk query"),
    ],
)
def test_queries_shopify_refuses_are_refused(shop: SandboxInfo, query: str, says: str) -> None:
    refused = run(shop, query)
    assert refused["bulkOperation"] is None
    [error] = refused["userErrors"]
    assert error["code"] == "INVALID"
    assert error["field"] == ["query"]
    assert says in error["message"]


def test_one_bulk_query_at_a_time_and_cancel(shop: SandboxInfo) -> None:
    control(shop, "PUT", "bulk/faults", json={"object_delay_ms": 20}).raise_for_status()
    first = run(shop, ORDERS_WITH_LINES)["bulkOperation"]
    second = run(shop, ORDERS_WITH_LINES)
    assert second["bulkOperation"] is None
    [error] = second["userErrors"]
    assert error["code"] == "OPERATION_IN_PROGRESS"
    assert first["id"] in error["message"]
    canceled = data(shop, ops.BULK_CANCEL, {"id": first["id"]})["bulkOperationCancel"]
    assert canceled["userErrors"] == []
    assert canceled["bulkOperation"]["status"] in ("CANCELING", "CANCELED")
    assert finished(shop)["status"] == "CANCELED"
    again = data(shop, ops.BULK_CANCEL, {"id": first["id"]})["bulkOperationCancel"]
    assert "cannot be canceled" in again["userErrors"][0]["message"]
    control(shop, "DELETE", "bulk/faults").raise_for_status()
    assert run(shop, ORDERS_WITH_LINES)["userErrors"] == []
    assert finished(shop)["status"] == "COMPLETED"


def test_a_run_that_fails_offers_its_partial_data(shop: SandboxInfo) -> None:
    faults = {"error_code": "TIMEOUT", "after_objects": 12}
    assert control(shop, "PUT", "bulk/faults", json=faults).json()["error_code"] == "TIMEOUT"
    run(shop, ORDERS_WITH_LINES)
    failed = finished(shop)
    assert failed["status"] == "FAILED"
    assert failed["errorCode"] == "TIMEOUT"
    assert failed["url"] is None
    partial = lines(failed["partialDataUrl"])
    assert 12 <= len(partial) == int(failed["objectCount"])
    refused = control(shop, "PUT", "bulk/faults", json={"error_code": "OOPS"})
    assert refused.status_code == 400


def test_a_token_without_the_scope_fails_with_access_denied(shop: SandboxInfo) -> None:
    token = control(shop, "POST", "tokens", json={"scopes": ["read_products"]}).json()
    run(shop, ORDERS_WITH_LINES, token=token["access_token"])
    failed = finished(shop)
    assert failed["status"] == "FAILED"
    assert failed["errorCode"] == "ACCESS_DENIED"
    assert failed["partialDataUrl"] is None


def test_results_expire_after_seven_days_or_at_once_when_told(shop: SandboxInfo) -> None:
    run(shop, ORDERS_WITH_LINES)
    done = finished(shop)
    assert httpx.get(done["url"]).status_code == 200
    expired = control(shop, "POST", f"bulk/{done['id'].rsplit('/', 1)[1]}/expire")
    assert expired.json()["status"] == "EXPIRED"
    assert data(shop, ops.BULK_CURRENT)["currentBulkOperation"]["status"] == "EXPIRED"
    gone = httpx.get(done["url"])
    assert gone.status_code == 400
    assert "<Code>ExpiredToken</Code>" in gone.text
    run(shop, ORDERS_WITH_LINES)
    later = finished(shop)
    assert later["status"] == "COMPLETED"
    httpx.post(f"{shop.control_url}/time/advance", json={"days": 7, "seconds": 1})
    assert data(shop, ops.BULK_CURRENT)["currentBulkOperation"]["status"] == "EXPIRED"
    assert httpx.get(later["url"]).status_code == 400
    assert post(shop, ops.SHOP).status_code == 200
