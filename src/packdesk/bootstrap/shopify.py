"""Shopify: the GraphQL clients, the ports built on them, the webhook receiver (whose HTTP
server also serves the unsubscribe links of marketing e-mails), and the shop's name on slips
and e-mails.

A process has two clients on purpose. Sync reads with retries (`max_attempts` of the client's
default): a read repeated after a lost answer does no harm. The outbox writes with one try per
call (`max_attempts=1`; throttling is still waited out): a mutation whose answer was lost must
be checked upstream before it is sent again, which the outbox's handlers do, so that client
must never resend on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from packdesk.adapters.email.unsubscribe import unsubscribe_routes
from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.receiver import build_receiver, shop_domain
from packdesk.adapters.shopify.server import ReceiverServer
from packdesk.adapters.shopify.versions import ApiVersionWatch
from packdesk.bootstrap.email import unsubscribe_links
from packdesk.domain.ports import (
    ShopCatalog,
    ShopFulfillments,
    ShopOrders,
    Store,
    WebhookInbox,
)
from packdesk.domain.shop import ShopIdentity, WebhookDelivery
from packdesk.jobs.worker import QueueWorker
from packdesk.services.webhooks import WebhookProcessor
from packdesk.settings import Settings

log = logging.getLogger(__name__)


class SyncShop(ShopCatalog, ShopOrders, Protocol):
    """What sync reads from Shopify: locations, the catalog, stock and orders."""


class UpstreamShop(ShopFulfillments, Protocol):
    """What the outbox writes to Shopify: fulfillments (stock changes: `ShopInventory`)."""


def shopify_configured(settings: Settings) -> bool:
    """Whether [shopify] has an access token (without one there is nothing to ask)."""
    return bool(settings.shopify.access_token.get_secret_value())


def api_version_watch_for(settings: Settings) -> ApiVersionWatch:
    """What Shopify says about [shopify].api_version, shared by the process's clients."""
    return ApiVersionWatch(
        settings.shopify.api_version, config_file=str(settings.source_path or "the config file")
    )


def sync_client_for(settings: Settings, versions: ApiVersionWatch) -> ShopifyClient:
    """The client sync reads through: it retries a failed call (see the module docstring)."""
    return ShopifyClient(
        settings.shopify.graphql_url(),
        settings.shopify.access_token.get_secret_value(),
        timeout_s=settings.shopify.timeout_s,
        config_file=str(settings.source_path or "the config file"),
        versions=versions,
    )


def outbox_client_for(settings: Settings, versions: ApiVersionWatch) -> ShopifyClient:
    """The client the outbox writes through: one try per call (see the module docstring)."""
    return ShopifyClient(
        settings.shopify.graphql_url(),
        settings.shopify.access_token.get_secret_value(),
        timeout_s=settings.shopify.timeout_s,
        config_file=str(settings.source_path or "the config file"),
        max_attempts=1,
        versions=versions,
    )


def webhook_receiver_for(
    settings: Settings,
    inbox: WebhookInbox,
    webhooks: WebhookProcessor,
    now: Callable[[], datetime],
    *,
    host: str,
    port: int,
    unsubscribe: Callable[[str], None],
) -> tuple[ReceiverServer, QueueWorker[WebhookDelivery]]:
    """The receiver on host:port and the worker thread that fetches each delivered order
    afterwards (the receiver answers Shopify at once). It also serves the unsubscribe links
    of marketing e-mails when they are configured; `unsubscribe(address)` suppresses one."""
    secret = settings.shopify.webhook_secret.get_secret_value()
    worker: QueueWorker[WebhookDelivery] = QueueWorker(webhooks.process, name="webhook")
    links = unsubscribe_links(settings)
    routes = unsubscribe_routes(links, unsubscribe) if links else []
    app = build_receiver(inbox, secret, settings.shopify.shop, worker.submit, now, routes)
    return ReceiverServer(app, host, port), worker


def shop_name_for(
    settings: Settings,
    store: Store,
    read_live: Callable[[], ShopIdentity] | None,
    now: Callable[[], datetime],
) -> str:
    """The name slips and e-mails carry: [brand].shop_name, else the shop's name in Shopify
    as the last catalog sync kept it, else as Shopify says now (kept for next time), else
    the shop's domain (logged: a person should see why)."""
    configured = settings.brand.shop_name.strip()
    if configured:
        return configured
    kept = store.catalog.shop()
    if kept is not None and kept.name:
        return kept.name
    if read_live is not None:
        try:
            shop = read_live()
        except Exception as exc:  # offline at a first start: the domain stands in
            log.warning("cannot read the shop's name from Shopify: %s", exc)
        else:
            if shop.name:
                store.catalog.save_shop(shop, now())
                return shop.name
    domain = shop_domain(settings.shopify.shop)
    log.warning(
        "slips and e-mails carry %s until the shop's name is read from Shopify (a sync) or "
        "[brand].shop_name is set",
        domain,
    )
    return domain
