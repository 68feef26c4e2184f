"""The container builds each adapter and service once, from Settings, on first use; a test
hands it fakes in place of adapters and gets production's wiring around them."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from packdesk.bootstrap import Container
from packdesk.domain.clock import FixedClock
from packdesk.domain.models import Order
from packdesk.domain.outbox import DeliveryFailed, OutgoingEmail
from packdesk.settings import (
    AnalyticsSettings,
    ConfigError,
    PrinterSettings,
    PrintingSettings,
    ReportSettings,
    Settings,
    ShippingSettings,
    ShippoSettings,
    ShopifySettings,
    StationSettings,
    SyncSettings,
)

T0 = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


class UnusedCarrier:
    """A carrier no test here calls: it stands in for Shippo so that nothing is built for it."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the carrier was asked for {name}")


def settings(tmp_path: Path, *, tokens: bool = True, **sections: Any) -> Settings:
    prints = str(tmp_path / "print")
    values: dict[str, Any] = {
        "station": StationSettings(data_dir=str(tmp_path / "data")),
        "printers": [
            PrinterSettings(name="labels", kind="folder", role="label", target=prints),
            PrinterSettings(name="slips", kind="folder", role="slip", target=prints),
        ],
    }
    if tokens:
        values["shopify"] = ShopifySettings(
            access_token="shpat-test", endpoint="http://127.0.0.1:9"
        )
        values["shippo"] = ShippoSettings(api_token="shippo_test_x", endpoint="http://127.0.0.1:9")
    return Settings(**(values | sections))


def test_every_service_works_on_the_one_store_station_and_carrier(tmp_path: Path) -> None:
    carrier = UnusedCarrier()
    clock = FixedClock(T0)
    with Container(settings(tmp_path), carrier=carrier, clock=clock) as c:
        assert c.shipping.carrier.carrier is carrier  # type: ignore[attr-defined]  # timed
        assert c.shipping.clock is clock
        assert c.labels.shipping is c.shipping
        assert c.tracking.shipping is c.shipping
        assert c.packing.labels is c.labels
        assert c.packing.printing is c.printing
        assert c.packing.shipping is c.shipping
        for service in (c.packing, c.printing, c.sync.orders, c.desk):
            assert service.station is c.station
        for user in (c.station, c.shipping, c.printing, c.outbox, c.sync, c.queue):
            assert user.store is c.store
        assert c.desk.packing is c.packing
        assert c.desk.bus is c.bus


def test_sync_and_the_outbox_each_have_their_own_shopify_client(tmp_path: Path) -> None:
    with Container(settings(tmp_path)) as c:
        assert c.sync.catalog.shop is c.shop
        assert c.sync.orders.shop is c.shop
        assert c.sync_client is not c.outbox_client
        assert c.sync_client.max_attempts > 1  # a read may be repeated
        assert c.outbox_client.max_attempts == 1  # a write is checked upstream first
        fulfillment = c.outbox.handlers["fulfillment"]
        assert fulfillment.shop is c.upstream  # type: ignore[attr-defined]


def test_a_command_builds_only_what_it_uses(tmp_path: Path) -> None:
    """`packdesk rates`, `sync` and `outbox` run with a printer the config gets wrong; only
    what prints says so."""
    wrong = PrinterSettings(name="zebra", kind="zpl", role="slip", target="tcp://127.0.0.1:9")
    with Container(settings(tmp_path, printers=[wrong]), carrier=UnusedCarrier()) as c:
        assert c.shipping.config.location_code == "CA"
        assert c.sync.orders.location_code == "CA"
        assert c.outbox.handlers["email"] is c.comms
        with pytest.raises(ConfigError, match="packing slips print as PDF or ESC/POS, not ZPL"):
            c.printing.run_once()


def test_every_job_runs_at_the_interval_its_setting_gives(tmp_path: Path) -> None:
    config = settings(
        tmp_path,
        sync=SyncSettings(orders_every_s=45, catalog_every_s=600, inventory_every_s=120),
        printing=PrintingSettings(every_s=7),
        shipping=ShippingSettings(
            rates_every_s=90,
            label_retry_every_s=20,
            label_sweep_every_s=240,
            tracking_every_min=30,
        ),
        analytics=AnalyticsSettings(snapshot_every_min=30),
        reports=ReportSettings(weekly=True),
    )
    with Container(config) as c:
        assert {job.name: job.every_s for job in c.jobs} == {
            "sync_catalog": 600,
            "sync_inventory": 120,
            "sync_orders": 45,
            "sweep_webhooks": 60,
            "print_queue": 7,
            "deliver_outbox": 15,
            "fetch_rates": 90,
            "buy_pending_labels": 20,
            "sweep_labels": 240,
            "refresh_tracking": 1800,
            "check_stock": 900,
            "snapshot_stock": 1800,
            "weekly_report": 900,
        }
        assert [job.name for job in c.sync_jobs] == [
            "sync_catalog",
            "sync_inventory",
            "sync_orders",
            "sweep_webhooks",
        ]


def test_without_tokens_only_local_work_is_scheduled_and_shopify_effects_wait(
    tmp_path: Path,
) -> None:
    with Container(settings(tmp_path, tokens=False)) as c:
        assert [job.name for job in c.jobs] == [
            "print_queue",
            "deliver_outbox",
            "check_stock",
            "snapshot_stock",
        ]
        assert sorted(c.outbox.handlers) == ["business_email", "email", "report"]


def test_the_email_sender_none_says_how_to_switch_sending_on(tmp_path: Path) -> None:
    email = OutgoingEmail(
        key="email:shipping_confirmation:1",
        message_id="<1@packdesk>",
        from_address="orders@example.com",
        to="ada@example.com",
        subject="Your order",
        text="On its way.",
        html="<p>On its way.</p>",
    )
    with (
        Container(settings(tmp_path)) as c,
        pytest.raises(DeliveryFailed, match=r"set \[email\]\.sender to smtp or sendgrid"),
    ):
        c.email_sender.send(email)


def test_the_scheduler_runs_the_jobs_until_the_container_closes(tmp_path: Path) -> None:
    config = settings(tmp_path, tokens=False)
    c = Container(config)
    order = Order(id="gid://shopify/Order/1001", name="#1001", created_at=T0, updated_at=T0)
    c.store.orders.save(order)
    c.printing.enqueue_slip(order.id)
    scheduler = c.scheduler(c.jobs)
    scheduler.start()
    slip = tmp_path / "print" / "1001-slip.pdf"
    deadline = time.monotonic() + 30
    while not slip.exists():
        assert time.monotonic() < deadline, "the print queue job never ran"
        time.sleep(0.05)
    c.close()
    assert not scheduler.running
    assert slip.read_bytes().startswith(b"%PDF")
