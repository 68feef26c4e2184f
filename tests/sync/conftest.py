"""Fixtures of the sync tests: a real SQLite store and a fake shop."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import SystemClock
from packdesk.domain.events import Event
from packdesk.jobs.bus import EventBus
from packdesk.services.station import StationService
from packdesk.services.sync import SyncService
from packdesk.services.sync_catalog import CatalogSync
from packdesk.services.sync_orders import OrderSync

from .fakes import FakeShop


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore.open(tmp_path / "packdesk.db")
    yield s
    s.close()


@pytest.fixture
def shop() -> FakeShop:
    return FakeShop()


@dataclass
class Rig:
    shop: FakeShop
    store: SqliteStore
    station: StationService
    sync: SyncService
    events: list[Event]


@pytest.fixture
def rig(shop: FakeShop, store: SqliteStore) -> Rig:
    """The sync services over a fake shop and a real SQLite file, as bootstrap wires them."""
    bus = EventBus()
    events: list[Event] = []
    bus.subscribe(events.append)
    clock = SystemClock()
    station = StationService(store, bus, clock)
    catalog = CatalogSync(shop, store, clock, page_size=3, overlap_s=120)
    orders = OrderSync(shop, store, station, location_code="CA", page_size=3, overlap_s=120)
    return Rig(shop, store, station, SyncService(catalog, orders, store, bus, clock), events)
