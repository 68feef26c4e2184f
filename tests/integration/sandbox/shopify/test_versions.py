"""API versions as Shopify answers them, and what changes with the version answering:
`@idempotent` on inventory adjustments, `changeFromQuantity` on inventory sets, the
customer's default e-mail address beside the deprecated fields."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest

from packdesk.sandbox.server import SandboxInfo
from packdesk.sandbox.shopify import versions

from . import operations as ops
from . import operations_2026 as ops_2026
from .over_http import control, data, post

ITEM = "gid://shopify/InventoryItem/4600000002"  # BM-ABC-01
CA = "gid://shopify/Location/72001001"
OLD = "2025-10"  # packdesk's version today: retired on 2026-10-01, answered as 2026-01


def test_versions_on_the_first_of_december_2026() -> None:
    day = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert [v.handle for v in versions.supported(day)] == [
        "2026-01",
        "2026-04",
        "2026-07",
        "2026-10",
    ]
    asked = ["2025-10", "2024-12", "2026-01", "2026-10", "2027-01", "2027-04", "unstable", "x"]
    answered = [versions.resolve(v, day) for v in asked]
    assert answered == [
        "2026-01",
        "2026-01",
        "2026-01",
        "2026-10",
        "2027-01",  # the release candidate
        "2026-01",
        "unstable",
        "2026-01",
    ]
    just_after = datetime(2027, 1, 1, 17, tzinfo=UTC)
    assert versions.resolve("2026-01", just_after) == "2026-04"
    assert versions.newest_stable(just_after) == "2027-01"


def test_every_answer_names_the_version_it_was_answered_with(sandbox: SandboxInfo) -> None:
    assert sandbox.api_version == "2026-10"
    for asked, answered in [
        (OLD, "2026-01"),
        ("2026-07", "2026-07"),
        ("2026-10", "2026-10"),
        ("unstable", "unstable"),
        ("2027-01", "2027-01"),
    ]:
        answer = post(sandbox, ops.SHOP, version=asked)
        assert answer.status_code == 200
        assert answer.headers["X-Shopify-API-Version"] == answered
    refused = post(sandbox, ops.SHOP, version=OLD, token="nope")
    assert refused.status_code == 401
    assert refused.headers["X-Shopify-API-Version"] == "2026-01"


def test_the_calendar_moves_through_the_control_api(sandbox: SandboxInfo) -> None:
    moved = control(sandbox, "PUT", "api_versions", json={"date": "2027-01-15T00:00:00Z"})
    assert moved.json()["oldest_supported"] == "2026-04"
    assert moved.json()["newest_stable"] == "2027-01"
    answer = post(sandbox, ops.SHOP, version="2026-01")
    assert answer.headers["X-Shopify-API-Version"] == "2026-04"
    bad = control(sandbox, "PUT", "api_versions", json={})
    assert bad.status_code == 400
    assert "date" in bad.json()["error"]


def _adjust(delta: int) -> dict[str, Any]:
    change = {"delta": delta, "inventoryItemId": ITEM, "locationId": CA}
    return {"input": {"reason": "correction", "name": "available", "changes": [change]}}


def _available(info: SandboxInfo) -> int:
    found = data(info, ops.INVENTORY_ITEMS, {"first": 1, "location": CA})
    node = found["inventoryItems"]["nodes"][0]
    assert node["id"] == ITEM
    return int(
        next(
            q["quantity"] for q in node["inventoryLevel"]["quantities"] if q["name"] == "available"
        )
    )


def test_adjustments_need_an_idempotency_key_from_2026_04(sandbox: SandboxInfo) -> None:
    before = _available(sandbox)
    refused = post(sandbox, ops.INVENTORY_ADJUST, _adjust(-1), version="2026-04").json()
    assert refused["data"]["inventoryAdjustQuantities"] is None
    [error] = refused["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "@idempotent directive is required" in error["message"]
    assert _available(sandbox) == before
    # packdesk's retired version is answered as 2026-01, where the key is optional
    answer = data(sandbox, ops.INVENTORY_ADJUST, _adjust(-1), version=OLD)
    assert answer["inventoryAdjustQuantities"]["userErrors"] == []
    assert _available(sandbox) == before - 1


def test_a_repeated_key_answers_the_first_result_and_changes_stock_once(
    sandbox: SandboxInfo,
) -> None:
    before = _available(sandbox)
    first = data(sandbox, ops_2026.INVENTORY_ADJUST_IDEMPOTENT, {**_adjust(-2), "key": "k-repeat"})
    again = data(sandbox, ops_2026.INVENTORY_ADJUST_IDEMPOTENT, {**_adjust(-2), "key": "k-repeat"})
    assert again == first
    assert _available(sandbox) == before - 2
    other = data(sandbox, ops_2026.INVENTORY_ADJUST_IDEMPOTENT, {**_adjust(-3), "key": "k-repeat"})
    payload = other["inventoryAdjustQuantities"]
    assert payload["inventoryAdjustmentGroup"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["IDEMPOTENCY_KEY_PARAMETER_MISMATCH"]
    assert _available(sandbox) == before - 2
    blank = post(sandbox, ops_2026.INVENTORY_ADJUST_IDEMPOTENT, {**_adjust(-1), "key": " "})
    assert "cannot be an empty string" in blank.json()["errors"][0]["message"]


def test_a_key_still_being_processed_is_refused_as_concurrent(sandbox: SandboxInfo) -> None:
    # Mutations now take 1.5 s after they are accepted, holding their key meanwhile: of two
    # requests sent together with one key, one is processed and the other is refused.
    control(sandbox, "PUT", "processing", json={"mutation_ms": 1500}).raise_for_status()
    before = _available(sandbox)
    variables = {**_adjust(-1), "key": "k-slow"}
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(
                lambda _: post(sandbox, ops_2026.INVENTORY_ADJUST_IDEMPOTENT, variables), range(2)
            )
        )
    payloads = [a.json()["data"]["inventoryAdjustQuantities"] for a in answers]
    codes = sorted(e["code"] for p in payloads for e in p["userErrors"])
    assert codes == ["IDEMPOTENCY_CONCURRENT_REQUEST"]
    assert _available(sandbox) == before - 1
    assert control(sandbox, "GET", "processing").json() == {"mutation_ms": 1500}


def _set(quantity: dict[str, Any]) -> dict[str, Any]:
    return {
        "input": {
            "reason": "correction",
            "name": "available",
            "quantities": [{"inventoryItemId": ITEM, "locationId": CA, **quantity}],
        },
        "key": f"set-{quantity}",
    }


def test_sets_need_change_from_quantity_from_2026_04(sandbox: SandboxInfo) -> None:
    current = _available(sandbox)
    missing = post(sandbox, ops_2026.INVENTORY_SET_IDEMPOTENT, _set({"quantity": 50})).json()
    assert missing["errors"][0]["extensions"]["code"] == "INVALID_FIELD_ARGUMENTS"
    assert "changeFromQuantity" in missing["errors"][0]["message"]
    stale = data(
        sandbox,
        ops_2026.INVENTORY_SET_IDEMPOTENT,
        _set({"quantity": 50, "changeFromQuantity": current + 7}),
    )["inventorySetQuantities"]
    assert [e["code"] for e in stale["userErrors"]] == ["CHANGE_FROM_QUANTITY_STALE"]
    assert _available(sandbox) == current
    swapped = data(
        sandbox,
        ops_2026.INVENTORY_SET_IDEMPOTENT,
        _set({"quantity": current + 5, "changeFromQuantity": current}),
    )["inventorySetQuantities"]
    assert swapped["userErrors"] == []
    assert _available(sandbox) == current + 5
    unchecked = data(
        sandbox,
        ops_2026.INVENTORY_SET_IDEMPOTENT,
        _set({"quantity": current, "changeFromQuantity": None}),
    )["inventorySetQuantities"]
    assert unchecked["userErrors"] == []
    assert _available(sandbox) == current
    # 2026-01 (what a retired version gets) still reads compareQuantity
    old = data(
        sandbox,
        ops.INVENTORY_SET,
        {"input": {**_set({"quantity": 1, "compareQuantity": current + 1})["input"]}},
        version=OLD,
    )["inventorySetQuantities"]
    assert [e["code"] for e in old["userErrors"]] == ["COMPARE_QUANTITY_STALE"]


@pytest.fixture
def an_order(sandbox: SandboxInfo) -> str:
    made = control(sandbox, "POST", "orders", json={"email": "ana@example.com"}).json()
    return str(made["admin_graphql_api_id"])


def test_the_customer_has_a_default_email_address_and_the_old_fields_are_deprecated(
    sandbox: SandboxInfo, an_order: str
) -> None:
    answer = post(sandbox, ops.CUSTOMER_EMAIL, {"id": an_order})
    customer = answer.json()["data"]["order"]["customer"]
    assert customer["defaultEmailAddress"]["emailAddress"] == customer["email"]
    assert (
        customer["defaultEmailAddress"]["marketingState"]
        == customer["emailMarketingConsent"]["marketingState"]
    )
    assert answer.headers["X-Shopify-API-Deprecated-Reason"].startswith("https://shopify.dev/")
    current = post(sandbox, ops.ORDER_LINES_PAGE, {"id": an_order, "first": 1})
    assert "X-Shopify-API-Deprecated-Reason" not in current.headers
