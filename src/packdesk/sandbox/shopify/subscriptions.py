"""Webhook subscriptions: `webhookSubscriptionCreate`, `webhookSubscriptions`,
`webhookSubscription(id:)` and `webhookSubscriptionDelete`, as the app's own.

A subscription names a topic (`ORDERS_CREATE`, ...) and a URI; the webhook sender delivers
every event of that topic to it, signed with the app's client secret, in the API version of
the request that made it. The same topic and URI twice is refused ("Address for this topic
has already been taken"), so subscribing again is safe. A topic needs the scope that reads
what it carries. The control API's receivers (`POST /control/shopify/webhooks`) are kept in
the same registry but, like subscriptions made in the shop's admin, are not the app's and
are not listed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from packdesk.sandbox.shopify.access import TOPIC_SCOPES, requirement
from packdesk.sandbox.shopify.call import call_of
from packdesk.sandbox.shopify.catalog import Node, gid
from packdesk.sandbox.shopify.order_heads import iso
from packdesk.sandbox.shopify.paging import PageError, list_connection
from packdesk.sandbox.shopify.versions import UNSTABLE

# The topics the sandbox delivers: enum value → the topic's name in X-Shopify-Topic.
TOPICS = {
    "ORDERS_CREATE": "orders/create",
    "ORDERS_UPDATED": "orders/updated",
    "ORDERS_CANCELLED": "orders/cancelled",
    "ORDERS_FULFILLED": "orders/fulfilled",
    "ORDERS_PARTIALLY_FULFILLED": "orders/partially_fulfilled",
    "INVENTORY_LEVELS_UPDATE": "inventory_levels/update",
    "BULK_OPERATIONS_FINISH": "bulk_operations/finish",
}
TOPIC_ENUMS = {name: enum for enum, name in TOPICS.items()}
ORDER_TOPICS = ("orders/create", "orders/updated", "orders/cancelled")


@dataclass
class Subscription:
    """One topic to one URI."""

    node: Node
    topic: str  # the topic's name, e.g. orders/create
    uri: str
    api_version: str
    app: bool = True  # False for the control API's receivers


def api_version_node(handle: str) -> Node:
    return {"handle": handle, "displayName": handle, "supported": handle != UNSTABLE}


def _error(path: list[str], message: str) -> dict[str, Any]:
    return {"field": path, "message": message}


class Subscriptions:
    """Every subscription of the shop, in creation order."""

    def __init__(self, new_id: Callable[[], int], now: Callable[[], Any]) -> None:
        self.new_id = new_id
        self.now = now
        self._lock = threading.Lock()
        self._all: list[Subscription] = []

    def add(self, topic: str, uri: str, api_version: str, *, app: bool = True) -> Subscription:
        number = self.new_id()
        stamp = iso(self.now().timestamp())
        node: Node = {
            "id": gid("WebhookSubscription", number),
            "legacyResourceId": str(number),
            "topic": TOPIC_ENUMS.get(topic, topic.upper().replace("/", "_")),
            "uri": uri,
            "callbackUrl": uri,
            "format": "JSON",
            "filter": None,
            "includeFields": [],
            "metafieldNamespaces": [],
            "apiVersion": api_version_node(api_version),
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        made = Subscription(node, topic, uri, api_version, app)
        with self._lock:
            self._all.append(made)
        return made

    def for_topic(self, topic: str) -> list[Subscription]:
        with self._lock:
            return [s for s in self._all if s.topic == topic]

    def app_subscriptions(self) -> list[Subscription]:
        with self._lock:
            return [s for s in self._all if s.app]

    def node(self, id_: str) -> Node | None:
        return next((s.node for s in self.app_subscriptions() if s.node["id"] == id_), None)

    def remove(self, id_: str) -> bool:
        with self._lock:
            kept = [s for s in self._all if not (s.app and s.node["id"] == id_)]
            removed = len(kept) != len(self._all)
            self._all = kept
        return removed

    def clear(self) -> None:
        with self._lock:
            self._all.clear()

    # ------------------------------------------------------------------ GraphQL

    def create(
        self, _: Any, info: GraphQLResolveInfo, topic: str, webhookSubscription: Any
    ) -> Node:
        spec = webhookSubscription
        uri = spec.get("uri") or spec.get("callbackUrl") or ""
        name = TOPICS.get(topic)
        path = ["webhookSubscription", "callbackUrl"]
        needs = TOPIC_SCOPES.get(topic)
        if needs is not None and not call_of(info).allows((needs,)):
            error = _error(
                ["topic"],
                f"Access denied for the {topic} topic. Required access: {requirement((needs,))}",
            )
        elif not uri:
            error = _error(path, "Address can't be blank")
        elif not uri.startswith(("http://", "https://")):
            error = _error(path, "Address is invalid")
        elif name is None:
            error = _error(["topic"], f"The sandbox does not deliver {topic} webhooks.")
        elif any(s.uri == uri for s in self.for_topic(name) if s.app):
            error = _error(path, "Address for this topic has already been taken")
        else:
            made = self.add(name, uri, call_of(info).version)
            made.node["format"] = spec.get("format") or "JSON"
            made.node["filter"] = spec.get("filter")
            made.node["includeFields"] = list(spec.get("includeFields") or [])
            made.node["metafieldNamespaces"] = list(spec.get("metafieldNamespaces") or [])
            return {"webhookSubscription": made.node, "userErrors": []}
        return {"webhookSubscription": None, "userErrors": [error]}

    def delete(self, _: Any, info: GraphQLResolveInfo, id: str) -> Node:
        if self.remove(id):
            return {"deletedWebhookSubscriptionId": id, "userErrors": []}
        return {
            "deletedWebhookSubscriptionId": None,
            "userErrors": [_error(["id"], "Webhook subscription does not exist")],
        }

    def one(self, _: Any, info: GraphQLResolveInfo, id: str) -> Node | None:
        return self.node(id)

    def listing(self, _: Any, info: GraphQLResolveInfo, **args: Any) -> Node:
        found = self.app_subscriptions()
        if args.get("topics"):
            found = [s for s in found if s.node["topic"] in args["topics"]]
        uri = args.get("uri") or args.get("callbackUrl")
        if uri:
            found = [s for s in found if s.uri == uri]
        if args.get("format"):
            found = [s for s in found if s.node["format"] == args["format"]]
        nodes = [s.node for s in found]
        if args.get("sortKey") == "ID":
            nodes.sort(key=lambda n: int(n["legacyResourceId"]))
        try:
            return list_connection(nodes, args)
        except PageError as exc:
            raise GraphQLError(str(exc)) from exc

    def resolvers(self) -> dict[str, dict[str, Callable[..., Any]]]:
        return {
            "QueryRoot": {"webhookSubscriptions": self.listing, "webhookSubscription": self.one},
            "Mutation": {
                "webhookSubscriptionCreate": self.create,
                "webhookSubscriptionDelete": self.delete,
            },
        }
