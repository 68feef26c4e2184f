"""Fixtures for the packing station tests: the station as production builds it (bootstrap's
Container, a real SQLite file with fixed data, a fixed clock, folder printers writing into
the test's folder), with only the carrier replaced by the in-memory fake of our own port."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.bootstrap import Container, database_path
from packdesk.domain.clock import FixedClock
from packdesk.jobs.bus import EventBus
from packdesk.services.desk import StationDesk
from packdesk.settings import Settings
from tests.integration.shipping.fakes import FakeCarrier

from .factory import seeded_store

BOXES = [
    {"name": "S", "length_cm": 20, "width_cm": 15, "height_cm": 10, "tare_g": 100},
    {"name": "M", "length_cm": 30, "width_cm": 25, "height_cm": 15, "tare_g": 200},
]


@dataclass
class Rig:
    container: Container
    carrier: FakeCarrier
    prints: Path
    """The folder both printers write into."""

    @property
    def desk(self) -> StationDesk:
        return self.container.desk

    @property
    def store(self) -> SqliteStore:
        return self.container.store

    @property
    def clock(self) -> FixedClock:
        assert isinstance(self.container.clock, FixedClock)
        return self.container.clock

    @property
    def bus(self) -> EventBus:
        return self.container.bus

    def close(self) -> None:
        self.container.close()
        self.store.close()


def rig_settings(data_dir: Path, keys: dict[str, str] | None = None) -> Settings:
    prints = str(data_dir / "print")
    return Settings(
        station={"name": "CA-1", "location": "CA", "data_dir": str(data_dir)},
        printers=[
            {"name": "labels", "kind": "folder", "role": "label", "target": prints},
            {"name": "slips", "kind": "folder", "role": "slip", "target": prints},
        ],
        boxes=BOXES,
        shipping={"promise_days": {"express": 2, "priority": 3, "standard": 5, "": 7}},
        scanner={"commands": {"CMD-UNDO": "undo"}},
        keys=keys or {},
    )


def build_rig(data_dir: Path, keys: dict[str, str] | None = None) -> Rig:
    """The station in `data_dir`, with the demo orders of `factory` in its database."""
    settings = rig_settings(data_dir, keys)
    store, clock = seeded_store(database_path(settings))
    carrier = FakeCarrier()
    container = Container(settings, demo=True, clock=clock, store=store, carrier=carrier)
    return Rig(container, carrier, data_dir / "print")


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    r = build_rig(tmp_path)
    yield r
    r.close()
