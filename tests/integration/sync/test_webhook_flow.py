"""A webhook from delivery to the queue: receiver over HTTP, worker thread, order fetched."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx

from packdesk.adapters.shopify.receiver import build_receiver
from packdesk.adapters.shopify.server import ReceiverServer
from packdesk.adapters.shopify.webhooks import sign
from packdesk.domain.clock import SystemClock
from packdesk.domain.shop import WebhookDelivery
from packdesk.domain.states import StationState
from packdesk.jobs.worker import QueueWorker
from packdesk.services.webhooks import WebhookProcessor

from .conftest import Rig
from .fakes import make_order

SECRET = "s3cret"


def test_a_webhook_delivered_three_times_fetches_and_queues_the_order_once(rig: Rig) -> None:
    rig.sync.run("locations")
    order = rig.shop.put(make_order(1077))
    processor = WebhookProcessor(rig.store.webhooks, rig.sync, SystemClock())
    worker: QueueWorker[WebhookDelivery] = QueueWorker(processor.process)
    fetched: list[str] = []
    original = rig.shop.order

    def counting(order_id: str):  # type: ignore[no-untyped-def]
        fetched.append(order_id)
        return original(order_id)

    rig.shop.order = counting  # type: ignore[method-assign]
    app = build_receiver(
        rig.store.webhooks, SECRET, "demo.myshopify.com", worker.submit, lambda: datetime.now(UTC)
    )
    server = ReceiverServer(app, "127.0.0.1", 0)
    url = server.start() + "/webhooks"
    worker.start()
    try:
        body = json.dumps({"id": 1077, "admin_graphql_api_id": order.id}).encode()
        h = {
            "X-Shopify-Hmac-Sha256": sign(body, SECRET),
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Shop-Domain": "demo.myshopify.com",
            "X-Shopify-Event-Id": "e-1077",
            "X-Shopify-Webhook-Id": "w-1077",
            "Content-Type": "application/json",
        }
        for _ in range(3):
            assert httpx.post(url, content=body, headers=h, timeout=1.0).status_code == 200
        worker.join()
    finally:
        server.stop()
        worker.stop()
    assert fetched == [order.id]
    assert rig.store.orders.get(order.id) == order
    state = rig.station.state_of(order.id)
    assert state is not None
    assert state.state is StationState.NEW
    assert rig.store.webhooks.pending() == []


def test_a_delivery_whose_fetch_failed_is_kept_and_swept_later(rig: Rig) -> None:
    rig.sync.run("locations")
    order = rig.shop.put(make_order(1078))
    processor = WebhookProcessor(rig.store.webhooks, rig.sync, SystemClock())
    delivery = WebhookDelivery(
        webhook_id="w-1078",
        event_id="e-1078",
        topic="orders/updated",
        shop="demo.myshopify.com",
        resource_id=order.id,
        payload="{}",
        received_at=datetime.now(UTC),
    )
    assert rig.store.webhooks.record(delivery)

    def down(order_id: str) -> None:
        raise RuntimeError("Shopify did not answer")

    original = rig.shop.order
    rig.shop.order = down  # type: ignore[method-assign]
    assert processor.process(delivery) is False
    assert [d.webhook_id for d in rig.store.webhooks.pending()] == ["w-1078"]
    rig.shop.order = original  # type: ignore[method-assign]
    assert processor.sweep() == 1
    assert rig.store.webhooks.pending() == []
    assert rig.store.orders.get(order.id) == order


def test_a_stock_delivery_reads_that_level_again(rig: Rig) -> None:
    """An inventory_levels/update body carries `available` only: the level is read again,
    on-hand included, and stored."""
    variant = rig.shop.add_variant(3)
    item = variant.inventory_item_id
    ca = rig.shop.locs[0].id
    processor = WebhookProcessor(rig.store.webhooks, rig.sync, SystemClock())
    delivery = WebhookDelivery(
        webhook_id="w-stock-1",
        event_id="e-sale",
        topic="inventory_levels/update",
        shop="demo.myshopify.com",
        resource_id=item,
        location_id=ca,
        payload='{"available": 3}',
        received_at=datetime.now(UTC),
    )
    assert rig.store.webhooks.record(delivery)
    assert processor.process(delivery)
    [stored] = [s for s in rig.store.catalog.stock_levels(item) if s.location_id == ca]
    assert (stored.available, stored.on_hand) == (3, 4)
    gone = delivery.model_copy(update={"webhook_id": "w-stock-2", "location_id": "nowhere"})
    assert rig.store.webhooks.record(gone)
    assert processor.process(gone)  # done: there is nothing to read
    assert rig.store.webhooks.pending() == []
    assert rig.store.views.webhook_counts()[3] == f"Shopify does not stock {item} at nowhere"
