"""Fixtures for the packing station tests: a real SQLite file with fixed data, a fixed
clock, and fakes of our own label and print ports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import FixedClock
from packdesk.domain.inventory.reorder import ReorderPolicy
from packdesk.domain.models import Box, LabelPurchase, PurchaseState, StockLevel
from packdesk.domain.states import StationState
from packdesk.services.desk import ScannerConfig, StationDesk
from packdesk.services.inventory.alerts import DigestPolicy, StockAlerts
from packdesk.services.inventory.counting import Counting
from packdesk.services.inventory.desk import InventoryDesk
from packdesk.services.inventory.receiving import Receiving
from packdesk.services.inventory.stock import StockService
from packdesk.services.packing import PackingService
from packdesk.services.queue import HealthService, PrinterInfo, QueueService
from packdesk.services.station import StationService

from .factory import CA, Bus, seeded_store

BOXES = (
    Box(name="S", length_cm=20, width_cm=15, height_cm=10, tare_g=100),
    Box(name="M", length_cm=30, width_cm=25, height_cm=15, tare_g=200),
)


@dataclass
class FakeLabels:
    """Buys a label the way the shipping service does: PACKED → LABELED, or refuses."""

    station: StationService
    clock: FixedClock
    refuse: str = ""
    bought: list[str] = field(default_factory=list)

    def buy(self, order_id: str, *, actor: str) -> LabelPurchase:
        if self.refuse:
            raise RuntimeError(self.refuse)
        self.bought.append(order_id)
        self.station.move(order_id, StationState.LABELED, actor=actor, reason="label bought")
        now = self.clock.now()
        return LabelPurchase(
            key=LabelPurchase.make_key(order_id, 1, 1),
            order_id=order_id,
            package_no=1,
            attempt=1,
            state=PurchaseState.BOUGHT,
            tracking_number="9400100000000000000001",
            carrier="USPS",
            service_name="Ground Advantage",
            created_at=now,
            updated_at=now,
        )


@dataclass
class FakePrinting:
    slips: list[str] = field(default_factory=list)
    runs: int = 0

    def enqueue_slip(self, order_id: str) -> object:
        self.slips.append(order_id)
        return None

    def run_once(self) -> object:
        self.runs += 1
        return None


@dataclass
class Rig:
    store: SqliteStore
    clock: FixedClock
    bus: Bus
    station: StationService
    labels: FakeLabels
    printing: FakePrinting
    desk: StationDesk


def build_rig(path: Path, keys: dict[str, str] | None = None) -> Rig:
    store, clock = seeded_store(path)
    bus = Bus()
    station = StationService(store, bus, clock)
    labels = FakeLabels(station, clock)
    printing = FakePrinting()
    packing = PackingService(
        store=store,
        station=station,
        clock=clock,
        actor="CA-1",
        location_id=CA,
        boxes=BOXES,
        commands={"CMD-UNDO": "undo"},
        labels=labels,
        printing=printing,
    )
    stock = StockService(store, clock, ReorderPolicy())

    def stored_level(item: str, location: str) -> StockLevel | None:
        return next(
            (lv for lv in store.catalog.stock_levels(item) if lv.location_id == location), None
        )

    inventory = InventoryDesk(
        clock,
        stock,
        StockAlerts(store, stock, clock, bus, DigestPolicy()),
        Receiving(store, clock, bus, stock, actor="CA-1"),
        Counting(store, clock, bus, stock, stored_level, actor="CA-1"),
        "CA",
    )
    desk = StationDesk(
        station_name="CA-1",
        location_code="CA",
        clock=clock,
        bus=bus,
        station=station,
        queue=QueueService(store, "CA", {"express": 2, "priority": 3, "standard": 5, "": 7}),
        packing=packing,
        health=HealthService(
            store,
            printers=(
                PrinterInfo("labels", "label", "folder"),
                PrinterInfo("slips", "slip", "folder"),
            ),
        ),
        inventory=inventory,
        demo=True,
        keys=keys or {},
        scanner=ScannerConfig(prefix="", max_interkey_ms=50, commands={"CMD-UNDO": "undo"}),
        reprint_label_action=lambda oid: "Label sent to labels again.",
        reprint_slip_action=lambda oid: "Slip sent to slips again.",
        void_label_action=lambda oid: "Label voided; refund requested.",
        sync_now_action=lambda: "Sync started.",
    )
    return Rig(store, clock, bus, station, labels, printing, desk)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    r = build_rig(tmp_path / "packdesk.db")
    yield r
    r.store.close()
