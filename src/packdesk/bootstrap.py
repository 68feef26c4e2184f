"""The composition root: builds adapters from Settings and wires the services.

This is the only module that imports concrete adapters; the CLI asks it for a ready
`Station` and everything else receives its dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import Clock, SystemClock
from packdesk.jobs.bus import EventBus
from packdesk.logs import setup_logging
from packdesk.settings import Settings


@dataclass
class Station:
    """Everything one packdesk process runs on, built once from Settings."""

    settings: Settings
    store: SqliteStore
    bus: EventBus
    clock: Clock = field(default_factory=SystemClock)
    demo: bool = False

    @property
    def data_dir(self) -> Path:
        return self.settings.station.resolved_data_dir()

    def close(self) -> None:
        self.store.close()


def database_path(settings: Settings) -> Path:
    return settings.station.resolved_data_dir() / "packdesk.db"


def build_station(settings: Settings, *, verbose: bool = False, demo: bool = False) -> Station:
    """Open the database and logging for `settings`."""
    data_dir = settings.station.resolved_data_dir()
    setup_logging(data_dir, settings.secrets(), level=settings.logging.level, verbose=verbose)
    store = SqliteStore.open(database_path(settings))
    return Station(settings=settings, store=store, bus=EventBus(), demo=demo)
