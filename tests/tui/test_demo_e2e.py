"""End to end in the TUI against the sandbox, as `packdesk demo` runs it: open a demo order
by scanning its slip code, scan every item; then the label and slip files exist, and once
the outbox has run the sandbox Shopify has the fulfillment with the tracking number and the
sandbox mail has the shipping email."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from packdesk.bootstrap import build_outbox, build_station, build_station_runtime
from packdesk.cli.tui import ensure_demo_boxes
from packdesk.domain.states import StationState
from packdesk.sandbox.server import SandboxServer
from packdesk.settings import load_settings
from packdesk.tui.app import PackdeskApp
from packdesk.tui.screens.pack import PackScreen
from packdesk.tui.widgets.alert import ScanAlert


@pytest.fixture(scope="module")
def demo_server() -> Iterator[SandboxServer]:
    server = SandboxServer(seed=7, orders=40)
    server.start()
    yield server
    server.stop()


async def wait_for(check: Any, timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not check():
        if loop.time() > end:
            raise AssertionError("timed out waiting for the station")
        await asyncio.sleep(0.05)


async def test_scan_a_demo_order_and_it_ships(demo_server: SandboxServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    data_dir.mkdir()
    demo_server.write_config(data_dir / "config.toml", data_dir)
    ensure_demo_boxes(data_dir / "config.toml")
    settings = load_settings(data_dir / "config.toml")
    station = build_station(settings, demo=True)
    runtime = build_station_runtime(station)
    control = httpx.Client(base_url=demo_server.info.control_url, timeout=30)  # type: ignore[union-attr]
    control.delete("/mail")
    try:
        assert "Synced" in runtime.desk.sync_now()
        rows = [
            r
            for r in runtime.desk.queue_rows()
            if r.state in (StationState.NEW, StationState.READY) and not r.problems
        ]
        assert rows, "the demo shop has an order ready to pack"
        order = station.store.get_order(rows[0].order_id)
        assert order is not None
        app = PackdeskApp(runtime.desk, status_every_s=0)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press(*order.name, "tab")  # the slip's Code128, Tab-terminated
            await wait_for(lambda: isinstance(app.screen, PackScreen))
            screen = app.screen
            assert isinstance(screen, PackScreen)
            for line in list(screen.session.lines):
                for _ in range(line.expected):
                    await pilot.press(*(line.barcode or line.sku), "enter")
                    assert not screen.query_one(ScanAlert).shown, screen.query_one(
                        ScanAlert
                    ).render()
            await wait_for(lambda: screen.session.outcome is not None)
            await pilot.pause()
            outcome = screen.session.outcome
            assert outcome is not None
            assert outcome.ok, (outcome.label_error, outcome.print_error)
            assert outcome.tracking_number in str(screen.query_one("#pack-outcome").render())
        prints = data_dir / "print"
        assert (prints / f"{order.number}-label.pdf").stat().st_size > 0
        assert (prints / f"{order.number}-slip.pdf").read_bytes().startswith(b"%PDF")

        outbox = build_outbox(station, shopify=True)
        for _ in range(3):
            outbox.run_once()
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
        runtime.close()
        station.close()
