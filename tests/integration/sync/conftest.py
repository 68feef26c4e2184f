"""Fixtures of the sync tests: a real SQLite store and a fake shop."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.bootstrap import Container
from packdesk.domain.events import Event
from packdesk.services.station import StationService
from packdesk.services.sync import SyncService
from packdesk.settings import Settings, SyncSettings

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
    settings = Settings(sync=SyncSettings(page_size=3, overlap_s=120))
    container = Container(settings, store=store, shop=shop)
    events: list[Event] = []
    container.bus.subscribe(events.append)
    return Rig(shop, store, container.station, container.sync, events)
