"""End to end in the TUI against the sandbox, as `packdesk demo` runs it: open a demo order
by scanning its slip code, scan every item; then the label and slip files exist, and once
the outbox has run the sandbox Shopify has the fulfillment with the tracking number and the
sandbox mail has the shipping email."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from packdesk.bootstrap import Container
from packdesk.domain.states import StationState
from packdesk.sandbox.server import SandboxServer
from packdesk.settings import load_settings
from packdesk.tui.app import PackdeskApp
from packdesk.tui.screens.pack import PackScreen
from packdesk.tui.widgets.alert import ScanAlert
from packdesk.tui.widgets.queue_table import QueueTable
from tests.tui.pilot import scan, settle, until

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_server() -> Iterator[SandboxServer]:
    server = SandboxServer(seed=7, orders=40)
    server.start()
    yield server
    server.stop()


def open_station(server: SandboxServer, data_dir: Path) -> Container:
    """The station `packdesk demo` builds on `server` (its background jobs not started)."""
    data_dir.mkdir()
    server.write_config(data_dir / "config.toml", data_dir)
    return Container(load_settings(data_dir / "config.toml"), demo=True)


async def test_scan_a_demo_order_and_it_ships(demo_server: SandboxServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    station = open_station(demo_server, data_dir)
    control = httpx.Client(base_url=demo_server.info.control_url, timeout=30)  # type: ignore[union-attr]
    control.delete("/mail")
    try:
        summary = station.desk.sync_now()
        assert summary.results
        assert not summary.failed, summary
        rows = [
            r
            for r in station.desk.queue_rows()
            if r.state in (StationState.NEW, StationState.READY) and not r.problems
        ]
        order = next(
            o
            for r in rows
            if (o := station.store.orders.get(r.order_id)) is not None
            and o.shipping_address is not None
            and o.shipping_address.is_domestic  # the demo config has no customs data
        )
        app = PackdeskApp(station.desk, status_every_s=0)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await scan(pilot, order.name, "tab")  # the slip's Code128, Tab-terminated
            screen = app.screen
            assert isinstance(screen, PackScreen)
            for line in list(screen.session.lines):
                for _ in range(line.expected):
                    await scan(pilot, line.barcode or line.sku)
                    assert not screen.query_one(ScanAlert).shown, screen.query_one(
                        ScanAlert
                    ).render()
            outcome = screen.session.outcome
            assert outcome is not None
            assert outcome.ok, (outcome.label_error, outcome.print_error)
            assert outcome.tracking_number in str(screen.query_one("#pack-outcome").render())
        prints = data_dir / "print"
        assert (prints / f"{order.number}-label.pdf").stat().st_size > 0
        assert (prints / f"{order.number}-slip.pdf").read_bytes().startswith(b"%PDF")

        for _ in range(3):
            station.outbox.run_once()
        numeric = order.id.rsplit("/", 1)[1]
        upstream = control.get(f"/shopify/orders/{numeric}").json()
        tracking = [f.get("tracking_number") for f in upstream["fulfillments"]]
        assert outcome.tracking_number in tracking
        mail = control.get("/mail").json()
        recipient = order.email or order.customer.email
        assert any(
            recipient in m["to"] and outcome.tracking_number in (m["text"] or "") for m in mail
        ), [(m["to"], m["subject"]) for m in mail]
    finally:
        control.close()
        station.close()


async def test_mistakes_undo_reprint_void_hold_and_quit_mid_pack(
    demo_server: SandboxServer, tmp_path: Path
) -> None:
    station = open_station(demo_server, tmp_path / "demo2")
    control = httpx.Client(base_url=demo_server.info.control_url, timeout=30)  # type: ignore[union-attr]
    bells: list[int] = []
    try:
        station.desk.sync_now()
        ready = [
            r
            for r in station.desk.queue_rows()
            if r.state in (StationState.NEW, StationState.READY) and not r.problems
        ]
        orders = [
            o
            for r in ready
            if (o := station.store.orders.get(r.order_id)) is not None
            and o.shipping_address is not None
            and o.shipping_address.is_domestic  # the demo config has no customs data
        ]
        # Two lines at least: the first line can be over-scanned while the order is open.
        first = next(o for o in orders if len(o.line_items) >= 2)
        second = next(o for o in orders if o.id != first.id and o.item_count >= 2)
        app = PackdeskApp(station.desk, status_every_s=0)
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await scan(pilot, first.name)
            screen = app.screen
            assert isinstance(screen, PackScreen)
            alert = screen.query_one(ScanAlert)
            mine = {ln.barcode for ln in screen.session.lines}
            other = next(
                v.barcode
                for li in second.line_items
                if (v := station.store.catalog.variant_for_code(li.sku)) and v.barcode not in mine
            )
            await scan(pilot, other)  # wrong item
            assert alert.shown
            assert "Wrong item" in str(alert.render())
            await pilot.press("escape")
            line = screen.session.lines[0]
            for _ in range(line.expected):
                await scan(pilot, line.barcode)
            await scan(pilot, line.barcode)  # one too many
            assert "Too many" in str(alert.render())
            await pilot.press("escape")
            await pilot.press("ctrl+z")  # undo the last good scan
            await settle(pilot)
            assert screen.session.lines[0].scanned == line.expected - 1
            await scan(pilot, line.barcode)
            await pilot.press("f8")  # the packer picks a bigger box and weighs the parcel
            await settle(pilot)
            await pilot.press(*"M-12x10x6, 900 g", "enter")
            await settle(pilot)
            assert screen.session.package is not None
            assert (screen.session.package.box, screen.session.package.weight_g) == (
                "M-12x10x6",
                900,
            )
            assert "M-12x10x6" in str(screen.query_one("#pack-box").render())
            for rest in screen.session.lines[1:]:
                for _ in range(rest.expected):
                    await scan(pilot, rest.barcode or rest.sku)
            outcome = screen.session.outcome
            assert outcome is not None
            assert outcome.ok, outcome
            assert len(bells) >= 2  # each refusal rang

            await pilot.press("f3")  # reprint slip
            await pilot.press("f2")  # reprint label
            await settle(pilot)

            def jobs(role: str) -> list[Any]:
                return [
                    j for j in station.store.print_jobs.for_order(first.id) if j.role.value == role
                ]

            assert (len(jobs("slip")), len(jobs("label"))) == (2, 2)
            await pilot.press("f4")  # void, and confirm
            await settle(pilot)
            await pilot.click("#void")
            await settle(pilot)
            voided = station.store.station.get(first.id)
            assert voided is not None
            assert voided.state is StationState.PACKED
            refunds = [
                t
                for t in control.get("/shippo/transactions").json()
                if t.get("tracking_number") == outcome.tracking_number
            ]
            assert refunds
            assert any(t.get("refund") or t.get("refund_status") for t in refunds), refunds

            await pilot.press("escape")  # back to the queue
            await settle(pilot)
            assert not isinstance(app.screen, PackScreen)
            await pilot.press("slash", *second.name.lstrip("#"), "enter")
            await until(pilot, lambda: app.screen.query_one(QueueTable).row_count == 1, "search")
            await pilot.press("f5")  # hold
            await settle(pilot)
            await pilot.press(*"box damaged", "enter")
            await settle(pilot)
            held = station.store.station.get(second.id)
            assert held is not None
            assert held.state is StationState.ON_HOLD
            await pilot.press("f5")  # release
            await settle(pilot)
            released = station.store.station.get(second.id)
            assert released is not None
            assert released.state is not StationState.ON_HOLD
            await pilot.press("escape")
            await scan(pilot, second.name)
            assert isinstance(app.screen, PackScreen)
            line = app.screen.session.lines[0]
            await scan(pilot, line.barcode or line.sku)
            await pilot.press("q")  # quit mid-pack asks
            await settle(pilot)
            await pilot.click("#keep")
            await settle(pilot)
        kept = station.store.station.get(second.id)
        assert kept is not None
        assert kept.state is StationState.PACKING  # kept to resume after a restart
        assert station.store.station.scanned_quantities(second.id) == {line.line_item_id: 1}
    finally:
        control.close()
        station.close()
