"""The background jobs, one verb each: what a scheduled run does, given the services it uses.

Each job is a small function so that the schedule (which job, how often) reads as a list in
bootstrap, and a test can run one job by name without a scheduler. A job returns nothing a
caller needs: its results are stored and published on the bus by the services themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from packdesk.services.inventory.alerts import StockAlerts
from packdesk.services.inventory.fba import FbaService
from packdesk.services.labels import LabelService
from packdesk.services.outbox import OutboxService
from packdesk.services.printing import PrintService
from packdesk.services.shipping import ShippingService
from packdesk.services.sync import SyncService
from packdesk.services.tracking import TrackingService
from packdesk.services.webhooks import WebhookProcessor


@dataclass(frozen=True)
class Job:
    """A job as the scheduler runs it: a name, what to run, and every how many seconds."""

    name: str
    run: Callable[[], object]
    every_s: float


def sync_orders(sync: SyncService) -> None:
    """Fetch orders changed in Shopify since the last run (packable ones first)."""
    sync.run("orders")


def sync_catalog(sync: SyncService) -> None:
    """Fetch the locations, then the products and variants (barcodes, weights, bins)."""
    sync.run("locations")
    sync.run("variants")


def sync_inventory(sync: SyncService) -> None:
    """Fetch the stock levels of every variant at every location."""
    sync.run("inventory")


def sweep_webhooks(webhooks: WebhookProcessor) -> None:
    """Work on webhook deliveries stored but not done (a fetch failed, or a restart)."""
    webhooks.sweep()


def fetch_rates(shipping: ShippingService) -> None:
    """Check the address and fetch rates for queued orders; refresh stale rates."""
    shipping.refresh_queue()


def buy_pending_labels(labels: LabelService) -> None:
    """Settle purchases whose outcome is unknown, then retry labels left pending."""
    labels.reconcile_all()
    labels.retry_pending()


def sweep_labels(labels: LabelService) -> None:
    """Refund extra labels Shippo made for packages that have theirs (late completions)."""
    labels.sweep_extras()


def refresh_tracking(tracking: TrackingService) -> None:
    """Ask the carrier about fulfilled parcels; a delivered one moves its order on."""
    tracking.refresh_tracking()


def print_queue(printing: PrintService) -> None:
    """Send the print jobs that are due to their printers."""
    printing.run_once()


def deliver_outbox(outbox: OutboxService) -> None:
    """Deliver the upstream effects that are due: fulfillments, stock changes, emails."""
    outbox.run_once()


def check_stock(alerts: StockAlerts) -> None:
    """Raise and clear low-stock alerts; queue the owner's digest when it is due."""
    alerts.run()


def sync_fba(fba: FbaService) -> None:
    """Read FBA stock from Amazon's SP-API."""
    fba.sync()
