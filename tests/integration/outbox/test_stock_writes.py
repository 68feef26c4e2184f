"""Stock writes through the outbox, against the sandbox's Shopify answering as 2026-10 does:
the outbox key is Shopify's idempotency key (a resend after a lost answer is not applied
twice), and a count carries `changeFromQuantity`; a stale count is re-read, then decided,
never sent again blindly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.inventory import ShopifyInventory, read_level
from packdesk.bootstrap import Container
from packdesk.domain.models import NewOutboxItem, OutboxItem, OutboxState
from packdesk.domain.outbox import (
    DeliveryFailed,
    InventoryAdjustment,
    InventoryCount,
    QuantityStale,
)
from packdesk.sandbox.server import SandboxInfo
from packdesk.services.stock_counts import InventoryCountHandler
from packdesk.settings import OutboxSettings, Settings, ShopifySettings, StationSettings

from .outbox_helpers import T0, MovableClock

ITEM = "gid://shopify/InventoryItem/4600000002"  # BM-ABC-01
CA = "gid://shopify/Location/72001001"


@pytest.fixture
def client(sandbox: SandboxInfo) -> Iterator[ShopifyClient]:
    with ShopifyClient(sandbox.shopify_url, sandbox.shopify_token, max_attempts=1) as c:
        yield c


def available(client: ShopifyClient) -> int:
    level = read_level(client, ITEM, CA)
    assert level is not None
    return level.available


def faults(sandbox: SandboxInfo, spec: dict[str, Any] | None) -> None:
    """Put faults in force; None clears them."""
    url = f"{sandbox.control_url}/faults"
    answer = httpx.put(url, json=spec) if spec else httpx.delete(url)
    answer.raise_for_status()


def container(sandbox: SandboxInfo, tmp_path: Path, clock: MovableClock) -> Container:
    settings = Settings(
        station=StationSettings(data_dir=str(tmp_path / "data")),
        shopify=ShopifySettings(
            shop=sandbox.shop,
            access_token=sandbox.shopify_token,
            endpoint=sandbox.shopify_endpoint,
            timeout_s=10,
        ),
        outbox=OutboxSettings(backoff_base_s=1, backoff_max_s=1, parallel=1),
    )
    return Container(settings, clock=clock)


def schedule(c: Container, kind: str, key: str, payload: dict[str, Any]) -> None:
    item = NewOutboxItem(kind=kind, dedupe_key=key, payload=payload)
    assert c.store.outbox.schedule([(item, c.clock.now())], c.clock.now()) == 1


def run_until_settled(c: Container, clock: MovableClock) -> None:
    for _ in range(10):
        c.outbox.run_once()
        if all(i.state in (OutboxState.DELIVERED, OutboxState.DEAD) for i in c.outbox.items()):
            return
        clock.advance(seconds=5)
    raise AssertionError([i.last_error for i in c.outbox.items()])


def test_an_adjustment_sent_twice_under_one_key_applies_once(client: ShopifyClient) -> None:
    before = available(client)
    adjustment = InventoryAdjustment(
        inventory_item_id=ITEM, location_id=CA, delta=-2, key="inventory:test:twice"
    )
    stock = ShopifyInventory(client)
    stock.adjust_inventory(adjustment)
    stock.adjust_inventory(adjustment)  # the outbox's resend after a lost answer
    assert available(client) == before - 2
    with pytest.raises(DeliveryFailed, match="same idempotency key") as refused:
        stock.adjust_inventory(adjustment.model_copy(update={"delta": -3}))
    assert refused.value.permanent


def test_an_adjustment_whose_answer_was_lost_is_applied_once(
    sandbox: SandboxInfo, client: ShopifyClient, tmp_path: Path
) -> None:
    before = available(client)
    clock = MovableClock()
    with container(sandbox, tmp_path, clock) as c:
        schedule(
            c,
            "inventory_adjust",
            "inventory:test:lost",
            {"inventory_item_id": ITEM, "location_id": CA, "delta": 5, "reason": "received"},
        )
        faults(sandbox, {"shopify": {"commit_then_drop_rate": 1.0}})
        report = c.outbox.run_once()
        assert report.failed == 1  # applied upstream, the answer lost
        faults(sandbox, None)
        run_until_settled(c, clock)
        [item] = c.outbox.items()
        assert item.state is OutboxState.DELIVERED
        assert item.attempts == 2
    assert available(client) == before + 5


def test_a_count_sets_the_quantity_it_was_compared_with(
    sandbox: SandboxInfo, client: ShopifyClient, tmp_path: Path
) -> None:
    held = available(client)
    clock = MovableClock()
    with container(sandbox, tmp_path, clock) as c:
        schedule(
            c,
            "inventory_set",
            "count:test:1",
            {"inventory_item_id": ITEM, "location_id": CA, "quantity": held + 7, "expected": held},
        )
        run_until_settled(c, clock)
        [item] = c.outbox.items()
        assert item.state is OutboxState.DELIVERED, item.last_error
        assert item.note == f"available set to {held + 7} at {CA}"
    assert available(client) == held + 7


def test_a_count_overtaken_by_a_sale_stops_for_a_person(
    sandbox: SandboxInfo, client: ShopifyClient, tmp_path: Path
) -> None:
    held = available(client)
    ShopifyInventory(client).adjust_inventory(
        InventoryAdjustment(inventory_item_id=ITEM, location_id=CA, delta=-1, key="sale:test:1")
    )
    clock = MovableClock()
    with container(sandbox, tmp_path, clock) as c:
        schedule(
            c,
            "inventory_set",
            "count:test:stale",
            {"inventory_item_id": ITEM, "location_id": CA, "quantity": held + 3, "expected": held},
        )
        run_until_settled(c, clock)
        [item] = c.outbox.items()
        assert item.state is OutboxState.DEAD
        assert item.attempts == 1  # never sent again
        assert item.last_error == (
            f"Shopify's available stock of {ITEM} at {CA} is {held - 1}, not the {held} the "
            f"count of {held + 3} was compared with: it changed since the count (a sale, a "
            "receipt or another count). packdesk does not overwrite a change it has not seen; "
            "count again."
        )
    assert available(client) == held - 1  # the sale stands


def test_a_stale_count_that_shopify_already_holds_is_delivered(client: ShopifyClient) -> None:
    """A count meeting CHANGE_FROM_QUANTITY_STALE because Shopify already holds the counted
    quantity (an earlier write whose answer was lost, its key forgotten) is done."""
    held = available(client)
    stock = ShopifyInventory(client)
    stock.set_inventory(
        InventoryCount(
            inventory_item_id=ITEM, location_id=CA, quantity=held + 4, expected=held, key="a"
        )
    )
    payload: dict[str, object] = {
        "inventory_item_id": ITEM,
        "location_id": CA,
        "quantity": held + 4,
        "expected": held,
    }
    item = OutboxItem(
        id=1,
        kind="inventory_set",
        dedupe_key="count:test:again",
        payload=payload,
        state=OutboxState.PENDING,
        created_at=T0,
        next_attempt_at=T0,
    )
    delivery = InventoryCountHandler(stock)(item)
    assert delivery.note == f"Shopify already holds {held + 4} available (re-read)"
    assert available(client) == held + 4


class StaleShop:
    """Shopify refusing every count as stale and holding `now` (None: not stocked there)."""

    def __init__(self, now: int | None) -> None:
        self.now = now
        self.sets = 0

    def adjust_inventory(self, adjustment: InventoryAdjustment) -> None:
        raise AssertionError("a count never adjusts")

    def set_inventory(self, count: InventoryCount) -> None:
        self.sets += 1
        raise QuantityStale("The changeFromQuantity value does not match persisted value.")

    def inventory_quantity(self, inventory_item_id: str, location_id: str, name: str) -> int | None:
        return self.now


def count_item(**payload: object) -> OutboxItem:
    return OutboxItem(
        id=1,
        kind="inventory_set",
        dedupe_key="count:unit",
        payload={"inventory_item_id": ITEM, "location_id": CA, **payload},
        state=OutboxState.PENDING,
        created_at=T0,
        next_attempt_at=T0,
    )


def test_a_count_of_an_item_no_longer_stocked_stops_with_the_fix() -> None:
    shop = StaleShop(now=None)
    with pytest.raises(DeliveryFailed, match="no longer stocks") as failed:
        InventoryCountHandler(shop)(count_item(quantity=4, expected=3))
    assert failed.value.permanent
    assert shop.sets == 1


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ({"expected": 3}, "'quantity'"),
        ({"quantity": "four", "expected": 3}, "invalid literal"),
        ({"quantity": 4, "expected": 3, "name": "committed"}, "name 'committed'"),
    ],
)
def test_a_malformed_count_is_refused_before_anything_is_sent(
    payload: dict[str, object], why: str
) -> None:
    shop = StaleShop(now=4)
    with pytest.raises(DeliveryFailed, match="malformed payload") as failed:
        InventoryCountHandler(shop)(count_item(**payload))
    assert why in str(failed.value)
    assert failed.value.permanent
    assert shop.sets == 0


def test_a_count_of_on_hand_uses_the_correction_reason() -> None:
    count = InventoryCountHandler.count(count_item(quantity=4, expected=None, name="on_hand"))
    assert (count.name, count.reason, count.expected) == ("on_hand", "correction", None)
