"""Calculated query cost, the leaky bucket, THROTTLED and MAX_COST_EXCEEDED."""

from __future__ import annotations

import time

from . import operations as ops
from .conftest import make_shop

SMALL = ops.COST_SMALL  # 2 + 10 × 1 = 12
NESTED = ops.COST_NESTED
# per order: 1 + customer 1 + lineItems (2 + 3 × (1 + 1)) = 10 → 2 + 5 × 10 = 52


def test_requested_and_actual_cost_like_shopify() -> None:
    shop = make_shop(orders=3)
    answer = shop.post(SMALL)
    cost = answer["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 12
    assert cost["actualQueryCost"] == 2 + 3  # only three orders exist
    assert cost["throttleStatus"]["maximumAvailable"] == 2000.0
    assert cost["throttleStatus"]["restoreRate"] == 100.0
    assert 1980 <= cost["throttleStatus"]["currentlyAvailable"] <= 2000
    nested = shop.post(NESTED)["extensions"]["cost"]
    assert nested["requestedQueryCost"] == 52
    assert shop.post(ops.SHOP)["extensions"]["cost"]["requestedQueryCost"] == 1
    mutation = shop.post(
        ops.INVENTORY_ADJUST,
        {"input": {"reason": "correction", "name": "available", "changes": []}},
    )
    assert mutation["extensions"]["cost"]["requestedQueryCost"] == 10
    shop.sandbox.close()


def test_max_cost_exceeded_over_1000() -> None:
    shop = make_shop(orders=3)
    answer = shop.post(ops.COST_TOO_BIG)
    assert "data" not in answer
    err = answer["errors"][0]
    assert err["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert err["extensions"]["cost"] == 2 + 250 * (1 + 2 + 10)
    assert err["extensions"]["maxCost"] == 1000
    assert err["message"].startswith("Query cost is 3252, which exceeds the single query max")
    assert answer["extensions"]["cost"]["requestedQueryCost"] == 3252
    assert answer["extensions"]["cost"]["actualQueryCost"] is None
    shop.sandbox.close()


def test_throttled_past_the_bucket_then_restored() -> None:
    shop = make_shop(orders=20, bucket_size=50, restore_rate=20)
    assert "errors" not in shop.post(SMALL)  # 12 charged, actual 12 (20 orders)
    assert "errors" not in shop.post(SMALL)
    assert "errors" not in shop.post(SMALL)
    assert "errors" not in shop.post(SMALL)
    throttled = shop.post(SMALL)  # ~2 points left
    assert throttled["errors"] == [
        {
            "message": "Throttled",
            "extensions": {
                "code": "THROTTLED",
                "documentation": "https://shopify.dev/api/usage/rate-limits",
            },
        }
    ]
    assert throttled["extensions"]["cost"]["actualQueryCost"] is None
    status = throttled["extensions"]["cost"]["throttleStatus"]
    assert status["currentlyAvailable"] < 12
    assert status["maximumAvailable"] == 50.0
    time.sleep(0.6)  # 20 points a second
    assert "errors" not in shop.post(SMALL)
    stats = shop.http.get("/control/shopify/stats").json()
    assert stats["throttled"] == 1
    assert stats["requests"] == 6
    shop.sandbox.close()


def test_throttle_can_be_resized_and_disabled_over_control() -> None:
    shop = make_shop(orders=20, bucket_size=20, restore_rate=1)
    assert "errors" not in shop.post(SMALL)
    assert shop.post(SMALL)["errors"][0]["extensions"]["code"] == "THROTTLED"
    r = shop.http.put("/control/shopify/throttle", json={"enabled": False})
    assert r.json()["enabled"] is False
    for _ in range(5):
        assert "errors" not in shop.post(SMALL)
    r = shop.http.put(
        "/control/shopify/throttle", json={"enabled": True, "bucket_size": 1000, "restore_rate": 50}
    )
    assert r.json()["maximumAvailable"] == 1000.0
    assert r.json()["restoreRate"] == 50.0
    cost = shop.post(SMALL)["extensions"]["cost"]["throttleStatus"]
    assert cost["maximumAvailable"] == 1000.0
    assert cost["currentlyAvailable"] <= 1000
    shop.sandbox.close()
