"""Shopify: the GraphQL clients, the ports built on them, and the webhook receiver.

A process has two clients on purpose. Sync reads with retries (`max_attempts` of the client's
default): a read repeated after a lost answer does no harm. The outbox writes with one try per
call (`max_attempts=1`; throttling is still waited out): a mutation whose answer was lost must
be checked upstream before it is sent again, which the outbox's handlers do, so that client
must never resend on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.receiver import build_receiver
from packdesk.adapters.shopify.server import ReceiverServer
from packdesk.domain.ports import (
    ShopCatalog,
    ShopFulfillments,
    ShopInventory,
    ShopOrders,
    WebhookInbox,
)
from packdesk.domain.shop import WebhookDelivery
from packdesk.jobs.worker import QueueWorker
from packdesk.services.webhooks import WebhookProcessor
from packdesk.settings import Settings


class SyncShop(ShopCatalog, ShopOrders, Protocol):
    """What sync reads from Shopify: locations, the catalog, stock and orders."""


class UpstreamShop(ShopFulfillments, ShopInventory, Protocol):
    """What the outbox writes to Shopify: fulfillments and stock adjustments."""


def shopify_configured(settings: Settings) -> bool:
    """Whether [shopify] has an access token (without one there is nothing to ask)."""
    return bool(settings.shopify.access_token.get_secret_value())


def sync_client_for(settings: Settings) -> ShopifyClient:
    """The client sync reads through: it retries a failed call (see the module docstring)."""
    return ShopifyClient(
        settings.shopify.graphql_url(),
        settings.shopify.access_token.get_secret_value(),
        timeout_s=settings.shopify.timeout_s,
        config_file=str(settings.source_path or "the config file"),
    )


def outbox_client_for(settings: Settings) -> ShopifyClient:
    """The client the outbox writes through: one try per call (see the module docstring)."""
    return ShopifyClient(
        settings.shopify.graphql_url(),
        settings.shopify.access_token.get_secret_value(),
        timeout_s=settings.shopify.timeout_s,
        config_file=str(settings.source_path or "the config file"),
        max_attempts=1,
    )


def webhook_receiver_for(
    settings: Settings,
    inbox: WebhookInbox,
    webhooks: WebhookProcessor,
    now: Callable[[], datetime],
    *,
    host: str,
    port: int,
) -> tuple[ReceiverServer, QueueWorker[WebhookDelivery]]:
    """The receiver on host:port and the worker thread that fetches each delivered order
    afterwards (the receiver answers Shopify at once)."""
    secret = settings.shopify.webhook_secret.get_secret_value()
    worker: QueueWorker[WebhookDelivery] = QueueWorker(webhooks.process, name="webhook")
    app = build_receiver(inbox, secret, settings.shopify.shop, worker.submit, now)
    return ReceiverServer(app, host, port), worker
