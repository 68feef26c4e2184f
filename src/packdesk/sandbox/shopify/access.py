"""Access tokens and their scopes, answered as Shopify answers them.

Every token carries a set of access scopes (`write_x` implies `read_x`). A field outside the
token's scopes is refused inside an HTTP 200 answer: the field is null and `errors` holds
`extensions.code = ACCESS_DENIED` with the scope it needs. Two refusals are silent, as in
Shopify: fulfillment orders the token has no fulfillment-order scope for are left out of
every answer, and without `read_all_orders` only the last 60 days of orders are listed.

The sandbox's default token has every scope packdesk needs; the control API makes others
(`POST /control/shopify/tokens {"scopes": [...]}`).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable

from graphql import GraphQLError

DOCUMENTATION = "https://shopify.dev/api/usage/access-scopes"
FULFILLMENT_ORDER_KINDS = ("merchant_managed", "assigned", "third_party")

PACKDESK_SCOPES = (
    "read_orders",
    "write_orders",
    "read_all_orders",
    "read_products",
    "read_inventory",
    "write_inventory",
    "read_locations",
    "read_customers",
    "read_merchant_managed_fulfillment_orders",
    "write_merchant_managed_fulfillment_orders",
)
KNOWN_SCOPES = frozenset(
    {
        *PACKDESK_SCOPES,
        "write_products",
        "write_customers",
        "write_locations",
        "read_assigned_fulfillment_orders",
        "write_assigned_fulfillment_orders",
        "read_third_party_fulfillment_orders",
        "write_third_party_fulfillment_orders",
        "read_fulfillments",
        "write_fulfillments",
        "read_shipping",
        "write_shipping",
    }
)

# (type, field) → scopes of which the token needs any one.
REQUIRED: dict[tuple[str, str], tuple[str, ...]] = {
    ("QueryRoot", "orders"): ("read_orders",),
    ("QueryRoot", "order"): ("read_orders",),
    ("QueryRoot", "products"): ("read_products",),
    ("QueryRoot", "product"): ("read_products",),
    ("QueryRoot", "productVariants"): ("read_products",),
    ("QueryRoot", "productVariant"): ("read_products",),
    ("QueryRoot", "inventoryItems"): ("read_inventory",),
    ("QueryRoot", "inventoryItem"): ("read_inventory",),
    ("QueryRoot", "locations"): ("read_locations",),
    ("QueryRoot", "location"): ("read_locations",),
    ("InventoryItem", "inventoryLevels"): ("read_inventory",),
    ("InventoryItem", "inventoryLevel"): ("read_inventory",),
    ("Order", "customer"): ("read_customers",),
    ("Mutation", "inventoryAdjustQuantities"): ("write_inventory",),
    ("Mutation", "inventorySetQuantities"): ("write_inventory",),
    ("Mutation", "fulfillmentCreate"): tuple(
        f"write_{kind}_fulfillment_orders" for kind in FULFILLMENT_ORDER_KINDS
    ),
    ("Mutation", "fulfillmentOrderMove"): tuple(
        f"write_{kind}_fulfillment_orders" for kind in FULFILLMENT_ORDER_KINDS
    ),
}
# Webhook topics need the scope that reads what they carry.
TOPIC_SCOPES = {
    "ORDERS_CREATE": "read_orders",
    "ORDERS_UPDATED": "read_orders",
    "ORDERS_CANCELLED": "read_orders",
    "ORDERS_FULFILLED": "read_orders",
    "INVENTORY_LEVELS_UPDATE": "read_inventory",
}


class ScopeError(ValueError):
    """A scope list the sandbox cannot grant; the message names the fix."""


def granted(scopes: Iterable[str]) -> frozenset[str]:
    """The scopes a token really has: each write scope brings its read scope."""
    given = set(scopes)
    given |= {"read_" + s.removeprefix("write_") for s in given if s.startswith("write_")}
    return frozenset(given)


def requirement(needs: tuple[str, ...]) -> str:
    """`read_orders` access scope / `a` access scope or `b` access scope."""
    return " or ".join(f"`{scope}` access scope" for scope in needs) + "."


def access_denied(field: str, needs: tuple[str, ...]) -> GraphQLError:
    """Shopify's refusal of one field the token has no scope for."""
    required = requirement(needs)
    return GraphQLError(
        f"Access denied for {field} field. Required access: {required}",
        extensions={
            "code": "ACCESS_DENIED",
            "documentation": DOCUMENTATION,
            "requiredAccess": required,
        },
    )


def reads_fulfillment_orders(scopes: frozenset[str]) -> bool:
    """Whether the token sees the shop's (merchant-managed) fulfillment orders."""
    return "read_merchant_managed_fulfillment_orders" in scopes


class Tokens:
    """Access token → granted scopes; the default token is made at start."""

    def __init__(self, default_token: str) -> None:
        self.default_token = default_token
        self._lock = threading.Lock()
        self._scopes: dict[str, frozenset[str]] = {default_token: granted(PACKDESK_SCOPES)}

    def scopes(self, token: str | None) -> frozenset[str] | None:
        """The token's scopes, or None when the token is not one of this shop's."""
        with self._lock:
            return self._scopes.get(token or "")

    def make(self, scopes: list[str]) -> tuple[str, frozenset[str]]:
        """A new token with exactly these scopes (plus the reads their writes imply)."""
        unknown = sorted(set(scopes) - KNOWN_SCOPES)
        if unknown:
            raise ScopeError(
                f"Unknown access scope {unknown[0]!r}; use scopes such as "
                f"{', '.join(PACKDESK_SCOPES[:4])}."
            )
        token = f"shpat_{secrets.token_hex(16)}"
        with self._lock:
            self._scopes[token] = granted(scopes)
            return token, self._scopes[token]

    def reset(self) -> None:
        """Forget every token but the default one."""
        with self._lock:
            self._scopes = {self.default_token: self._scopes[self.default_token]}
