"""Pilot tests of the packing station: as a packer would use it, on the station production
builds (real SQLite, folder printers, a fixed clock, the carrier faked at its port), observed
through the messages its screens and workers send."""

from __future__ import annotations

from pathlib import Path

from packdesk.domain.events import OrderStateChanged
from packdesk.domain.models import PrintRole
from packdesk.domain.scanning import ScanOutcome
from packdesk.domain.states import StationState
from packdesk.services.desk import Reprinted, Voided
from packdesk.services.station import StationService
from packdesk.tui.app import PackdeskApp
from packdesk.tui.messages import (
    OrderActionDone,
    PackAbandoned,
    PackFinished,
    PackOpened,
    PackStopped,
    QueueLoaded,
    QuitStation,
    ScanChecked,
    ScanUndone,
)
from packdesk.tui.screens.pack import PackScreen
from packdesk.tui.screens.queue import QueueScreen
from packdesk.tui.widgets.alert import ScanAlert
from packdesk.tui.widgets.queue_table import QueueTable
from packdesk.tui.widgets.scan_field import ScanField

from .conftest import Rig, build_rig
from .factory import NOW, make_order
from .pilot import SIZE, Messages, count_bells, open_pack, scan, settle, until

O1001 = "gid://shopify/Order/1001"


def names(table: QueueTable) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_queue_sorted_by_urgency(rig: Rig) -> None:
    messages = Messages()
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        # express first, then priority, then standard by age; #1005 ships from PA
        assert [r.name for r in messages.of(QueueLoaded)[-1].rows] == [
            "#1002",
            "#1003",
            "#1004",
            "#1001",
        ]
        assert names(app.screen.query_one(QueueTable)) == ["#1002", "#1003", "#1004", "#1001"]


async def test_scan_slip_then_items_ships(rig: Rig) -> None:
    messages = Messages()
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        await scan(pilot, "#1001", "tab")  # a Tab-suffixed scanner opens it too
        [opened] = messages.of(PackOpened)
        assert opened.session.order.name == "#1001"
        assert isinstance(app.screen, PackScreen)
        await scan(pilot, "0700000000011")
        await scan(pilot, "0700000000028", "tab")
        await scan(pilot, "FLASH-ADD")
        checked = [m.result for m in messages.of(ScanChecked)]
        assert [r.outcome for r in checked] == [ScanOutcome.TICK] * 3
        assert [r.complete for r in checked] == [False, False, True]
        [finished] = messages.of(PackFinished)
        [label] = rig.carrier.live()
        assert finished.outcome.ok
        assert finished.outcome.tracking_number == label.tracking_number
        assert finished.next_name == "#1002"
        outcome = str(app.screen.query_one("#pack-outcome").render())
        assert label.tracking_number in outcome
        assert "#1002" in outcome  # the next order is offered
        assert (rig.prints / "1001-label.pdf").exists()
        assert (rig.prints / "1001-slip.pdf").exists()
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert [m.session.order.name for m in messages.of(PackOpened)] == ["#1001", "#1002"]
        assert isinstance(app.screen, PackScreen)
        assert app.screen.session.order.name == "#1002"


async def test_a_burst_of_scans_counts_every_item_once_in_order(rig: Rig) -> None:
    """A scanner emptying a tote fires codes back to back, faster than each is stored: every
    one counts, the over-scan at the end is still caught, and nothing is stored twice."""
    messages = Messages()
    app = PackdeskApp(rig.desk, status_every_s=0)
    bells = count_bells(app)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = await open_pack(pilot)
        burst = ("0700000000028", "0700000000011", "0700000000011", "0700000000028")
        await pilot.press(*[key for code in burst for key in (*code, "enter")])
        await settle(pilot)
        # The third scan is one abacus too many; the fourth, a right item, came while that
        # refusal waited for Esc, so it is refused too (bell) and not stored: by the screen
        # when the refusal already showed, else by the session behind it.
        outcomes = [m.result.outcome for m in messages.of(ScanChecked)]
        assert outcomes[:3] == [ScanOutcome.TICK, ScanOutcome.TICK, ScanOutcome.OVER_SCAN]
        assert outcomes[3:] in ([], [ScanOutcome.UNACKNOWLEDGED])
        assert rig.store.station.scanned_quantities(O1001) == {"L1001-0": 1, "L1001-1": 1}
        assert "Too many" in str(app.screen.query_one(ScanAlert).render())
        assert bells == [1, 1]
        assert screen.session.scanned == 2


