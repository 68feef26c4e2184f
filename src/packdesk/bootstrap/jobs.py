"""Which background jobs a process runs, and how often: one interval each, from Settings.

The jobs themselves are the verbs of `packdesk.jobs.tasks`; the scheduler only runs them.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from packdesk.jobs.tasks import (
    Job,
    buy_pending_labels,
    deliver_outbox,
    fetch_rates,
    print_queue,
    refresh_tracking,
    sweep_webhooks,
    sync_catalog,
    sync_inventory,
    sync_orders,
)

if TYPE_CHECKING:
    from packdesk.bootstrap.container import Container


def sync_jobs(c: Container) -> list[Job]:
    """Keep the database in step with Shopify: catalog, stock, orders, and the webhook
    deliveries that still need their order fetched."""
    s = c.settings
    return [
        Job("sync_catalog", partial(sync_catalog, c.sync), s.sync.catalog_every_s),
        Job("sync_inventory", partial(sync_inventory, c.sync), s.sync.inventory_every_s),
        Job("sync_orders", partial(sync_orders, c.sync), s.sync.orders_every_s),
        Job("sweep_webhooks", partial(sweep_webhooks, c.webhooks), s.webhooks.sweep_every_s),
    ]


def shipping_jobs(c: Container) -> list[Job]:
    """Rates for queued orders, labels left pending, and tracking of fulfilled parcels."""
    s = c.settings.shipping
    return [
        Job("fetch_rates", partial(fetch_rates, c.shipping), s.rates_every_s),
        Job("buy_pending_labels", partial(buy_pending_labels, c.labels), s.label_retry_every_s),
        Job("refresh_tracking", partial(refresh_tracking, c.tracking), s.tracking_every_min * 60),
    ]


def station_jobs(c: Container) -> list[Job]:
    """Every job of a station process (the TUI or `packdesk daemon`).

    The print queue and the outbox always run. Sync needs Shopify access and shipping needs
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
    return scheduled
