"""A cycle count on the sandbox: the counted quantity is set in Shopify compared with what
Shopify held at the first scan; a sale in between stops the count for a person, and no
change packdesk did not see is overwritten."""

from __future__ import annotations

from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.inventory import ShopifyInventory
from packdesk.bootstrap import Container
from packdesk.domain.models import OutboxState
from packdesk.domain.outbox import InventoryAdjustment
from packdesk.settings import load_settings

from .inventory_rig import MovableClock, Station


def settle(c: Container, clock: MovableClock) -> None:
    for _ in range(5):
        c.outbox.run_once()
        clock.advance(seconds=60)


def test_a_count_is_set_in_shopify_and_a_sale_meanwhile_stops_it(synced: Station) -> None:
    clock = MovableClock()
    held = synced.level("BM-LAC-01", "PA")["available"]
    with Container(load_settings(synced.config), clock=clock) as c:
        counting = c.inventory.counting
        count = counting.open("pa")
        for _ in range(3):
            count = counting.scan(count, "BM-LAC-01").count
        stale = counting.scan(count, "BM-SHP-01")
        assert stale.ok
        count = stale.count
        refused = counting.scan(count, "NOT-A-CODE")
        assert not refused.ok
        assert refused.message.startswith("Unknown code NOT-A-CODE")
        [lac] = [li for li in count.lines if li.sku == "BM-LAC-01"]
        assert (lac.expected, lac.counted) == (held, 3)
        # a sale at PA between the scan and the count reaching Shopify
        info = synced.info
        shp = next(li for li in count.lines if li.sku == "BM-SHP-01")
        with ShopifyClient(info.shopify_url, info.shopify_token, max_attempts=1) as client:
            ShopifyInventory(client).adjust_inventory(
                InventoryAdjustment(
                    inventory_item_id=shp.inventory_item_id,
                    location_id=count.location_id,
                    delta=-1,
                    reason="correction",
                    key=f"test:sale:{clock.now().timestamp()}",
                )
            )
        shp_before = synced.level("BM-SHP-01", "PA")["available"]
        summary = counting.finish(count)
        assert summary.startswith("2 item(s) counted, 0 as Shopify holds: ")
        settle(c, clock)
        items = {i.dedupe_key.rsplit(":", 1)[-1]: i for i in c.outbox.items()}
    assert synced.level("BM-LAC-01", "PA")["available"] == 3
    assert synced.level("BM-SHP-01", "PA")["available"] == shp_before  # not overwritten
    dead = [i for i in items.values() if i.state is OutboxState.DEAD]
    [stopped] = dead
    assert "it changed since the count" in stopped.last_error
