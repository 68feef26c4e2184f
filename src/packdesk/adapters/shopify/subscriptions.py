"""The app's webhook subscriptions in Shopify (`ShopWebhooks`): list, create, delete.

Subscriptions made this way belong to the app, so their deliveries are signed with the
app's client secret ([shopify].webhook_secret). Subscriptions a person makes in the shop's
admin (Settings › Notifications › Webhooks) are not the app's: they are signed with a key
shown on that page and are not listed here.
"""

from __future__ import annotations

from typing import Any

from packdesk.adapters.shopify.errors import ShopifyError
from packdesk.adapters.shopify.fulfillments import GraphQLExecutor
from packdesk.domain.shop import HANDLED_TOPICS, WebhookSubscription

TAKEN = "already been taken"
"""Shopify's refusal of a topic and address the app already subscribed."""

_NAMES = {topic.upper().replace("/", "_"): topic for topic in HANDLED_TOPICS}


def topic_enum(topic: str) -> str:
    """`orders/create` → `ORDERS_CREATE`, Shopify's WebhookSubscriptionTopic."""
    return topic.upper().replace("/", "_")


def topic_name(enum: str) -> str:
    """`ORDERS_CREATE` → `orders/create` for the topics packdesk handles; any other topic
    keeps Shopify's enum name, lower-cased."""
    return _NAMES.get(enum, enum.lower())


def _subscription(node: dict[str, Any]) -> WebhookSubscription:
    return WebhookSubscription(
        id=str(node["id"]),
        topic=topic_name(str(node["topic"])),
        uri=str(node.get("uri") or ""),
        api_version=str((node.get("apiVersion") or {}).get("handle") or ""),
    )


class ShopifyWebhookSubscriptions:
    def __init__(self, client: GraphQLExecutor) -> None:
        self.client = client

    def subscriptions(self) -> list[WebhookSubscription]:
        found: list[WebhookSubscription] = []
        after: str | None = None
        while True:
            data = self.client.execute("WebhookSubscriptions", {"first": 100, "after": after})
            connection = data["webhookSubscriptions"]
            found.extend(_subscription(n) for n in connection["nodes"])
            info = connection.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return found
            after = str(info["endCursor"])

    def subscribe(self, topic: str, uri: str) -> WebhookSubscription | None:
        data = self.client.execute(
            "WebhookSubscriptionCreate", {"topic": topic_enum(topic), "uri": uri}
        )
        payload = data.get("webhookSubscriptionCreate") or {}
        errors = [str(e.get("message")) for e in payload.get("userErrors") or []]
        if any(TAKEN in message for message in errors):
            return None
        if errors:
            raise ShopifyError(
                f"Shopify refused the {topic} subscription to {uri}: {'; '.join(errors)}."
            )
        node = payload.get("webhookSubscription")
        if not isinstance(node, dict):
            raise ShopifyError(f"Shopify answered the {topic} subscription without one.")
        return _subscription(node)

    def unsubscribe(self, subscription_id: str) -> None:
        data = self.client.execute("WebhookSubscriptionDelete", {"id": subscription_id})
        payload = data.get("webhookSubscriptionDelete") or {}
        errors = [str(e.get("message")) for e in payload.get("userErrors") or []]
        if errors and not any("does not exist" in message for message in errors):
            raise ShopifyError(
                f"Shopify refused to remove subscription {subscription_id}: {'; '.join(errors)}."
            )
