"""`packdesk webhooks subscribe | list | unsubscribe` against the sandbox's Shopify, and the
subscriptions at work: the sandbox delivers real signed webhooks to packdesk's receiver."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from packdesk.bootstrap import Container
from packdesk.cli import main
from packdesk.domain.shop import HANDLED_TOPICS
from packdesk.sandbox.server import SandboxInfo
from packdesk.services.webhook_subscriptions import receiver_url
from packdesk.settings import Settings, ShopifySettings, StationSettings

RECEIVER = "https://packdesk.example.com/webhooks"


def config_for(sandbox: SandboxInfo, tmp_path: Path, *, secret: bool = True) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f"""
[station]
data_dir = "{tmp_path / "data"}"
[shopify]
shop = "{sandbox.shop}"
endpoint = "{sandbox.shopify_endpoint}"
access_token = "{sandbox.shopify_token}"
webhook_secret = "{sandbox.webhook_secret if secret else ""}"
""")
    return config


def webhooks(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["webhooks", *args, "--config", str(config)])


def app_subscriptions(sandbox: SandboxInfo) -> list[tuple[str, str]]:
    """(topic enum, uri) of every app subscription, as Shopify lists them."""
    answer = httpx.post(
        sandbox.shopify_url,
        json={"query": "{ webhookSubscriptions(first: 100) { nodes { topic uri } } }"},
        headers={"X-Shopify-Access-Token": sandbox.shopify_token},
        timeout=10,
    ).json()
    return sorted((n["topic"], n["uri"]) for n in answer["data"]["webhookSubscriptions"]["nodes"])


def test_subscribing_twice_leaves_one_subscription_per_topic(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    config = config_for(sandbox, tmp_path)
    first = webhooks(config, "subscribe", "--url", RECEIVER)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        f"created  {topic:<24} {RECEIVER}" for topic in HANDLED_TOPICS
    ]
    again = webhooks(config, "subscribe", "--url", RECEIVER)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == [
        f"kept     {topic:<24} {RECEIVER}" for topic in HANDLED_TOPICS
    ]
    assert app_subscriptions(sandbox) == sorted(
        (t.upper().replace("/", "_"), RECEIVER) for t in HANDLED_TOPICS
    )


def test_list_shows_the_apps_subscriptions(sandbox: SandboxInfo, tmp_path: Path) -> None:
    config = config_for(sandbox, tmp_path)
    assert webhooks(config, "list").stdout.startswith("No webhook subscriptions")
    webhooks(config, "subscribe", "--url", "https://packdesk.example.com")  # path added
    listed = webhooks(config, "list")
    assert [line.split()[:2] for line in listed.stdout.splitlines()] == [
        [topic, RECEIVER] for topic in sorted(HANDLED_TOPICS)
    ]
    assert "(API 2026-10, gid://shopify/WebhookSubscription/" in listed.stdout
    rows = [json.loads(line) for line in webhooks(config, "list", "--json").stdout.splitlines()]
    assert {(r["topic"], r["uri"], r["api_version"]) for r in rows} == {
        (t, RECEIVER, "2026-10") for t in HANDLED_TOPICS
    }


def test_another_address_is_reported_and_removed_on_request(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    config = config_for(sandbox, tmp_path)
    old = "https://old-tunnel.example.net/webhooks"
    webhooks(config, "subscribe", "--url", old)
    moved = webhooks(config, "subscribe", "--url", RECEIVER)
    assert moved.exit_code == 0
    assert (
        f"note: orders/create is also delivered to {old}; `packdesk webhooks unsubscribe "
        f"--url {old}` stops that." in moved.stderr
    )
    removed = webhooks(config, "unsubscribe", "--url", old)
    assert removed.stdout.splitlines() == [
        f"removed  {topic:<24} {old}" for topic in HANDLED_TOPICS
    ]
    assert {uri for _, uri in app_subscriptions(sandbox)} == {RECEIVER}
    assert webhooks(config, "unsubscribe", "--all").exit_code == 0
    assert app_subscriptions(sandbox) == []
    assert webhooks(config, "unsubscribe", "--all").stdout == "Nothing to remove.\n"


def test_unsubscribe_needs_an_address_or_all(sandbox: SandboxInfo, tmp_path: Path) -> None:
    config = config_for(sandbox, tmp_path)
    refused = webhooks(config, "unsubscribe")
    assert refused.exit_code == 2
    assert "Give --url URL (the subscriptions to that address) or --all." in refused.stderr


def test_a_bad_address_and_a_refusal_are_sentences(sandbox: SandboxInfo, tmp_path: Path) -> None:
    config = config_for(sandbox, tmp_path, secret=False)
    bad = webhooks(config, "subscribe", "--url", "packdesk.example.com")
    assert bad.exit_code == 2
    assert "'packdesk.example.com' is not a web address" in bad.stderr
    made = httpx.post(
        f"{sandbox.control_url}/shopify/tokens", json={"scopes": ["read_products"]}, timeout=10
    )
    config.write_text(
        config.read_text().replace(sandbox.shopify_token, made.json()["access_token"])
    )
    refused = webhooks(config, "subscribe", "--url", RECEIVER)
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        f"Shopify refused the orders/create subscription to {RECEIVER}: Access denied for the "
        "ORDERS_CREATE topic."
    )


def test_the_secret_reminder(sandbox: SandboxInfo, tmp_path: Path) -> None:
    result = webhooks(config_for(sandbox, tmp_path, secret=False), "subscribe", "--url", RECEIVER)
    assert "set [shopify].webhook_secret to it" in result.stderr


def test_receiver_url() -> None:
    assert receiver_url("https://a.example") == "https://a.example/webhooks"
    assert receiver_url("https://a.example/") == "https://a.example/webhooks"
    assert receiver_url(" https://a.example/hooks/shopify ") == "https://a.example/hooks/shopify"
    with pytest.raises(ValueError, match="not a web address"):
        receiver_url("ftp://a.example/webhooks")


def wait_for(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.02)
    return found


def test_subscribed_deliveries_reach_the_station(sandbox: SandboxInfo, tmp_path: Path) -> None:
    """A new order and a stock change in the shop arrive through packdesk's own
    subscriptions, signed by Shopify, and are read again into the local database."""
    settings = Settings(
        station=StationSettings(data_dir=str(tmp_path / "data")),
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
        url = server.start()
        try:
            changes = container.webhook_subscriptions.subscribe(url)
            assert {c.outcome for c in changes} == {"created"}
            control = httpx.Client(base_url=f"{sandbox.control_url}/shopify", timeout=10)
            order = control.post("/orders", json={"items": [{"sku": "BM-ABC-01"}]}).json()
            stock = control.post(
                "/inventory", json={"sku": "BM-ABC-01", "location": "CA", "available": 41}
            )
            assert stock.status_code < 300, stock.text
            gid = order["admin_graphql_api_id"]
            wait_for(lambda: container.store.orders.get(gid))
            item = "gid://shopify/InventoryItem/4600000002"
            wait_for(
                lambda: [
                    s
                    for s in container.store.catalog.stock_levels(item)
                    if s.location_id == "gid://shopify/Location/72001001" and s.available == 41
                ]
            )
            wait_for(lambda: container.store.webhooks.pending() == [])
            hooks = httpx.get(f"{sandbox.control_url}/shopify/webhooks", timeout=10).json()
            mine = [h for h in hooks if h["url"] == f"{url}/webhooks"]
            assert {h["topic"] for h in mine} >= {"orders/create", "inventory_levels/update"}
            assert all(h["status"] == "delivered" for h in mine)
            assert container.store.webhooks.count() == len(mine)
            control.close()
        finally:
            server.stop()
