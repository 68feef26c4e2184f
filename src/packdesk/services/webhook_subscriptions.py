"""`packdesk webhooks subscribe | list | unsubscribe`: the app's subscriptions to the topics
packdesk handles (`HANDLED_TOPICS`), pointed at its webhook receiver.

Subscribing is idempotent: a topic already delivered to the URL is kept, only the missing
ones are created, so running it twice leaves one subscription per topic. Subscriptions of
the same topics to another URL (an old tunnel address) are left alone and reported, since
Shopify delivers to each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from packdesk.domain.ports import ShopWebhooks
from packdesk.domain.shop import HANDLED_TOPICS, WebhookSubscription

RECEIVER_PATH = "/webhooks"


@dataclass(frozen=True)
class SubscriptionChange:
    topic: str
    uri: str
    outcome: Literal["created", "kept", "removed"]


def receiver_url(url: str) -> str:
    """The address Shopify should deliver to: `url`, with the receiver's path `/webhooks`
    added when it names a host only. ValueError (a sentence) for anything but http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"{url!r} is not a web address: give the public https:// address of packdesk's "
            "webhook receiver, e.g. https://packdesk.example.com/webhooks."
        )
    path = parts.path if parts.path not in ("", "/") else RECEIVER_PATH
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


class WebhookSubscriptions:
    def __init__(self, shop: ShopWebhooks, topics: tuple[str, ...] = HANDLED_TOPICS) -> None:
        self.shop = shop
        self.topics = topics

    def current(self) -> list[WebhookSubscription]:
        """Every subscription the app has, packdesk's topics first."""
        found = self.shop.subscriptions()
        return sorted(found, key=lambda s: (s.topic not in self.topics, s.topic, s.uri))

    def subscribe(self, url: str) -> list[SubscriptionChange]:
        """Make sure every topic packdesk handles is delivered to `url`."""
        uri = receiver_url(url)
        existing = {(s.topic, s.uri) for s in self.shop.subscriptions()}
        changes = []
        for topic in self.topics:
            if (topic, uri) in existing:
                changes.append(SubscriptionChange(topic, uri, "kept"))
                continue
            made = self.shop.subscribe(topic, uri)
            changes.append(SubscriptionChange(topic, uri, "created" if made else "kept"))
        return changes

    def elsewhere(self, url: str) -> list[WebhookSubscription]:
        """Subscriptions of packdesk's topics to any other address than `url`."""
        uri = receiver_url(url)
        return [s for s in self.current() if s.topic in self.topics and s.uri != uri]

    def unsubscribe(self, url: str | None) -> list[SubscriptionChange]:
        """Remove the subscriptions of packdesk's topics to `url`, or to any address when
        `url` is None."""
        uri = receiver_url(url) if url is not None else None
        removed = []
        for subscription in self.shop.subscriptions():
            if subscription.topic not in self.topics or uri not in (None, subscription.uri):
                continue
            self.shop.unsubscribe(subscription.id)
            removed.append(SubscriptionChange(subscription.topic, subscription.uri, "removed"))
        return removed
