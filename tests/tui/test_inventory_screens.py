"""The Stock, Receive and Count screens at a station built as production builds it (the
container on a real SQLite file, a fixed clock), driven by keys and scans."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from packdesk.bootstrap import Container
from packdesk.domain.clock import FixedClock
from packdesk.domain.inventory.purchasing import PoStatus
from packdesk.domain.models import (
    FulfillmentOrder,
    FulfillmentOrderLine,
    LineItem,
    Location,
    Order,
    StockLevel,
    Variant,
)
from packdesk.services.inventory.purchasing import HandLine
from packdesk.settings import Settings
from packdesk.tui.app import PackdeskApp
from packdesk.tui.screens.count import CountScreen
from packdesk.tui.screens.receive import ReceiveScreen
from packdesk.tui.screens.stock import StockScreen
from packdesk.tui.widgets.alert import ScanAlert
from packdesk.tui.widgets.stock_table import StockTable

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
CA = "gid://shopify/Location/1"
PA = "gid://shopify/Location/2"
SIZE = (140, 44)
CATALOG = [  # variant, sku, barcode, title, CA available, sold a day at CA
    ("V1", "BM-CIR-01", "0700000000011", "Snap Circuits Starter", 3, 1),
    ("V2", "BM-ABC-01", "0700000000028", "Alphabet Flash Cards", 80, 1),
    ("V3", "BM-GLB-01", "0700000000035", "Illuminated Globe", 0, 0),
]


def seed(c: Container) -> None:
    store = c.store
    store.catalog.save_locations(
        [
            Location(id=CA, name="CA Warehouse", code="CA"),
            Location(id=PA, name="PA Warehouse", code="PA"),
        ],
        NOW,
    )
    store.catalog.save_variants(
        [
            Variant(
                id=v,
                product_id=f"P{v}",
                product_title=title,
                sku=sku,
                barcode=barcode,
                inventory_item_id=f"I{v}",
                vendor="LabBox Science" if v == "V1" else "Cardworks",
            )
            for v, sku, barcode, title, _, _ in CATALOG
        ]
    )
    store.catalog.save_stock(
        [
            StockLevel(
                inventory_item_id=f"I{v}",
                location_id=loc,
                available=ca if loc == CA else 20,
                on_hand=ca if loc == CA else 20,
                updated_at=NOW - timedelta(days=60),
            )
            for v, _, _, _, ca, _ in CATALOG
            for loc in (CA, PA)
        ]
    )
    n = 1000
    for v, sku, _, title, _, daily in CATALOG:
        for day in range(1, 31):
            for _ in range(daily):
                n += 1
                oid, line = f"gid://shopify/Order/{n}", f"gid://shopify/LineItem/{n}"
                store.orders.save(
                    Order(
                        id=oid,
                        name=f"#{n}",
                        created_at=NOW - timedelta(days=day),
                        updated_at=NOW - timedelta(days=day),
                        line_items=(
                            LineItem(id=line, variant_id=v, sku=sku, title=title, quantity=1),
                        ),
                        fulfillment_orders=(
                            FulfillmentOrder(
                                id=f"gid://shopify/FulfillmentOrder/{n}",
                                order_id=oid,
                                location_id=CA,
                                status="CLOSED",
                                lines=(
                                    FulfillmentOrderLine(
                                        id=f"gid://shopify/FulfillmentOrderLineItem/{n}",
                                        line_item_id=line,
                                        total_quantity=1,
                                        remaining_quantity=0,
                                    ),
                                ),
                            ),
                        ),
                    )
                )
    suppliers = c.inventory.suppliers
    suppliers.add("LabBox Science", email="po@labbox.example", lead_time_days=20)
    suppliers.set_item("LabBox Science", "BM-CIR-01", case_pack=4, unit_cost=Decimal("16.80"))


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Container]:
    settings = Settings(station={"name": "CA-1", "location": "CA", "data_dir": str(tmp_path)})
    with Container(settings, demo=True, clock=FixedClock(NOW)) as c:
        seed(c)
        yield c


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Any, condition: Callable[[], bool]) -> None:
    """Let workers and messages run until `condition` holds (or fail after many rounds)."""
    for _ in range(200):
        if condition():
            return
        await settle(pilot)
    raise AssertionError("the screen never got there")


async def scan(pilot: Any, code: str) -> None:
    await pilot.press(*code, "enter")
    await settle(pilot)


def title(app: PackdeskApp, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Static).render())


async def test_the_stock_screen_shows_the_low_sku_first_and_explains_its_reorder(
    station: Container,
) -> None:
    app = PackdeskApp(station.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, StockScreen)
                and bool(app.screen.query_one(StockTable).rows_shown)
            ),
        )
        table = app.screen.query_one(StockTable)
        assert [r.sku for r in table.rows_shown] == ["BM-GLB-01", "BM-CIR-01", "BM-ABC-01"]
        assert "3 SKUs: 1 OK, 1 LOW, 1 OUT, 0 OVERSTOCK" in title(app, "#stock-title")
        await pilot.press("down")
        detail = title(app, "#stock-detail")
        assert "CA: available 3, committed 0, on hand 3, incoming 0 — LOW" in detail
        assert "lead time: 20 days (supplier LabBox Science)" in detail
        assert "order: 1.00 × (20 + 30) − 3 = 47.0 → 48, case pack 4" in detail
        await pilot.press("s", "s")  # all → LOW/OUT → OUT
        await until(pilot, lambda: [r.sku for r in table.rows_shown] == ["BM-GLB-01"])
        assert "status OUT" in title(app, "#stock-filters")
        await pilot.press("s", "s", "s", "s", "l")  # → all statuses; location CA
        await settle(pilot)
        assert "location CA" in title(app, "#stock-filters")
        await pilot.press("z")  # snooze the highlighted SKU
        await until(
            pilot,
            lambda: any("raises no low-stock alert until" in n.message for n in app._notifications),
        )
        assert [s.sku for s in station.inventory.alerts.snoozes()] == [table.rows_shown[0].sku]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, StockScreen)


async def test_a_po_is_received_by_scan_and_wrong_items_are_loud(station: Container) -> None:
    purchasing = station.inventory.purchasing
    po = purchasing.create(
        "LabBox Science", "CA", [HandLine("BM-CIR-01", 4), HandLine("BM-ABC-01", 2)]
    )
    purchasing.order(po.number)
    app = PackdeskApp(station.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ReceiveScreen))
        await scan(pilot, po.number)
        await until(
            pilot,
            lambda: (
                f"Receive {po.number} from LabBox Science into CA" in title(app, "#receive-title")
            ),
        )
        for _ in range(4):
            await scan(pilot, "0700000000011")
        alert = app.screen.query_one(ScanAlert)
        await scan(pilot, "0700000000011")  # one too many
        assert alert.shown
        assert "Too many" in str(alert.render())
        await scan(pilot, "0700000000028")  # refused while the alert stands
        await pilot.press("escape")
        await scan(pilot, "0700000000035")  # the globe is not on the PO
        assert "Wrong item: 0700000000035 is Illuminated Globe" in str(alert.render())
        await pilot.press("escape")
        await scan(pilot, "BM-ABC-01")
        table = app.screen.query_one("#receive-lines", DataTable)
        assert [str(c) for c in table.get_row_at(0)][4:] == ["4", "0"]
        assert [str(c) for c in table.get_row_at(1)][4:] == ["1", "1"]
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert any(
            f"5 units of {po.number} received; 1 still to come" in n.message
            for n in app._notifications
        )
    after = purchasing.get(po.number)
    assert after.status is PoStatus.PARTIAL
    keys = {i.dedupe_key for i in station.outbox.items() if ":receipt:" in i.dedupe_key}
    assert len(keys) == 4  # available and incoming for each of the two items


async def test_a_shelf_count_sends_what_differs(station: Container) -> None:
    app = PackdeskApp(station.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, CountScreen) and "Count at CA" in title(app, "#count-title")
            ),
        )
        for code in ("0700000000011", "0700000000011", "0700000000028"):
            await scan(pilot, code)
        await scan(pilot, "NOT-A-CODE")
        await until(pilot, lambda: app.screen.query_one(ScanAlert).shown)
        await pilot.press("escape")
        await pilot.press("ctrl+f")
        await until(pilot, lambda: not isinstance(app.screen, CountScreen))
    counts = {i.payload["inventory_item_id"]: i.payload for i in station.outbox.items()}
    assert counts["IV1"]["quantity"] == 2
    assert counts["IV1"]["expected"] == 3
    assert counts["IV2"]["quantity"] == 1


def test_stock_screen_snapshot(snap_compare: Any, station: Container) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)

    app = PackdeskApp(station.desk, status_every_s=0)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
