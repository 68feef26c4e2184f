"""The composition root: builds adapters from Settings and wires the services.

This is the only module that imports concrete adapters; the CLI asks it for a ready
`Station` and everything else receives its dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.receiver import build_receiver
from packdesk.adapters.shopify.server import ReceiverServer
from packdesk.adapters.shopify.shop import ShopifyShop
from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import Clock, SystemClock
from packdesk.domain.shop import WebhookDelivery
from packdesk.jobs.bus import EventBus
from packdesk.jobs.scheduler import Scheduler
from packdesk.jobs.worker import QueueWorker
from packdesk.logs import setup_logging
from packdesk.services.station import StationService
from packdesk.services.sync import SyncService
from packdesk.services.sync_catalog import CatalogSync, Progress
from packdesk.services.sync_orders import OrderSync
from packdesk.services.webhooks import WebhookProcessor
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


# --- Shopify sync, jobs and webhooks (issue #4) ------------------------------------------


@dataclass
class SyncRuntime:
    """The Shopify client and the sync services of one process (TUI, daemon, CLI)."""

    client: ShopifyClient
    sync: SyncService
    webhooks: WebhookProcessor

    def close(self) -> None:
        self.client.close()


def build_shopify_client(settings: Settings) -> ShopifyClient:
    """The GraphQL client for [shopify], with its timeouts and the config file it names."""
    return ShopifyClient(
        settings.shopify.graphql_url(),
        settings.shopify.access_token.get_secret_value(),
        timeout_s=settings.shopify.timeout_s,
        config_file=str(settings.source_path or "the config file"),
    )


def build_sync(
    station: Station,
    *,
    client: ShopifyClient | None = None,
    progress: Progress | None = None,
) -> SyncRuntime:
    """The sync services over `station`'s store and bus, talking to Shopify through `client`."""
    settings = station.settings
    client = client or build_shopify_client(settings)
    shop = ShopifyShop(client)
    stations = StationService(station.store, station.bus, station.clock)
    catalog = CatalogSync(
        shop,
        station.store,
        station.clock,
        page_size=settings.sync.page_size,
        overlap_s=settings.sync.overlap_s,
    )
    orders = OrderSync(
        shop,
        station.store,
        stations,
        location_code=settings.station.location,
        page_size=settings.sync.page_size,
        overlap_s=settings.sync.overlap_s,
    )
    sync = SyncService(
        catalog, orders, station.store, station.bus, station.clock, progress=progress
    )
    return SyncRuntime(client, sync, WebhookProcessor(station.store, sync, station.clock))


def build_scheduler() -> Scheduler:
    """The one background scheduler of a process; areas add their jobs to it."""
    return Scheduler()


def schedule_sync(scheduler: Scheduler, runtime: SyncRuntime, settings: Settings) -> None:
    """Register the sync jobs with the intervals from [sync]."""
    sync = runtime.sync

    def sync_catalog() -> None:
        sync.run("locations")
        sync.run("variants")

    scheduler.add_interval("sync_catalog", sync_catalog, settings.sync.catalog_every_s)
    scheduler.add_interval(
        "sync_inventory", lambda: sync.run("inventory"), settings.sync.inventory_every_s
    )
    scheduler.add_interval("sync_orders", lambda: sync.run("orders"), settings.sync.orders_every_s)
    scheduler.add_interval("sweep_webhooks", runtime.webhooks.sweep, 60)


def schedule_jobs(scheduler: Scheduler, station: Station, runtime: SyncRuntime) -> None:
    """Every background job of a process, for the TUI and `packdesk daemon` alike.

    Areas add their jobs here (outbox delivery, printing, tracking) with `add_interval`.
    """
    schedule_sync(scheduler, runtime, station.settings)


def build_webhook_server(
    station: Station, runtime: SyncRuntime, *, host: str, port: int
) -> tuple[ReceiverServer, QueueWorker[WebhookDelivery]]:
    """The receiver and the worker thread that fetches each delivered order afterwards."""
    secret = station.settings.shopify.webhook_secret.get_secret_value()
    worker: QueueWorker[WebhookDelivery] = QueueWorker(runtime.webhooks.process, name="webhook")
    app = build_receiver(station.store, secret, worker.submit, station.clock.now)
    return ReceiverServer(app, host, port), worker
