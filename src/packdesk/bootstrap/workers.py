"""The two background workers' services: the sync from Shopify and the outbox to it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from packdesk.bootstrap.shopify import SyncShop
from packdesk.domain.clock import Clock
from packdesk.domain.ports import Store
from packdesk.jobs.bus import EventBus
from packdesk.services.comms import Comms
from packdesk.services.outbox import Handler, OutboxPolicy, OutboxService
from packdesk.services.station import StationService
from packdesk.services.sync import SyncService
from packdesk.services.sync_catalog import CatalogSync
from packdesk.services.sync_orders import OrderSync
from packdesk.settings import Settings


class Parts(Protocol):
    """What the workers are built from (the container)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def bus(self) -> EventBus: ...
    @property
    def store(self) -> Store: ...
    @property
    def shop(self) -> SyncShop: ...
    @property
    def station(self) -> StationService: ...
    @property
    def comms(self) -> Comms: ...


def sync_service(c: Parts) -> SyncService:
    """Products, stock and orders from Shopify, paged and resumable by cursor."""
    s = c.settings
    catalog = CatalogSync(
        c.shop, c.store, c.clock, page_size=s.sync.page_size, overlap_s=s.sync.overlap_s
    )
    orders = OrderSync(
        c.shop,
        c.store,
        c.station,
        location_code=s.station.location,
        page_size=s.sync.page_size,
        overlap_s=s.sync.overlap_s,
    )
    return SyncService(catalog, orders, c.store, c.bus, c.clock)


def outbox_service(c: Parts, handlers: Mapping[str, Handler]) -> OutboxService:
    """The outbox worker: each effect delivered once by its kind's handler, with backoff."""
    o = c.settings.outbox
    return OutboxService(
        c.store,
        dict(handlers),
        c.clock,
        policy=OutboxPolicy(
            max_attempts=o.max_attempts,
            backoff_base_s=o.backoff_base_s,
            backoff_max_s=o.backoff_max_s,
            lease_s=o.lease_s,
            batch=o.batch,
            parallel=o.parallel,
        ),
        planners=[c.comms.plan],
        bus=c.bus,
    )
