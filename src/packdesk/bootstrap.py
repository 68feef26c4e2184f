"""The composition root: builds adapters from Settings and wires the services.

This is the only module that imports concrete adapters; the CLI asks it for a ready
`Station` and everything else receives its dependencies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import Clock, SystemClock
from packdesk.domain.ports import LabelBuyer, SlipPrinter
from packdesk.jobs.bus import EventBus
from packdesk.logs import setup_logging
from packdesk.services.desk import ScannerConfig, StationDesk
from packdesk.services.packing import PackingService
from packdesk.services.queue import HealthService, PrinterInfo, QueueService
from packdesk.services.station import StationService
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


# --- The packing station's desk (issue 7) -------------------------------------------------


def build_desk(
    station: Station,
    *,
    labels: LabelBuyer | None = None,
    printing: SlipPrinter | None = None,
    reprint_label: Callable[[str], str] | None = None,
    reprint_slip: Callable[[str], str] | None = None,
    void_label: Callable[[str], str] | None = None,
    sync_now: Callable[[], str] | None = None,
) -> StationDesk:
    """The facade the TUI runs on, from the station's settings, store and bus.

    The label, print, void and sync steps come from the services of their issues; each one
    left out answers the packer with a sentence saying it is not set up.
    """
    settings = station.settings
    store = station.store
    service = StationService(store, station.bus, station.clock)
    queue = QueueService(store, settings.station.location, dict(settings.shipping.promise_days))
    packing = PackingService(
        store=store,
        station=service,
        clock=station.clock,
        actor=settings.station.name,
        location_lookup=lambda: queue.location_id,
        boxes=tuple(settings.boxes),
        commands=dict(settings.scanner.commands),
        labels=labels,
        printing=printing,
    )
    health = HealthService(
        store,
        printers=tuple(PrinterInfo(p.name, p.role, p.kind, p.target) for p in settings.printers),
        webhooks_enabled=settings.webhooks.enabled,
        webhooks_address=f"{settings.webhooks.host}:{settings.webhooks.port}",
    )
    return StationDesk(
        station_name=settings.station.name,
        location_code=settings.station.location,
        clock=station.clock,
        bus=station.bus,
        station=service,
        queue=queue,
        packing=packing,
        health=health,
        demo=station.demo,
        keys=dict(settings.keys),
        scanner=ScannerConfig(
            prefix=settings.scanner.prefix,
            max_interkey_ms=settings.scanner.max_interkey_ms,
            commands=dict(settings.scanner.commands),
        ),
        output_dirs=tuple(
            Path(p.target).expanduser()
            for p in settings.printers
            if p.kind == "folder" and p.target
        ),
        reprint_label_action=reprint_label,
        reprint_slip_action=reprint_slip,
        void_label_action=void_label,
        sync_now_action=sync_now,
    )