async def test_wrong_scan_is_loud_and_blocks_until_esc(rig: Rig) -> None:
    messages = Messages()
    app = PackdeskApp(rig.desk, status_every_s=0)
    bells = count_bells(app)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await open_pack(pilot)
        await scan(pilot, "0700000000035")  # a globe: not on this order
        alert = app.screen.query_one(ScanAlert)
        assert alert.shown
        assert "Wrong item" in str(alert.render())
        assert bells == [1]
        await scan(pilot, "0700000000011")  # refused while the alert shows
        assert bells == [1, 1]
        assert rig.store.station.scanned_quantities(O1001) == {}
        await pilot.press("escape")
        assert not app.screen.query_one(ScanAlert).shown
        await scan(pilot, "0700000000011")
        await scan(pilot, "0700000000011")  # over-scan
        assert alert.shown
        assert "Too many" in str(alert.render())
        await pilot.press("escape")
        await scan(pilot, "XYZ-404")
        assert "Unknown code" in str(alert.render())
        await pilot.press("escape")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert rig.store.station.scanned_quantities(O1001) == {}
        assert [m.result.outcome for m in messages.of(ScanChecked)] == [
            ScanOutcome.WRONG_ITEM,
            ScanOutcome.TICK,
            ScanOutcome.OVER_SCAN,
            ScanOutcome.UNKNOWN_CODE,
        ]
        [undone] = messages.of(ScanUndone)
        assert undone.scan is not None
        assert undone.scan.code == "0700000000011"


async def test_quit_mid_pack_asks_and_abandons(rig: Rig) -> None:
    messages = Messages()
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await open_pack(pilot)
        await scan(pilot, "0700000000011")
        await pilot.press("q")
        await settle(pilot)
        assert "half packed" in str(app.screen.query_one(".modal-question").render())
        await pilot.click("#abandon")
        await until(pilot, lambda: bool(messages.of(QuitStation)), "the station quits")
    [abandoned] = messages.of(PackAbandoned)
    assert abandoned.state is StationState.NEW
    current = rig.store.station.get(O1001)
    assert current is not None
    assert current.state is StationState.NEW
    assert rig.store.station.scanned_quantities(O1001) == {}


async def test_hold_and_release_from_the_queue(rig: Rig) -> None:
    messages = Messages()
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("f5")  # hold the selected (#1002)
        await settle(pilot)
        await pilot.press(*"damaged", "enter")
        await settle(pilot)
        held = rig.store.station.get("gid://shopify/Order/1002")
        assert held is not None
        assert held.state is StationState.ON_HOLD
        assert held.reason == "damaged"
        table = app.screen.query_one(QueueTable)
        assert table.selected_order_id == "gid://shopify/Order/1002"  # selection kept
        await pilot.press("f5")  # release: no question
        await settle(pilot)
        released = rig.store.station.get("gid://shopify/Order/1002")
        assert released is not None
        assert released.state is not StationState.ON_HOLD
        results = [m.result for m in messages.of(OrderActionDone)]
        assert [getattr(r, "state", None) for r in results] == [
            StationState.ON_HOLD,
            released.state,
        ]
        assert any(f"Order is now {released.state.value}" in n.message for n in app._notifications)


async def test_reprint_and_void_after_shipping(rig: Rig) -> None:
    messages = Messages()
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await open_pack(pilot, "#1002")
        await scan(pilot, "0700000000035")  # its one item: bought and printed
        [label] = rig.carrier.live()
        await pilot.press("f3")  # reprint slip
        await settle(pilot)
        await pilot.press("f2")  # reprint label
        await settle(pilot)
        reprints = [m.result for m in messages.of(OrderActionDone)]
        assert reprints == [
            Reprinted(PrintRole.SLIP, "slips", ("1002-slip.pdf",)),
            Reprinted(PrintRole.LABEL, "labels", ("1002-label.pdf",)),
        ]
        jobs = rig.store.print_jobs.for_order("gid://shopify/Order/1002")
        assert sorted(j.role.value for j in jobs) == ["label", "label", "slip", "slip"]
        assert any("Label sent to labels again" in n.message for n in app._notifications)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.click("#void")
        await settle(pilot)
        voided = messages.of(OrderActionDone)[-1].result
        assert voided == Voided((label.tracking_number,), StationState.PACKED)
        assert rig.carrier.refunds == [label.transaction_id]
        assert any(
            f"Voided 1 label ({label.tracking_number})" in n.message for n in app._notifications
        )
        assert "PACKED" in str(app.screen.query_one("#pack-head").render())


