"""Sync over HTTP against the sandbox Shopify: full, incremental, throttled, webhooks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from packdesk.domain.states import StationState
from packdesk.sandbox.server import SandboxServer

from .sandbox_rig import (
    assert_catalog_equals_sandbox,
    assert_store_equals_sandbox,
    control,
    local_station,
    sandbox_order,
)


@pytest.fixture(scope="module")
def shop_server() -> Iterator[Any]:
    """A sandbox of our own (its orders get cancelled and edited here), throttling off."""
    # packdesk's sync still keeps at most 30 lines and 5 fulfillment orders of an order, so
    # this comparison leaves out the demo's long orders until it reads them to the end.
    server = SandboxServer(seed=11, orders=120, long_orders=False)
    server.start()
    httpx.put(f"{control(server)}/throttle", json={"enabled": False}).raise_for_status()
    yield server
    server.stop()


def _station_numbers(local: Any, state: StationState) -> list[str]:
    store = local.store
    return sorted(store.orders.get(s.order_id).name for s in store.station.in_states([state]))


@pytest.mark.slow
def test_full_then_incremental_sync_equal_the_sandbox(shop_server: Any, tmp_path: Path) -> None:
    local = local_station(shop_server, tmp_path)
    try:
        results = local.sync.run_all()
        assert [(r.resource, r.ok) for r in results] == [
            ("locations", True),
            ("variants", True),
            ("inventory", True),
            ("orders", True),
        ], results
        assert_store_equals_sandbox(local, shop_server)
        assert_catalog_equals_sandbox(local, shop_server)
        store = local.store
        facts = httpx.get(f"{control(shop_server)}/demo").json()
        assert store.catalog.count_variants() == len(facts["skus"])
        for sku, barcode in facts["skus"].items():
            variant = store.catalog.variant_for_code(barcode)
            assert variant is not None
            assert variant.sku == sku
            assert variant.weight_g > 0
            assert variant.length_cm > 0
            assert variant.bin
        assert {loc.code: loc.id for loc in store.catalog.locations()} == facts["locations"]

        queue = _station_numbers(local, StationState.NEW)
        assert len(queue) >= 5
        cancelled, edited, moved, fulfilled = queue[:4]
        edited_before = sandbox_order(shop_server, edited)
        line = edited_before["line_items"][0]
        c = control(shop_server)
        httpx.post(
            f"{c}/orders/{cancelled[1:]}/cancel", json={"reason": "CUSTOMER"}
        ).raise_for_status()
        httpx.post(
            f"{c}/orders/{edited[1:]}/edit",
            json={
                "note": "Leave at the back door",
                "quantities": {str(line["id"]): line["current_quantity"] + 2},
            },
        ).raise_for_status()
        httpx.post(f"{c}/orders/{moved[1:]}/move", json={"location": "PA"}).raise_for_status()
        httpx.post(f"{c}/orders/{fulfilled[1:]}/fulfill", json={}).raise_for_status()
        created = httpx.post(f"{c}/orders", json={}).json()

        again = local.sync.run("orders")
        assert again.ok, again.error
        assert again.count < 40  # incremental: the changes and the overlap, not everything
        assert_store_equals_sandbox(local, shop_server)

        def state_of(name: str) -> tuple[StationState, str]:
            order = store.orders.by_name(name)
            assert order is not None
            s = store.station.get(order.id)
            assert s is not None
            return s.state, s.reason

        assert state_of(cancelled) == (StationState.CANCELLED, "Cancelled in Shopify (customer)")
        assert state_of(moved) == (StationState.MOVED, "Moved to PA in Shopify")
        assert state_of(fulfilled) == (
            StationState.FULFILLED,
            "Fulfilled outside packdesk in Shopify",
        )
        assert state_of(edited)[0] is StationState.NEW
        assert store.orders.by_name(edited).note == "Leave at the back door"  # type: ignore[union-attr]
        if any(
            fo["assigned_location"] == "CA" and fo["status"] == "OPEN"
            for fo in created["fulfillment_orders"]
        ):
            assert state_of(created["name"]) == (StationState.NEW, "New order")
    finally:
        local.close()


@pytest.mark.slow
def test_a_small_bucket_never_reaches_the_caller(shop_server: Any, tmp_path: Path) -> None:
    c = control(shop_server)
    before = httpx.get(f"{c}/stats").json()["throttled"]
    httpx.put(
        f"{c}/throttle", json={"enabled": True, "bucket_size": 300, "restore_rate": 2000}
    ).raise_for_status()
    local = local_station(shop_server, tmp_path)
    try:
        for resource in ("locations", "variants", "inventory", "orders"):
            result = local.sync.run(resource)
            assert result.ok, result.error
        assert_store_equals_sandbox(local, shop_server)
        # the client waited for the bucket and paged smaller; nothing surfaced as an error
        assert local.sync_client.stats.waited_s > 0
        statuses = {s.resource: s for s in local.sync.status()}
        assert all(not s.last_error for s in statuses.values())
    finally:
        httpx.put(f"{c}/throttle", json={"enabled": False}).raise_for_status()
        local.close()
    after = httpx.get(f"{c}/stats").json()["throttled"]
    assert after - before == local.sync_client.stats.throttled


def test_webhooks_from_the_sandbox_bring_new_orders_into_the_queue(
    shop_server: Any, tmp_path: Path
) -> None:
    local = local_station(shop_server, tmp_path)
    server, worker = local.webhook_receiver("127.0.0.1", 0)
    worker.start()
    url = server.start()
    c = control(shop_server)
    try:
        local.sync.run("locations")
        httpx.post(
            f"{c}/webhooks",
            json={
                "url": f"{url}/webhooks",
                "topics": ["orders/create", "orders/updated", "orders/cancelled"],
            },
        ).raise_for_status()
        created = httpx.post(f"{c}/orders", json={}).json()
        store = local.store
        deadline = time.monotonic() + 10
        while store.orders.by_name(created["name"]) is None:
            assert time.monotonic() < deadline, "the webhook never arrived"
            time.sleep(0.05)
        worker.join()
        order = store.orders.by_name(created["name"])
        assert order is not None
        assert store.webhooks.count() >= 1
        assert store.webhooks.pending() == []
        httpx.post(
            f"{c}/orders/{created['id']}/cancel", json={"reason": "CUSTOMER"}
        ).raise_for_status()
        deadline = time.monotonic() + 10
        while (store.orders.get(order.id) or order).cancelled_at is None:
            assert time.monotonic() < deadline, "the cancellation never arrived"
            time.sleep(0.05)
        worker.join()
        station = store.station.get(order.id)
        if station is not None:
            assert station.state is StationState.CANCELLED
    finally:
        httpx.delete(f"{c}/webhooks")
        server.stop()
        worker.stop()
        local.close()
