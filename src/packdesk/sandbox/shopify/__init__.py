"""A local Shopify for packdesk: Admin GraphQL, webhooks out, demo data and a control API.

`ShopifySandbox` is the one object the sandbox server builds; it gives the GraphQL route
(absolute path) and the control routes (relative; mounted at `/control/shopify`).

What it serves (Shopify's own names; the SDL in schema.graphql is cut from Shopify's 2025-10
schema by tests/sandbox/shopify/subset_sdl.py):
- queries: shop, location(s), product(s), productVariant(s), inventoryItem(s),
  order(s) (`query:` terms updated_at / created_at / processed_at with > >= < <= :,
  status open|closed|cancelled|not_closed|any, fulfillment_status
  shipped|fulfilled|partial|unshipped|unfulfilled|any, name, id; sortKey CREATED_AT,
  PROCESSED_AT, ID, ORDER_NUMBER (creation order) or UPDATED_AT; reverse; first/after,
  last/before up to 250), fulfillmentOrder;
- mutations: fulfillmentCreate, fulfillmentOrderMove, inventoryAdjustQuantities,
  inventorySetQuantities, answering userErrors for bad input;
- cost: cost.py's rules, a leaky bucket, THROTTLED and MAX_COST_EXCEEDED;
- webhooks: orders/create, orders/updated, orders/cancelled (webhooks.py).
The demo's named problem orders are in `ShopifySandbox.demo()` and `GET /control/shopify/demo`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.routing import BaseRoute, Route

from packdesk.sandbox.shopify.control import ShopifyControl, demo_facts
from packdesk.sandbox.shopify.cost import LeakyBucket
from packdesk.sandbox.shopify.endpoint import GraphQLEndpoint
from packdesk.sandbox.shopify.mutations import MUTATIONS
from packdesk.sandbox.shopify.store import ShopState
from packdesk.sandbox.shopify.webhooks import WebhookSender

__all__ = ["ShopifySandbox", "demo_facts"]


class ShopifySandbox:
    """The demo shop, its GraphQL endpoint, webhook deliveries and control routes."""

    def __init__(
        self,
        *,
        shop: str,
        access_token: str,
        webhook_secret: str,
        seed: int = 7,
        orders: int = 300,
        now: Callable[[], datetime],
        bucket_size: float = 2000.0,
        restore_rate: float = 100.0,
    ) -> None:
        self.state = ShopState(shop=shop, seed=seed, orders=orders, now=now)
        self.bucket = LeakyBucket(bucket_size, restore_rate)
        self._bucket_defaults = (bucket_size, restore_rate)
        self.webhook_secret = webhook_secret
        self.graphql = GraphQLEndpoint(self.state, access_token, MUTATIONS, self.bucket)
        self.webhooks = WebhookSender(self.state, webhook_secret, now=now)
        self.control = ShopifyControl(self.state, self.webhooks, self.bucket, self.graphql)

    def routes(self) -> list[BaseRoute]:
        """The Admin GraphQL route for any API version."""
        return [Route("/admin/api/{version}/graphql.json", self.graphql.handle, methods=["POST"])]

    def control_routes(self) -> list[BaseRoute]:
        """Control routes, relative; the server mounts them at /control/shopify."""
        return self.control.routes()

    def demo(self) -> dict[str, object]:
        """The demo's named problem orders ({"simple": "#1299", ...}), locations and SKUs."""
        with self.state.lock:
            return demo_facts(self.state)

    def reset(self) -> None:
        """Forget webhook receivers and deliveries and refill the bucket to its defaults
        (orders, stock and time stay), so one shared sandbox can serve many tests."""
        self.webhooks.reset()
        size, rate = self._bucket_defaults
        self.bucket.configure(size=size, rate=rate, enabled=True)

    def close(self) -> None:
        """Stop webhook delivery."""
        self.webhooks.close()