async def test_keymap_from_config_changes_a_binding(tmp_path: Path) -> None:
    rig = build_rig(tmp_path, keys={"undo": "f12", "hold": "f11"})
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_pack(pilot)
        await scan(pilot, "0700000000011")
        await pilot.press("ctrl+z")  # no longer undo
        await settle(pilot)
        assert rig.store.station.scanned_quantities(O1001) == {"L1001-0": 1}
        await pilot.press("f12")
        await settle(pilot)
        assert rig.store.station.scanned_quantities(O1001) == {}
    rig.close()


async def test_search_filters_queue(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        await pilot.press("slash", *"globe")  # a SKU on the order, any case
        await settle(pilot)
        assert names(table) == ["#1002"]
        await pilot.press(*["backspace"] * 5, *"1003")  # the order name
        await settle(pilot)
        assert names(table) == ["#1003"]
        await pilot.press(*["backspace"] * 4, *"zzz")
        await settle(pilot)
        assert names(table) == []
        await pilot.press("escape")
        await settle(pilot)
        assert table.row_count == 4


async def test_typed_words_search_but_a_scanned_unknown_code_is_loud(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detector = app.screen.query_one(ScanField).detector
        detector.max_interkey_ms = 0  # every key counts as a person's (Pilot's timing varies)
        await scan(pilot, "globe")
        table = app.screen.query_one(QueueTable)
        assert names(table) == ["#1002"]
        await pilot.press("escape")
        await settle(pilot)
        detector.max_interkey_ms = 10_000  # every key counts as the scanner's
        await scan(pilot, "NOPE99")  # not an order, from a scanner: an error
        alert = app.screen.query_one(ScanAlert)
        assert alert.shown
        assert "No order NOPE99" in str(alert.render())


async def test_live_updates_keep_the_selection(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
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
        await until(pilot, lambda: table.row_count == 5, "the new order shows")
        assert names(table)[1] == "#1010"  # express, younger than #1002
        assert table.selected_order_id == "gid://shopify/Order/1004"


async def test_detail_health_and_palette(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "ctrl+o")
        await settle(pilot)
        body = str(app.screen.query_one("#detail-body").render())
        assert "#1003" in body
        assert "Gift wrap" in body
        assert "1 Main St" in body
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press(*"fragile", "enter")
        await settle(pilot)
        assert "fragile" in str(app.screen.query_one("#detail-body").render())
        await pilot.press("escape", "f10")
        await settle(pilot)
        health = str(app.screen.query_one("#health-body").render())
        assert "0 pending" in health
        assert "labels (folder, label)" in health
        await pilot.press("escape")
        await settle(pilot)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Sync now", "Health", "Reprint label", "Void label", "Hold / release order"} <= set(
            commands
        )


async def test_sync_now_says_shopify_did_not_answer(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        [said] = [n.message for n in app._notifications if "Sync" in n.message]
        assert said.startswith("Sync finished with errors: locations: Shopify did not answer")


def test_sync_age_turns_amber_then_red() -> None:
    from packdesk.tui.widgets.status_bar import sync_style

    assert sync_style(60) == "green"
    assert "orange" in sync_style(10 * 60)
    assert "red" in sync_style(2 * 3600)
    assert "red" in sync_style(None)


async def test_an_order_cancelled_upstream_mid_pack_is_loud(rig: Rig) -> None:
    messages = Messages()
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await open_pack(pilot)
        await scan(pilot, "0700000000011")
        StationService(rig.store, rig.bus, rig.clock).move(
            O1001, StationState.CANCELLED, actor="sync", reason="customer"
        )
        await until(pilot, lambda: bool(messages.of(PackStopped)), "the pack is stopped")
        alert = app.screen.query_one(ScanAlert)
        assert alert.shown
        assert "cancelled elsewhere (customer)" in str(alert.render())
        await pilot.press("escape")
        await scan(pilot, "0700000000028")
        assert "is CANCELLED: it must not be packed" in str(alert.render())
    assert rig.store.station.scanned_quantities(O1001) == {"L1001-0": 1}
