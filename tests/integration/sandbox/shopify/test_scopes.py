"""Access tokens with chosen scopes, answered as Shopify answers a token that lacks one."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from packdesk.sandbox.server import SandboxInfo
from packdesk.sandbox.shopify.access import PACKDESK_SCOPES

from . import operations as ops
from .over_http import control, data, post

FULFILLMENT_ORDER_SCOPES = (
    "read_merchant_managed_fulfillment_orders",
    "write_merchant_managed_fulfillment_orders",
)


def token_with(info: SandboxInfo, *scopes: str) -> str:
    made = control(info, "POST", "tokens", json={"scopes": list(scopes)})
    assert made.status_code == 201, made.text
    return str(made.json()["access_token"])


def a_new_order(info: SandboxInfo) -> dict[str, str]:
    made = control(info, "POST", "orders", json={"location": "CA"}).json()
    return {
        "id": made["admin_graphql_api_id"],
        "fo": made["fulfillment_orders"][0]["admin_graphql_api_id"],
    }


def test_the_default_token_has_every_scope_packdesk_needs(sandbox: SandboxInfo) -> None:
    scopes = data(sandbox, ops.APP_SCOPES)["currentAppInstallation"]["accessScopes"]
    handles = {s["handle"] for s in scopes}
    assert set(PACKDESK_SCOPES) <= handles
    assert set(FULFILLMENT_ORDER_SCOPES) <= handles


def test_a_made_token_lists_its_scopes_with_the_reads_its_writes_imply(
    sandbox: SandboxInfo,
) -> None:
    made = control(sandbox, "POST", "tokens", json={"scopes": ["write_inventory", "read_orders"]})
    assert made.json()["scopes"] == ["read_inventory", "read_orders", "write_inventory"]
    token = made.json()["access_token"]
    scopes = data(sandbox, ops.APP_SCOPES, token=token)["currentAppInstallation"]["accessScopes"]
    assert sorted(s["handle"] for s in scopes) == [
        "read_inventory",
        "read_orders",
        "write_inventory",
    ]
    unknown = control(sandbox, "POST", "tokens", json={"scopes": ["read_everything"]})
    assert unknown.status_code == 400
    assert "read_everything" in unknown.json()["error"]


def test_a_field_outside_the_scopes_is_refused_inside_a_200(sandbox: SandboxInfo) -> None:
    token = token_with(sandbox, "read_products")
    answer = post(sandbox, ops.ORDER_IDS, {"first": 2}, token=token)
    assert answer.status_code == 200
    [error] = answer.json()["errors"]
    assert error["extensions"]["code"] == "ACCESS_DENIED"
    assert error["extensions"]["requiredAccess"] == "`read_orders` access scope."
    assert error["message"].startswith("Access denied for orders field.")
    assert error["path"] == ["orders"]
    assert "cost" in answer.json()["extensions"]
    products = data(sandbox, ops.PRODUCTS, {"first": 2}, token=token)
    assert len(products["products"]["nodes"]) == 2
    adjust = post(
        sandbox,
        ops.INVENTORY_ADJUST,
        {"input": {"reason": "correction", "name": "available", "changes": []}},
        version="2025-10",
        token=token,
    )
    assert adjust.json()["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"
    assert adjust.json()["data"]["inventoryAdjustQuantities"] is None


def test_a_customer_needs_read_customers(sandbox: SandboxInfo) -> None:
    order = a_new_order(sandbox)
    token = token_with(sandbox, "read_orders")
    answer = post(sandbox, ops.CUSTOMER_EMAIL, {"id": order["id"]}, token=token).json()
    assert answer["data"]["order"]["customer"] is None
    assert answer["errors"][0]["extensions"]["requiredAccess"] == "`read_customers` access scope."


def test_fulfillment_orders_are_silently_left_out_without_their_scope(
    sandbox: SandboxInfo,
) -> None:
    order = a_new_order(sandbox)
    token = token_with(sandbox, "read_orders", "read_customers")
    page = post(
        sandbox, ops.ORDER_FULFILLMENT_ORDERS_PAGE, {"id": order["id"], "first": 5}, token=token
    ).json()
    assert "errors" not in page
    assert page["data"]["order"]["fulfillmentOrders"]["nodes"] == []
    one = post(
        sandbox, ops.FULFILLMENT_ORDER_LINES_PAGE, {"id": order["fo"], "first": 5}, token=token
    )
    assert one.json() == {**one.json(), "data": {"fulfillmentOrder": None}}
    assert "errors" not in one.json()
    full = data(sandbox, ops.ORDER_FULFILLMENT_ORDERS_PAGE, {"id": order["id"], "first": 5})
    assert [fo["id"] for fo in full["order"]["fulfillmentOrders"]["nodes"]] == [order["fo"]]
    refused = post(
        sandbox,
        ops.FULFILLMENT_CREATE,
        {"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": order["fo"]}]}},
        token=token,
    ).json()
    assert refused["data"]["fulfillmentCreate"] is None
    assert "write_merchant_managed_fulfillment_orders" in refused["errors"][0]["message"]


def test_without_read_all_orders_only_sixty_days_of_orders_are_listed(
    sandbox: SandboxInfo,
) -> None:
    a_new_order(sandbox)
    now = datetime.fromisoformat(
        httpx.get(f"{sandbox.control_url}/time").json()["now"].replace("Z", "+00:00")
    )
    older = {"first": 250, "query": f"created_at:<'{(now - timedelta(days=61)).isoformat()}'"}
    everything = data(sandbox, ops.ORDER_IDS, older)
    assert everything["orders"]["edges"]  # the demo has orders from 90 days back
    token = token_with(sandbox, "read_orders")
    assert data(sandbox, ops.ORDER_IDS, older, token=token)["orders"]["edges"] == []
    recent = {"first": 5, "query": f"created_at:>'{(now - timedelta(days=30)).isoformat()}'"}
    assert data(sandbox, ops.ORDER_IDS, recent, token=token)["orders"]["edges"]


def test_node_finds_objects_by_id_within_the_scopes(sandbox: SandboxInfo) -> None:
    order = a_new_order(sandbox)
    found = data(sandbox, ops.NODE, {"id": order["id"]})["node"]
    assert found["__typename"] == "Order"
    assert found["id"] == order["id"]
    assert found["name"].startswith("#")
    product = data(sandbox, ops.NODE, {"id": "gid://shopify/Product/8100000001"})["node"]
    assert product == {"id": "gid://shopify/Product/8100000001", "__typename": "Product"}
    assert data(sandbox, ops.NODE, {"id": "gid://shopify/Order/1"})["node"] is None
    token = token_with(sandbox, "read_products")
    denied = post(sandbox, ops.NODE, {"id": order["id"]}, token=token).json()
    assert denied["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"
