"""Shopify's documented sample bodies (tests/reference/shopify-webhooks) through packdesk's
webhook receiver over HTTP, signed and headed as Shopify sends them, then worked on against
the sandbox's Shopify: as sent (their order and item are not in this shop, as with the
admin's "Send test notification"), and naming one of the shop's own orders or items."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from packdesk.adapters.shopify.webhooks import sign
from packdesk.bootstrap import Container
from packdesk.domain.shop import ORDER_TOPICS
from packdesk.sandbox.server import SandboxInfo
from packdesk.settings import Settings, ShopifySettings, StationSettings

SAMPLES = Path(__file__).resolve().parents[2] / "reference" / "shopify-webhooks"
ITEM = "gid://shopify/InventoryItem/4600000002"  # BM-ABC-01 in the sandbox
CA = "gid://shopify/Location/72001001"


@dataclass
class Station:
    container: Container
    url: str
    secret: str
    shop: str
    sent: int = 0

    def deliver(self, topic: str, body: bytes) -> dict[str, Any]:
        """POST `body` as Shopify delivers `topic`, each delivery with its own webhook id."""
        self.sent += 1
        answer = httpx.post(
            self.url,
            content=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Shopify-Captain-Hook",
                "X-Shopify-Topic": topic,
                "X-Shopify-Hmac-Sha256": sign(body, self.secret),
                "X-Shopify-Shop-Domain": self.shop,
                "X-Shopify-API-Version": "2026-10",
                "X-Shopify-Webhook-Id": f"b54557e4-8a5f-4b6e-9d2c-{self.sent:012d}",
                "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
                "X-Shopify-Triggered-At": "2026-12-01T17:00:00.000000Z",
            },
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def worked_off(self) -> str:
        """Wait until every stored delivery is worked on; the last error recorded."""
        wait_for(lambda: self.container.store.webhooks.pending() == [])
        received, pending, _, error = self.container.store.views.webhook_counts()
        assert (received, pending) == (self.sent, 0)
        return error


def wait_for(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.02)
    return found


@pytest.fixture
def station(sandbox: SandboxInfo, tmp_path: Path) -> Iterator[Station]:
    settings = Settings(
        station=StationSettings(data_dir=str(tmp_path)),
        shopify=ShopifySettings(
            shop=sandbox.shop,
            access_token=sandbox.shopify_token,
            webhook_secret=sandbox.webhook_secret,
            endpoint=sandbox.shopify_endpoint,
        ),
    )
    with Container(settings) as container:
        server, worker = container.webhook_receiver("127.0.0.1", 0)
        worker.start()
        url = server.start() + "/webhooks"
        try:
            yield Station(container, url, sandbox.webhook_secret, sandbox.shop)
        finally:
            server.stop()


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def with_ids(name: str, **ids: object) -> bytes:
    body = json.loads(sample(name))
    body.update(ids)
    return json.dumps(body).encode()


@pytest.mark.parametrize("topic", ORDER_TOPICS)
def test_the_order_sample_as_shopify_sends_it(station: Station, topic: str) -> None:
    assert station.deliver(topic, sample("orders.json")) == {"ok": True, "duplicate": False}
    assert station.worked_off() == "Shopify has no order gid://shopify/Order/820982911946154508"


def test_the_order_sample_naming_an_order_of_the_shop_stores_it(
    station: Station, sandbox: SandboxInfo
) -> None:
    control = f"{sandbox.control_url}/shopify"
    made = httpx.post(f"{control}/orders", json={"items": [{"sku": "BM-ABC-01"}]}, timeout=10)
    order = made.json()
    body = with_ids(
        "orders.json", id=order["id"], admin_graphql_api_id=order["admin_graphql_api_id"]
    )
    for topic in ORDER_TOPICS:
        station.deliver(topic, body)
    assert station.worked_off() == ""
    stored = station.container.store.orders.get(order["admin_graphql_api_id"])
    assert stored is not None
    assert stored.name == order["name"]
    assert [line.sku for line in stored.line_items] == ["BM-ABC-01"]


def test_the_inventory_sample_as_shopify_sends_it(station: Station) -> None:
    """Its ids are beyond a double's precision: they must arrive exactly."""
    answer = station.deliver("inventory_levels/update", sample("inventory_levels_update.json"))
    assert answer == {"ok": True, "duplicate": False}
    assert station.worked_off() == (
        "Shopify does not stock gid://shopify/InventoryItem/271878346596884015 at "
        "gid://shopify/Location/24826418"
    )


def test_the_inventory_sample_naming_a_level_of_the_shop_reads_it_again(
    station: Station, sandbox: SandboxInfo
) -> None:
    set_stock = httpx.post(
        f"{sandbox.control_url}/shopify/inventory",
        json={"sku": "BM-ABC-01", "location": "CA", "available": 23},
        timeout=10,
    )
    assert set_stock.status_code < 300, set_stock.text
    body = with_ids(
        "inventory_levels_update.json",
        inventory_item_id=int(ITEM.rsplit("/", 1)[1]),
        location_id=int(CA.rsplit("/", 1)[1]),
    )
    station.deliver("inventory_levels/update", body)
    assert station.worked_off() == ""
    [level] = [s for s in station.container.store.catalog.stock_levels(ITEM) if s.location_id == CA]
    assert level.available == 23  # read from Shopify, not the sample's 10
    assert level.on_hand >= level.available
