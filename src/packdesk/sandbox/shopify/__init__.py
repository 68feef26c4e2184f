"""A local Shopify for packdesk: Admin GraphQL, webhooks out, demo data and a control API.

`ShopifySandbox` is the one object the sandbox server builds; it gives the GraphQL route and
the bulk download route (absolute paths) and the control routes (relative; mounted at
`/control/shopify`).

What it serves (Shopify's own names; the SDL in schema.graphql is cut from the real 2025-10
schema by tests/integration/sandbox/shopify/subset_sdl.py, schema_2026.graphql adds what came later):
- API versions as Shopify answers them on the sandbox's date (versions.py), named in
  `X-Shopify-API-Version` on every answer;
- access tokens with scopes (access.py): ACCESS_DENIED outside them, fulfillment orders
  left out without a fulfillment-order scope, 60 days of orders without read_all_orders;
  `currentAppInstallation { accessScopes }`;
- queries: shop, location(s), product(s), productVariant(s), inventoryItem(s),
  order(s) (`query:` terms updated_at / created_at / processed_at with > >= < <= :,
  status open|closed|cancelled|not_closed|any, fulfillment_status
  shipped|fulfilled|partial|unshipped|unfulfilled|any, name, id; sortKey CREATED_AT,
  PROCESSED_AT, ID, ORDER_NUMBER (creation order) or UPDATED_AT; reverse; first/after,
  last/before up to 250; nested line items and fulfillment orders paged the same way),
  fulfillmentOrder, node(id:), webhookSubscription(s), currentBulkOperation;
- mutations: fulfillmentCreate, fulfillmentOrderMove, inventoryAdjustQuantities and
  inventorySetQuantities (with `@idempotent(key:)` and `changeFromQuantity`),
  webhookSubscriptionCreate/Delete, bulkOperationRunQuery/Cancel, answering userErrors;
- cost: cost.py's rules, a leaky bucket, THROTTLED and MAX_COST_EXCEEDED;
- webhooks (webhooks.py) to the app's subscriptions and the control API's receivers;
- bulk operations with their JSONL files (bulk/).
The demo's named problem orders are in `ShopifySandbox.demo()` and `GET /control/shopify/demo`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.routing import BaseRoute, Route

from packdesk.sandbox.shopify.access import Tokens
from packdesk.sandbox.shopify.bulk.operations import BulkOperations
from packdesk.sandbox.shopify.call import Services
from packdesk.sandbox.shopify.control import ShopifyControl, demo_facts
from packdesk.sandbox.shopify.cost import LeakyBucket
from packdesk.sandbox.shopify.endpoint import GraphQLEndpoint
from packdesk.sandbox.shopify.idempotency import IdempotencyKeys
from packdesk.sandbox.shopify.mutations import MUTATIONS
from packdesk.sandbox.shopify.store import ShopState
from packdesk.sandbox.shopify.subscriptions import Subscriptions
from packdesk.sandbox.shopify.suppliers import suppliers_csv
from packdesk.sandbox.shopify.webhooks import WebhookSender

__all__ = ["DEFAULT_API_VERSION", "ShopifySandbox", "demo_facts"]

DEFAULT_API_VERSION = "2026-10"
"""The sandbox's own version: the newest stable one on 2026-12-01."""


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
        api_date: datetime | None = None,
        long_orders: bool = True,
    ) -> None:
        self.state = ShopState(
            shop=shop, seed=seed, orders=orders, now=now, long_orders=long_orders
        )
        self.now = now
        self.api_date = api_date  # answer versions as on this day; None: the sandbox's clock
        self._api_date_default = api_date
        self.bucket = LeakyBucket(bucket_size, restore_rate)
        self._bucket_defaults = (bucket_size, restore_rate)
        self.webhook_secret = webhook_secret
        self.tokens = Tokens(access_token)
        self.subscriptions = Subscriptions(self.state.new_id, now)
        self.bulk = BulkOperations(self.state, now)
        self.idempotency = IdempotencyKeys(now)
        services = Services(self.subscriptions, self.bulk, self.idempotency, DEFAULT_API_VERSION)
        resolvers = {"Mutation": dict(MUTATIONS)}
        for more in (self.subscriptions.resolvers(), self.bulk.resolvers()):
            for type_name, fields in more.items():
                resolvers.setdefault(type_name, {}).update(fields)
        self.graphql = GraphQLEndpoint(
            self.state, self.tokens, resolvers, self.bucket, services, self.api_now
        )
        self.bulk.schema = self.graphql.schema
        self.webhooks = WebhookSender(
            self.state,
            webhook_secret,
            self.subscriptions,
            now=now,
            default_version=DEFAULT_API_VERSION,
        )
        self.control = ShopifyControl(self)

    def api_now(self) -> datetime:
        """The moment whose supported API versions the shop answers with."""
        return self.api_date or self.now()

    def routes(self) -> list[BaseRoute]:
        """The Admin GraphQL route for any API version, and bulk operations' files."""
        return [
            Route("/admin/api/{version}/graphql.json", self.graphql.handle, methods=["POST"]),
            *self.bulk.routes(),
        ]

    def control_routes(self) -> list[BaseRoute]:
        """Control routes, relative; the server mounts them at /control/shopify."""
        return self.control.routes()

    def demo(self) -> dict[str, object]:
        """The demo's named problem orders ({"simple": "#1299", ...}), locations and SKUs."""
        with self.state.lock:
            return demo_facts(self.state)

    def suppliers_csv(self) -> str:
        """The demo merchant's suppliers file (`packdesk suppliers import`)."""
        return suppliers_csv(self.state.catalog)

    def reset(self) -> None:
        """Forget webhook receivers and deliveries, made tokens, bulk faults and processing
        delays, refill the bucket to its defaults and answer versions as configured (orders,
        stock and time stay), so one shared sandbox can serve many tests."""
        self.webhooks.reset()
        self.tokens.reset()
        self.bulk.reset()
        self.graphql.mutation_delay_ms = 0
        self.api_date = self._api_date_default
        size, rate = self._bucket_defaults
        self.bucket.configure(size=size, rate=rate, enabled=True)

    def close(self) -> None:
        """Stop webhook delivery and bulk runs; remove bulk files."""
        self.webhooks.close()
        self.bulk.close()
