"""Pilot tests of the packing station: as a packer would use it, on real SQLite with a
fixed clock and fakes of the label and print services."""

from __future__ import annotations

from pathlib import Path

from packdesk.domain.states import StationState
from packdesk.services.station import StationService
from packdesk.tui.app import PackdeskApp
from packdesk.tui.screens.pack import PackScreen
from packdesk.tui.screens.queue import QueueScreen
from packdesk.tui.widgets.alert import ScanAlert
from packdesk.tui.widgets.queue_table import QueueTable
from packdesk.tui.widgets.scan_field import ScanField

from .conftest import Rig, build_rig

SIZE = (120, 40)


async def settle(app: PackdeskApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def scan(pilot: object, code: str, end: str = "enter") -> None:
    await pilot.press(*code, end)  # type: ignore[attr-defined]


async def open_pack(app: PackdeskApp, pilot: object, name: str = "#1001") -> PackScreen:
    """Scan the order's slip on the queue and wait for its pack screen."""
    await settle(app, pilot)
    await scan(pilot, name)
    await settle(app, pilot)
    assert isinstance(app.screen, PackScreen)
    return app.screen


def count_bells(app: PackdeskApp) -> list[int]:
    """Swap the terminal bell for a list the test can count."""
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    return bells


async def test_queue_sorted_by_urgency(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(QueueTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        # express first, then priority, then standard by age; #1005 ships from PA
        assert names == ["#1002", "#1003", "#1004", "#1001"]


async def test_scan_slip_then_items_ships(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await scan(pilot, "#1001", "tab")  # a Tab-suffixed scanner opens it too
        await settle(app, pilot)
        assert isinstance(app.screen, PackScreen)
        await scan(pilot, "0700000000011")
        await scan(pilot, "0700000000028", "tab")
        await scan(pilot, "FLASH-ADD")
        await settle(app, pilot)
        assert rig.labels.bought == ["gid://shopify/Order/1001"]
        assert rig.printing.slips == ["gid://shopify/Order/1001"]
        outcome = str(app.screen.query_one("#pack-outcome").render())
        assert "9400100000000000000001" in outcome
        assert "#1002" in outcome  # the next order is offered
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, PackScreen)
        assert app.screen.session.order.name == "#1002"


async def test_a_burst_of_scans_counts_every_item_once_in_order(rig: Rig) -> None:
    """A scanner emptying a tote fires codes back to back, faster than each is stored: every
    one counts, the over-scan at the end is still caught, and nothing is stored twice."""
    app = PackdeskApp(rig.desk, status_every_s=0)
    bells = count_bells(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_pack(app, pilot)
        burst = ("0700000000011", "0700000000011", "0700000000028")
        await pilot.press(*[key for code in burst for key in (*code, "enter")])
        await settle(app, pilot)
        # The second scan of the same item is one too many; the third, a right item, came
        # while that error showed, so it is refused too (bell) and not stored.
        assert rig.store.station.scanned_quantities("gid://shopify/Order/1001") == {"L1001-0": 1}
        assert "Too many" in str(app.screen.query_one(ScanAlert).render())
        assert bells == [1, 1]
        assert screen.session.scanned == 1


async def test_wrong_scan_is_loud_and_blocks_until_esc(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    bells = count_bells(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_pack(app, pilot)
        await scan(pilot, "0700000000035")  # a globe: not on this order
        alert = app.screen.query_one(ScanAlert)
        assert alert.shown
        assert "Wrong item" in str(alert.render())
        assert bells == [1]
        await scan(pilot, "0700000000011")  # refused while the alert shows
        assert bells == [1, 1]
        assert rig.store.station.scanned_quantities("gid://shopify/Order/1001") == {}
        await pilot.press("escape")
        assert not alert.shown
        await scan(pilot, "0700000000011")
        await scan(pilot, "0700000000011")  # over-scan
        assert alert.shown
        assert "Too many" in str(alert.render())
        await pilot.press("escape")
        await scan(pilot, "XYZ-404")
        assert "Unknown code" in str(alert.render())
        await pilot.press("escape")
        await pilot.press("ctrl+z")
        assert rig.store.station.scanned_quantities("gid://shopify/Order/1001") == {}


async def test_quit_mid_pack_asks_and_abandons(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_pack(app, pilot)
        await scan(pilot, "0700000000011")
        await pilot.press("q")
        await pilot.pause()
        assert "half packed" in str(app.screen.query_one(".modal-question").render())
        await pilot.click("#abandon")
        await pilot.pause()
    current = rig.store.station.get("gid://shopify/Order/1001")
    assert current is not None
    assert current.state is StationState.NEW
    assert rig.store.station.scanned_quantities("gid://shopify/Order/1001") == {}


async def test_hold_release_reprint_and_void(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("f5")  # hold the selected (#1002)
        await pilot.pause()
        await pilot.press(*"damaged", "enter")
        await settle(app, pilot)
        held = rig.store.station.get("gid://shopify/Order/1002")
        assert held is not None
        assert held.state is StationState.ON_HOLD
        assert held.reason == "damaged"
        table = app.screen.query_one(QueueTable)
        assert table.selected_order_id == "gid://shopify/Order/1002"  # selection kept
        await pilot.press("f5")  # release
        await settle(app, pilot)
        released = rig.store.station.get("gid://shopify/Order/1002")
        assert released is not None
        assert released.state is StationState.NEW
        await pilot.press("f2")
        await settle(app, pilot)
        assert any("Label sent" in n.message for n in app._notifications)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.click("#void")
        await settle(app, pilot)
        assert any("voided" in n.message for n in app._notifications)


async def test_keymap_from_config_changes_a_binding(tmp_path: Path) -> None:
    rig = build_rig(tmp_path / "k.db", keys={"undo": "f12", "hold": "f11"})
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_pack(app, pilot)
        await scan(pilot, "0700000000011")
        await pilot.press("ctrl+z")  # no longer undo
        assert rig.store.station.scanned_quantities("gid://shopify/Order/1001") == {"L1001-0": 1}
        await pilot.press("f12")
        assert rig.store.station.scanned_quantities("gid://shopify/Order/1001") == {}
    rig.store.close()


async def test_search_filters_queue(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(QueueTable)

        def names() -> list[str]:
            return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]

        await pilot.press("slash", *"globe")  # a SKU on the order, any case
        await settle(app, pilot)
        assert names() == ["#1002"]
        await pilot.press(*["backspace"] * 5, *"1003")  # the order name
        await settle(app, pilot)
        assert names() == ["#1003"]
        await pilot.press(*["backspace"] * 4, *"zzz")
        await settle(app, pilot)
        assert names() == []
        await pilot.press("escape")
        await settle(app, pilot)
        assert table.row_count == 4


async def test_typed_words_search_but_a_scanned_unknown_code_is_loud(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        detector = app.screen.query_one(ScanField).detector
        detector.max_interkey_ms = 0  # every key counts as a person's (Pilot's timing varies)
        await pilot.press(*"globe", "enter")
        await settle(app, pilot)
        table = app.screen.query_one(QueueTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["#1002"]
        await pilot.press("escape")
        await settle(app, pilot)
        detector.max_interkey_ms = 10_000  # every key counts as the scanner's
        await scan(pilot, "NOPE99")  # not an order, from a scanner: an error
        alert = app.screen.query_one(ScanAlert)
        assert alert.shown
        assert "No order NOPE99" in str(alert.render())


async def test_live_updates_keep_the_selection(rig: Rig) -> None:
    from packdesk.domain.events import OrderStateChanged

    from .factory import NOW, make_order

    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(QueueTable)
        await pilot.press("down", "down")
        assert table.selected_order_id == "gid://shopify/Order/1004"
        rig.store.orders.save(make_order(1010, [("V5", 1)], service="Express", age_h=1))
        rig.bus.publish(  # as the sync job does, from its own thread
            OrderStateChanged(
                at=NOW, order_id="gid://shopify/Order/1010", order_name="#1010",
                from_state=None, to_state=StationState.NEW,
            )
        )  # fmt: skip
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert table.row_count == 5
        assert str(table.get_row_at(1)[0]) == "#1010"  # express, younger than #1002
        assert table.selected_order_id == "gid://shopify/Order/1004"


async def test_detail_health_and_palette(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "ctrl+o")
        await settle(app, pilot)
        body = str(app.screen.query_one("#detail-body").render())
        assert "#1003" in body
        assert "Gift wrap" in body
        assert "1 Main St" in body
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press(*"fragile", "enter")
        await settle(app, pilot)
        assert "fragile" in str(app.screen.query_one("#detail-body").render())
        await pilot.press("escape", "f10")
        await settle(app, pilot)
        health = str(app.screen.query_one("#health-body").render())
        assert "0 pending" in health
        assert "labels (folder, label)" in health
        await pilot.press("escape")
        await pilot.pause()
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Sync now", "Health", "Reprint label", "Void label", "Hold / release order"} <= set(
            commands
        )


def test_sync_age_turns_amber_then_red() -> None:
    from packdesk.tui.widgets.status_bar import sync_style

    assert sync_style(60) == "green"
    assert "orange" in sync_style(10 * 60)
    assert "red" in sync_style(2 * 3600)
    assert "red" in sync_style(None)


async def test_an_order_cancelled_upstream_mid_pack_is_loud(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_pack(app, pilot)
        await scan(pilot, "0700000000011")
        other = build_station_for(rig)
        other.move(
            "gid://shopify/Order/1001", StationState.CANCELLED, actor="sync", reason="customer"
        )
        await pilot.pause(0.5)
        alert = app.screen.query_one(ScanAlert)
        assert alert.shown
        assert "cancelled elsewhere (customer)" in str(alert.render())
        await pilot.press("escape")
        await scan(pilot, "0700000000028")
        assert "is CANCELLED: it must not be packed" in str(alert.render())
    assert rig.store.station.scanned_quantities("gid://shopify/Order/1001") == {"L1001-0": 1}


def build_station_for(rig: Rig) -> StationService:
    return StationService(rig.store, rig.bus, rig.clock)
