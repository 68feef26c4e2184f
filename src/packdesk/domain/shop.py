"""Values the Shopify sync passes around: a page of a paginated list, and a webhook as
Shopify delivered it (the ports themselves are in `packdesk.domain.ports`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from packdesk.domain.models import Model

T = TypeVar("T")


@dataclass(frozen=True)
class ShopPage(Generic[T]):
    """One page of a paginated Shopify list, with where the next page starts."""

    items: list[T] = field(default_factory=list)
    end_cursor: str = ""
    has_next: bool = False


class ShopIdentity(Model):
    """The shop as Shopify names it: what slips and e-mails carry unless [brand].shop_name
    says otherwise."""

    name: str
    domain: str = ""
    """Its myshopify.com domain."""


ORDER_TOPICS = ("orders/create", "orders/updated", "orders/cancelled")
"""Webhook topics about one order: packdesk reads that order again."""
STOCK_TOPICS = ("inventory_levels/update",)
"""Webhook topics about one item's stock at one location: packdesk reads that level again."""
HANDLED_TOPICS = ORDER_TOPICS + STOCK_TOPICS
"""The topics `packdesk webhooks subscribe` subscribes to and the receiver accepts."""


class WebhookDelivery(Model):
    """One webhook as Shopify sent it: its ids, topic and the raw JSON body."""

    webhook_id: str
    """`X-Shopify-Webhook-Id`: one per delivery, the same on Shopify's retries of it. The
    inbox deduplicates on it."""
    event_id: str = ""
    """`X-Shopify-Event-Id`: shared by the deliveries of every topic one merchant action
    caused (orders/create and inventory_levels/update of one sale), so never a dedupe key."""
    topic: str
    shop: str
    resource_id: str
    """What it is about: the order's GID (`gid://shopify/Order/…`), or the inventory item's
    GID for a stock topic."""
    location_id: str = ""
    """The location's GID, for a stock topic."""
    payload: str
    received_at: datetime


class WebhookSubscription(Model):
    """One of the app's webhook subscriptions in Shopify: a topic delivered to a URI."""

    id: str
    topic: str
    """The topic as deliveries name it (`orders/create`)."""
    uri: str
    api_version: str = ""
    """The API version its bodies are written in."""
