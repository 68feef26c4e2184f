"""One Admin GraphQL request as the resolvers see it (`info.context`).

The shop's state, the API version the request is answered with, the token's scopes, and the
services mutations reach (webhook subscriptions, bulk operations, idempotency keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import GraphQLResolveInfo

from packdesk.sandbox.shopify.store import ShopState

if TYPE_CHECKING:
    from packdesk.sandbox.shopify.bulk.operations import BulkOperations
    from packdesk.sandbox.shopify.idempotency import IdempotencyKeys
    from packdesk.sandbox.shopify.subscriptions import Subscriptions


@dataclass
class Services:
    """What the shop offers beyond its orders and catalog; filled in by ShopifySandbox."""

    subscriptions: Subscriptions
    bulk: BulkOperations
    idempotency: IdempotencyKeys
    default_version: str


@dataclass
class Call:
    """The context of one request."""

    state: ShopState
    version: str
    scopes: frozenset[str]
    services: Services
    base_url: str = ""  # where the sandbox is reached, for links it hands out
    claimed: set[str] = field(default_factory=set)  # idempotency keys this request holds

    def allows(self, needs: tuple[str, ...]) -> bool:
        """Whether the token has any one of these scopes."""
        return any(scope in self.scopes for scope in needs)


def call_of(info: GraphQLResolveInfo | Any) -> Call:
    call: Call = info.context
    return call


def state_of(info: GraphQLResolveInfo | Any) -> ShopState:
    return call_of(info).state
