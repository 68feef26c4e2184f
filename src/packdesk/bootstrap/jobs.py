"""Which background jobs a process runs, and how often: one interval each, from Settings.

The jobs themselves are the verbs of `packdesk.jobs.tasks`; the scheduler only runs them.
"""

from __future__ import annotations

from functools import partial
from typing import Protocol

from packdesk.bootstrap.inventory import Inventory, inventory_jobs
from packdesk.jobs.tasks import (
    Job,
    buy_pending_labels,
    deliver_outbox,
    fetch_rates,
    print_queue,
    refresh_tracking,
    sweep_labels,
    sweep_webhooks,
    sync_catalog,
    sync_inventory,
    sync_orders,
)
from packdesk.services.labels import LabelService
from packdesk.services.outbox import OutboxService
from packdesk.services.printing import PrintService
from packdesk.services.shipping import ShippingService
from packdesk.services.sync import SyncService
from packdesk.services.tracking import TrackingService
from packdesk.services.webhooks import WebhookProcessor
from packdesk.settings import Settings


class Services(Protocol):
    """What the jobs are made of (the container has it all, built on first use)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def shopify_configured(self) -> bool: ...
    @property
    def shippo_configured(self) -> bool: ...
    @property
    def sync(self) -> SyncService: ...
    @property
    def webhooks(self) -> WebhookProcessor: ...
    @property
    def shipping(self) -> ShippingService: ...
    @property
    def labels(self) -> LabelService: ...
    @property
    def tracking(self) -> TrackingService: ...
    @property
    def printing(self) -> PrintService: ...
    @property
    def outbox(self) -> OutboxService: ...
    @property
    def inventory(self) -> Inventory: ...


def sync_jobs(c: Services) -> list[Job]:
    """Keep the database in step with Shopify: catalog, stock, orders, and the webhook
    deliveries that still need their order fetched."""
    s = c.settings
    return [
        Job("sync_catalog", partial(sync_catalog, c.sync), s.sync.catalog_every_s),
        Job("sync_inventory", partial(sync_inventory, c.sync), s.sync.inventory_every_s),
        Job("sync_orders", partial(sync_orders, c.sync), s.sync.orders_every_s),
        Job("sweep_webhooks", partial(sweep_webhooks, c.webhooks), s.webhooks.sweep_every_s),
    ]


def shipping_jobs(c: Services) -> list[Job]:
    """Rates for queued orders, labels left pending, extra labels refunded, and tracking of
    fulfilled parcels."""
    s = c.settings.shipping
    return [
        Job("fetch_rates", partial(fetch_rates, c.shipping), s.rates_every_s),
        Job("buy_pending_labels", partial(buy_pending_labels, c.labels), s.label_retry_every_s),
        Job("sweep_labels", partial(sweep_labels, c.labels), s.label_sweep_every_s),
        Job("refresh_tracking", partial(refresh_tracking, c.tracking), s.tracking_every_min * 60),
    ]


def station_jobs(c: Services) -> list[Job]:
    """Every job of a station process (the TUI or `packdesk daemon`).

    The print queue, the outbox and the low-stock check always run. Sync needs Shopify access and shipping needs
    Shippo's: a config without that token schedules none of those jobs, since each run could
    only fail.
    """
    s = c.settings
    scheduled = [
        Job("print_queue", partial(print_queue, c.printing), s.printing.every_s),
        Job("deliver_outbox", partial(deliver_outbox, c.outbox), s.outbox.every_s),
    ]
    if c.shopify_configured:
        scheduled = sync_jobs(c) + scheduled
    if c.shippo_configured:
        scheduled += shipping_jobs(c)
    return scheduled + inventory_jobs(s, c.inventory)
