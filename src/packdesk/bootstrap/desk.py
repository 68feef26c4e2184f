"""The desk the TUI runs on: the queue, packing, health and the order actions, from the
container's services and the station's settings."""

from __future__ import annotations

from typing import Protocol

from packdesk.adapters.shopify.versions import ApiVersionWatch
from packdesk.adapters.store import SqliteStore
from packdesk.bootstrap.analytics import AnalyticsParts
from packdesk.bootstrap.inventory import Inventory
from packdesk.domain.clock import Clock
from packdesk.jobs.bus import EventBus
from packdesk.services.desk import ScannerConfig, StationDesk
from packdesk.services.labels import LabelService
from packdesk.services.packing import PackingService
from packdesk.services.printing import PrintService
from packdesk.services.queue import HealthService, PrinterInfo, QueueService
from packdesk.services.shipping import ShippingService
from packdesk.services.station import StationService
from packdesk.services.sync import SyncService
from packdesk.settings import Settings


class Services(Protocol):
    """What the desk is made of (the container has it all, built on first use)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def demo(self) -> bool: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def bus(self) -> EventBus: ...
    @property
    def store(self) -> SqliteStore: ...
    @property
    def station(self) -> StationService: ...
    @property
    def sync(self) -> SyncService: ...
    @property
    def shipping(self) -> ShippingService: ...
    @property
    def labels(self) -> LabelService: ...
    @property
    def printing(self) -> PrintService: ...
    @property
    def queue(self) -> QueueService: ...
    @property
    def health(self) -> HealthService: ...
    @property
    def packing(self) -> PackingService: ...
    @property
    def api_versions(self) -> ApiVersionWatch: ...
    @property
    def analytics(self) -> AnalyticsParts: ...
    @property
    def inventory(self) -> Inventory: ...


def queue_service(c: Services) -> QueueService:
    """The station's queue: this location's orders, by their delivery promise."""
    s = c.settings
    return QueueService(c.store, s.station.location, dict(s.shipping.promise_days))


def health_service(c: Services) -> HealthService:
    """Sync, printers, outbox and webhooks at a glance (the health screen, the status bar)."""
    s = c.settings
    return HealthService(
        c.store,
        printers=tuple(PrinterInfo(p.name, p.role, p.kind, p.target) for p in s.printers),
        webhooks_enabled=s.webhooks.enabled,
        webhooks_address=f"{s.webhooks.host}:{s.webhooks.port}",
        shopify_api_warning=c.api_versions.warning,
        stock_alerts=lambda: len(c.inventory.alerts.open()),
        shippo_mode=s.shippo.mode,
    )


def packing_service(c: Services) -> PackingService:
    """Pack sessions that buy the label and print it and the slip on the last scan."""
    s = c.settings
    queue = c.queue
    return PackingService(
        store=c.store,
        station=c.station,
        clock=c.clock,
        actor=s.station.name,
        labels=c.labels,
        printing=c.printing,
        shipping=c.shipping,
        location_lookup=lambda: queue.location_id,
        commands=dict(s.scanner.commands),
    )


def station_desk(c: Services) -> StationDesk:
    """The facade the TUI talks to, over the services the station's jobs use too."""
    s = c.settings
    return StationDesk(
        station_name=s.station.name,
        location_code=s.station.location,
        clock=c.clock,
        bus=c.bus,
        station=c.station,
        queue=c.queue,
        packing=c.packing,
        health=c.health,
        labels=c.labels,
        printing=c.printing,
        sync=c.sync,
        analytics=c.analytics.service,
        inventory=c.inventory.desk(c.clock, s.station.location),
        demo=c.demo,
        keys=dict(s.keys),
        scanner=ScannerConfig(
            prefix=s.scanner.prefix,
            max_interkey_ms=s.scanner.max_interkey_ms,
            commands=dict(s.scanner.commands),
        ),
    )
